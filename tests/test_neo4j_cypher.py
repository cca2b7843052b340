"""Query shaping without a server: allow-lists, parameters, the read-only keyword guard."""

from __future__ import annotations

import pytest

from graphkg.stores import cypher
from graphkg.errors import OntologyError
from graphkg.vocab import EntityType, Predicate


def test_labels_and_types_come_only_from_the_ontology() -> None:
    assert cypher.label(EntityType.DOCUMENT) == "Document"
    assert cypher.rel_type(Predicate.MEMBER_OF) == "MEMBER_OF"
    for bad in ("Country`) DETACH DELETE (n", "country", "Entity"):
        with pytest.raises(OntologyError, match="expected one of"):
            cypher.label(bad)
    with pytest.raises(OntologyError, match="did you mean 'SUPPORTS'"):
        cypher.rel_type("SUPORTS")


def test_schema_covers_every_predicate_and_both_ids() -> None:
    stmts = cypher.schema_statements()
    assert any("(n:Entity) REQUIRE n.id IS UNIQUE" in q for q in stmts)
    assert any("(n:Article) REQUIRE n.id IS UNIQUE" in q for q in stmts)
    assert any("(n:Entity) ON (n.name)" in q for q in stmts)
    for p in Predicate:
        assert any(f"[r:{p.value}]-() REQUIRE r.key IS UNIQUE" in q for q in stmts), p
    assert len(set(cypher.schema_names())) == len(stmts)


def test_writes_are_batched_and_parameterised() -> None:
    for q in (cypher.merge_entities(EntityType.COUNTRY), cypher.MERGE_ARTICLES,
              cypher.merge_relations(Predicate.SUPPORTS)):
        assert q.startswith("UNWIND $rows AS row") and "MERGE" in q
    q, params = cypher.relations_query("wd:Q1028", Predicate.SUPPORTS, None, None)
    assert "wd:Q1028" not in q and params == {"s": "wd:Q1028"}


