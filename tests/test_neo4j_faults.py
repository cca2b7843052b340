"""Faults against real servers: not running, wrong password, stopped in the middle of an ingest."""

from __future__ import annotations

import socket
import threading

import pytest
from click.testing import CliRunner
from neo4j_server import Neo4jServer

from graphkg.cli import cli
from graphkg.errors import StoreError
from graphkg.model import Article, Candidate, EntityRef
from graphkg.vocab import EntityType, Predicate
from graphkg.pipeline import IngestOptions, ingest_items
from graphkg.stores.memory import MemoryStore
from graphkg.stores.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def test_server_not_running_is_one_line_exit_1(tmp_path) -> None:
    env = {"NEO4J_URI": f"bolt://127.0.0.1:{_free_port()}", "NEO4J_PASSWORD": "x", "GRAPHKG_HOME": str(tmp_path)}
    line = _one_line_error(CliRunner().invoke(cli, ["--store", "neo4j", "stats"], env=env))
    assert "unreachable" in line and "NEO4J_URI" in line
    (tmp_path / "a.txt").write_text("Le Maroc soutient la France.", encoding="utf-8")
    line = _one_line_error(CliRunner().invoke(cli, ["--store", "neo4j", "ingest", str(tmp_path / "a.txt")], env=env))
    assert "unreachable" in line
    assert "unreachable" in _one_line_error(CliRunner().invoke(cli, ["query", "RETURN 1"], env=env))


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "127.0.0.1:7687", "https://example.org"])
def test_wrong_scheme_is_one_line_exit_1(tmp_path, uri) -> None:
    env = {"NEO4J_URI": uri, "NEO4J_PASSWORD": "x", "GRAPHKG_HOME": str(tmp_path)}
    for args in (["--store", "neo4j", "stats"], ["query", "RETURN 1"]):
        line = _one_line_error(CliRunner().invoke(cli, args, env=env))
        assert "not a Bolt URI" in line and "bolt://HOST:7687" in line and "aiohttp" not in line, line


def test_wrong_password_is_one_line_exit_1(neo4j_server, tmp_path) -> None:
    uri, user, _ = neo4j_server
    env = {"NEO4J_URI": uri, "NEO4J_USERNAME": user, "NEO4J_PASSWORD": "not-the-password"}
    for args in (["query", "RETURN 1"], ["schema", "show"], ["--home", str(tmp_path), "--store", "neo4j", "stats"]):
        line = _one_line_error(CliRunner().invoke(cli, args, env=env))
        assert "authentication failed" in line and uri in line
    with pytest.raises(StoreError, match="authentication failed"):
        Neo4jStore.open(uri=uri, user=user, password="wrong")


class _StubExtractor:
    """Ten fixed candidates per article (no NLP): countries support a plan and cooperate."""

    def extract(self, article: Article) -> list[Candidate]:
        n = int(article.title or 0)
        out = []
        for j in range(10):
            s = EntityRef(f"C{n % 7}", f"Country {n % 7}", EntityType.COUNTRY, f"wd:Q{900 + n % 7}")
            o = (EntityRef(f"Plan {j}", f"Plan {j}", EntityType.DOCUMENT) if j % 2 else
                 EntityRef(f"C{j}", f"Country {j + 7}", EntityType.COUNTRY, f"wd:Q{907 + j}"))
            p = Predicate.SUPPORTS if j % 2 else Predicate.COOPERATES_WITH
            out.append(Candidate(s, p, o, f"Sentence {j} of article {n}.", 0, 20, 0.8, "stub/1"))
        return out


def _articles(n: int) -> list[Article]:
    return [Article.make(f"Article number {i}.", f"a{i}.txt", title=str(i), lang="fr") for i in range(n)]


def test_server_stopped_mid_ingest_then_rerun_has_no_duplicates(tmp_path) -> None:
    arts, stub = _articles(60), _StubExtractor()
    oracle = MemoryStore()
    ingest_items(arts, oracle, stub, IngestOptions(gazetteer=False, batch_size=5))
    want = oracle.counts()
    server = Neo4jServer(tmp_path / "db")
    try:
        cfg = server.start()
        store = Neo4jStore.open(uri=cfg.uri, user=cfg.user, password=cfg.password, retry_seconds=3)
        seen: list[str] = []

        def on_item(source: str, status: str) -> None:
            seen.append(source)
            if len(seen) == 20:  # stop the server while later batches are being written
                threading.Thread(target=server.stop, daemon=True).start()

        with pytest.raises(StoreError) as info:
            ingest_items(arts, store, stub, IngestOptions(gazetteer=False, batch_size=5), on_item=on_item)
        assert "\n" not in str(info.value)
        store.close()
        server.start()  # same data directory, same port
        store = Neo4jStore.open(uri=cfg.uri, user=cfg.user, password=cfg.password)
        partial = store.counts()
        assert 0 < partial.articles < 60
        report = ingest_items(arts, store, stub, IngestOptions(gazetteer=False, batch_size=5))
        assert report.skipped == partial.articles and report.errors == []
        assert store.counts() == want
        _, dup_nodes = store.run_cypher("MATCH (n) WITH coalesce(n.id, '') AS id, count(*) AS c "
                                        "WHERE c > 1 RETURN count(*)")
        _, dup_rels = store.run_cypher("MATCH ()-[r]->() WHERE r.key IS NOT NULL WITH r.key AS k, count(*) AS c "
                                       "WHERE c > 1 RETURN count(*)")
        _, mentions = store.run_cypher("MATCH (a:Article)-[m:MENTIONS]->(e) WITH a, e, count(m) AS c "
                                       "WHERE c > 1 RETURN count(*)")
        assert dup_nodes == dup_rels == mentions == [[0]]
        assert sorted(r.key for r in store.relations()) == sorted(r.key for r in oracle.relations())
        store.close()
    finally:
        server.stop()


def test_driver_retry_warnings_are_not_printed(capsys) -> None:
    """A server stopped mid-ingest makes the driver log one warning per retry; the CLI prints
    only its own one-line error (the warnings come back with -vv)."""
    import logging

    assert CliRunner().invoke(cli, ["plugins"]).exit_code == 0
    logging.getLogger("neo4j").warning("Transaction failed and will be retried in 1.0s")
    assert capsys.readouterr().err == ""
    assert CliRunner().invoke(cli, ["-vv", "plugins"]).exit_code == 0
    assert logging.getLogger("neo4j").propagate
    CliRunner().invoke(cli, ["plugins"])
    assert not logging.getLogger("neo4j").propagate


def test_launcher_says_when_its_data_folder_is_in_use(tmp_path) -> None:
    """A second launcher on a data folder another one holds fails at once, with one clear line
    (it used to print nothing and leave the fixture waiting)."""
    import time

    first = Neo4jServer(tmp_path / "db")
    try:
        first.start()
        second = Neo4jServer(tmp_path / "db")
        started = time.monotonic()
        with pytest.raises(RuntimeError) as info:
            second.start(timeout=120)
        assert "in use by another Neo4j process" in str(info.value), str(info.value)
        assert time.monotonic() - started < 60
    finally:
        first.stop()
