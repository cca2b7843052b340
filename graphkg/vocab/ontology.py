"""The ontology is the single source of truth; this module exposes it to Python.

The enums below are closed vocabularies. ``tests/test_ontology_sync.py`` checks that they
equal the classes and properties declared in ``ontology/graphkg.ttl``; everything else
(domain, range, polarity, symmetry, labels, PLOVER/CAMEO alignment, Neo4j names) is read
from the Turtle file at first use.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from graphkg.errors import OntologyError, suggest

__all__ = [
    "GKG",
    "ENTITY",
    "ARTICLE",
    "ASSERTION",
    "EntityType",
    "Predicate",
    "Polarity",
    "PredicateInfo",
    "predicate_info",
    "parse_predicate",
    "parse_entity_type",
    "data_path",
    "check_relation",
]

GKG = "https://w3id.org/graphkg/ontology#"
ENTITY = "https://w3id.org/graphkg/entity/"
ARTICLE = "https://w3id.org/graphkg/article/"
ASSERTION = "https://w3id.org/graphkg/assertion/"


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


def data_path(name: str) -> Path:
    """Path of a file shipped in the ``ontology/`` folder (package ``graphkg.ontology_data``)."""
    path = Path(str(resources.files("graphkg.ontology_data").joinpath(name)))
    if not path.exists():
        raise OntologyError(f"ontology file {name!r} is missing from the installation", name)
    return path


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


@functools.cache
def _infos() -> dict[Predicate, PredicateInfo]:
    from graphkg.vocab.load import load_predicate_infos

    return load_predicate_infos(data_path("graphkg.ttl"))


def predicate_info(p: Predicate) -> PredicateInfo:
    """Return the ontology's description of ``p``."""
    return _infos()[p]


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
