"""The bulk path: ``graphkg export --format neo4j-import`` files loaded by Neo4j's own offline
importer (run by the test launcher) give the graph ``graphkg --store neo4j ingest`` writes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j_server import JAR, Neo4jServer, build_launcher

from graphkg.cli import cli
from graphkg.stores.neo4j import Neo4jStore
from graphkg.stores.oxigraph import OxigraphStore

pytestmark = pytest.mark.neo4j

CORPUS = Path(__file__).resolve().parent / "data" / "cookbook" / "articles.jsonl"


def _key(r: object) -> tuple[object, ...]:
    p = r.provenance  # type: ignore[attr-defined]
    return (r.key, r.subject.id, r.predicate, r.object.id, r.date, r.properties,  # type: ignore[attr-defined]
            p.article_id, p.evidence, p.start, p.end, p.confidence, p.extractor, p.published, p.title, p.url)


def test_bulk_import_gives_the_graph_ingest_writes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    runner = CliRunner()
    done = runner.invoke(cli, ["--home", str(home), "ingest", str(CORPUS)])
    assert done.exit_code == 0, done.output
    out = tmp_path / "csv"
    exported = runner.invoke(cli, ["--home", str(home), "export", "--format", "neo4j-import", "-o", str(out)])
    assert exported.exit_code == 0 and "load them with neo4j-admin database import full" in exported.stderr
    assert (out / "nodes-article.csv").is_file() and (out / "relationships-supports.csv").is_file()
    header = (out / "relationships-supports.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith(":START_ID,:END_ID,:TYPE,key,") and "date:date" in header and "start:int" in header
    bad = runner.invoke(cli, ["--home", str(home), "export", "--format", "neo4j-import"])
    assert bad.exit_code == 2 and "-o DIR" in bad.output

    build_launcher()
    data = tmp_path / "db"
    proc = subprocess.run(["java", "-Xmx1g", "-jar", str(JAR), "import", str(data), str(out)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and "IMPORT DONE" in proc.stdout, proc.stdout[-2000:] + proc.stderr[-2000:]
    server = Neo4jServer(data)
    try:
        cfg = server.start()
        neo = Neo4jStore.open(uri=cfg.uri, user=cfg.user, password=cfg.password)
        neo.apply_schema()  # the importer makes no constraints: the same schema as ingest's
        embedded = OxigraphStore.open(home=home)
        try:
            assert neo.counts() == embedded.counts()
            assert sorted(map(_key, neo.relations())) == sorted(map(_key, embedded.relations()))
            assert sorted(e.id for e in neo.entities()) == sorted(e.id for e in embedded.entities())
            _, typed = neo.run_cypher("MATCH ()-[r:SUPPORTS]->() RETURN count(r), min(r.date) >= date('2024-01-01'), "
                                      "collect(DISTINCT r.polarity)")
            assert typed == [[5, True, ["cooperative"]]]
            _, labels = neo.run_cypher("MATCH (n:Entity:Country {id: 'wd:Q29'}) RETURN n.name, n.aliases")
            assert labels and labels[0][0] == "Spain"
            # the bulk-loaded graph takes later ingests as any other: nothing new for the same articles
            again = CliRunner().invoke(cli, ["--home", str(tmp_path / "home2"), "--store", "neo4j", "ingest",
                                             str(CORPUS)], env={"NEO4J_URI": cfg.uri, "NEO4J_USERNAME": cfg.user,
                                                                "NEO4J_PASSWORD": cfg.password})
            assert again.exit_code == 0 and "5 skipped as already ingested" in again.stderr, again.output
        finally:
            embedded.close()
            neo.close()
    finally:
        server.stop()
