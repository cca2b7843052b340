"""`graphkg sparql`: output formats, read-only by default, clear errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typing import Any
from click.testing import CliRunner
from rdf_corpus import load

from graphkg.cli import cli
from graphkg.errors import QueryError
from graphkg.rdf.sparql import run_sparql, update_keyword
from graphkg.stores.memory import MemoryStore
from graphkg.stores.oxigraph import OxigraphStore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a a gkg:Assertion } }"


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    s = load(OxigraphStore.open(home=tmp_path))
    s.close()
    return tmp_path


def sparql(home: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["--home", str(home), "sparql", *args])


def test_table(home: Path) -> None:
    res = sparql(home, "SELECT ?label WHERE { ?e a gkg:Country ; rdfs:label ?label } ORDER BY ?label")
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == ["label", "-------", "Algeria", "France", "Morocco", "Spain", "(4 rows)"]


def test_json_and_csv_are_sparql_results_formats(home: Path) -> None:
    res = sparql(home, COUNT, "--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["head"]["vars"] == ["n"] and doc["results"]["bindings"][0]["n"]["value"] == "13"
    res = sparql(home, "SELECT ?e ?label WHERE { ?e gkg:entityId 'wd:Q29' ; rdfs:label ?label }", "--format", "csv")
    assert list(csv.reader(io.StringIO(res.output))) == [["e", "label"], ["https://w3id.org/graphkg/entity/wd/Q29", "Spain"]]


def test_ask_and_construct(home: Path) -> None:
    assert sparql(home, "ASK { ?s gkg:sanctions ?o }").output.strip() == "true"
    assert json.loads(sparql(home, "ASK { ?s gkg:signs ?o }", "--format", "json").output)["boolean"] is False
    res = sparql(home, "CONSTRUCT { ?s gkg:sanctions ?o } WHERE { ?s gkg:sanctions ?o }", "--format", "csv")
    assert res.output.strip() == ("<https://w3id.org/graphkg/entity/wd/Q262> <https://w3id.org/graphkg/ontology#sanctions> "
                                  "<https://w3id.org/graphkg/entity/wd/Q29> .")


def test_query_from_a_file(home: Path, tmp_path: Path) -> None:
    q = tmp_path / "q.rq"
    q.write_text(COUNT, encoding="utf-8")
    assert "13" in sparql(home, f"@{q}").output


UPDATES = {
    "INSERT": "INSERT DATA { gke:x gkg:supports gke:y }",
    "DELETE": "DELETE WHERE { GRAPH ?g { ?a gkg:confidence ?c } }",
    "LOAD": "LOAD <file:///etc/hostname>",
    "CLEAR": "CLEAR ALL",
    "DROP": "DROP ALL",
    "CREATE": "CREATE GRAPH <urn:x>",
    "ADD": "ADD DEFAULT TO <urn:x>",
    "MOVE": "MOVE DEFAULT TO <urn:x>",
    "COPY": "COPY DEFAULT TO <urn:x>",
    "WITH": "PREFIX x: <urn:x#> WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
}


@pytest.mark.parametrize("verb", sorted(UPDATES))
def test_updates_are_refused_without_write(home: Path, verb: str) -> None:
    res = sparql(home, UPDATES[verb])
    assert res.exit_code == 1
    if verb == "LOAD":  # refused even with --write: it fetches its IRI
        assert "refused: LOAD fetches its IRI" in res.output
    else:
        assert f"SPARQL update ({verb}) refused" in res.output and "--write" in res.output
    assert "13" in sparql(home, COUNT).output  # nothing changed


def test_write_allows_updates(home: Path) -> None:
    res = sparql(home, "--write", "DELETE WHERE { GRAPH ?g { ?a gkg:evidence ?e } }")
    assert res.exit_code == 0, res.output
    assert sparql(home, "ASK { GRAPH ?g { ?a gkg:evidence ?e } }").output.strip() == "false"


def test_syntax_error_is_one_line_with_position(home: Path) -> None:
    res = sparql(home, "SELECT ?x WHERE { ?x ?y }")
    assert res.exit_code == 1
    assert res.output.startswith("error: SPARQL syntax error: error at 1:") and res.output.count("\n") == 1


def test_store_without_sparql_is_refused() -> None:
    with pytest.raises(QueryError, match="has no SPARQL"):
        run_sparql(MemoryStore(), COUNT)


@pytest.mark.parametrize(("text", "verb"), [
    ("select * { ?s ?p ?o }", None),
    ("# INSERT in a comment\nSELECT * { ?s ?p 'DELETE' }", None),
    ("PREFIX ex: <http://example.org/INSERT#>\nASK { ?s ex:p ?o }", None),
    ('SELECT * { ?s ?p """\nDROP ALL\n""" }', None),
    ("PREFIX ex: <http://e/>\n  insert data { ex:a ex:b ex:c }", "INSERT"),
    ("BASE <http://e/> DELETE DATA { <a> <b> <c> }", "DELETE"),
    ("SELECT * {} ; DROP ALL", None),  # a query: the store's query parser rejects the rest
])
def test_update_keyword(text: str, verb: str | None) -> None:
    assert update_keyword(text) == verb


def test_trailing_update_after_a_query_never_runs(home: Path) -> None:
    res = sparql(home, "SELECT * WHERE { ?s ?p ?o } ; DROP ALL")
    assert res.exit_code == 1 and "syntax error" in res.output
    assert "13" in sparql(home, COUNT).output


@pytest.mark.parametrize("text,write", [
    ("SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }", False),
    ("PREFIX x: <http://x/> SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <{url}> { ?s x:p ?v } } }", False),
    ("INSERT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }", True),
    ("LOAD <{url}data.ttl>", True),
])
def test_sparql_never_reaches_the_network(home: Path, text: str, write: bool) -> None:
    """SERVICE and LOAD of a remote IRI are refused before the engine runs: a loopback HTTP
    server standing in for the remote end receives nothing."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        args = ["--home", str(home), "sparql", text.replace("{url}", url)] + (["--write"] if write else [])
        res = CliRunner().invoke(cli, args)
        assert res.exit_code == 1 and ("would reach the network" in res.output or "LOAD fetches" in res.output), res.output
        assert len(res.output.strip().splitlines()) == 1 and "Traceback" not in res.output
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []


