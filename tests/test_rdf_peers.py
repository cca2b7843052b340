"""Our RDF exports read by real peers: Raptor's rapper, Apache Jena's riot, pyld, and Virtuoso.

The tools are installed by scripts/system-deps.sh (Debian raptor2-utils, virtuoso-opensource)
and Maven (Jena 5.6.0 from Maven Central, tests/data/rdf/jena/pom.xml, cached in ~/.m2). These
tests run in CI: a missing tool is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdf_corpus import load
from rdflib.compare import isomorphic
from test_sparql_cookbook import cookbook

from graphkg.rdf.export import export
from graphkg.rdf.sparql import run_sparql
from graphkg.stores.oxigraph import OxigraphStore

pytestmark = pytest.mark.rdfpeers

HERE = Path(__file__).resolve().parent
JENA_POM = HERE / "data" / "rdf" / "jena" / "pom.xml"
EXT = {"turtle": "ttl", "trig": "trig", "nquads": "nq", "ntriples": "nt", "jsonld": "jsonld"}
RAPTOR = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "ntriples"}


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every RDF export of the inline corpus, written to files once."""
    out = tmp_path_factory.mktemp("exports")
    store = load(OxigraphStore.open())
    files = {}
    for fmt, ext in EXT.items():
        path = out / f"export.{ext}"
        with path.open("wb") as fh:
            export(store, fmt, fh)
        files[fmt] = path
    store.close()
    return files


def _count(path: Path) -> int:
    """Statements in a file, counted by Oxigraph (the reference the peers must agree with).

    Not deduplicated: in Turtle and N-Triples a triple asserted by two articles is written once
    per article graph it comes from (the export streams and keeps no set of seen triples).
    """
    import pyoxigraph as ox

    fmt = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS,
           "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[path.suffix[1:]]
    return sum(1 for _ in ox.parse(path=str(path), format=fmt))


