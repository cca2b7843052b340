"""RDF benchmark: ~1M triples through the embedded store, exports and SPARQL, measured in one run.

    .venv/bin/python bench/rdf_bench.py [--triples 1000000] [--keep DIR]

Generates synthetic relations (model objects, batch by batch), writes them to an on-disk
OxigraphStore, exports Turtle and N-Quads with ``graphkg.rdf.export.export`` and with pyoxigraph's
raw serialiser on the same store (``Store.dump``, per graph for Turtle), runs three cookbook
queries, and prints triples/s, the export/raw time ratios (floor: <= 2.0) and the peak RSS
(floor: < 2 GB). No timing is asserted in tests; this script is the measurement.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox

from graphkg.rdf.export import export
from graphkg.model import Article, Entity, Provenance, Relation
from graphkg.vocab import EntityType, Predicate, check_relation
from graphkg.vocab.terms import PREFIXES
from graphkg.stores.oxigraph import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
QUADS_PER_RELATION = 14  # asserted triple + 12-13 assertion quads (+ article metadata, mentions)


def _entities(rng: random.Random) -> dict[EntityType, list[Entity]]:
    C, P, O, T, D = EntityType.COUNTRY, EntityType.PERSON, EntityType.ORGANIZATION, EntityType.TERRITORY, EntityType.DOCUMENT
    return {
        C: [Entity(f"wd:Q{1000 + i}", f"Country {i}", C, (f"Pays {i}",), f"Q{1000 + i}") for i in range(200)],
        O: [Entity(f"wd:Q{5000 + i}", f"Organisation {i}", O, (f"ORG{i}",), f"Q{5000 + i}") for i in range(60)],
        P: [Entity.minted(f"Person {i}", P) for i in range(800)],
        T: [Entity.minted(f"Territory {i}", T) for i in range(40)],
        D: [Entity.minted(f"Document {i}", D) for i in range(150)],
    }


def _batches(n_relations: int, per_article: int, batch_articles: int, seed: int = 7) -> Iterator[list[tuple[Article, list[Relation], list[Entity]]]]:
    """Articles with ``per_article`` valid relations each, yielded ``batch_articles`` at a time."""
    rng = random.Random(seed)
    ents = _entities(rng)
    pool = [e for group in ents.values() for e in group]
    preds = list(Predicate)
    day0 = date(2023, 1, 1)
    made, batch, n = 0, [], 0
    while made < n_relations:
        published = day0 + timedelta(days=n % 900)
        text = f"Synthetic article {n} about diplomacy."
        art = Article.make(text, f"bench/{n}.txt", url=f"https://example.org/bench/{n}", title=f"Bench {n}",
                           published=published, lang="fr" if n % 2 else "en", publisher=f"Publisher {n % 13}")
        rels: list[Relation] = []
        while len(rels) < per_article and made < n_relations:
            p, s, o = rng.choice(preds), rng.choice(pool), rng.choice(pool)
            if s.id == o.id or check_relation(s.type, p, o.type) is not None:
                continue
            prov = Provenance(art.id, f"{s.label} {p.value.lower()} {o.label}.", 0, 40, "bench/1",
                              round(rng.uniform(0.3, 1.0), 2), url=art.url, title=art.title,
                              publisher=art.publisher, published=published, lang=art.lang, source=art.source)
            props = (("role", "minister"),) if p is Predicate.REPRESENTS else ()
            rels.append(Relation(s, p, o, prov, props, published.isoformat() if rng.random() < 0.5 else None))
            made += 1
        mentions = list({e.id: e for r in rels for e in (r.subject, r.object)}.values())
        batch.append((art, rels, mentions))
        n += 1
        if len(batch) == batch_articles:
            yield batch
            batch = []
    if batch:
        yield batch


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(label: str, fn, *args):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn(*args)
    dt = time.perf_counter() - t
    return out, dt


def _raw_turtle(store: ox.Store, path: Path) -> None:
    """pyoxigraph's own Turtle serialiser over the same triples (default graph, then each article graph)."""
    with path.open("wb") as fh:
        store.dump(fh, ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=dict(PREFIXES))
        for g in store.named_graphs():
            store.dump(fh, ox.RdfFormat.TURTLE, from_graph=g)


def _raw_nquads(store: ox.Store, path: Path) -> None:
    with path.open("wb") as fh:
        store.dump(fh, ox.RdfFormat.N_QUADS)


def _ours(store: OxigraphStore, fmt: str, path: Path) -> None:
    with path.open("wb") as fh:
        export(store, fmt, fh)


def _cookbook() -> dict[int, str]:
    text = (ROOT / "docs" / "sparql-cookbook.md").read_text(encoding="utf-8")
    return {int(n): q for n, q in re.findall(r"^## (\d+)\. .*?\n(?:(?!^## ).)*?```sparql\n(.*?)```", text, re.S | re.M)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--per-article", type=int, default=6)
    ap.add_argument("--keep", type=Path, default=None, help="Directory to keep the store and exports in.")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="graphkg-rdfbench-"))
    work.mkdir(parents=True, exist_ok=True)
    n_rel = args.triples // QUADS_PER_RELATION
    store = OxigraphStore.open(path=work / "store")
    raw: ox.Store = store._store  # the same pyoxigraph store, for the raw baseline

    t = time.perf_counter()
    for batch in _batches(n_rel, args.per_article, 500):
        store.write(batch)
    load_s = time.perf_counter() - t
    quads = len(raw)
    print(f"load      {quads:>9,} quads ({n_rel:,} relations) in {load_s:6.1f} s = {quads / load_s:>9,.0f} triples/s"
          f"   peak RSS {_rss_mb():,.0f} MB")

    results = {}
    for fmt, raw_fn, ext in (("turtle", _raw_turtle, "ttl"), ("nquads", _raw_nquads, "nq")):
        _, ours = _timed(fmt, _ours, store, fmt, work / f"ours.{ext}")
        rss_after = _rss_mb()
        _, base = _timed(fmt, raw_fn, raw, work / f"raw.{ext}")
        results[fmt] = ours / base
        size = (work / f"ours.{ext}").stat().st_size / 1e6
        print(f"export    {fmt:<8} ours {ours:6.1f} s = {quads / ours:>9,.0f} triples/s ({size:,.0f} MB)   "
              f"raw pyoxigraph {base:6.1f} s   ratio {ours / base:4.2f}   peak RSS {rss_after:,.0f} MB")

    book = _cookbook()
    for n in (3, 4, 6):
        t = time.perf_counter()
        rows = sum(1 for _ in store.query(book[n]))
        print(f"sparql    recipe {n:>2}: {rows:>6} rows in {time.perf_counter() - t:6.2f} s")
    store.close()

    peak = _rss_mb()
    worst = max(results.values())
    print(f"summary   export/raw ratio turtle {results['turtle']:.2f}, nquads {results['nquads']:.2f} "
          f"(floor <= 2.0: {'ok' if worst <= 2.0 else 'FAIL'}); peak RSS {peak:,.0f} MB "
          f"(floor < 2048 MB: {'ok' if peak < 2048 else 'FAIL'}); data in {work}")
    return 0 if worst <= 2.0 and peak < 2048 else 1


if __name__ == "__main__":
    sys.exit(main())
