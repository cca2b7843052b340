"""The SHACL shapes that only restate the ontology, generated from it.

``ontology/shapes-predicates.ttl`` holds one node shape per predicate (subject in the domain,
object in the range) and the list of predicates an assertion may name. It is written by this
module and never edited by hand::

    python -m graphkg.vocab.shapes > ontology/shapes-predicates.ttl

``tests/test_ontology_sync.py`` regenerates it and compares the text for equality, so the
file cannot drift from ``graphkg.ttl``. The hand-written shapes are in ``ontology/shapes.ttl``.
"""

from __future__ import annotations

import sys

from graphkg.vocab.info import predicate_info
from graphkg.vocab.ontology import EntityType, Predicate

__all__ = ["FILE", "predicate_shapes"]

FILE = "shapes-predicates.ttl"

_HEADER = """\
# GENERATED from ontology/graphkg.ttl by `python -m graphkg.vocab.shapes` -- do not edit.
# One node shape per predicate: the subject of an asserted triple is in the predicate's domain,
# its object in its range; and the predicates an assertion may name. ontology/shapes.ttl holds
# the hand-written shapes and imports this file.

@prefix gkgsh: <https://w3id.org/graphkg/shapes#> .
@prefix gkg: <https://w3id.org/graphkg/ontology#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .

<https://w3id.org/graphkg/shapes/predicates> a owl:Ontology ;
    owl:imports <https://w3id.org/graphkg/ontology> .
"""


def _types(types: frozenset[EntityType]) -> list[EntityType]:
    return [t for t in EntityType if t in types]  # the enum's order: Country, Person, ...


def _constraint(types: frozenset[EntityType]) -> str:
    ordered = _types(types)
    if len(ordered) == 1:
        return f"sh:class gkg:{ordered[0].value}"
    return "sh:or ( " + " ".join(f"[ sh:class gkg:{t.value} ]" for t in ordered) + " )"


def _names(types: frozenset[EntityType]) -> str:
    ordered = [t.value for t in _types(types)]
    return ordered[0] if len(ordered) == 1 else ", ".join(ordered[:-1]) + " or " + ordered[-1]


def _shape(p: Predicate) -> str:
    info = predicate_info(p)
    name = "".join(part.capitalize() for part in p.value.split("_")) + "Shape"
    prop = f"gkg:{p.rdf_name}"
    return (f"gkgsh:{name} a sh:NodeShape ;\n"
            f"    sh:targetSubjectsOf {prop} ;\n"
            f"    {_constraint(info.domain)} ;\n"
            f'    sh:message "the subject of {prop} must be a {_names(info.domain)}" ;\n'
            f"    sh:property [\n"
            f"        sh:path {prop} ;\n"
            f"        {_constraint(info.range)} ;\n"
            f'        sh:message "the object of {prop} must be a {_names(info.range)}" ;\n'
            f"    ] .\n")


def _assertion_predicate() -> str:
    names = " ".join(f"gkg:{p.rdf_name}" for p in Predicate)
    return ("gkgsh:AssertionPredicateShape a sh:NodeShape ;\n"
            "    sh:targetClass gkg:Assertion ;\n"
            "    sh:property [\n"
            "        sh:path rdf:predicate ;\n"
            f"        sh:in ( {names} ) ;\n"
            f'        sh:message "an assertion needs exactly one rdf:predicate, one of the {len(Predicate)} '
            'graphkg predicates" ;\n'
            "    ] .\n")


def predicate_shapes() -> str:
    """The Turtle text of ``ontology/shapes-predicates.ttl``."""
    return "\n".join([_HEADER, _assertion_predicate(), *(_shape(p) for p in Predicate)])


if __name__ == "__main__":
    sys.stdout.write(predicate_shapes())
