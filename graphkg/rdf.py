"""Mapping between the model and RDF quads (DESIGN.md, "Identity and provenance").

Default graph: entities (typed, labelled, ``owl:sameAs`` Wikidata) and articles (metadata,
``schema:mentions``). One named graph per article (graph name = article IRI) holding the
asserted triples and one ``gkg:Assertion`` per relation with its evidence and provenance.
Every store that speaks RDF writes exactly these quads, so exports agree across stores.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date

import pyoxigraph as ox

from graphkg.model import Article, Entity, Relation, article_iri, assertion_iri, entity_iri
from graphkg.ontology import GKG, Predicate

__all__ = [
    "NS",
    "PREFIXES",
    "entity_quads",
    "article_quads",
    "relation_quads",
    "article_graph",
    "date_literal",
    "decimal_text",
]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"  # as in ontology/graphkg.ttl and shapes.ttl (closed ArticleShape)
WD = "http://www.wikidata.org/entity/"

PREFIXES = {
    "gkg": GKG,
    "gke": "https://w3id.org/graphkg/entity/",
    "gka": "https://w3id.org/graphkg/article/",
    "gkr": "https://w3id.org/graphkg/assertion/",
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCT,
    "schema": SCHEMA,
    "wd": WD,
}
NS = PREFIXES

_TYPE = ox.NamedNode(RDF + "type")
_STR = ox.NamedNode(XSD + "string")
_DG = ox.DefaultGraph()


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _s(value: str) -> ox.Literal:
    return ox.Literal(value)


def date_literal(value: str | date) -> ox.Literal:
    """Typed literal for a full or partial date.

    >>> date_literal("2007").datatype.value.endswith("gYear")
    True
    >>> date_literal("2024-10").datatype.value.endswith("gYearMonth")
    True
    """
    text = value.isoformat() if isinstance(value, date) else value
    kind = {4: "gYear", 7: "gYearMonth"}.get(len(text), "date")
    return ox.Literal(text, datatype=_n(XSD + kind))


def decimal_text(value: float) -> str:
    """Canonical xsd:decimal lexical form (what Oxigraph stores), 3 decimals at most.

    >>> decimal_text(0.8), decimal_text(1), decimal_text(0.8567)
    ('0.8', '1.0', '0.857')
    """
    text = f"{value:.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def entity_quads(e: Entity) -> Iterator[ox.Quad]:
    """Default-graph description of an entity."""
    node = _n(entity_iri(e.id))
    yield ox.Quad(node, _TYPE, _n(GKG + e.type.value), _DG)
    yield ox.Quad(node, _n(GKG + "entityId"), _s(e.id), _DG)
    yield ox.Quad(node, _n(RDFS + "label"), ox.Literal(e.label, language="en"), _DG)
    for alias in sorted(set(e.aliases) - {e.label}):
        yield ox.Quad(node, _n(SKOS + "altLabel"), _s(alias), _DG)
    if e.qid:
        yield ox.Quad(node, _n(OWL + "sameAs"), _n(WD + e.qid), _DG)


def article_quads(a: Article, mentions: Iterable[Entity] = ()) -> Iterator[ox.Quad]:
    """Default-graph description of an article (its text is not stored)."""
    node = _n(article_iri(a.id))
    yield ox.Quad(node, _TYPE, _n(GKG + "Article"), _DG)
    yield ox.Quad(node, _n(GKG + "articleId"), _s(a.id), _DG)
    if a.title:
        yield ox.Quad(node, _n(DCT + "title"), _s(a.title), _DG)
    if a.lang:
        yield ox.Quad(node, _n(DCT + "language"), _s(a.lang), _DG)
    if a.published:
        yield ox.Quad(node, _n(DCT + "issued"), date_literal(a.published), _DG)
    if a.url:
        yield ox.Quad(node, _n(SCHEMA + "url"), ox.Literal(a.url, datatype=_n(XSD + "anyURI")), _DG)
    if a.publisher:
        yield ox.Quad(node, _n(DCT + "publisher"), _s(a.publisher), _DG)
    if a.source:
        yield ox.Quad(node, _n(GKG + "source"), _s(a.source), _DG)
    for e in mentions:
        yield ox.Quad(node, _n(SCHEMA + "mentions"), _n(entity_iri(e.id)), _DG)


def article_graph(article_id: str) -> ox.NamedNode:
    return _n(article_iri(article_id))


def relation_quads(r: Relation) -> Iterator[ox.Quad]:
    """Asserted triple plus its ``gkg:Assertion`` node, in the article's named graph."""
    g = article_graph(r.provenance.article_id)
    s, o, p = _n(entity_iri(r.subject.id)), _n(entity_iri(r.object.id)), _n(r.predicate.iri)
    a = _n(assertion_iri(r.key))
    pv = r.provenance
    yield ox.Quad(s, p, o, g)
    yield ox.Quad(a, _TYPE, _n(GKG + "Assertion"), g)
    yield ox.Quad(a, _n(RDF + "subject"), s, g)
    yield ox.Quad(a, _n(RDF + "predicate"), p, g)
    yield ox.Quad(a, _n(RDF + "object"), o, g)
    yield ox.Quad(a, _n(GKG + "relationKey"), _s(r.key), g)
    yield ox.Quad(a, _n(GKG + "evidence"), _s(pv.evidence), g)
    yield ox.Quad(a, _n(GKG + "evidenceStart"), ox.Literal(str(pv.start), datatype=_n(XSD + "integer")), g)
    yield ox.Quad(a, _n(GKG + "evidenceEnd"), ox.Literal(str(pv.end), datatype=_n(XSD + "integer")), g)
    yield ox.Quad(a, _n(GKG + "confidence"), ox.Literal(decimal_text(pv.confidence), datatype=_n(XSD + "decimal")), g)
    yield ox.Quad(a, _n(GKG + "extractor"), _s(pv.extractor), g)
    yield ox.Quad(a, _n(PROV + "wasDerivedFrom"), _n(article_iri(pv.article_id)), g)
    if r.date:
        yield ox.Quad(a, _n(GKG + "date"), date_literal(r.date), g)
    for key, value in r.properties:
        if key in ("role", "aspect"):
            yield ox.Quad(a, _n(GKG + key), _s(value), g)


def predicate_from_iri(iri: str) -> Predicate:
    """Inverse of :attr:`Predicate.iri`."""
    local = iri.removeprefix(GKG)
    for p in Predicate:
        if p.rdf_name == local:
            return p
    raise KeyError(iri)


def all_quads(items: Sequence[tuple[Article, Sequence[Relation], Sequence[Entity]]]) -> Iterator[ox.Quad]:
    """Every quad for a batch of (article, relations, mentioned entities)."""
    for article, relations, mentions in items:
        for e in mentions:
            yield from entity_quads(e)
        yield from article_quads(article, mentions)
        for r in relations:
            yield from relation_quads(r)