def _endpoint(status: int, body: bytes, hits: list[str]) -> Any:
    """A loopback HTTP server standing in for a SPARQL endpoint."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.command)
            self.send_response(status)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.do_GET()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_allow_service_queries_the_endpoint_and_a_failing_one_is_one_line(home: Path) -> None:
    """With --allow-service a federated query reaches the endpoint it names (a loopback one
    here); an endpoint that fails is one line, not a traceback. LOAD stays refused."""
    answer = b'{"head": {"vars": ["v"]}, "results": {"bindings": [{"v": {"type": "literal", "value": "remote-42"}}]}}'
    hits: list[str] = []
    good, bad = _endpoint(200, answer, hits), _endpoint(500, b"boom", hits)
    try:
        url = f"http://127.0.0.1:{good.server_address[1]}/sparql"
        res = CliRunner().invoke(cli, ["--home", str(home), "sparql", "--allow-service",
                                       f"SELECT ?v WHERE {{ SERVICE <{url}> {{ ?s ?p ?v }} }}"])
        assert res.exit_code == 0 and "remote-42" in res.output, res.output
        assert len(hits) == 1
        url = f"http://127.0.0.1:{bad.server_address[1]}/sparql"
        res = CliRunner().invoke(cli, ["--home", str(home), "sparql", "--allow-service",
                                       f"SELECT ?v WHERE {{ SERVICE <{url}> {{ ?s ?p ?v }} }}"])
        assert res.exit_code == 1 and "Traceback" not in res.output, res.output
        lines = res.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: SPARQL evaluation failed"), res.output
        res = CliRunner().invoke(cli, ["--home", str(home), "sparql", "--allow-service", "--write", f"LOAD <{url}>"])
        assert res.exit_code == 1 and "refused: LOAD fetches its IRI" in res.output, res.output
        for load in (f"PREFIX ex: <{url[:-len('sparql')]}> LOAD ex:d.nt", f"BASE <{url[:-len('sparql')]}> LOAD <d.nt>"):
            res = CliRunner().invoke(cli, ["--home", str(home), "sparql", "--write", load])
            assert res.exit_code == 1 and "refused: LOAD" in res.output, res.output
        assert len(hits) == 2
    finally:
        for server in (good, bad):
            server.shutdown()
            server.server_close()


def test_a_missing_query_file_is_one_line(home: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["--home", str(home), "sparql", f"@{tmp_path}/nope.rq"])
    assert res.exit_code == 2 and "Traceback" not in res.output and "cannot read" in res.output, res.output
