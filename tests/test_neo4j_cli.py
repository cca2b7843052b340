"""``graphkg schema|query|sync`` against a real Neo4j: exit codes and output."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from conftest import make_sample

from graphkg.cli import cli
from graphkg.stores.oxigraph import OxigraphStore

pytestmark = pytest.mark.neo4j


@pytest.fixture()
def run(neo4j_server, neo4j_store, tmp_path):
    uri, user, password = neo4j_server
    env = {"NEO4J_URI": uri, "NEO4J_USERNAME": user, "NEO4J_PASSWORD": password, "GRAPHKG_HOME": str(tmp_path)}

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return invoke


def test_schema_apply_then_show(run) -> None:
    first = run("schema", "apply")
    assert first.exit_code == 0, first.output
    again = run("schema", "apply")
    assert again.exit_code == 0 and again.stdout == ""
    shown = run("schema", "show", "--format", "json")
    data = json.loads(shown.stdout)
    assert "graphkg_entity_id" in {c["name"] for c in data["constraints"]}
    assert "graphkg_sanctions_key" in run("schema", "show").stdout


def test_query_formats_and_params(run, neo4j_store) -> None:
    art, rels, ents = make_sample()
    neo4j_store.write([(art, rels, ents)])
    q = "MATCH (s:Entity)-[r:SUPPORTS]->(o:Entity {id: $o}) RETURN s.name AS who, r.confidence AS c, o AS target"
    js = run("query", q, "--param", "o=wd:Q1028", "--format", "json")
    assert js.exit_code == 0, js.output
    rows = json.loads(js.stdout)
    assert rows[0]["who"] == "France" and rows[0]["c"] == 0.9
    assert rows[0]["target"]["labels"] == ["Country", "Entity"] and rows[0]["target"]["id"] == "wd:Q1028"
    table = run("query", q, "--param", "o=wd:Q1028")
    assert table.stdout.splitlines()[0].split()[:2] == ["who", "c"] and "France" in table.stdout
    out = run("query", "RETURN $n + 1 AS n, $xs AS xs", "--param", "n:int=41", "--param", 'xs:json=["a","b"]',
              "--format", "csv")
    assert list(csv.reader(io.StringIO(out.stdout))) == [["n", "xs"], ["42", '["a", "b"]']]
    # a string unless a type is named: "2021" stays text (the year an analyst compares with a string)
    text = run("query", "RETURN $y AS y, valueType($y) AS t, $d.year AS year", "--param", "y=2021",
               "--param", "d:date=2024-01-31", "--format", "json")
    assert json.loads(text.stdout) == [{"y": "2021", "t": "STRING NOT NULL", "year": 2024}], text.output
    bad = run("query", "RETURN 1", "--param", "oops")
    assert bad.exit_code == 2 and "NAME=VALUE" in bad.output
    typed = run("query", "RETURN 1", "--param", "n:int=x")
    assert typed.exit_code == 2 and "cannot be read as int" in typed.output
    unknown = run("query", "RETURN 1", "--param", "n:integer=1")
    assert unknown.exit_code == 2 and "unknown type 'integer'" in unknown.output


def test_query_is_read_only_unless_write(run, neo4j_store) -> None:
    refused = run("query", "CREATE (n:Entity {id: 'x'}) RETURN n")
    assert refused.exit_code == 1 and "read-only" in refused.output and "--write" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    sneaky = run("query", "CALL db.createLabel('Sneaky')")  # no keyword: the server's read mode refuses
    assert sneaky.exit_code == 1 and "--write" in sneaky.output
    assert neo4j_store.counts().entities == 0
    ok = run("query", "CREATE (n:Scratch {id: 'x'}) RETURN n.id AS id", "--write", "--format", "json")
    assert ok.exit_code == 0 and json.loads(ok.stdout) == [{"id": "x"}]


def test_syntax_error_is_one_line(run) -> None:
    res = run("query", "MATCH (n RETURN n")
    assert res.exit_code == 1 and "SyntaxError" in res.output and len(res.output.strip().splitlines()) == 1


def test_sync_both_ways_keeps_counts_and_ids(run, neo4j_store, tmp_path) -> None:
    art, rels, ents = make_sample()
    emb = OxigraphStore.open(home=tmp_path)
    emb.write([(art, rels, ents)])
    before = emb.counts()
    emb.close()
    res = run("sync", "--to", "neo4j")
    assert res.exit_code == 0, res.output
    assert neo4j_store.counts() == before
    assert sorted(r.key for r in neo4j_store.relations()) == sorted(r.key for r in rels)
    assert run("sync", "--to", "neo4j").exit_code == 0 and neo4j_store.counts() == before  # idempotent
    back = tmp_path / "back"
    res = run("--home", str(back), "sync", "--to", "embedded")
    assert res.exit_code == 0, res.output
    emb2 = OxigraphStore.open(home=back)
    try:
        assert emb2.counts() == before
        assert {e.id for e in emb2.entities()} == {e.id for e in ents}
        assert [a.id for a in emb2.articles()] == [art.id]
        assert sorted(r.key for r in emb2.relations()) == sorted(r.key for r in rels)
    finally:
        emb2.close()


def test_switching_store_never_skips_an_article(run, neo4j_store, tmp_path) -> None:
    """One journal per store target: ingest into the embedded store, then into Neo4j with the
    same home; every article reaches Neo4j, and a re-run into either writes nothing new."""
    from conftest import SEED

    src = tmp_path / "in"
    src.mkdir()
    (src / SEED.name).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (src / "002-en-brief.txt").write_text("Chile recalled its ambassador to Peru on Monday.\n", encoding="utf-8")
    first = run("--store", "neo4j", "ingest", str(src / "002-en-brief.txt"))  # Neo4j holds the last article
    assert first.exit_code == 0 and "1 article(s) read" in first.stderr, first.output
    embedded = run("ingest", str(src))
    assert embedded.exit_code == 0 and "2 article(s) read" in embedded.stderr, embedded.output
    neo = run("--store", "neo4j", "ingest", str(src))
    assert neo.exit_code == 0, neo.output
    # its own journal: the file Neo4j already took is skipped, the other one is read and written
    assert "1 article(s) read" in neo.stderr and ", 1 written," in neo.stderr, neo.stderr
    assert "[neo4j: bolt://" in neo.stderr  # the summary names the server, not the data directory
    assert sorted(a.source for a in neo4j_store.articles()) == sorted(
        a.source for a in OxigraphStore.open(home=tmp_path).articles())
    again = run("--store", "neo4j", "ingest", str(src))
    assert again.exit_code == 0 and "nothing new written" in again.stderr
    back = run("ingest", str(src))
    assert back.exit_code == 0 and "nothing new written" in back.stderr
    assert (tmp_path / "journal.sqlite").is_file() and len(list((tmp_path / "journals").glob("neo4j-*.sqlite"))) == 1


# Every known way around the read-only guard; each must be refused without --write, write
# nothing, and say so in one line (the guard asks the server what the query does: EXPLAIN).
BYPASSES = {
    "comment-cr-load-csv": "WITH 1 AS x // note\rLOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "load-csv": "LOAD CSV FROM 'file:///etc/hostname' AS l RETURN l",
    "comment-cr": "MATCH (n) WITH count(n) AS c // note\rCREATE (m:Sneaky {id: 'cr'}) RETURN c",
    "comment-crlf": "MATCH (n) WITH count(n) AS c // note\r\nCREATE (m:Sneaky {id: 'crlf'}) RETURN c",
    "comment-u2028": "MATCH (n) WITH count(n) AS c // note\u2028CREATE (m:Sneaky {id: 'ls'}) RETURN c",
    "lowercase": "create (m:Sneaky {id: 'lower'}) return m.id",
    "nested-subquery": "CALL { CREATE (m:Sneaky {id: 'sub'}) RETURN m } RETURN m.id",
    "in-transactions": "UNWIND [1] AS i CALL { WITH i CREATE (:Sneaky {id: 'tx'}) } IN TRANSACTIONS",
    "procedure-write": "CALL db.createLabel('Sneaky')",
    "procedure-config": "CALL dbms.listConfig() YIELD name RETURN name LIMIT 1",
    "merge-in-string-trick": "RETURN '\\'' AS q UNION MERGE (m:Sneaky {id: 'u'}) RETURN m.id AS q",
}


@pytest.mark.parametrize("query", list(BYPASSES.values()), ids=list(BYPASSES))
def test_read_only_cannot_be_bypassed(run, neo4j_store, query) -> None:
    res = run("query", query)
    assert res.exit_code == 1, res.output
    # refused, or (the server does not end a comment at U+2028) not even a query
    assert ("--write" in res.output or "SyntaxError" in res.output) and len(res.output.strip().splitlines()) == 1, \
        res.output
    assert "root:" not in res.output  # /etc/passwd never printed
    check = run("query", "MATCH (n:Sneaky) RETURN count(n) AS n", "--format", "json")
    assert json.loads(check.stdout) == [{"n": 0}]


def test_reads_pass_and_errors_are_classified_by_status_code(run, neo4j_store) -> None:
    ok = run("query", "MATCH (n) RETURN count(n) AS n", "--format", "json")
    assert ok.exit_code == 0 and json.loads(ok.stdout) == [{"n": 0}]
    labels = run("query", "CALL db.labels() YIELD label RETURN label")
    assert labels.exit_code == 0, labels.output
    # a typo or a word containing "read" is an error of its own, never "rejected a write"
    for bad in ("RETURN readme(1)", "MATCH (ready) RETRN ready", "RETURN date('spread') AS d"):
        res = run("query", bad)
        assert res.exit_code == 1 and "read-only" not in res.output and "--write" not in res.output, res.output
        assert res.output.startswith("error: ") and "Neo.ClientError" in res.output, res.output


def test_store_text_keeps_the_source_on_the_article_node(run, neo4j_store, tmp_path) -> None:
    art = tmp_path / "001-en-brief.txt"
    art.write_text("Chile recalled its ambassador to Peru on Monday.\n", encoding="utf-8")
    done = run("--store", "neo4j", "ingest", "--store-text", str(art))
    assert done.exit_code == 0, done.output
    got = run("query", "MATCH (a:Article) RETURN a.text AS text", "--format", "json")
    assert json.loads(got.stdout) == [{"text": "Chile recalled its ambassador to Peru on Monday."}], got.output
    bad = run("ingest", "--store-text", str(art))
    assert bad.exit_code == 2 and "--store neo4j" in bad.output
