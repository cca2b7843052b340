"""Compact JSON-LD with the published graphkg ``@context`` (``ontology/context.jsonld``).

The context is derived from ``ontology/graphkg.ttl`` by :func:`build_context` (a test keeps the
shipped file equal to it). :func:`write_jsonld` streams quads into a compact document: it holds
one subject's properties at a time, so memory does not grow with the store. Quads arrive grouped
by graph and subject from Oxigraph; if a subject or graph shows up again later it is simply
written as a second node object with the same ``@id``, which JSON-LD merges.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import IO, Any

import pyoxigraph as ox

from graphkg.vocab import GKG, data_path
from graphkg.vocab.terms import DCT, OWL, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

__all__ = ["CONTEXT_URL", "build_context", "load_context", "write_jsonld"]

CONTEXT_URL = "https://w3id.org/graphkg/context.jsonld"

# Reused vocabulary the stores write, with the short term researchers see in the JSON.
_REUSED: dict[str, tuple[str, str | None]] = {
    "label": (RDFS + "label", None),
    "comment": (RDFS + "comment", None),
    "altLabel": (SKOS + "altLabel", None),
    "definition": (SKOS + "definition", None),
    "sameAs": (OWL + "sameAs", "@id"),
    "title": (DCT + "title", None),
    "language": (DCT + "language", None),
    "issued": (DCT + "issued", XSD + "date"),
    "publisher": (DCT + "publisher", None),
    "url": (SCHEMA + "url", XSD + "anyURI"),
    "mentions": (SCHEMA + "mentions", "@id"),
    "wasDerivedFrom": (PROV + "wasDerivedFrom", "@id"),
    "subject": (RDF + "subject", "@id"),
    "predicate": (RDF + "predicate", "@id"),
    "object": (RDF + "object", "@id"),
}
_TYPE = RDF + "type"
_STRING = XSD + "string"
_LANG_STRING = RDF + "langString"


def build_context() -> dict[str, Any]:
    """The ``@context`` document for the graphkg vocabulary, generated from the ontology.

    Prefixes for every namespace the exports use, a term per gkg class and property (object
    properties coerced to ``@id``, integer/decimal properties to their datatype) and short terms
    for the reused RDFS/SKOS/Dublin Core/schema.org/PROV properties.
    """
    from rdflib import OWL as ROWL
    from rdflib import RDF as RRDF
    from rdflib import RDFS as RRDFS
    from rdflib import BNode, URIRef

    from graphkg.vocab.load import parse_ontology

    g = parse_ontology(data_path("graphkg.ttl"))
    ctx: dict[str, Any] = dict(sorted(PREFIXES.items()))
    terms: dict[str, Any] = {}
    for cls in sorted(set(g.subjects(RRDF.type, ROWL.Class)), key=str):
        if isinstance(cls, URIRef) and str(cls).startswith(GKG):
            terms[str(cls)[len(GKG):]] = "gkg:" + str(cls)[len(GKG):]
    kinds = (ROWL.ObjectProperty, ROWL.DatatypeProperty, ROWL.AnnotationProperty)
    for prop in sorted({p for k in kinds for p in g.subjects(RRDF.type, k)}, key=str):
        if not (isinstance(prop, URIRef) and str(prop).startswith(GKG)):
            continue
        local = str(prop)[len(GKG):]
        rng = g.value(prop, RRDFS.range)
        if isinstance(rng, BNode):
            rng = g.value(rng, ROWL.onDatatype)  # restricted datatype (confidence in [0, 1])
        coerce: str | None = None
        if (prop, RRDF.type, ROWL.ObjectProperty) in g or str(rng).startswith(GKG) or local == "wikidataProperty":
            coerce = "@id"
        elif rng is not None and str(rng) in (XSD + "integer", XSD + "decimal"):
            coerce = "xsd:" + str(rng)[len(XSD):]
        terms[local] = {"@id": "gkg:" + local, "@type": coerce} if coerce else "gkg:" + local
    for term, (iri, coerce) in _REUSED.items():
        compact = _compact_iri(iri)
        terms[term] = {"@id": compact, "@type": coerce if coerce == "@id" else _compact_iri(coerce)} if coerce else compact
    ctx.update(dict(sorted(terms.items())))
    return {"@context": ctx}


@functools.cache
def load_context() -> dict[str, Any]:
    """The shipped ``ontology/context.jsonld`` (its ``@context`` object)."""
    with data_path("context.jsonld").open(encoding="utf-8") as fh:
        doc: dict[str, Any] = json.load(fh)
    return dict(doc["@context"])


def _compact_iri(iri: str | None) -> str:
    """``prefix:local`` for an IRI in a known namespace, else the IRI itself.

    >>> _compact_iri("https://w3id.org/graphkg/entity/wd/Q1028")
    'gke:wd/Q1028'
    >>> _compact_iri("https://example.org/x")
    'https://example.org/x'
    """
    if iri is None:
        return ""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]):]
        if local and not local.startswith("//"):  # "p://x" would read as an absolute IRI
            return f"{best}:{local}"
    return iri


class _Terms:
    """Reverse view of the context: property IRI -> (term, coercion as a full IRI or ``@id``)."""

    def __init__(self, ctx: dict[str, Any]) -> None:
        self.props: dict[str, tuple[str, str | None]] = {}
        self.classes: dict[str, str] = {}
        for term, value in ctx.items():
            if term in PREFIXES or term.startswith("@"):
                continue
            iri = _expand(value["@id"] if isinstance(value, dict) else value)
            coerce = value.get("@type") if isinstance(value, dict) else None
            self.props[iri] = (term, coerce if coerce is None or coerce == "@id" else _expand(str(coerce)))
            if term[:1].isupper():
                self.classes[iri] = term


def _expand(compact: str) -> str:
    prefix, _, local = compact.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and not local.startswith("//") else compact


def _node_id(term: Any) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else _compact_iri(term.value)


def _value(obj: Any, coerce: str | None) -> Any:
    """JSON-LD value for an object term under the property's coercion (exact round trip)."""
    if not isinstance(obj, ox.Literal):
        ref = _node_id(obj)
        return ref if coerce == "@id" else {"@id": ref}
    if obj.language:
        return {"@value": obj.value, "@language": obj.language}
    dt = obj.datatype.value
    if dt == coerce:
        return obj.value
    if dt == _STRING:
        return obj.value if coerce is None else {"@value": obj.value}
    return {"@value": obj.value, "@type": _compact_iri(dt)}


