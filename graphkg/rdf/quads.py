"""Mapping between the model and RDF quads (DESIGN.md, "Identity and provenance").

Default graph: entities (typed, labelled, ``owl:sameAs`` Wikidata) and articles (metadata,
``schema:mentions``). One named graph per article (graph name = article IRI) holding the
asserted triples and one ``gkg:Assertion`` per relation with its evidence and provenance.
Every store that speaks RDF writes exactly these quads, so exports agree across stores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

import pyoxigraph as ox

from graphkg.model import Article, Entity, Relation, article_iri, assertion_iri, entity_iri
from graphkg.vocab import Predicate
from graphkg.vocab.terms import DCT, GKG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, WD, XSD, decimal_text, gkg

__all__ = [
    "entity_quads",
    "article_quads",
    "relation_quads",
    "article_graph",
    "date_literal",
    "decimal_text",
    "RELATION_PROPERTIES",
    "property_literal",
    "entity_nquads",
    "article_nquads",
    "relation_nquads",
    "alias_nquads",
]


_DG = ox.DefaultGraph()
_NQ = ox.RdfFormat.N_QUADS

# The mapping is written once, as N-Quads lines: the store loads them in one parse and one
# transaction (~10x cheaper than building a pyoxigraph object per quad), and the *_quads
# functions parse the same lines for callers that want objects.
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _iri(iri: str) -> str:
    """``<iri>``; an IRI N-Quads cannot carry raises like :class:`pyoxigraph.NamedNode` does."""
    if _BAD_IRI.search(iri):
        ox.NamedNode(iri)  # raises ValueError naming the IRI
        raise ValueError(f"IRI {iri!r} cannot be written in N-Quads")
    return f"<{iri}>"


def _lit(value: str, suffix: str = "") -> str:
    """A literal: ``suffix`` is ``''``, ``'@lang'`` or ``'^^<datatype>'``."""
    if '"' in value or "\\" in value or "\n" in value or "\r" in value:  # rare; translate is slow
        value = value.translate(_ESCAPES)
    return f'"{value}"{suffix}'


def _dt(local: str) -> str:
    return f"^^<{XSD}{local}>"


_TYPE, _INT, _DEC, _ANYURI = f"<{RDF}type>", _dt("integer"), _dt("decimal"), _dt("anyURI")
_DATE_TYPES = {4: _dt("gYear"), 7: _dt("gYearMonth")}
_DATE = _dt("date")


def _parse(lines: str) -> Iterator[ox.Quad]:
    for q in ox.parse(lines, _NQ):
        yield q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object, _DG)


def date_literal(value: str | date) -> ox.Literal:
    """Typed literal for a full or partial date.

    >>> date_literal("2007").datatype.value.endswith("gYear")
    True
    >>> date_literal("2024-10").datatype.value.endswith("gYearMonth")
    True
    """
    text = value.isoformat() if isinstance(value, date) else value
    kind = {4: "gYear", 7: "gYearMonth"}.get(len(text), "date")
    return ox.Literal(text, datatype=ox.NamedNode(XSD + kind))


def _date_nt(value: str | date) -> str:
    text = value.isoformat() if isinstance(value, date) else value
    return _lit(text, _DATE_TYPES.get(len(text), _DATE))


_ENTITY_ID, _LABEL, _ALT, _SAME = (f"<{gkg.entityId}>", f"<{RDFS}label>", f"<{SKOS}altLabel>",
                                   f"<{OWL}sameAs>")
_ARTICLE, _ARTICLE_ID, _TITLE, _LANG = f"<{gkg.Article}>", f"<{gkg.articleId}>", f"<{DCT}title>", f"<{DCT}language>"
_ISSUED, _URL, _PUBLISHER, _SOURCE = f"<{DCT}issued>", f"<{SCHEMA}url>", f"<{DCT}publisher>", f"<{gkg.source}>"
_MENTIONS = f"<{SCHEMA}mentions>"


def entity_nquads(e: Entity) -> str:
    """N-Quads lines of :func:`entity_quads`."""
    node = _iri(entity_iri(e.id))
    out = [f"{node} {_TYPE} <{gkg[e.type.value]}> .\n",
           f"{node} {_ENTITY_ID} {_lit(e.id)} .\n",
           f"{node} {_LABEL} {_lit(e.label, '@en')} .\n"]
    out.extend(f"{node} {_ALT} {_lit(alias)} .\n" for alias in sorted(set(e.aliases) - {e.label}))
    if e.qid:
        out.append(f"{node} {_SAME} {_iri(WD + e.qid)} .\n")
    return "".join(out)


def entity_quads(e: Entity) -> Iterator[ox.Quad]:
    """Default-graph description of an entity."""
    return _parse(entity_nquads(e))


def alias_nquads(entity_id: str, aliases: Iterable[str]) -> str:
    """N-Quads lines adding surface forms (``skos:altLabel``) to a stored entity."""
    node = _iri(entity_iri(entity_id))
    return "".join(f"{node} {_ALT} {_lit(alias)} .\n" for alias in sorted(aliases))


def article_nquads(a: Article, mentions: Iterable[Entity] = ()) -> str:
    """N-Quads lines of :func:`article_quads`."""
    node = _iri(article_iri(a.id))
    out = [f"{node} {_TYPE} {_ARTICLE} .\n", f"{node} {_ARTICLE_ID} {_lit(a.id)} .\n"]
    if a.title:
        out.append(f"{node} {_TITLE} {_lit(a.title)} .\n")
    if a.lang:
        out.append(f"{node} {_LANG} {_lit(a.lang)} .\n")
    if a.published:
        out.append(f"{node} {_ISSUED} {_date_nt(a.published)} .\n")
    if a.url:
        out.append(f"{node} {_URL} {_lit(a.url, _ANYURI)} .\n")
    if a.publisher:
        out.append(f"{node} {_PUBLISHER} {_lit(a.publisher)} .\n")
    if a.source:
        out.append(f"{node} {_SOURCE} {_lit(a.source)} .\n")
    out.extend(f"{node} {_MENTIONS} {_iri(entity_iri(e.id))} .\n" for e in mentions)
    return "".join(out)


def article_quads(a: Article, mentions: Iterable[Entity] = ()) -> Iterator[ox.Quad]:
    """Default-graph description of an article (its text is not stored)."""
    return _parse(article_nquads(a, mentions))


def article_graph(article_id: str) -> ox.NamedNode:
    return ox.NamedNode(article_iri(article_id))


#: relation property key → (RDF property local name, XSD datatype local name); other keys
#: (GDELT's ``cameo``, ``gdelt_events``...) are not part of the RDF mapping.
RELATION_PROPERTIES: dict[str, tuple[str, str]] = {
    "role": ("role", "string"),
    "aspect": ("aspect", "string"),
    "quad_class": ("quadClass", "integer"),
    "goldstein": ("goldstein", "decimal"),
}
_PROP_TERMS = {k: f"<{gkg[local]}>" for k, (local, _) in RELATION_PROPERTIES.items()}


def _property_text(key: str, value: str) -> str | None:
    """Lexical form of a relation property in RDF, ``None`` when not mapped or invalid."""
    kind = RELATION_PROPERTIES.get(key, ("", ""))[1]
    if kind == "string":
        return value
    try:
        if kind == "integer":
            return str(int(value))
        if kind == "decimal":
            return decimal_text(float(value))
    except ValueError:
        return None
    return None


def property_literal(key: str, value: str) -> ox.Literal | None:
    """Typed literal of a relation property, ``None`` when not mapped or not a valid value.

    >>> property_literal("goldstein", "-10").value, property_literal("quad_class", "4").value
    ('-10.0', '4')
    >>> property_literal("goldstein", "n/a") is None, property_literal("cameo", "042") is None
    (True, True)
    """
    text = _property_text(key, value)
    if text is None:
        return None
    kind = RELATION_PROPERTIES[key][1]
    return ox.Literal(text) if kind == "string" else ox.Literal(text, datatype=ox.NamedNode(XSD + kind))


_PREFIX = {"s": f"<{RDF}subject>", "p": f"<{RDF}predicate>", "o": f"<{RDF}object>", "a": f"<{gkg.Assertion}>",
           "key": f"<{gkg.relationKey}>", "ev": f"<{gkg.evidence}>", "start": f"<{gkg.evidenceStart}>",
           "end": f"<{gkg.evidenceEnd}>", "conf": f"<{gkg.confidence}>", "ext": f"<{gkg.extractor}>",
           "from": f"<{PROV}wasDerivedFrom>", "date": f"<{gkg.date}>"}
_TYPED = {"integer": _INT, "decimal": _DEC, "string": ""}
_PREDICATES = {p: f"<{p.iri}>" for p in Predicate}


def relation_nquads(r: Relation) -> str:
    """N-Quads lines of :func:`relation_quads`."""
    pv, t = r.provenance, _PREFIX
    g = _iri(article_iri(pv.article_id))
    s, o, p = _iri(entity_iri(r.subject.id)), _iri(entity_iri(r.object.id)), _PREDICATES[r.predicate]
    a = _iri(assertion_iri(r.key))
    out = (f"{s} {p} {o} {g} .\n"
           f"{a} {_TYPE} {t['a']} {g} .\n"
           f"{a} {t['s']} {s} {g} .\n"
           f"{a} {t['p']} {p} {g} .\n"
           f"{a} {t['o']} {o} {g} .\n"
           f"{a} {t['key']} {_lit(r.key)} {g} .\n"
           f"{a} {t['ev']} {_lit(pv.evidence)} {g} .\n"
           f"{a} {t['start']} \"{int(pv.start)}\"{_INT} {g} .\n"
           f"{a} {t['end']} \"{int(pv.end)}\"{_INT} {g} .\n"
           f"{a} {t['conf']} \"{decimal_text(pv.confidence)}\"{_DEC} {g} .\n"
           f"{a} {t['ext']} {_lit(pv.extractor)} {g} .\n"
           f"{a} {t['from']} {g} {g} .\n")
    if r.date:
        out += f"{a} {t['date']} {_date_nt(r.date)} {g} .\n"
    for key, value in r.properties:
        text = _property_text(key, value)
        if text is not None:
            out += f"{a} {_PROP_TERMS[key]} {_lit(text, _TYPED[RELATION_PROPERTIES[key][1]])} {g} .\n"
    return out


def relation_quads(r: Relation) -> Iterator[ox.Quad]:
    """Asserted triple plus its ``gkg:Assertion`` node, in the article's named graph."""
    return _parse(relation_nquads(r))


def predicate_from_iri(iri: str) -> Predicate:
    """Inverse of :attr:`Predicate.iri`."""
    local = iri.removeprefix(GKG)
    for p in Predicate:
        if p.rdf_name == local:
            return p
    raise KeyError(iri)
