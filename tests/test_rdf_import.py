"""`graphkg import`: round trip for every RDF format, all-or-nothing on bad input; `graphkg validate`."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdf_corpus import load
from rdflib.compare import isomorphic

from graphkg.cli import cli
from graphkg.errors import LoaderError
from graphkg.rdf.export import export
from graphkg.rdf.load import guess_format, import_file
from graphkg.stores.memory import MemoryStore
from graphkg.stores.oxigraph import OxigraphStore

EXT = {"turtle": "ttl", "trig": "trig", "nquads": "nq", "ntriples": "nt", "jsonld": "jsonld"}
RDFLIB = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt", "jsonld": "json-ld"}


def write_export(store: object, fmt: str, path: Path) -> Path:
    with path.open("wb") as fh:
        export(store, fmt, fh)  # type: ignore[arg-type]
    return path


def graphs(path: Path, fmt: str) -> dict[str, rdflib.Graph]:
    ds = rdflib.Dataset()
    ds.parse(path, format=RDFLIB[fmt])
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


@pytest.fixture()
def source() -> Iterator[OxigraphStore]:
    s = load(OxigraphStore.open())
    yield s
    s.close()


@pytest.mark.parametrize("fmt", sorted(EXT))
def test_export_import_export_is_isomorphic(source: OxigraphStore, tmp_path: Path, fmt: str) -> None:
    first = write_export(source, fmt, tmp_path / f"first.{EXT[fmt]}")
    target = OxigraphStore.open(home=tmp_path / "target")
    report = import_file(target, first)
    assert (report.format, report.articles, report.assertions) == (fmt, 4, 13)
    second = write_export(target, fmt, tmp_path / f"second.{EXT[fmt]}")
    target.close()
    a, b = graphs(first, fmt), graphs(second, fmt)
    assert sorted(a) == sorted(b)
    for name in a:
        assert isomorphic(a[name], b[name]), name


def test_triples_formats_get_their_article_graphs_back(source: OxigraphStore, tmp_path: Path) -> None:
    """Turtle has no named graphs; import puts each assertion back into its article's graph."""
    ttl = write_export(source, "turtle", tmp_path / "x.ttl")
    target = OxigraphStore.open()
    import_file(target, ttl)
    assert sorted(r.key for r in target.relations()) == sorted(r.key for r in source.relations())
    a2 = [a for a in target.articles() if a.url == "https://example.org/a2"][0]
    assert {r.predicate.value for r in target.relations(article=a2.id)} == {"SANCTIONS", "COOPERATES_WITH", "REPRESENTS"}


def test_import_into_a_store_without_rdf(source: OxigraphStore, tmp_path: Path) -> None:
    nq = write_export(source, "nquads", tmp_path / "x.nq")
    mem = MemoryStore()
    import_file(mem, nq)
    assert sorted(r.key for r in mem.relations()) == sorted(r.key for r in source.relations())
    assert {r.provenance.evidence for r in mem.relations(predicate=None)} == {
        r.provenance.evidence for r in source.relations()}


def _snapshot(store: OxigraphStore) -> set[ox.Quad]:
    return set(store.quads())


