"""Every query of docs/cypher-cookbook.md runs against a real Neo4j and its result is asserted."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from graphkg.model import Article, Entity, Provenance, Relation
from graphkg.vocab import EntityType as T
from graphkg.vocab import Predicate as P
from graphkg.vocab import check_relation

pytestmark = pytest.mark.neo4j

DOC = Path(__file__).resolve().parent.parent / "docs" / "cypher-cookbook.md"
_BLOCK = re.compile(r"^### (?P<name>[\w-]+)\n.*?```cypher\n(?P<body>.*?)```", re.S | re.M)


def cookbook() -> dict[str, tuple[str, dict[str, object]]]:
    """name -> (query, params) for every fenced cypher block under a ``### name`` heading."""
    out = {}
    for m in _BLOCK.finditer(DOC.read_text(encoding="utf-8")):
        params: dict[str, object] = {}
        lines = []
        for line in m["body"].splitlines():
            if line.startswith("// params:"):
                params = json.loads(line.removeprefix("// params:"))
            else:
                lines.append(line)
        out[m["name"]] = ("\n".join(lines), params)
    return out


MA = Entity("wd:Q1028", "Morocco", T.COUNTRY, ("Maroc", "Rabat"), "Q1028")
FR = Entity("wd:Q142", "France", T.COUNTRY, ("Paris",), "Q142")
ES = Entity("wd:Q29", "Spain", T.COUNTRY, ("Espagne", "Madrid"), "Q29")
DZ = Entity("wd:Q262", "Algeria", T.COUNTRY, ("Algérie", "Alger"), "Q262")
US = Entity("wd:Q30", "United States", T.COUNTRY, ("Washington", "USA"), "Q30")
RU = Entity("wd:Q159", "Russia", T.COUNTRY, ("Moscou",), "Q159")
DE = Entity("wd:Q183", "Germany", T.COUNTRY, ("Allemagne", "Berlin"), "Q183")
EU = Entity("wd:Q458", "European Union", T.ORGANIZATION, ("UE", "EU"), "Q458")
PLAN = Entity.minted("Moroccan autonomy plan", T.DOCUMENT, ("plan d'autonomie",))
WS = Entity.minted("Western Sahara", T.TERRITORY, ("Sahara occidental",))
BOURITA = Entity.minted("Nasser Bourita", T.PERSON)
ALBARES = Entity.minted("José Manuel Albares", T.PERSON)
BARROT = Entity.minted("Jean-Noël Barrot", T.PERSON)

# (published, title, [(subject, predicate, object, evidence, properties)])
ARTICLES = [
    (date(2024, 3, 5), "Madrid backs the plan", [
        (ES, P.SUPPORTS, PLAN, "Spain considers the autonomy plan the most serious basis.", ()),
        (BOURITA, P.MEETS, ALBARES, "Nasser Bourita met José Manuel Albares in Rabat.", ()),
        (BOURITA, P.REPRESENTS, MA, "Moroccan foreign minister Nasser Bourita said...", (("role", "Minister of Foreign Affairs"),)),
        (ALBARES, P.REPRESENTS, ES, "Spanish minister José Manuel Albares...", (("role", "Minister of Foreign Affairs"),)),
        (ES, P.MEMBER_OF, EU, "Spain, an EU member...", ()),
    ]),
    (date(2024, 7, 30), "Paris shifts on Western Sahara", [
        (FR, P.SUPPORTS, PLAN, "France supports the autonomy plan as the only basis.", (("aspect", "sovereignty"),)),
        (DZ, P.SANCTIONS, FR, "Algeria recalled its ambassador from Paris.", ()),
        (FR, P.MEMBER_OF, EU, "France, an EU member...", ()),
    ]),
    (date(2024, 10, 29), "State visit to Rabat", [
        (BOURITA, P.MEETS, BARROT, "Nasser Bourita received Jean-Noël Barrot.", ()),
        (BARROT, P.REPRESENTS, FR, "French minister Jean-Noël Barrot...", (("role", "Minister for Europe and Foreign Affairs"),)),
        (FR, P.COOPERATES_WITH, MA, "France and Morocco signed 22 cooperation agreements.", ()),
        (MA, P.SUPPORTS, FR, "Morocco welcomed France's support.", ()),
        (FR, P.SUPPORTS, MA, "France stands by Morocco.", ()),
    ]),
    (date(2025, 2, 10), "Sanctions and positions", [
        (US, P.SUPPORTS, PLAN, "Washington reaffirmed its support for the autonomy plan.", ()),
        (US, P.SANCTIONS, RU, "The United States announced new sanctions against Russia.", ()),
        (EU, P.SANCTIONS, RU, "The EU adopted a new package of sanctions against Russia.", ()),
        (DE, P.OPPOSES, PLAN, "Berlin rejected the plan at the time.", ()),
        (PLAN, P.CONCERNS, WS, "The plan concerns Western Sahara.", ()),
    ]),
    (date(2025, 6, 1), "Berlin joins", [
        (DE, P.SUPPORTS, PLAN, "Germany now regards the autonomy plan as a good basis.", ()),
        (DE, P.COOPERATES_WITH, ES, "Germany and Spain deepened their cooperation.", ()),
        (ES, P.COOPERATES_WITH, MA, "Spain and Morocco cooperate on migration.", ()),
        (DE, P.MEMBER_OF, EU, "Germany, an EU member...", ()),
    ]),
]


