"""Read ``ontology/graphkg.ttl`` into the Python records of :mod:`graphkg.vocab`.

Kept apart from :mod:`graphkg.vocab` so that importing the enums does not import rdflib;
the Turtle file is parsed once, on the first call to ``predicate_info``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from graphkg.errors import OntologyError
from graphkg.vocab.ontology import EntityType, EntityTypeInfo, Polarity, Predicate, PredicateInfo
from graphkg.vocab.terms import GKG, gkg

if TYPE_CHECKING:
    from rdflib import Graph, URIRef
    from rdflib.term import Node

__all__ = ["load_predicate_infos", "load_entity_infos", "load_polarity_labels", "load_neo4j_labels", "load_entity_types",
           "load_predicate_names", "parse_ontology"]

_Named = Predicate | EntityType | Polarity  # what an error message names


def _what(p: _Named) -> str:
    kind = "predicate" if isinstance(p, Predicate) else "class" if isinstance(p, EntityType) else "polarity"
    return f"{kind} {p.value}"


_NEO4J_TYPE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
_CAMEO_ROOT = re.compile(r"^[0-2][0-9]$")


def parse_ontology(path: Path) -> Graph:
    """Parse the ontology Turtle file.

    Raises:
        OntologyError: the file is missing or is not valid Turtle.
    """
    from rdflib import Graph

    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib's parser raises an open set (BadSyntax, IndexError, ...)
        raise OntologyError(f"cannot read ontology {path}: {exc}", str(path)) from exc
    return graph


def load_entity_types(path: Path) -> set[str]:
    """Local names of the concrete entity classes: ``gkg:`` subclasses of ``gkg:Entity`` that carry
    a ``gkg:neo4jLabel`` (``{"Country", ...}``; the abstract ``gkg:Actor`` has none)."""
    return set(_entity_classes(parse_ontology(path)))


def _entity_classes(graph: Graph) -> dict[str, URIRef]:
    from rdflib import RDFS, URIRef

    return {
        str(c)[len(GKG):]: c
        for c in graph.subjects(RDFS.subClassOf, URIRef(gkg.Entity))
        if isinstance(c, URIRef) and str(c).startswith(GKG) and graph.value(c, URIRef(gkg.neo4jLabel)) is not None
    }


def load_entity_infos(path: Path) -> dict[EntityType, EntityTypeInfo]:
    """One :class:`EntityTypeInfo` per :class:`EntityType`: labels, Neo4j label, actor or not.

    Raises:
        OntologyError: a class is missing, or a label or its ``gkg:neo4jLabel`` is absent.
    """
    from rdflib import RDFS, URIRef
    from rdflib.namespace import SKOS

    graph = parse_ontology(path)
    classes = _entity_classes(graph)
    actor = URIRef(gkg.Actor)
    out: dict[EntityType, EntityTypeInfo] = {}
    for t in EntityType:
        cls = classes.get(t.value)
        if cls is None:
            raise OntologyError(f"entity class {t.value} is missing from the ontology: expected gkg:{t.value} "
                                "rdfs:subClassOf gkg:Entity with a gkg:neo4jLabel", t)
        out[t] = EntityTypeInfo(
            type=t,
            label_en=_lang_literal(graph, cls, RDFS.label, "en", t),
            label_fr=_lang_literal(graph, cls, RDFS.label, "fr", t),
            definition_en=_lang_literal(graph, cls, SKOS.definition, "en", t),
            definition_fr=_lang_literal(graph, cls, SKOS.definition, "fr", t),
            neo4j_label=_required_literal(graph, cls, URIRef(gkg.neo4jLabel), t),
            actor=(cls, RDFS.subClassOf, actor) in graph,
        )
    return out


def load_neo4j_labels(path: Path) -> dict[str, str]:
    """``gkg:neo4jLabel`` of every ``gkg:`` class that has one, by class local name."""
    from rdflib import Literal, URIRef

    graph = parse_ontology(path)
    return {str(c)[len(GKG):]: str(v) for c, v in graph.subject_objects(URIRef(gkg.neo4jLabel))
            if isinstance(c, URIRef) and str(c).startswith(GKG) and isinstance(v, Literal)}


def load_polarity_labels(path: Path) -> dict[Polarity, tuple[str, str]]:
    """``(English, French)`` label of each polarity individual."""
    from rdflib import RDFS, URIRef

    graph = parse_ontology(path)
    return {pol: (_lang_literal(graph, URIRef(gkg[pol.value]), RDFS.label, "en", pol),
                  _lang_literal(graph, URIRef(gkg[pol.value]), RDFS.label, "fr", pol)) for pol in Polarity}


def load_predicate_names(path: Path) -> set[str]:
    """``gkg:neo4jType`` values of every ``gkg:`` object property (``{"SUPPORTS", ...}``)."""
    from rdflib import OWL, RDF, URIRef

    graph = parse_ontology(path)
    names: set[str] = set()
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        if isinstance(prop, URIRef) and str(prop).startswith(GKG):
            names.update(str(v) for v in graph.objects(prop, URIRef(gkg.neo4jType)))
    return names


def load_predicate_infos(path: Path) -> dict[Predicate, PredicateInfo]:
    """Build a :class:`PredicateInfo` for every member of :class:`Predicate`.

    Args:
        path: the ontology Turtle file (normally ``data_path("graphkg.ttl")``).

    Returns:
        One entry per predicate, in enum order.

    Raises:
        OntologyError: a predicate is missing from the file or one of its fields is absent,
            repeated or out of vocabulary; the message names the predicate and the field.
    """
    graph = parse_ontology(path)
    return {p: _predicate_info(graph, p) for p in Predicate}


def _predicate_info(graph: Graph, p: Predicate) -> PredicateInfo:
    from rdflib import OWL, RDF, RDFS, URIRef
    from rdflib.namespace import SKOS

    prop = URIRef(p.iri)
    if (prop, RDF.type, OWL.ObjectProperty) not in graph:
        raise OntologyError(
            f"predicate {p.value} is missing from the ontology: expected <{p.iri}> a owl:ObjectProperty", p
        )
    plover = _optional_literal(graph, prop, URIRef(gkg.ploverType), p)
    cameo = _optional_literal(graph, prop, URIRef(gkg.cameoRoot), p)
    if (plover is None) != (cameo is None):
        raise OntologyError(f"predicate {p.value}: gkg:ploverType and gkg:cameoRoot go together", p)
    if cameo is not None and not _CAMEO_ROOT.match(cameo):
        raise OntologyError(f"predicate {p.value}: gkg:cameoRoot {cameo!r} is not a two-digit root code", p)
    neo4j_type = _required_literal(graph, prop, URIRef(gkg.neo4jType), p)
    if not _NEO4J_TYPE.match(neo4j_type):
        raise OntologyError(f"predicate {p.value}: gkg:neo4jType {neo4j_type!r} is not UPPER_SNAKE", p)
    return PredicateInfo(
        predicate=p,
        label_en=_lang_literal(graph, prop, RDFS.label, "en", p),
        label_fr=_lang_literal(graph, prop, RDFS.label, "fr", p),
        definition_en=_lang_literal(graph, prop, SKOS.definition, "en", p),
        definition_fr=_lang_literal(graph, prop, SKOS.definition, "fr", p),
        domain=_classes(graph, prop, RDFS.domain, p),
        range=_classes(graph, prop, RDFS.range, p),
        symmetric=(prop, RDF.type, OWL.SymmetricProperty) in graph,
        polarity=_polarity(graph, prop, p),
        plover=plover,
        cameo=cameo,
        neo4j_type=neo4j_type,
    )


def _one(graph: Graph, prop: URIRef, field: URIRef, p: _Named) -> Node | None:
    values = list(graph.objects(prop, field))
    if len(values) > 1:
        raise OntologyError(
            f"{_what(p)}: {graph.qname(field)} has {len(values)} values, expected one", p
        )
    return values[0] if values else None


def _optional_literal(graph: Graph, prop: URIRef, field: URIRef, p: _Named) -> str | None:
    from rdflib import Literal

    value = _one(graph, prop, field, p)
    if value is None:
        return None
    if not isinstance(value, Literal):
        raise OntologyError(f"{_what(p)}: {graph.qname(field)} must be a literal, got {value}", p)
    return str(value)


def _required_literal(graph: Graph, prop: URIRef, field: URIRef, p: _Named) -> str:
    value = _optional_literal(graph, prop, field, p)
    if value is None:
        raise OntologyError(f"{_what(p)} has no {graph.qname(field)}", p)
    return value


def _lang_literal(graph: Graph, prop: URIRef, field: URIRef, lang: str, p: _Named) -> str:
    from rdflib import Literal

    values = [v for v in graph.objects(prop, field) if isinstance(v, Literal) and v.language == lang]
    if len(values) != 1:
        raise OntologyError(
            f"{_what(p)}: expected exactly one {graph.qname(field)}@{lang}, found {len(values)}", p
        )
    return str(values[0])


def _polarity(graph: Graph, prop: URIRef, p: Predicate) -> Polarity:
    from rdflib import URIRef

    value = _one(graph, prop, URIRef(gkg.polarity), p)
    allowed = [GKG + pol.value for pol in Polarity]
    if value is None or str(value) not in allowed:
        raise OntologyError(f"predicate {p.value}: gkg:polarity is {value}; expected one of {allowed}", p)
    return Polarity(str(value)[len(GKG):])


def _classes(graph: Graph, prop: URIRef, field: URIRef, p: Predicate) -> frozenset[EntityType]:
    """The entity types named by ``rdfs:domain``/``rdfs:range``: one class or an ``owl:unionOf`` list."""
    value = _one(graph, prop, field, p)
    where = f"predicate {p.value}: {graph.qname(field)}"
    if value is None:
        raise OntologyError(f"{where} is missing", p)
    members = list(_union_members(graph, value))
    if not members:
        raise OntologyError(f"{where} is an empty owl:unionOf", p)
    concrete = _entity_classes(graph)
    types: set[EntityType] = set()
    for member in members:
        name = str(member)[len(GKG):] if str(member).startswith(GKG) else str(member)
        expanded = {name} if name in concrete else _subclasses(graph, member, concrete)
        if not expanded:
            allowed = [GKG + t for t in (*concrete, "Actor", "Entity")]
            raise OntologyError(
                f"{where} names {member}, which is not an entity class; expected one of {allowed}", p
            )
        types.update(EntityType(n) for n in expanded)
    return frozenset(types)


def _subclasses(graph: Graph, cls: Node, concrete: dict[str, URIRef]) -> set[str]:
    """Concrete entity classes declared ``rdfs:subClassOf`` ``cls`` (``gkg:Actor``, ``gkg:Entity``)."""
    from rdflib import RDFS

    return {name for name, c in concrete.items() if (c, RDFS.subClassOf, cls) in graph}


def _union_members(graph: Graph, value: Node) -> Iterator[Node]:
    from rdflib import OWL, BNode
    from rdflib.collection import Collection

    if not isinstance(value, BNode):
        yield value
        return
    head = graph.value(value, OWL.unionOf)
    if head is None:
        return
    for member in Collection(graph, head):
        yield from _union_members(graph, member)
