"""Every query of docs/cypher-cookbook.md, end to end as an analyst runs it: the articles of
``tests/data/cookbook`` go through ``graphkg --store neo4j ingest`` into a real Neo4j, each query
through ``graphkg query ... --param NAME:json=VALUE --format json``, and its rows are asserted."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkg.cli import cli

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cypher-cookbook.md"
CORPUS = ROOT / "tests" / "data" / "cookbook" / "articles.jsonl"
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


PLAN = "Moroccan Autonomy Plan"
EXPECTED: dict[str, list[list[object]]] = {
    "supporters-of-a-document": [["Spain", 1, "2024-03-05"], ["France", 1, "2024-06-12"], ["Germany", 1, "2025-06-01"]],
    "meeting-timeline-of-a-person": [
        ["2024-03-05", "José Manuel Albares",
         "Moroccan Foreign Minister Nasser Bourita met José Manuel Albares in Rabat on March 5, 2024."],
        ["2024-06-12", "Jean-Noël Barrot",  # the dateline is not part of the sentence
         "Moroccan Foreign Minister Nasser Bourita met French Foreign Minister Jean-Noël Barrot in Paris on June 12, 2024."]],
    "who-sanctions-whom": [["Algeria", "France", "2024-10-30"], ["United States", "Russia", "2025-06-01"]],
    "mutual-support-pairs": [["Morocco", "Spain"]],
    "shortest-cooperation-path": [[["Germany", "Spain", "France"], 2]],
    "evidence-behind-an-edge": [[
        "France supports Morocco's autonomy plan for Western Sahara, Jean-Noël Barrot said.", None,
        "Bourita meets Barrot", "https://news.example.org/2024/06/12/bourita-barrot", "2024-06-12"]],
    "relations-per-month": None,  # checked by totals below
    "top-actors-by-degree": None,
    "members-of-an-organisation": [["France"], ["Germany"], ["Spain"]],
    "changes-of-stance-over-time": [["Germany", ["OPPOSES 2025-02-10", "SUPPORTS 2025-06-01"]]],
    "who-speaks-for-whom": [["Jean-Noël Barrot", "Minister of Foreign Affairs", "France"],
                            ["José Manuel Albares", "Minister of Foreign Affairs", "Spain"],
                            ["Nasser Bourita", "Minister of Foreign Affairs", "Morocco"]],
    "ministers-who-met-in-a-year": [["2024-03-05", "Nasser Bourita (Morocco)", "José Manuel Albares (Spain)"],
                                    ["2024-06-12", "Nasser Bourita (Morocco)", "Jean-Noël Barrot (France)"]],
    "documents-about-a-territory": [[PLAN, 3]],
    # the only article naming both (in "Morocco's autonomy plan" Morocco is the plan's owner, not a mention)
    "articles-mentioning-two-actors": [["Bourita meets Barrot", "2024-06-12"]],
    "cooperation-and-conflict-balance": None,
    "evidence-search": [["Algeria", "SANCTIONS", "France",
                         "Algeria recalled its ambassador from Paris on October 30, 2024."]],
    "supporters-with-sources": [
        ["Spain", "Spain backs the autonomy plan", "https://news.example.org/2024/03/05/spain-plan", None],
        ["France", "Bourita meets Barrot", "https://news.example.org/2024/06/12/bourita-barrot", None],
        ["Germany", "Germany now backs the plan", "https://news.example.org/2025/06/01/germany-backs", None]],
    "who-met-whom-in-a-period": [["2024-06-12", "Jean-Noël Barrot", "Nasser Bourita"]],
    "stance-toward-over-time": [["2025-02-10", "OPPOSES", "conflictual"], ["2025-06-01", "SUPPORTS", "cooperative"]],
    "most-cited-evidence": None,
    "blocs-by-shared-support": [["France", "Germany", 1], ["France", "Spain", 1], ["Germany", "Spain", 1]],
}


def test_cookbook_has_at_least_twenty_named_queries_all_asserted() -> None:
    names = list(cookbook())
    assert len(names) >= 20 and len(set(names)) == len(names)
    assert set(names) == set(EXPECTED), set(names) ^ set(EXPECTED)


@pytest.fixture(scope="module")
def graphkg(neo4j_server, tmp_path_factory):
    """``graphkg`` on a Neo4j that ``graphkg ingest`` filled from the cookbook corpus."""
    from graphkg.stores.neo4j import Neo4jStore

    uri, user, password = neo4j_server
    store = Neo4jStore.open(uri=uri, user=user, password=password)
    store.clear()
    store.close()
    env = {"NEO4J_URI": uri, "NEO4J_USERNAME": user, "NEO4J_PASSWORD": password,
           "GRAPHKG_HOME": str(tmp_path_factory.mktemp("cookbook-home"))}

    def run(*args: str) -> object:
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)

    done = run("--store", "neo4j", "ingest", str(CORPUS))
    assert done.exit_code == 0 and "5 article(s) read" in done.stderr, done.output
    return run


def _query(run: object, name: str) -> list[list[object]]:
    query, params = cookbook()[name]
    args = ["query", query, "--format", "json"]
    for k, v in params.items():
        args += ["--param", f"{k}:json={json.dumps(v)}"]
    res = run(*args)  # type: ignore[operator]
    assert res.exit_code == 0, (name, res.output)
    return [list(row.values()) for row in json.loads(res.stdout)]


@pytest.mark.parametrize("name", sorted(k for k, v in EXPECTED.items() if v is not None))
def test_cookbook_query(graphkg, name: str) -> None:
    rows = _query(graphkg, name)
    want = EXPECTED[name]
    assert len(rows) == len(want), (name, rows)
    for got, exp in zip(rows, want, strict=True):
        # None in an expected row: any value (a confidence, an evidence sentence checked elsewhere)
        assert [g if e is not None else None for g, e in zip(got, exp, strict=True)] == exp, (name, rows)


def test_cookbook_aggregates(graphkg) -> None:
    months = dict(_query(graphkg, "relations-per-month"))
    assert set(months) == {"2024-03", "2024-06", "2024-10", "2025-02", "2025-06"} and all(n > 0 for n in months.values())
    top = _query(graphkg, "top-actors-by-degree")
    assert len(top) == 3 and top[0][0] in {"Spain", "Morocco"} and top[0][1] >= top[-1][1]
    balance = {c: (co, cf) for c, co, cf in _query(graphkg, "cooperation-and-conflict-balance")}
    assert balance["Algeria"] == (0, 2)  # a recalled ambassador and a rejected plan
    assert balance["Germany"][1] == 1 and balance["Germany"][0] >= 3
    cited = {o: (n, ev) for o, n, ev in _query(graphkg, "most-cited-evidence")}
    assert cited[PLAN][0] == 1 and "Spain supports Morocco's autonomy plan" in cited[PLAN][1]
    assert cited["Morocco"][0] == 1 and cited["Morocco"][1] == "Spain supports Morocco, Spanish officials said."


def test_query_params_are_typed_on_the_command_line(graphkg) -> None:
    res = graphkg("query", "MATCH ()-[r:MEETS]->() WHERE r.date.year = $y RETURN count(r) AS n",  # type: ignore[operator]
                  "--param", "y:int=2024", "--format", "json")
    assert res.exit_code == 0 and json.loads(res.stdout) == [{"n": 2}], res.output
    text = graphkg("query", "MATCH ()-[r:MEETS]->() WHERE r.date.year = $y RETURN count(r) AS n",  # type: ignore[operator]
                   "--param", "y=2024", "--format", "json")
    assert json.loads(text.stdout) == [{"n": 0}]  # a string is not a year: why the types exist
