"""One behaviour suite for every store backend."""

from __future__ import annotations

from pathlib import Path

from conftest import make_sample

from graphkg.model import Article
from graphkg.vocab import EntityType, Predicate
from graphkg.stores import Store
from graphkg.stores.oxigraph import OxigraphStore


def _key(r):  # comparable view of a relation
    pv = r.provenance
    return (r.key, r.subject.id, r.predicate, r.object.id, r.properties, r.date, pv.article_id,
            pv.evidence, pv.start, pv.end, pv.extractor, round(pv.confidence, 3), pv.title, pv.url,
            pv.published, pv.lang)


def test_empty_store(store: Store) -> None:
    assert list(store.relations()) == []
    assert store.counts().relations == 0
    assert not store.has_article("nope")


def test_write_then_read_roundtrips(store: Store) -> None:
    art, rels, ents = make_sample()
    assert store.write([(art, rels, ents)]) == 3
    assert store.has_article(art.id)
    got = sorted(map(_key, store.relations()))
    assert got == sorted(map(_key, rels))
    assert {e.id for e in store.entities()} == {"wd:Q1028", "wd:Q142", "person/jean-dupont"}
    assert [e.id for e in store.entities(EntityType.PERSON)] == ["person/jean-dupont"]
    morocco = next(e for e in store.entities() if e.id == "wd:Q1028")
    assert morocco.label == "Morocco" and "Maroc" in morocco.aliases and morocco.qid == "Q1028"
    arts = list(store.articles())
    assert [(a.id, a.title, a.lang, a.url) for a in arts] == [(art.id, "Accord", "fr", "https://example.org/a")]
    assert {e.id for e in store.mentions(art.id)} == {e.id for e in ents}


def test_rewrite_is_idempotent(store: Store) -> None:
    art, rels, ents = make_sample()
    store.write([(art, rels, ents)])
    before = store.counts()
    assert store.write([(art, rels, ents)]) == 0
    assert store.counts() == before


def test_pattern_queries(store: Store) -> None:
    art, rels, ents = make_sample()
    store.write([(art, rels, ents)])
    assert [r.predicate for r in store.relations(subject="person/jean-dupont")] == [Predicate.REPRESENTS]
    assert len(list(store.relations(object="wd:Q1028"))) == 2
    assert len(list(store.relations(predicate=Predicate.SUPPORTS))) == 1
    assert len(list(store.relations(article=art.id))) == 3
    assert list(store.relations(article="other")) == []


def test_counts(store: Store) -> None:
    art, rels, ents = make_sample()
    store.write([(art, rels, ents)])
    c = store.counts()
    assert (c.articles, c.entities, c.relations) == (1, 3, 3)
    assert c.by_type == {"Country": 2, "Person": 1}
    assert c.by_predicate == {"SUPPORTS": 1, "REPRESENTS": 1, "COOPERATES_WITH": 1}


def test_remove_article_removes_exactly_its_relations(store: Store) -> None:
    art, rels, ents = make_sample()
    other = Article.make("Autre texte.", "other.txt")
    from dataclasses import replace
    moved = replace(rels[0], provenance=replace(rels[0].provenance, article_id=other.id), key="")
    store.write([(art, rels, ents), (other, [moved], [ents[0], ents[1]])])
    assert store.remove_article(art.id) == 3
    assert not store.has_article(art.id)
    assert [r.key for r in store.relations()] == [moved.key]
    assert {e.id for e in store.entities()} == {"wd:Q1028", "wd:Q142"}


def test_oxigraph_persists_across_reopen(tmp_path: Path) -> None:
    art, rels, ents = make_sample()
    s = OxigraphStore.open(home=tmp_path)
    s.write([(art, rels, ents)])
    s.close()
    s2 = OxigraphStore.open(home=tmp_path)
    try:
        assert s2.has_article(art.id)
        assert s2.counts().relations == 3
    finally:
        s2.close()


def test_declared_capabilities_are_implemented(store: Store) -> None:
    """A store that declares a facet's capability really has the facet's methods (typed access)."""
    from graphkg.plugins import FACETS, Capability, facet

    assert Capability.PATTERN in store.capabilities
    for capability, protocol in FACETS.items():
        declared = capability in store.capabilities
        assert declared == isinstance(store, protocol) or not declared, (store.name, capability)
        assert (facet(store, capability) is not None) == declared  # type: ignore[call-overload]
