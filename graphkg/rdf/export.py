"""Exports from any store, streamed: RDF quads are produced and serialised one by one.

RDF formats (``turtle``, ``trig``, ``nquads``, ``ntriples``, ``jsonld``) go through
:func:`store_quads`; graph and table formats (``graphml``, ``gexf``, ``csv``) through
:mod:`graphkg.analytics.export`. JSON-LD is compact, with the published graphkg ``@context``
(:mod:`graphkg.rdf.jsonld`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import pyoxigraph as ox

from graphkg.errors import GraphkgError, suggest
from graphkg.vocab import data_path
from graphkg.rdf.quads import article_quads, entity_quads, relation_quads
from graphkg.vocab.terms import PREFIXES
from graphkg.plugins import Capability, Store, facet

__all__ = ["FORMATS", "RDF_FORMATS", "ALL_FORMATS", "EXTENSIONS", "export", "store_quads", "is_ontology_quad"]

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
RDF_FORMATS = tuple(FORMATS)
ALL_FORMATS = (*RDF_FORMATS, "graphml", "gexf", "csv")
# File extension of each format (first one is the one we write).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "turtle": (".ttl",), "trig": (".trig",), "nquads": (".nq",), "ntriples": (".nt",),
    "jsonld": (".jsonld", ".json"), "graphml": (".graphml",), "gexf": (".gexf",), "csv": (".csv",),
}
_DATASET = {"trig", "nquads", "jsonld"}


def store_quads(store: Store, *, ontology: bool = True) -> Iterator[ox.Quad]:
    """All quads of a store: its own quads when it speaks RDF, else generated from the model."""
    rdf = facet(store, Capability.RDF)
    if rdf is not None:
        for q in rdf.quads():
            if ontology or not is_ontology_quad(q):
                yield q
        return
    # Non-RDF stores are in memory already: go through an in-memory Oxigraph so literals get
    # the same canonical forms as the embedded store (exports then agree byte for byte).
    tmp = ox.Store()
    if ontology:
        tmp.load(path=str(data_path("graphkg.ttl")), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    tmp.extend(q for e in store.entities() for q in entity_quads(e))
    tmp.extend(q for a in store.articles() for q in article_quads(a, store.mentions(a.id)))
    tmp.extend(q for r in store.relations() for q in relation_quads(r))
    yield from tmp.quads_for_pattern(None, None, None, None)


_ONT_PREFIX = "https://w3id.org/graphkg/ontology"


def is_ontology_quad(q: ox.Quad) -> bool:
    """True for the ontology's own quads (default graph, ontology IRIs or blank nodes)."""
    if not isinstance(q.graph_name, ox.DefaultGraph):
        return False
    if isinstance(q.subject, ox.BlankNode):  # owl:unionOf lists; instance data has no blank nodes
        return True
    return isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(_ONT_PREFIX)


_is_ontology = is_ontology_quad  # backwards-compatible name


def export(store: Store, fmt: str, output: IO[bytes], *, ontology: bool = True) -> None:
    """Serialise the store to ``output`` in ``fmt`` (one of :data:`ALL_FORMATS`).

    Turtle and N-Triples have no named graphs: the article graphs are merged, and each
    assertion still names its article through ``prov:wasDerivedFrom`` (``graphkg import``
    puts them back into their article's graph). GraphML, GEXF and CSV hold entities and
    relations with their provenance, not the ontology (``ontology`` is ignored).

    Raises:
        GraphkgError: unknown format.
    """
    if fmt not in ALL_FORMATS:
        raise GraphkgError(f"unknown export format {fmt!r}; {suggest(fmt, ALL_FORMATS)}")
    if fmt not in FORMATS:
        from graphkg.analytics.export import write_graph

        write_graph(store, fmt, output)
        return
    quads: Iterator[Any] = store_quads(store, ontology=ontology)
    if fmt == "jsonld":
        from graphkg.rdf.jsonld import write_jsonld

        write_jsonld(quads, output)
        return
    if fmt not in _DATASET:
        quads = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    prefixes = dict(PREFIXES) if fmt in ("turtle", "trig") else None
    ox.serialize(quads, output, FORMATS[fmt], prefixes=prefixes)
