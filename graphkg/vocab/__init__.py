"""The ontology seen from Python: enums, predicate and class info, terms and prefixes, all read
from ``ontology/`` (the single source).

* :mod:`graphkg.vocab.ontology`: the closed vocabularies (``EntityType``, ``Predicate``, ``Polarity``);
* :mod:`graphkg.vocab.info`: what the ontology says about them (domain, range, labels, actors, symmetry);
* :mod:`graphkg.vocab.terms`: namespaces, the one prefix table, the SPARQL prologue, closed ``gkg`` terms;
* :mod:`graphkg.vocab.shapes`: the SHACL shapes generated from the ontology; :mod:`graphkg.vocab.doc`:
  its reference page.
"""

from graphkg.vocab.files import data_path
from graphkg.vocab.info import (
    actor_types,
    check_relation,
    entity_type_info,
    neo4j_label,
    polarity_labels,
    predicate_info,
    symmetric_predicates,
)
from graphkg.vocab.ontology import (
    EntityType,
    EntityTypeInfo,
    Polarity,
    Predicate,
    PredicateInfo,
    parse_entity_type,
    parse_predicate,
)
from graphkg.vocab.terms import ARTICLE, ASSERTION, ENTITY, GKG

__all__ = [
    "GKG", "ENTITY", "ARTICLE", "ASSERTION",
    "EntityType", "Predicate", "Polarity", "PredicateInfo", "EntityTypeInfo",
    "parse_predicate", "parse_entity_type", "data_path",
    "predicate_info", "entity_type_info", "polarity_labels", "neo4j_label", "actor_types",
    "symmetric_predicates", "check_relation",
]
