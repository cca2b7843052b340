"""Every query of docs/sparql-cookbook.md runs on the embedded store and gives the known answer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdf_corpus import load

from graphkg.rdf.sparql import run_sparql, term_text
from graphkg.stores.oxigraph import OxigraphStore

COOKBOOK = Path(__file__).resolve().parent.parent / "docs" / "sparql-cookbook.md"


def cookbook() -> dict[int, str]:
    """Query text by recipe number (the ``## N. title`` heading above each sparql block)."""
    text = COOKBOOK.read_text(encoding="utf-8")
    found = re.findall(r"^## (\d+)\. .*?\n(?:(?!^## ).)*?```sparql\n(.*?)```", text, re.S | re.M)
    return {int(n): q for n, q in found}


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    s = OxigraphStore.open()  # in memory
    load(s)
    yield s
    s.close()


def rows(store: OxigraphStore, n: int) -> list[tuple[str, ...]]:
    result = run_sparql(store, cookbook()[n])
    assert result.kind == "solutions"
    names = [v.value for v in result.value.variables]
    return [tuple(term_text(row[v]) for v in names) for row in result.value]


PLAN = "gke:document/moroccan-autonomy-plan"

EXPECTED: dict[int, list[tuple[str, ...]]] = {
    2: [("gke:wd/Q262", "Algeria", "gkg:opposes", "1"), ("gke:wd/Q142", "France", "gkg:supports", "1"),
        ("gke:wd/Q29", "Spain", "gkg:supports", "2"), ("gke:wd/Q1065", "United Nations", "gkg:supports", "1")],
    3: [("2025-01", "5"), ("2025-02", "5"), ("2025-03", "3")],
    4: [("gke:wd/Q262", "gke:wd/Q29", "1", "1")],
    6: [(PLAN, "Moroccan autonomy plan", "6"), ("gke:wd/Q29", "Spain", "6"), ("gke:wd/Q262", "Algeria", "3"),
        ("gke:wd/Q1028", "Morocco", "3"), ("gke:wd/Q142", "France", "2")],
    7: [("José Manuel Albares", "Spain", "minister of foreign affairs"),
        ("Nasser Bourita", "Morocco", "ministre des Affaires étrangères")],
    8: [("Algeria", "gkg:Country", "wd:Q262"), ("France", "gkg:Country", "wd:Q142"),
        ("Morocco", "gkg:Country", "wd:Q1028"), ("Spain", "gkg:Country", "wd:Q29"),
        ("United Nations", "gkg:Organization", "wd:Q1065"), ("Western Sahara", "gkg:Territory", "wd:Q6250")],
    9: [("gke:wd/Q142", "gkg:aids", "gke:wd/Q1028", "0.4", "La France aiderait le Maroc.")],
    10: [("SUPPORT", "05", "4"), ("AGREE", "03", "1"), ("AID", "07", "1"), ("CONSULT", "04", "1"),
         ("COOPERATE", "06", "1"), ("REJECT", "12", "1"), ("SANCTION", "16", "1")],
    11: [("2025-02-03", "gke:wd/Q262", "gkg:sanctions", "gke:wd/Q29", "2025-02"),
         ("2025-02-20", "gke:wd/Q29", "gkg:agreesWith", "gke:wd/Q262", "2025")],
    12: [("Example News", "2", "6"), ("Example Presse", "2", "7")],
}


def test_the_cookbook_has_at_least_ten_queries_and_all_are_checked() -> None:
    numbers = set(cookbook())
    assert len(numbers) >= 10
    checked = set(EXPECTED) | {1, 5, 13, 14}
    assert numbers == checked, f"recipes without an assertion: {sorted(numbers - checked)}"


def test_every_query_declares_its_prefixes() -> None:
    """Pasted into another store (Virtuoso, Fuseki), the queries must not rely on our predeclared prefixes."""
    for n, q in cookbook().items():
        used = set(re.findall(r"\b([a-z]+):[A-Za-z]", re.sub(r"<[^>]*>|\"[^\"]*\"", "", q)))
        declared = set(re.findall(r"PREFIX (\w+):", q))
        assert used <= declared, (n, used - declared)


@pytest.mark.parametrize("n", sorted(EXPECTED))
def test_recipe_answer(store: OxigraphStore, n: int) -> None:
    assert rows(store, n) == EXPECTED[n]


def test_assertions_about_an_entity_carry_their_evidence(store: OxigraphStore) -> None:
    got = rows(store, 1)
    assert [(r[0], r[1], r[2]) for r in got] == [
        ("gke:person/nasser-bourita", "gkg:represents", "gke:wd/Q1028"),
        ("gke:wd/Q29", "gkg:cooperatesWith", "gke:wd/Q1028"),
        ("gke:wd/Q142", "gkg:aids", "gke:wd/Q1028"),
    ]
    assert got[1][3] == "Spain and Morocco will cooperate on migration."
    assert got[2][4] == "0.4" and got[2][6] == "2025-02-20"
    assert all(r[5].startswith("gka:") for r in got)


def test_provenance_of_an_edge_lists_every_article(store: OxigraphStore) -> None:
    got = rows(store, 5)
    assert [(r[0], r[2], r[3], r[4], r[5], r[6], r[8]) for r in got] == [
        ("https://example.org/a1", "Example Presse", "2025-01-10",
         "L'Espagne et la France soutiennent le plan d'autonomie.", "0", "55", "0.9"),
        ("https://example.org/a4", "Example News", "2025-03-05", "Spain backs the plan.", "79", "100", "0.88"),
    ]


def test_ask_recipe(store: OxigraphStore) -> None:
    result = run_sparql(store, cookbook()[13])
    assert result.kind == "boolean" and result.value is True
    flipped = cookbook()[13].replace("wd/Q262> gkg:sanctions <https://w3id.org/graphkg/entity/wd/Q29",
                                     "wd/Q29> gkg:sanctions <https://w3id.org/graphkg/entity/wd/Q262")
    assert run_sparql(store, flipped).value is False


def test_construct_recipe_returns_the_edges_of_one_publisher(store: OxigraphStore) -> None:
    result = run_sparql(store, cookbook()[14])
    assert result.kind == "graph"
    triples = {(term_text(t.subject), term_text(t.predicate), term_text(t.object)) for t in result.value}
    assert triples == {
        ("gke:wd/Q29", "gkg:supports", PLAN), (PLAN, "gkg:concerns", "gke:wd/Q6250"),
        ("gke:wd/Q1065", "gkg:supports", PLAN), ("gke:person/jose-manuel-albares", "gkg:represents", "gke:wd/Q29"),
        ("gke:wd/Q29", "gkg:cooperatesWith", "gke:wd/Q1028"), ("gke:wd/Q262", "gkg:sanctions", "gke:wd/Q29"),
    }
