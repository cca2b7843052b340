"""Exports beyond RDF basics: compact JSON-LD with our context, GraphML, GEXF, CSV, SHACL conformance,
streaming, and the generated ontology reference page."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdf_corpus import load

from graphkg.cli import cli
from graphkg.errors import GraphkgError
from graphkg.rdf.export import export, store_quads
from graphkg.analytics.export import CSV_COLUMNS, write_graph
from graphkg.rdf.jsonld import build_context, load_context, write_jsonld
from graphkg.vocab import Predicate
from graphkg.vocab.doc import render_ontology_doc
from graphkg.rdf.load import to_rdflib
from graphkg.rdf.shacl import validate_graph
from graphkg.stores.memory import MemoryStore
from graphkg.stores.oxigraph import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
OX = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
      "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    s = load(OxigraphStore.open())
    yield s
    s.close()


def dump(store: Any, fmt: str, **kw: Any) -> bytes:
    buf = io.BytesIO()
    export(store, fmt, buf, **kw)
    return buf.getvalue()


# -- JSON-LD ----------------------------------------------------------------------------------
def test_shipped_context_is_generated_from_the_ontology() -> None:
    shipped = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    assert shipped == build_context(), "regenerate ontology/context.jsonld from graphkg.rdf.jsonld.build_context()"
    ctx = shipped["@context"]
    for p in Predicate:
        assert ctx[p.rdf_name] == {"@id": f"gkg:{p.rdf_name}", "@type": "@id"}
    assert ctx["confidence"] == {"@id": "gkg:confidence", "@type": "xsd:decimal"}
    assert ctx["Country"] == "gkg:Country"


def test_jsonld_is_compact_with_the_published_context(store: OxigraphStore) -> None:
    doc = json.loads(dump(store, "jsonld"))
    assert doc["@context"] == load_context()
    graphs = [n for n in doc["@graph"] if "@graph" in n]
    assert len(graphs) == 4 and all(g["@id"].startswith("gka:") for g in graphs)
    assertions = [n for g in graphs for n in g["@graph"] if n.get("@type") == "Assertion"]
    assert len(assertions) == 13
    low = next(a for a in assertions if a["confidence"] == "0.4")
    assert low["evidence"] == "La France aiderait le Maroc."
    assert low["predicate"] == "gkg:aids" and low["subject"] == "gke:wd/Q142"
    morocco = next(n for n in doc["@graph"] if n.get("@id") == "gke:wd/Q1028")
    assert morocco["@type"] == "Country" and morocco["sameAs"] == "wd:Q1028"


def test_jsonld_holds_exactly_the_quads_of_the_nquads_export(store: OxigraphStore) -> None:
    from_jsonld = set(ox.parse(dump(store, "jsonld"), format=ox.RdfFormat.JSON_LD))
    from_nquads = set(ox.parse(dump(store, "nquads"), format=ox.RdfFormat.N_QUADS))
    assert from_jsonld == from_nquads


def test_jsonld_writer_streams(store: OxigraphStore) -> None:
    """Nodes are written while quads are still being read: nothing collects the whole store."""
    total = sum(1 for _ in store_quads(store))
    consumed = 0
    seen_at_write: list[int] = []

    def quads() -> Iterator[ox.Quad]:
        nonlocal consumed
        for q in store_quads(store):
            consumed += 1
            yield q

    class Sink(io.BytesIO):
        def write(self, b: Any) -> int:
            seen_at_write.append(consumed)
            return super().write(b)

    write_jsonld(quads(), Sink())
    assert consumed == total
    assert sum(1 for n in seen_at_write if n < total // 2) > 10


# -- GraphML / GEXF / CSV -------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_formats_carry_entities_and_relations(store: OxigraphStore, fmt: str) -> None:
    data = dump(store, fmt)
    g = nx.read_graphml(io.BytesIO(data)) if fmt == "graphml" else nx.read_gexf(io.BytesIO(data))
    assert g.number_of_nodes() == 9 and g.number_of_edges() == 13
    ma = g.nodes["wd:Q1028"]
    assert (ma["type"], ma["label"], ma["qid"]) == ("Country", "Morocco", "Q1028")
    edges = [d for _, _, d in g.edges(data=True) if d["predicate"] == "SANCTIONS"]
    assert len(edges) == 1
    e = edges[0]
    assert e["evidence"] == "Algeria recalled its ambassador to Madrid."
    assert float(e["confidence"]) == 0.75 and e["date"] == "2025-02"
    assert e["article_url"] == "https://example.org/a2" and e["polarity"] == "conflictual"
    assert len(e["article_id"]) == 16


def test_csv_has_one_row_per_relation_with_provenance(store: OxigraphStore) -> None:
    rows = list(csv.DictReader(io.StringIO(dump(store, "csv").decode("utf-8"))))
    assert len(rows) == 13
    assert tuple(rows[0]) == CSV_COLUMNS
    rep = [r for r in rows if r["predicate"] == "REPRESENTS"]
    assert {(r["subject_label"], r["object_id"], r["role"]) for r in rep} == {
        ("Nasser Bourita", "wd:Q1028", "ministre des Affaires étrangères"),
        ("José Manuel Albares", "wd:Q29", "minister of foreign affairs")}
    coop = next(r for r in rows if r["predicate"] == "COOPERATES_WITH")
    assert (coop["aspect"], coop["published"], coop["language"], coop["publisher"]) == (
        "migration", "2025-02-03", "en", "Example News")


def test_csv_streams_relations() -> None:
    """CSV rows are written as relations arrive (the store's iterator is never collected)."""
    base = load(MemoryStore())
    progress: list[int] = []
    pulled = 0

    class Counting(MemoryStore):
        def relations(self, *a: Any, **kw: Any) -> Iterator[Any]:
            nonlocal pulled
            for r in base.relations(*a, **kw):
                pulled += 1
                yield r

    class Sink(io.BytesIO):
        def write(self, b: Any) -> int:
            progress.append(pulled)
            return super().write(b)

    assert write_graph(Counting(), "csv", Sink()) == 13
    assert progress[:3] == [0, 1, 2]  # header, then one row per relation pulled


def test_unknown_format_names_the_new_ones(store: OxigraphStore) -> None:
    with pytest.raises(GraphkgError, match="'gexf'"):
        export(store, "gefx", io.BytesIO())


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv", "jsonld"])
def test_export_command_writes_new_formats(tmp_path: Path, fmt: str) -> None:
    s = OxigraphStore.open(home=tmp_path)
    load(s)
    s.close()
    out = tmp_path / f"out.{fmt}"
    res = CliRunner().invoke(cli, ["--home", str(tmp_path), "export", "--format", fmt, "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 1000


# -- SHACL conformance of every export -------------------------------------------------------
@pytest.mark.parametrize("fmt", sorted(OX))
@pytest.mark.parametrize("kind", ["oxigraph", "memory"])
def test_every_rdf_export_conforms_to_the_shapes(store: OxigraphStore, fmt: str, kind: str) -> None:
    source = store if kind == "oxigraph" else load(MemoryStore())
    report = validate_graph(to_rdflib(ox.parse(dump(source, fmt), format=OX[fmt])))
    assert report.conforms, report.violations


def test_a_broken_export_does_not_conform(store: OxigraphStore) -> None:
    data = dump(store, "nquads").replace(b'"0.4"^^<http://www.w3.org/2001/XMLSchema#decimal>',
                                          b'"1.4"^^<http://www.w3.org/2001/XMLSchema#decimal>')
    report = validate_graph(to_rdflib(ox.parse(data, format=ox.RdfFormat.N_QUADS)))
    assert not report.conforms
    assert any("gkg:confidence" in v for v in report.violations)


# -- ontology reference page -----------------------------------------------------------------
def test_shipped_ontology_page_is_up_to_date() -> None:
    shipped = (ROOT / "docs" / "ontology.md").read_text(encoding="utf-8")
    assert shipped == render_ontology_doc("md"), "regenerate: graphkg ontology doc -o docs/ontology.md"


def test_ontology_page_documents_every_term() -> None:
    from rdflib import OWL, RDF, URIRef

    from graphkg.vocab.load import parse_ontology
    from graphkg.vocab import GKG, data_path

    page = render_ontology_doc("md")
    g = parse_ontology(data_path("graphkg.ttl"))
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {s for k in kinds for s in g.subjects(RDF.type, k) if isinstance(s, URIRef) and str(s).startswith(GKG)}
    assert len(terms) > 30
    for t in terms:
        assert f"— `gkg:{str(t)[len(GKG):]}`" in page, t
    assert "| `SANCTIONS` | `gkg:sanctions` | sanctions | sanctionne |" in page
    assert "| SANCTION | 16 | conflictual | no |" in page
    assert "symmetric**: yes (owl:SymmetricProperty)" in page  # meets, cooperatesWith
    assert "s'oppose à" in page and "wdt:P463" in page


def test_ontology_doc_command_writes_html(tmp_path: Path) -> None:
    out = tmp_path / "ontology.html"
    res = CliRunner().invoke(cli, ["ontology", "doc", "-o", str(out)])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<code>gkg:supports</code>" in page
    assert "s&#x27;oppose" not in page and "s'oppose à" in page  # text escaped for HTML, quotes kept readable
    assert "<script" not in page
    md = CliRunner().invoke(cli, ["ontology", "doc", "--format", "md"])
    assert md.exit_code == 0 and md.output.startswith("# graphkg ontology reference")
