"""The embedded store's write path: N-Quads mapping, escaping, all-or-nothing batches, and the
pipeline writing in the background while it reads (journal never ahead of the store)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import make_sample

from graphkg.errors import StoreError
from graphkg.pipeline.journal import Journal
from graphkg.model import Article, Candidate, Entity, EntityRef, Provenance, Relation
from graphkg.vocab import EntityType, Predicate
from graphkg.pipeline import IngestOptions, ingest_items
from graphkg.rdf.quads import article_quads, entity_quads, relation_nquads, relation_quads
from graphkg.stores.oxigraph import OxigraphStore

AWKWARD = 'Il a dit « oui » — "yes" \\ C:\\path\nnouvelle ligne\r\tfin'


def test_quads_are_the_parsed_nquads() -> None:
    art, rels, ents = make_sample()
    r = replace(rels[0], properties=(("aspect", "a"), ("quad_class", "2"), ("goldstein", "7"), ("cameo", "051")))
    quads = set(relation_quads(r))
    assert quads == set(ox.parse(relation_nquads(r), ox.RdfFormat.N_QUADS))
    values = {q.predicate.value.rsplit("#", 1)[-1]: q.object for q in quads}
    assert values["quadClass"] == ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert values["goldstein"].value == "7.0" and "cameo" not in values  # cameo is not in the RDF mapping
    assert len(set(entity_quads(ents[0]))) == 5 and len(set(article_quads(art, ents))) == 10


def test_awkward_text_roundtrips(tmp_path: Path) -> None:
    art, rels, ents = make_sample()
    art = replace(art, title=AWKWARD, publisher='Le "Monde"')
    rels = [replace(r, provenance=replace(r.provenance, evidence=AWKWARD, title=AWKWARD)) for r in rels]
    ents = [replace(ents[0], aliases=('Royaume "chérifien"', "a\\b")), *ents[1:]]
    store = OxigraphStore.open(home=tmp_path)
    try:
        assert store.write([(art, rels, ents)]) == 3
        assert {r.provenance.evidence for r in store.relations()} == {AWKWARD}
        assert [a.title for a in store.articles()] == [AWKWARD]
        morocco = next(e for e in store.entities() if e.id == "wd:Q1028")
        assert {'Royaume "chérifien"', "a\\b"} <= set(morocco.aliases)
    finally:
        store.close()


def test_a_bad_batch_writes_nothing(tmp_path: Path) -> None:
    art, rels, ents = make_sample()
    bad_entity = Entity("bad id", "Bad", EntityType.COUNTRY)  # a space: no IRI can carry it
    other = Article.make("Autre texte.", "b.txt")
    bad = Relation(bad_entity, Predicate.SUPPORTS, ents[0], replace(rels[0].provenance, article_id=other.id))
    store = OxigraphStore.open(home=tmp_path)
    try:
        with pytest.raises(StoreError, match="batch not written"):
            store.write([(art, rels, ents), (other, [bad], [bad_entity, ents[0]])])
        assert list(store.articles()) == [] and list(store.relations()) == [] and list(store.entities()) == []
        assert store.write([(art, rels, ents)]) == 3  # the store and its caches are still usable
    finally:
        store.close()


def test_entity_cache_follows_writes_without_requery(tmp_path: Path) -> None:
    art, rels, ents = make_sample()
    store = OxigraphStore.open(home=tmp_path)
    try:
        store.write([(art, rels, ents)])
        second = Article.make("Rabat et Paris.", "c.txt")
        ma = replace(ents[0], label="Maroc", aliases=("Royaume du Maroc",))
        store.write([(second, [], [ma])])
        cached = {e.id: e for e in store.entities()}
        store._entity_cache = None  # noqa: SLF001 - compare the incremental cache with the stored data
        assert {e.id: e for e in store.entities()} == cached
        assert cached["wd:Q1028"].label == "Morocco" and {"Maroc", "Royaume du Maroc"} <= set(cached["wd:Q1028"].aliases)
    finally:
        store.close()


MA = EntityRef("Maroc", "Morocco", EntityType.COUNTRY, "wd:Q1028")
BAD = EntityRef("Bad", "Bad", EntityType.COUNTRY, "bad id")


class Keyword:
    """Morocco supported by France, or by an entity whose id makes no IRI when the text says 'bad'."""

    name, version = "kw", "1"

    def extract(self, article: Article) -> list[Candidate]:
        fr = BAD if "bad" in article.text else EntityRef("France", "France", EntityType.COUNTRY, "wd:Q142")
        return [Candidate(fr, Predicate.SUPPORTS, MA, article.text, 0, len(article.text), 0.9, "kw/1")]


def test_background_write_error_stops_the_run_and_the_journal_stays_behind_the_store(tmp_path: Path) -> None:
    store, journal = OxigraphStore.open(home=tmp_path), Journal.open(tmp_path)
    assert "background-write" in store.capabilities
    good = [Article.make(f"Texte {i}.", f"{i}.txt", published=date(2025, 1, 1)) for i in range(5)]
    items = [*good, Article.make("bad", "bad.txt"), Article.make("Texte après.", "after.txt")]
    try:
        with pytest.raises(StoreError, match="batch not written"):
            ingest_items(items, store, Keyword(), IngestOptions(gazetteer=False, batch_size=1), journal=journal)
        stored = {a.id for a in store.articles()}
        assert stored == {a.id for a in good}
        assert {a.id for a in good if journal.has(a.id)} == stored  # every written batch journaled
        report = ingest_items(items[:5], store, Keyword(), IngestOptions(gazetteer=False, batch_size=2), journal=journal)
        assert (report.skipped, report.articles_written) == (5, 0)
    finally:
        store.close()
        journal.close()


def test_provenance_of_relations_read_back(tmp_path: Path) -> None:
    art, rels, ents = make_sample()
    store = OxigraphStore.open(home=tmp_path)
    try:
        store.write([(art, rels, ents)])
        got = {r.key: r.provenance for r in store.relations()}
        for r in rels:
            want: Provenance = r.provenance
            assert (got[r.key].evidence, got[r.key].start, got[r.key].end, got[r.key].url) == (
                want.evidence, want.start, want.end, want.url)
    finally:
        store.close()


def _big_batch(n: int = 120):
    from conftest import make_sample

    from graphkg.model import Article

    art0, rels0, ents0 = make_sample()
    batch = []
    for i in range(n):
        art = Article.make(f"Article {i}: {art0.text}", f"a{i}.txt", title=f"T{i}", lang="fr")
        rels = [replace(r, provenance=replace(r.provenance, article_id=art.id), key="") for r in rels0]
        batch.append((art, rels, ents0))
    return batch


def test_large_batches_take_the_two_step_bulk_path_and_match_the_reference(tmp_path) -> None:
    from graphkg.stores.memory import MemoryStore
    from graphkg.stores.oxigraph import BULK_QUADS, OxigraphStore

    batch = _big_batch()
    store = OxigraphStore.open(home=tmp_path)
    calls: list[bool] = []
    real = store._load
    store._load = lambda text, bulk: (calls.append(bulk), real(text, bulk=bulk))[1]  # type: ignore[method-assign]
    try:
        assert store.write(batch) == 360
        assert calls == [True, False] and sum(len(r) for _, r, _ in batch) * 13 > BULK_QUADS
        mem = MemoryStore()
        mem.write(batch)
        assert store.counts() == mem.counts()
        assert store.write(batch) == 0 and store.counts() == mem.counts()
    finally:
        store.close()


def test_crash_between_bulk_and_markers_leaves_no_article_and_a_rerun_completes(tmp_path) -> None:
    from graphkg.errors import StoreError
    from graphkg.stores.oxigraph import OxigraphStore

    batch = _big_batch()
    store = OxigraphStore.open(home=tmp_path)
    real = store._load

    def crash_on_markers(text: str, bulk: bool) -> None:
        if not bulk:
            raise StoreError(store.uri, "simulated crash before the markers")
        real(text, bulk=bulk)

    store._load = crash_on_markers  # type: ignore[method-assign]
    try:
        with pytest.raises(StoreError):
            store.write(batch)
        assert not any(store.has_article(a.id) for a, _, _ in batch)  # nothing counts as ingested
        store._load = real  # type: ignore[method-assign]
        store.write(batch)  # the next run writes the same quads again, then the markers
        assert all(store.has_article(a.id) for a, _, _ in batch)
        assert store.counts().relations == 360 and store.counts().articles == 120
    finally:
        store.close()
