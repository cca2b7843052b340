"""What the ontology says, read from ``ontology/graphkg.ttl`` once per process: predicate and
class descriptions, the actor types (``gkg:Actor``), the symmetric predicates
(``owl:SymmetricProperty``), Neo4j names, polarity labels, and the domain/range check.
"""

from __future__ import annotations

import functools

from graphkg.errors import OntologyError, suggest
from graphkg.vocab.files import data_path
from graphkg.vocab.load import load_entity_infos, load_neo4j_labels, load_polarity_labels, load_predicate_infos
from graphkg.vocab.ontology import EntityType, EntityTypeInfo, Polarity, Predicate, PredicateInfo

__all__ = [
    "predicate_info",
    "entity_type_info",
    "polarity_labels",
    "neo4j_label",
    "actor_types",
    "symmetric_predicates",
    "check_relation",
]


@functools.cache
def _infos() -> dict[Predicate, PredicateInfo]:
    return load_predicate_infos(data_path("graphkg.ttl"))


def predicate_info(p: Predicate) -> PredicateInfo:
    """Return the ontology's description of ``p``."""
    return _infos()[p]


@functools.cache
def _type_infos() -> dict[EntityType, EntityTypeInfo]:
    return load_entity_infos(data_path("graphkg.ttl"))


def entity_type_info(t: EntityType) -> EntityTypeInfo:
    """Return the ontology's description of the entity class ``t``."""
    return _type_infos()[t]


@functools.cache
def _neo4j_labels() -> dict[str, str]:
    return load_neo4j_labels(data_path("graphkg.ttl"))


def neo4j_label(cls: str) -> str:
    """The ``gkg:neo4jLabel`` of the ontology class ``cls`` (``"Entity"``, ``"Article"``, ``"Country"``).

    Raises:
        OntologyError: the class has no Neo4j label in the ontology.
    """
    labels = _neo4j_labels()
    if cls not in labels:
        raise OntologyError(f"class {cls!r} has no gkg:neo4jLabel; {suggest(cls, labels)}", cls)
    return labels[cls]


@functools.cache
def polarity_labels() -> dict[Polarity, tuple[str, str]]:
    """``(English, French)`` label of each polarity, from the ontology."""
    return load_polarity_labels(data_path("graphkg.ttl"))


@functools.cache
def actor_types() -> frozenset[EntityType]:
    """The entity types that act (subclasses of ``gkg:Actor``): Country, Person, Organization."""
    return frozenset(t for t, info in _type_infos().items() if info.actor)


@functools.cache
def symmetric_predicates() -> frozenset[Predicate]:
    """Predicates declared ``owl:SymmetricProperty`` (MEETS, COOPERATES_WITH)."""
    return frozenset(p for p, info in _infos().items() if info.symmetric)


def check_relation(subject: EntityType, p: Predicate, obj: EntityType) -> str | None:
    """Return ``None`` when the triple fits the ontology, else the reason it does not."""
    info = predicate_info(p)
    if subject not in info.domain:
        allowed = sorted(t.value for t in info.domain)
        return f"{p.value} subject must be one of {allowed}, got {subject.value}"
    if obj not in info.range:
        allowed = sorted(t.value for t in info.range)
        return f"{p.value} object must be one of {allowed}, got {obj.value}"
    return None
