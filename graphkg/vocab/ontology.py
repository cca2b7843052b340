"""The closed vocabularies (enums) and the records describing them.

The enums are the ontology's names as Python members; ``tests/test_ontology_sync.py`` checks
that they equal the classes and properties declared in ``ontology/graphkg.ttl``. Everything
else (domain, range, polarity, symmetry, labels, PLOVER/CAMEO alignment, Neo4j names, the
actor classes) is read from the Turtle file at first use by :mod:`graphkg.vocab.info`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from graphkg.errors import OntologyError, suggest
from graphkg.vocab.terms import GKG

__all__ = [
    "EntityType",
    "Predicate",
    "Polarity",
    "PredicateInfo",
    "EntityTypeInfo",
    "parse_predicate",
    "parse_entity_type",
]



class EntityType(enum.StrEnum):
    """The five entity classes (RDF class local names, also Neo4j labels)."""

    COUNTRY = "Country"
    PERSON = "Person"
    ORGANIZATION = "Organization"
    TERRITORY = "Territory"
    DOCUMENT = "Document"


class Predicate(enum.StrEnum):
    """The seventeen predicates (value = Neo4j relationship type)."""

    SUPPORTS = "SUPPORTS"
    OPPOSES = "OPPOSES"
    MEETS = "MEETS"
    VISITS = "VISITS"
    SIGNS = "SIGNS"
    AGREES_WITH = "AGREES_WITH"
    COOPERATES_WITH = "COOPERATES_WITH"
    AIDS = "AIDS"
    REQUESTS = "REQUESTS"
    THREATENS = "THREATENS"
    SANCTIONS = "SANCTIONS"
    RECOGNIZES = "RECOGNIZES"
    PROPOSES = "PROPOSES"
    ADOPTS = "ADOPTS"
    MEMBER_OF = "MEMBER_OF"
    REPRESENTS = "REPRESENTS"
    CONCERNS = "CONCERNS"

    @property
    def rdf_name(self) -> str:
        """lowerCamel local name of the RDF property, e.g. ``cooperatesWith``."""
        head, *rest = self.value.lower().split("_")
        return head + "".join(part.capitalize() for part in rest)

    @property
    def iri(self) -> str:
        return GKG + self.rdf_name


class Polarity(enum.StrEnum):
    """How a predicate colours a relation between two actors."""

    COOPERATIVE = "cooperative"
    NEUTRAL = "neutral"
    CONFLICTUAL = "conflictual"


@dataclass(frozen=True, slots=True)
class PredicateInfo:
    """What the ontology says about one predicate."""

    predicate: Predicate
    label_en: str
    label_fr: str
    definition_en: str
    definition_fr: str
    domain: frozenset[EntityType]
    range: frozenset[EntityType]
    symmetric: bool
    polarity: Polarity
    plover: str | None
    cameo: str | None
    neo4j_type: str


@dataclass(frozen=True, slots=True)
class EntityTypeInfo:
    """What the ontology says about one entity class."""

    type: EntityType
    label_en: str
    label_fr: str
    definition_en: str
    definition_fr: str
    neo4j_label: str
    actor: bool


def parse_predicate(value: str) -> Predicate:
    """Parse a predicate name leniently (case, spaces, hyphens, camelCase).

    >>> parse_predicate("member of")
    <Predicate.MEMBER_OF: 'MEMBER_OF'>
    >>> parse_predicate("cooperatesWith")
    <Predicate.COOPERATES_WITH: 'COOPERATES_WITH'>
    """
    norm = "".join("_" + c if c.isupper() and i and value[i - 1].islower() else c for i, c in enumerate(value))
    norm = norm.strip().replace("-", "_").replace(" ", "_").upper()
    try:
        return Predicate(norm)
    except ValueError:
        raise OntologyError(
            f"unknown predicate {value!r}; {suggest(norm, [p.value for p in Predicate])}", value
        ) from None


def parse_entity_type(value: str) -> EntityType:
    """Parse an entity type name, case-insensitively.

    >>> parse_entity_type("country")
    <EntityType.COUNTRY: 'Country'>
    """
    for t in EntityType:
        if t.value.lower() == value.strip().lower():
            return t
    raise OntologyError(
        f"unknown entity type {value!r}; {suggest(value, [t.value for t in EntityType])}", value
    )