def build_graph() -> list[tuple[Article, list[Relation], list[Entity]]]:
    batch = []
    for i, (day, title, triples) in enumerate(ARTICLES):
        art = Article.make(f"article {i}: {title}", f"cookbook-{i}.txt", title=title, published=day,
                           lang="en", url=f"https://news.example/{i}", publisher="Example News")
        rels, mentioned = [], {}
        for s, p, o, evidence, props in triples:
            assert check_relation(s.type, p, o.type) is None, (s, p, o)
            prov = Provenance(art.id, evidence, 0, len(evidence), "cookbook/1", 0.9, url=art.url,
                              title=title, published=day, lang="en", source=art.source)
            rels.append(Relation(s, p, o, prov, props, day.isoformat()))
            mentioned[s.id], mentioned[o.id] = s, o
        batch.append((art, rels, list(mentioned.values())))
    return batch


EXPECTED: dict[str, list[list[object]]] = {
    "supporters-of-a-document": [["Spain", 1, "2024-03-05"], ["France", 1, "2024-07-30"],
                                 ["United States", 1, "2025-02-10"], ["Germany", 1, "2025-06-01"]],
    "meeting-timeline-of-a-person": [
        ["2024-03-05", "José Manuel Albares", "Nasser Bourita met José Manuel Albares in Rabat."],
        ["2024-10-29", "Jean-Noël Barrot", "Nasser Bourita received Jean-Noël Barrot."]],
    "who-sanctions-whom": [["Algeria", "France", "2024-07-30"], ["European Union", "Russia", "2025-02-10"],
                           ["United States", "Russia", "2025-02-10"]],
    "mutual-support-pairs": [["Morocco", "France"]],  # ordered by id: wd:Q1028 < wd:Q142
    "shortest-cooperation-path": [[["Germany", "Spain", "Morocco"], 2]],
    "evidence-behind-an-edge": [["France supports the autonomy plan as the only basis.", 0.9,
                                 "Paris shifts on Western Sahara", "https://news.example/1", "2024-07-30"]],
    "relations-per-month": [["2024-03", 5], ["2024-07", 3], ["2024-10", 5], ["2025-02", 5], ["2025-06", 4]],
    "top-actors-by-degree": [["France", 7], ["Moroccan autonomy plan", 6], ["Morocco", 5]],
    "members-of-an-organisation": [["France"], ["Germany"], ["Spain"]],
    "changes-of-stance-over-time": [["Germany", ["OPPOSES 2025-02-10", "SUPPORTS 2025-06-01"]]],
    "who-speaks-for-whom": [["Jean-Noël Barrot", "Minister for Europe and Foreign Affairs", "France"],
                            ["José Manuel Albares", "Minister of Foreign Affairs", "Spain"],
                            ["Nasser Bourita", "Minister of Foreign Affairs", "Morocco"]],
    "ministers-who-met-in-a-year": [["2024-03-05", "Nasser Bourita (Morocco)", "José Manuel Albares (Spain)"],
                                    ["2024-10-29", "Nasser Bourita (Morocco)", "Jean-Noël Barrot (France)"]],
    "documents-about-a-territory": [["Moroccan autonomy plan", 4]],
    "articles-mentioning-two-actors": [["State visit to Rabat", "2024-10-29"]],
    "cooperation-and-conflict-balance": [["Germany", 3, 1], ["United States", 1, 1], ["Algeria", 0, 1]],  # MEMBER_OF is cooperative
    "evidence-search": [["Algeria", "SANCTIONS", "France", "Algeria recalled its ambassador from Paris."]],
}


def test_cookbook_has_at_least_twelve_named_queries_all_asserted() -> None:
    names = list(cookbook())
    assert len(names) >= 12 and len(set(names)) == len(names)
    assert set(names) == set(EXPECTED), set(names) ^ set(EXPECTED)


@pytest.fixture(scope="module")
def loaded(neo4j_server):
    from graphkg.stores.neo4j import Neo4jStore

    uri, user, password = neo4j_server
    store = Neo4jStore.open(uri=uri, user=user, password=password)
    store.clear()
    store.write(build_graph())
    yield store
    store.close()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cookbook_query(loaded, name: str) -> None:
    query, params = cookbook()[name]
    _, rows = loaded.run_cypher(query, params)  # read transaction: cookbook queries never write
    assert rows == EXPECTED[name]
