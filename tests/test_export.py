"""RDF exports parse back with rdflib and agree across stores."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import rdflib
from conftest import make_sample
from rdflib.compare import isomorphic

from graphkg.errors import GraphkgError
from graphkg.rdf.export import export
from graphkg.stores.memory import MemoryStore
from graphkg.stores.oxigraph import OxigraphStore

GKG = rdflib.Namespace("https://w3id.org/graphkg/ontology#")
PARSE = {"turtle": "turtle", "ntriples": "nt", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}


def _dump(store, fmt: str, ontology: bool = True) -> bytes:
    buf = io.BytesIO()
    export(store, fmt, buf, ontology=ontology)
    return buf.getvalue()


@pytest.fixture()
def loaded(tmp_path: Path):
    s = OxigraphStore.open(home=tmp_path)
    s.write([make_sample()])
    yield s
    s.close()


@pytest.mark.parametrize("fmt", sorted(PARSE))
def test_every_format_parses_back(loaded, fmt: str) -> None:
    data = _dump(loaded, fmt)
    ds = rdflib.Dataset()
    ds.parse(data=data, format=PARSE[fmt])
    union = rdflib.Graph()
    for t in ds.quads((None, None, None, None)):
        union.add(t[:3])
    assert len(list(union.subjects(rdflib.RDF.type, GKG.Assertion))) == 3
    evidence = set(union.objects(None, GKG.evidence))
    assert evidence == {rdflib.Literal("Paris soutient Rabat.")}
    if fmt in ("trig", "nquads", "jsonld"):
        names = {str(c.identifier) for c in ds.graphs() if str(c.identifier).startswith("https://w3id.org/graphkg/article/")}
        assert len(names) == 1  # one named graph per article


def test_memory_and_oxigraph_exports_are_isomorphic(loaded) -> None:
    mem = MemoryStore()
    mem.write([make_sample()])
    for fmt in ("nquads", "turtle"):
        g1, g2 = rdflib.Dataset(), rdflib.Dataset()
        g1.parse(data=_dump(mem, fmt), format=PARSE[fmt])
        g2.parse(data=_dump(loaded, fmt), format=PARSE[fmt])
        flat1, flat2 = rdflib.Graph(), rdflib.Graph()
        for q in g1.quads((None, None, None, None)):
            flat1.add(q[:3])
        for q in g2.quads((None, None, None, None)):
            flat2.add(q[:3])
        assert isomorphic(flat1, flat2), fmt


def test_no_ontology_option_drops_only_the_ontology(loaded) -> None:
    full = rdflib.Graph().parse(data=_dump(loaded, "ntriples"), format="nt")
    bare = rdflib.Graph().parse(data=_dump(loaded, "ntriples", ontology=False), format="nt")
    assert len(bare) < len(full)
    assert (None, rdflib.RDF.type, rdflib.OWL.ObjectProperty) not in bare
    assert len(list(bare.subjects(rdflib.RDF.type, GKG.Assertion))) == 3


def test_unknown_format_is_a_clear_error(loaded) -> None:
    with pytest.raises(GraphkgError, match="did you mean 'turtle'"):
        export(loaded, "turtl", io.BytesIO())


def test_exports_conform_to_the_shapes(loaded) -> None:
    from graphkg.rdf.shacl import validate_graph

    for fmt in ("trig", "turtle"):
        ds = rdflib.Dataset()
        ds.parse(data=_dump(loaded, fmt), format=PARSE[fmt])
        report = validate_graph(ds)
        assert report.conforms, report.violations[:5]
