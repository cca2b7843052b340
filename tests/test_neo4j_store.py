"""Neo4j-specific store behaviour on a real server: model, injection, constraints, settings."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import make_sample

from graphkg.errors import StoreError
from graphkg.model import Article, Entity, Provenance, Relation
from graphkg.vocab import EntityType, Predicate
from graphkg.stores import open_store

pytestmark = pytest.mark.neo4j

NASTY = "O'Brien \"the `Boss`\" } MATCH (n) DETACH DELETE n //"


def test_graph_model_matches_design(neo4j_store) -> None:
    art, rels, ents = make_sample()
    neo4j_store.write([(art, rels, ents)])
    _, rows = neo4j_store.run_cypher(
        "MATCH (s:Entity:Country {id: 'wd:Q142'})-[r:SUPPORTS]->(o:Entity:Country) "
        "MATCH (a:Article)-[:MENTIONS]->(o) "
        "RETURN s.name, s.qid, o.aliases, r.key, r.article_id, r.evidence, r.start, r.end, r.confidence, "
        "r.extractor, toString(r.date), r.date_precision, r.date >= date('2025-01-01'), r.published.year, "
        "r.polarity, r.aspect, a.id, a.title, a.lang, a.published.year")
    assert rows == [["France", "Q142", ["Maroc"], rels[0].key, art.id, "Paris soutient Rabat.", 43, 64,
                     0.9, "test/1", "2025-01-02", "day", True, 2025, "cooperative", "sovereignty", art.id,
                     "Accord", "fr", 2025]]
    back = next(r for r in neo4j_store.relations() if r.predicate == Predicate.SUPPORTS)
    assert back.date == "2025-01-02"  # the Date reads back as the text graphkg wrote
    _, role = neo4j_store.run_cypher("MATCH (:Person)-[r:REPRESENTS]->(:Country) RETURN r.role")
    assert role == [["Minister of Foreign Affairs"]]
    assert neo4j_store.capabilities == {"pattern", "cypher", "persistent"}


def test_quotes_backticks_braces_and_keywords_are_stored_verbatim(neo4j_store) -> None:
    art = Article.make(f"Texte {NASTY}", "x.txt", title=f"Titre {NASTY}", url="https://e.org/'`}")
    boss = Entity(f"person/{NASTY}", NASTY, EntityType.PERSON, (f"alias {NASTY}", "RETURN 1;"))
    doc = Entity("document/x", "Plan `}' CREATE (x)", EntityType.DOCUMENT)
    prov = Provenance(art.id, f"« {NASTY} » a dit {{x}}", 0, 10, "test/1", 0.5)
    rel = Relation(boss, Predicate.SUPPORTS, doc, prov, (("aspect", NASTY), ("key", "collides")))
    assert neo4j_store.write([(art, [rel], [boss, doc])]) == 1
    got = list(neo4j_store.relations())
    assert len(got) == 1
    r = got[0]
    assert (r.subject.id, r.subject.label, r.object.label) == (boss.id, NASTY, doc.label)
    assert set(r.subject.aliases) == set(boss.aliases)
    assert r.provenance.evidence == prov.evidence and r.properties == rel.properties
    assert r.provenance.title == f"Titre {NASTY}" and r.provenance.url == "https://e.org/'`}"
    assert [e.label for e in neo4j_store.entities(EntityType.PERSON)] == [NASTY]
    _, rows = neo4j_store.run_cypher("MATCH (e:Entity {name: $n}) RETURN count(e)", {"n": NASTY})
    assert rows == [[1]]
    assert neo4j_store.counts().entities == 2  # the DETACH DELETE in the name did not run


def test_same_key_on_other_endpoints_is_a_constraint_violation(neo4j_store) -> None:
    art, rels, ents = make_sample()
    neo4j_store.write([(art, rels, ents)])
    other = Entity("wd:Q30", "United States", EntityType.COUNTRY)
    clash = replace(rels[0], object=other)  # keeps rels[0].key
    with pytest.raises(StoreError) as info:
        neo4j_store.write([(art, [clash], [other])])
    msg = str(info.value)
    assert "constraint violation" in msg and "\n" not in msg and neo4j_store.uri in msg
    assert neo4j_store.counts().relations == 3  # the failed batch left nothing behind
    assert "wd:Q30" not in {e.id for e in neo4j_store.entities()}


def test_open_store_reads_conventional_env_vars(neo4j_server, monkeypatch, tmp_path) -> None:
    uri, user, password = neo4j_server
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_USERNAME", user)
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    s = open_store("neo4j", home=tmp_path)
    try:
        assert s.name == "neo4j" and s.uri == uri
        s.counts()
    finally:
        s.close()


def test_schema_is_applied_once_and_listed(neo4j_store) -> None:
    neo4j_store.apply_schema()
    assert neo4j_store.apply_schema() == []
    found = neo4j_store.schema()
    names = {c["name"] for c in found["constraints"]}
    assert {"graphkg_entity_id", "graphkg_article_id", "graphkg_supports_key", "graphkg_concerns_key"} <= names
    assert {"graphkg_entity_name", "graphkg_evidence"} <= {i["name"] for i in found["indexes"]}
    _, hits = neo4j_store.run_cypher("CALL db.index.fulltext.queryRelationships('graphkg_evidence', 'soutient') "
                                     "YIELD relationship RETURN count(relationship)")
    assert hits == [[0]]  # an empty graph: the index answers