BAD = {
    "syntax.ttl": ("@prefix gkg: <https://w3id.org/graphkg/ontology#> .\n"
                   "<https://w3id.org/graphkg/entity/wd/Q1> a gkg:Country .\n"
                   "<https://w3id.org/graphkg/entity/wd/Q1> gkg:entityId .\n",
                   r"syntax\.ttl: line 3: not valid Turtle"),
    "foreign.ttl": ('@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n<http://example.org/a> foaf:name "A" .\n',
                    r"foreign\.ttl: not a graphkg export: it describes <http://example\.org/a>"),
    "shapes.nt": ('<https://w3id.org/graphkg/entity/wd/Q1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
                  '<https://w3id.org/graphkg/ontology#Country> .\n',
                  r"shapes\.nt: does not conform to the graphkg shapes: gke:wd/Q1 — "),
    "empty.nq": ("", r"empty\.nq: not a graphkg export: it holds no entity"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_leaves_the_store_unchanged(source: OxigraphStore, tmp_path: Path, name: str) -> None:
    text, message = BAD[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = _snapshot(source)
    with pytest.raises(LoaderError, match=message):
        import_file(source, path)
    assert _snapshot(source) == before


def test_wrong_format_for_the_extension_is_named(source: OxigraphStore, tmp_path: Path) -> None:
    nq = io.BytesIO()
    export(source, "nquads", nq, ontology=False)
    path = tmp_path / "export.ttl"
    path.write_bytes(nq.getvalue())
    before = _snapshot(source)
    with pytest.raises(LoaderError, match=r"export\.ttl: line \d+: not valid Turtle: .*looks like N-Quads.*--format nquads"):
        import_file(source, path)
    assert _snapshot(source) == before
    import_file(source, path, "nquads")  # the advice works
    assert _snapshot(source) == before  # same data again: nothing new


def test_a_syntax_error_late_in_a_big_file_writes_nothing(source: OxigraphStore, tmp_path: Path) -> None:
    nt = io.BytesIO()
    export(source, "ntriples", nt)
    good = nt.getvalue()
    path = tmp_path / "late.nt"
    path.write_bytes(good + b"<https://w3id.org/graphkg/entity/x> <https://w3id.org/graphkg/ontology#p> \"x .\n")
    target = OxigraphStore.open()
    before = _snapshot(target)
    lines = good.count(b"\n") + 1
    with pytest.raises(LoaderError, match=rf"line {lines}:"):
        import_file(target, path)
    assert _snapshot(target) == before


def test_guess_format() -> None:
    assert guess_format(Path("a.NQ")) == "nquads"
    assert guess_format(Path("a.json")) == "jsonld"
    assert guess_format(Path("a.data"), "trig") == "trig"
    with pytest.raises(LoaderError, match=r"extension '\.csv'.*pass --format"):
        guess_format(Path("a.csv"))
    with pytest.raises(LoaderError, match="did you mean 'turtle'"):
        guess_format(Path("a.ttl"), "turtel")


# -- CLI ------------------------------------------------------------------------------------
def test_import_command_round_trip_and_failure(source: OxigraphStore, tmp_path: Path) -> None:
    trig = write_export(source, "trig", tmp_path / "x.trig")
    home = tmp_path / "home"
    run = CliRunner()
    ok = run.invoke(cli, ["--home", str(home), "import", str(trig)])
    assert ok.exit_code == 0, ok.output
    assert "13 assertion(s)" in ok.output
    bad = tmp_path / "bad.trig"
    bad.write_text("<https://w3id.org/graphkg/article/x> { <a> <b> ", encoding="utf-8")
    res = run.invoke(cli, ["--home", str(home), "import", str(bad)])
    assert res.exit_code == 1
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "bad.trig" in lines[0] and "not valid TriG" in lines[0], res.output
    stats = run.invoke(cli, ["--home", str(home), "stats", "--format", "json"])
    assert '"relations": 13' in stats.output


def test_validate_command(tmp_path: Path) -> None:
    s = load(OxigraphStore.open(home=tmp_path))
    s.close()
    run = CliRunner()
    ok = run.invoke(cli, ["--home", str(tmp_path), "validate"])
    assert ok.exit_code == 0, ok.output
    assert "conforms" in ok.output
    broken = 'INSERT DATA { GRAPH gka:x { gkr:k a gkg:Assertion ; gkg:confidence 2.5 } }'
    assert run.invoke(cli, ["--home", str(tmp_path), "sparql", "--write", broken]).exit_code == 0
    res = run.invoke(cli, ["--home", str(tmp_path), "validate"])
    assert res.exit_code == 1
    assert "violation: gkr:k — gkg:confidence — " in res.output
    assert "violation: gkr:k — rdf:subject — an assertion needs exactly one rdf:subject" in res.output
    assert "the store does not conform" in res.output