def _node(subject: Any, pairs: list[tuple[Any, Any]], terms: _Terms) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": _node_id(subject)}
    types = [terms.classes.get(o.value, _compact_iri(o.value)) for p, o in pairs
             if p.value == _TYPE and isinstance(o, ox.NamedNode)]
    if types:
        node["@type"] = types[0] if len(types) == 1 else types
    for p, o in pairs:
        if p.value == _TYPE and isinstance(o, ox.NamedNode):
            continue
        key, coerce = terms.props.get(p.value, (_compact_iri(p.value), None))
        value = _value(o, coerce)
        if key in node:
            old = node[key]
            node[key] = [*old, value] if isinstance(old, list) else [old, value]
        else:
            node[key] = value
    return node


def write_jsonld(quads: Iterable[Any], output: IO[bytes], context: dict[str, Any] | None = None) -> None:
    """Write quads (or triples) as compact JSON-LD with the graphkg context embedded.

    The context is embedded (not referenced by URL) so the file reads offline; it is exactly
    the object published as ``ontology/context.jsonld`` (:data:`CONTEXT_URL`).
    """
    ctx = context or load_context()
    terms = _Terms(ctx)
    out = output.write
    out(b'{\n"@context": ' + json.dumps(ctx, ensure_ascii=False).encode() + b',\n"@graph": [')
    first_top = True
    graph: Any = None  # current graph name; None = default graph, "" = nothing open yet
    open_graph = False
    first_in_graph = True
    subject: Any = None
    pairs: list[tuple[Any, Any]] = []

    def flush() -> None:
        nonlocal first_top, first_in_graph
        if subject is None:
            return
        text = json.dumps(_node(subject, pairs, terms), ensure_ascii=False).encode()
        if open_graph:
            out((b"\n  " if first_in_graph else b",\n  ") + text)
            first_in_graph = False
        else:
            out((b"\n" if first_top else b",\n") + text)
            first_top = False

    for q in quads:
        g = getattr(q, "graph_name", None)
        g = None if g is None or isinstance(g, ox.DefaultGraph) else g
        if q.subject != subject or g != graph:
            flush()
            subject, pairs = q.subject, []
            if g != graph:
                if open_graph:
                    out(b"\n]}")
                    open_graph = False
                if g is not None:
                    head = json.dumps({"@id": _node_id(g)})[:-1].encode() + b', "@graph": ['
                    out((b"\n" if first_top else b",\n") + head)
                    first_top, open_graph, first_in_graph = False, True, True
                graph = g
        pairs.append((q.predicate, q.object))
    flush()
    if open_graph:
        out(b"\n]}")
    out(b"\n]\n}\n")
