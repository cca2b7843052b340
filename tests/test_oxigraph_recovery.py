"""A two-step Oxigraph write cut short is undone on the next open, before any read.

Large batches are written as a bulk load, then the articles' markers in one transaction
(`OxigraphStore.write`). Here a real child process dies (``os._exit``, no clean-up, no
flush) right after the bulk step; the next open must show nothing of that batch, and
writing it again must give exactly the store a clean write gives.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphkg.errors import StoreError
from graphkg.model import Article, Entity, Provenance, Relation
from graphkg.vocab import EntityType, Predicate
from graphkg.stores import Batch
from graphkg.stores.oxigraph import BULK_QUADS, OxigraphStore

def big_batch(prefix: str = "", articles: int = 30) -> Batch:
    """Enough articles and relations to take the two-step (bulk) path."""
    countries = [Entity(f"wd:Q{100 + i}", f"Country {i}", EntityType.COUNTRY, (f"Pays {i}",), f"Q{100 + i}")
                 for i in range(12)]
    batch = []
    for a in range(articles):
        art = Article.make(f"{prefix}dispatch {a}", f"{prefix}{a}.txt", title=f"Dispatch {a}",
                           published=date(2025, 3, 1 + a % 28), lang="en")
        minister = Entity.minted(f"{prefix}Minister {a}", EntityType.PERSON)
        rels = []
        for k in range(8):
            s, o = countries[k], countries[(k + a + 1) % 12]
            if s.id == o.id:
                continue
            ev = f"{s.label} backs {o.label} ({a}/{k})."
            rels.append(Relation(s, Predicate.SUPPORTS, o, Provenance(art.id, ev, 0, len(ev), "test/1", 0.9)))
        ev = f"{minister.label} speaks for {countries[0].label}."
        rels.append(Relation(minister, Predicate.REPRESENTS, countries[0],
                             Provenance(art.id, ev, 0, len(ev), "test/1", 0.8)))
        batch.append((art, rels, [*countries, minister]))
    return batch


def nquad_lines(batch: Batch) -> int:
    store = OxigraphStore.open()
    text, _ = store._batch_nquads(batch)
    return text.count("\n")


def snapshot(store: OxigraphStore) -> tuple[object, ...]:
    """Counts and every quad; the ontology's blank nodes (axioms) differ per store, so quads
    with a blank node are left out: graphkg's own data has none."""
    return (store.counts(), sorted(str(q) for q in store.quads() if "_:" not in str(q)))


CHILD = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {tests!r})
    from test_oxigraph_recovery import big_batch
    from graphkg.stores import oxigraph as m

    load = m.OxigraphStore._load
    def dying_load(self, text, *, bulk):
        load(self, text, bulk=bulk)
        if bulk:
            os._exit(9)  # killed between the bulk load and the markers: no flush, no clean-up
    m.OxigraphStore._load = dying_load
    store = m.OxigraphStore.open(path=m.Path({path!r}))
    store.write(big_batch("crash "))
    print("not reached")
""")


def test_batch_takes_the_two_step_path() -> None:
    assert nquad_lines(big_batch()) >= BULK_QUADS  # else the tests below prove nothing


def test_crash_between_bulk_and_markers_is_undone_on_open(tmp_path: Path) -> None:
    path = tmp_path / "oxigraph"
    store = OxigraphStore.open(path=path)
    kept = big_batch("kept ")
    store.write(kept)
    before = snapshot(store)
    store.close()
    del store

    child = subprocess.run([sys.executable, "-c", CHILD.format(tests=str(Path(__file__).parent), path=str(path))],
                           capture_output=True, text=True, timeout=300)
    assert child.returncode == 9, child.stderr
    assert "not reached" not in child.stdout
    pending = Path(str(path) + ".pending")
    assert pending.exists()  # the intent record survived the crash

    # the bulk step really landed before the crash: raw pyoxigraph sees the unmarked article graphs
    raw = ox.Store(str(path))
    graphs = len(list(raw.named_graphs()))
    del raw
    assert graphs == 2 * len(kept), f"{graphs} article graphs: the crash left no partial data to recover"

    store = OxigraphStore.open(path=path)
    assert not pending.exists()
    assert snapshot(store) == before  # nothing of the interrupted batch, the rest intact
    assert not any(store.has_article(a.id) for a, _, _ in big_batch("crash "))

    # the next run writes the batch again: the result is what a clean write gives
    store.write(big_batch("crash "))
    again = snapshot(store)
    store.close()
    clean = OxigraphStore.open(path=tmp_path / "clean")
    clean.write(kept)
    clean.write(big_batch("crash "))
    assert again == snapshot(clean)
    clean.close()


def test_failed_marker_step_is_undone_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = OxigraphStore.open(path=tmp_path / "oxigraph")
    store.write(big_batch("kept "))
    before = snapshot(store)
    load = OxigraphStore._load

    def failing_markers(self: OxigraphStore, text: str, *, bulk: bool) -> None:
        if not bulk:
            raise StoreError(self.uri, "write failed, nothing of the batch written: disk full")
        load(self, text, bulk=bulk)

    monkeypatch.setattr(OxigraphStore, "_load", failing_markers)
    with pytest.raises(StoreError, match="disk full"):
        store.write(big_batch("failed "))
    monkeypatch.undo()
    assert snapshot(store) == before
    assert not Path(store.uri + ".pending").exists()
    store.close()