# -- Raptor -------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", sorted(RAPTOR))
def test_rapper_validates(exports: dict[str, Path], fmt: str) -> None:
    rapper = shutil.which("rapper")
    assert rapper, "rapper is missing: run scripts/system-deps.sh (Debian raptor2-utils)"
    proc = subprocess.run([rapper, "-i", RAPTOR[fmt], "-c", str(exports[fmt])],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "error" not in proc.stderr.lower(), proc.stderr
    found = re.search(r"returned (\d+) (?:triples|statements)", proc.stderr)
    assert found, proc.stderr
    assert int(found.group(1)) == _count(exports[fmt])


def test_rapper_rejects_a_broken_file(tmp_path: Path) -> None:
    """The peer is not a rubber stamp."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://w3id.org/graphkg/entity/x> <https://w3id.org/graphkg/ontology#p> .\n")
    proc = subprocess.run(["rapper", "-i", "turtle", "-c", str(bad)], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0


# -- Apache Jena riot -----------------------------------------------------------------------
@pytest.fixture(scope="session")
def jena_classpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Jena 5.6.0's jars from Maven Central (resolved once; ~/.m2 caches them)."""
    mvn = shutil.which("mvn")
    assert mvn and shutil.which("java"), "Maven and a JDK are needed for Jena riot"
    cp_file = tmp_path_factory.mktemp("jena") / "classpath.txt"
    proc = subprocess.run([mvn, "-q", "-B", "-f", str(JENA_POM), "dependency:build-classpath",
                           f"-Dmdep.outputFile={cp_file}"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return cp_file.read_text().strip()


def _riot(classpath: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["java", "-cp", classpath, "riotcmd.riot", *args],
                          capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def riot_runs(jena_classpath: str, exports: dict[str, Path]) -> tuple[Any, Any]:
    """``riot --validate --strict`` and ``riot --count`` over every export (two JVM starts, not ten)."""
    files = [str(exports[f]) for f in sorted(EXT)]
    return _riot(jena_classpath, "--validate", "--strict", *files), _riot(jena_classpath, "--count", *files)


@pytest.mark.parametrize("fmt", sorted(EXT))
def test_jena_riot_validates_and_counts(riot_runs: tuple[Any, Any], exports: dict[str, Path], fmt: str) -> None:
    validated, counted = riot_runs
    assert validated.returncode == 0, validated.stdout + validated.stderr
    log = validated.stdout + validated.stderr
    assert not re.search(r"\b(ERROR|WARN)\b", log), log
    assert counted.returncode == 0, counted.stdout + counted.stderr
    path = exports[fmt]
    line = next((ln for ln in (counted.stdout + counted.stderr).splitlines() if ln.startswith(str(path) + " ")), "")
    numbers = [int(n) for n in re.findall(r"(?:Triples|Quads) = (\d+)", line)]
    assert numbers and sum(numbers) == _count(path), counted.stdout + counted.stderr


def test_jena_riot_rejects_a_broken_file(jena_classpath: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.nq"
    bad.write_text('<https://w3id.org/graphkg/entity/x> "literal subject" <x:o> .\n')
    assert _riot(jena_classpath, "--validate", str(bad)).returncode != 0


# -- pyld -----------------------------------------------------------------------------------
def _union(data: str | bytes, fmt: str) -> rdflib.Graph:
    ds = rdflib.Dataset()
    ds.parse(data=data, format=fmt)
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def test_pyld_expansion_equals_the_turtle_graph(exports: dict[str, Path]) -> None:
    from pyld import jsonld

    doc = json.loads(exports["jsonld"].read_text(encoding="utf-8"))
    expanded = jsonld.expand(doc)
    assert any("https://w3id.org/graphkg/ontology#evidence" in node for g in expanded
               for node in g.get("@graph", []))  # the context really expands our terms
    nquads = jsonld.to_rdf(expanded, {"format": "application/n-quads"})
    from_jsonld = _union(nquads, "nquads")
    from_turtle = _union(exports["turtle"].read_bytes(), "turtle")
    assert len(from_jsonld) == len(from_turtle)
    assert isomorphic(from_jsonld, from_turtle)


def test_pyld_keeps_the_named_graphs(exports: dict[str, Path]) -> None:
    from pyld import jsonld

    def names(ds: rdflib.Dataset) -> dict[str, int]:
        return {str(c.identifier): len(c) for c in ds.graphs()
                if str(c.identifier).startswith("https://w3id.org/graphkg/article/")}

    doc = json.loads(exports["jsonld"].read_text(encoding="utf-8"))
    got = rdflib.Dataset()
    got.parse(data=jsonld.to_rdf(doc, {"format": "application/n-quads"}), format="nquads")
    ref = rdflib.Dataset()
    ref.parse(exports["nquads"], format="nquads")
    assert len(names(ref)) == 4
    assert names(got) == names(ref)


# -- Virtuoso -------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _virtuoso_ini(src: str, home: Path, sql_port: int, http_port: int) -> str:
    """The packaged virtuoso.ini with the database in ``home`` and both ports on 127.0.0.1 only."""
    out, section = [], ""
    for line in src.splitlines():
        head = re.match(r"\s*\[([^\]]+)\]", line)
        section = head.group(1) if head else section
        kv = re.match(r"(\s*)([A-Za-z_]+)(\s*=\s*)(.*)$", line)
        if kv and not line.lstrip().startswith(";"):
            key, value = kv.group(2), kv.group(4)
            if section in ("Database", "TempDatabase") and key.endswith(("File", "file")):
                value = str(home / Path(value.split(";")[0].strip()).name)
            elif key == "ServerPort" and section in ("Parameters", "HTTPServer"):
                value = f"127.0.0.1:{sql_port if section == 'Parameters' else http_port}"
            elif section == "Parameters" and key == "DirsAllowed":
                value = f"., {home}, /usr/share/virtuoso-opensource-7/vad"
            line = f"{kv.group(1)}{key}{kv.group(3)}{value}"
        out.append(line)
    return "\n".join(out) + "\n"


def _isql(sql_port: int, sql: str) -> str:
    proc = subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={sql}"],
                          capture_output=True, text=True, timeout=120)
    if proc.returncode != 0 or "*** Error" in proc.stdout + proc.stderr:
        raise RuntimeError(proc.stdout + proc.stderr)
    return proc.stdout


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory, exports: dict[str, Path]) -> Iterator[str]:
    """A throwaway Virtuoso (127.0.0.1, free ports, temporary database) loaded with the N-Quads export.

    Yields the SPARQL endpoint URL; the server is stopped by PID afterwards, also on failure.
    """
    server = shutil.which("virtuoso-t")
    assert server and shutil.which("isql-vt"), "run scripts/system-deps.sh (Debian virtuoso-opensource)"
    home = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = _free_port(), _free_port()
    ini = Path("/etc/virtuoso-opensource-7/virtuoso.ini").read_text(encoding="utf-8")
    (home / "virtuoso.ini").write_text(_virtuoso_ini(ini, home, sql_port, http_port), encoding="utf-8")
    shutil.copy(exports["nquads"], home / "export.nq")
    log = (home / "server.log").open("wb")
    proc = subprocess.Popen([server, "+foreground", "+configfile", str(home / "virtuoso.ini")],
                            cwd=home, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (home / "server.log").read_text(errors="replace")[-2000:]
            try:
                _isql(sql_port, "select 1;")
                break
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        _isql(sql_port, f"ld_dir('{home}', 'export.nq', 'urn:graphkg:default'); rdf_loader_run(); checkpoint;")
        state = _isql(sql_port, "select ll_state, ll_error from DB.DBA.load_list;")
        assert "NULL" in state, state  # ll_error is NULL when the file loaded
        yield f"http://127.0.0.1:{http_port}/sparql"
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


def _virtuoso_select(endpoint: str, query: str) -> Any:
    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


def _embedded(query: str) -> Any:
    store = load(OxigraphStore.open())
    try:
        result = run_sparql(store, query)
        if result.kind == "boolean":
            return result.value
        names = [v.value for v in result.value.variables]
        return [[("" if row[v] is None else str(row[v].value)) for v in names] for row in result.value]
    finally:
        store.close()


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 7, 11, 12])
def test_virtuoso_answers_the_cookbook_like_the_embedded_store(virtuoso: str, n: int) -> None:
    query = cookbook()[n]
    remote = _virtuoso_select(virtuoso, query)
    names = remote["head"]["vars"]
    got = [[b.get(v, {}).get("value", "") for v in names] for b in remote["results"]["bindings"]]
    expected = _embedded(query)
    assert expected, "the recipe must have an answer to compare"
    assert got == expected


def test_virtuoso_ask(virtuoso: str) -> None:
    assert _virtuoso_select(virtuoso, cookbook()[13])["boolean"] is True
    assert _embedded(cookbook()[13]) is True


def test_virtuoso_holds_every_quad_of_the_export(virtuoso: str, exports: dict[str, Path]) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS(STR(?g), 'https://w3id.org/graphkg/article/')) }"
    remote = int(_virtuoso_select(virtuoso, q)["results"]["bindings"][0]["n"]["value"])
    ref = rdflib.Dataset()
    ref.parse(exports["nquads"], format="nquads")
    local = sum(len(c) for c in ref.graphs() if str(c.identifier).startswith("https://w3id.org/graphkg/article/"))
    assert remote == local > 0

