"""Neo4j write benchmark: Neo4jStore.write vs a bare driver ``UNWIND $rows CREATE``, same rows, one run.

Usage: python bench/neo4j_bench.py [--n 100000] [--batch 1000] [--rounds 5]
Uses NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD when set (the database is CLEARED), otherwise
starts a private Neo4j 5.26 with the test launcher (tests/neo4j-launcher, built with Maven),
with a bulk-load JVM (-Xmx2g, parallel GC, C2).

Prints relations/s of the first load, the ratio (store time / bare time; floor <= 1.5),
and the re-ingest speedup (first load time / re-ingest time, re-ingest as the pipeline does it:
already stored articles are skipped; floor >= 5). Also prints a forced re-write of every batch.

The bare baseline writes the same graph into the same (cleared) database with the same
constraints and indexes, one transaction per batch, and its Python row building is timed like
the store's: ``CREATE`` of each entity the first time it is seen (no MERGE), ``CREATE`` of the
articles, ``MATCH`` both ends by id then ``CREATE`` of each MENTIONS and of each relationship
(grouped by type, the same property map the store writes). It is an upper bound: no MERGE,
no deduplication, no alias union; a bare load is not idempotent.

A third path measures the machine's ceiling for this graph: the same bare CREATEs from two
sessions in parallel threads (entities created first), so the 10k rel/s floor can be read
against what plain Cypher reaches on the machine at all.

Both paths are warmed up first on a separate data set of the same shape (JIT, query plans),
then, per round, the store loads N relations, re-ingests and re-writes, and the bare path loads
the same N into the cleared database, the two in an order that flips every round. The verdict
is the median of the per-round store/bare ratios (5 rounds by default), printed with their
spread; the other figures are medians over the rounds.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from graphkg.model import Article, Entity, Provenance, Relation  # noqa: E402
from graphkg.vocab import EntityType as T  # noqa: E402
from graphkg.vocab import Predicate as P  # noqa: E402
from graphkg.stores.neo4j import Neo4jStore, _props  # noqa: E402

SHAPES = [(T.COUNTRY, P.SUPPORTS, T.DOCUMENT), (T.COUNTRY, P.OPPOSES, T.DOCUMENT),
          (T.COUNTRY, P.COOPERATES_WITH, T.COUNTRY), (T.COUNTRY, P.SANCTIONS, T.COUNTRY),
          (T.PERSON, P.MEETS, T.PERSON), (T.PERSON, P.VISITS, T.COUNTRY),
          (T.COUNTRY, P.SIGNS, T.DOCUMENT), (T.COUNTRY, P.AIDS, T.COUNTRY),
          (T.COUNTRY, P.MEMBER_OF, T.ORGANIZATION), (T.PERSON, P.REPRESENTS, T.COUNTRY)]


def synthetic(n: int, per_article: int = 10, seed: int = 7,
              prefix: str = "") -> list[tuple[Article, list[Relation], list[Entity]]]:
    """``n`` relations in ``n / per_article`` articles between a realistic pool of actors."""
    rnd = random.Random(seed)
    pool = {T.COUNTRY: [Entity(f"wd:Q{1000 + i}", f"Country {i}", T.COUNTRY, (f"Pays {i}",), f"Q{1000 + i}")
                        for i in range(200)],
            T.PERSON: [Entity.minted(f"Minister {i}", T.PERSON) for i in range(400)],
            T.DOCUMENT: [Entity.minted(f"Resolution {i}", T.DOCUMENT) for i in range(60)],
            T.ORGANIZATION: [Entity(f"wd:Q{9000 + i}", f"Organisation {i}", T.ORGANIZATION) for i in range(30)]}
    out = []
    for a in range(max(1, n // per_article)):
        day = date(2020, 1, 1) + timedelta(days=a % 2000)
        art = Article.make(f"{prefix}synthetic article {a}", f"bench/{prefix}{a}.txt", title=f"Dispatch {a}",
                           published=day, lang="fr" if a % 2 else "en", url=f"https://news.example/{a}",
                           publisher="Bench")
        rels: dict[str, Relation] = {}
        while len(rels) < per_article:
            st, p, ot = rnd.choice(SHAPES)
            s, o = rnd.choice(pool[st]), rnd.choice(pool[ot])
            if s.id == o.id:
                continue
            ev = (f"{s.label} {p.value.lower().replace('_', ' ')} {o.label}, the ministry said on "
                  f"{day.isoformat()} after talks in the capital.")
            prov = Provenance(art.id, ev, 0, len(ev), "bench/1", round(rnd.uniform(0.5, 1), 3))
            r = Relation(s, p, o, prov, (("role", "minister"),) if p is P.REPRESENTS else (), day.isoformat())
            rels[r.key] = r
        ents = {e.id: e for r in rels.values() for e in (r.subject, r.object)}
        out.append((art, list(rels.values()), list(ents.values())))
    return out


def store_load(store: Neo4jStore, batches: list) -> float:
    t = time.perf_counter()
    for b in batches:
        store.write(b)
    return time.perf_counter() - t


def reingest(store: Neo4jStore, batches: list) -> float:
    """As ``graphkg ingest`` does: skip articles already stored, write the rest."""
    t = time.perf_counter()
    for b in batches:
        todo = [item for item in b if not store.has_article(item[0].id)]
        if todo:
            store.write(todo)
    return time.perf_counter() - t


def _bare_rows(batch: list, created: set[str] | None) -> tuple[dict, list, list, dict]:
    """Rows of one batch for a bare load: entities not yet in ``created`` (none when it is None),
    articles, MENTIONS, relationships by type."""
    ents, arts, mentions, rels = {}, [], [], {}
    for art, rs, ms in batch:
        arts.append({"id": art.id, "url": art.url, "title": art.title, "published": art.published,
                     "lang": art.lang, "publisher": art.publisher, "source": art.source})
        for e in ms:
            if created is not None and e.id not in created:
                created.add(e.id)
                ents.setdefault(e.type.value, []).append(
                    {"id": e.id, "name": e.label, "aliases": list(e.aliases), "qid": e.qid})
            mentions.append({"a": art.id, "e": e.id})
        for r in rs:
            rels.setdefault(r.predicate.value, []).append({"s": r.subject.id, "o": r.object.id, "p": _props(r)})
    return ents, arts, mentions, rels


def _bare_write(driver, database: str | None, rows: tuple[dict, list, list, dict]) -> None:
    """``UNWIND $rows CREATE`` of one batch's rows in one transaction."""
    ents, arts, mentions, rels = rows

    def work(tx):
        for typ, items in ents.items():
            tx.run(f"UNWIND $rows AS row CREATE (e:Entity:{typ}) SET e = row", rows=items).consume()
        if arts:
            tx.run("UNWIND $rows AS row CREATE (a:Article) SET a = row", rows=arts).consume()
            tx.run("UNWIND $rows AS row MATCH (a:Article {id: row.a}) MATCH (e:Entity {id: row.e}) "
                   "CREATE (a)-[:MENTIONS]->(e)", rows=mentions).consume()
        for typ, items in rels.items():
            tx.run(f"UNWIND $rows AS row MATCH (s:Entity {{id: row.s}}) MATCH (o:Entity {{id: row.o}}) "
                   f"CREATE (s)-[r:{typ}]->(o) SET r = row.p", rows=items).consume()

    with driver.session(database=database) as s:
        s.execute_write(work)


def bare_load(driver, database: str | None, batches: list) -> float:
    """The same graph with plain ``UNWIND $rows CREATE`` (each entity created once), one tx per batch."""
    created: set[str] = set()
    t = time.perf_counter()
    for b in batches:
        _bare_write(driver, database, _bare_rows(b, created))
    return time.perf_counter() - t


def bare_parallel_load(driver, database: str | None, batches: list, writers: int = 2) -> float:
    """The machine's ceiling for this graph: every entity ``CREATE``d first (one transaction),
    then the batches' articles, MENTIONS and relationships ``CREATE``d by ``writers`` sessions
    in parallel threads (disjoint batches, one transaction per batch)."""
    from concurrent.futures import ThreadPoolExecutor

    t = time.perf_counter()
    ents: dict[str, dict[str, dict]] = {}
    for b in batches:
        for _, _, ms in b:
            for e in ms:
                ents.setdefault(e.type.value, {}).setdefault(
                    e.id, {"id": e.id, "name": e.label, "aliases": list(e.aliases), "qid": e.qid})
    _bare_write(driver, database, ({k: list(v.values()) for k, v in ents.items()}, [], [], {}))

    def load(share: list) -> None:
        for b in share:
            _bare_write(driver, database, _bare_rows(b, None))

    with ThreadPoolExecutor(writers) as pool:
        list(pool.map(load, [batches[i::writers] for i in range(writers)]))
    return time.perf_counter() - t


def count_graph(driver, database: str | None) -> tuple[int, int]:
    """(nodes, relationships) in the database, MENTIONS included."""
    with driver.session(database=database) as s:
        nodes = s.run("MATCH (n) RETURN count(n) AS n").single()["n"]
        rels = s.run("MATCH ()-[r]->() RETURN count(r) AS n").single()["n"]
    return nodes, rels


def packstream_backend() -> str:
    from neo4j._codec.packstream import v1

    return "rust (neo4j-rust-ext)" if getattr(v1, "_rust_pack", None) else "pure Python (pip install neo4j-rust-ext)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="relations to write")
    ap.add_argument("--batch", type=int, default=1000, help="articles per transaction (10 relations each)")
    ap.add_argument("--rounds", type=int, default=5,
                    help="interleaved rounds of store and bare loads (their order flips every round); medians reported")
    args = ap.parse_args()
    server = None
    if not os.environ.get("NEO4J_URI"):
        from neo4j_server import Neo4jServer

        server = Neo4jServer(Path(tempfile.mkdtemp(prefix="graphkg-bench-")) / "db",
                             jvm_flags=("-Xmx2g", "-Xms2g", "-XX:+UseParallelGC"))
        t = time.perf_counter()
        cfg = server.start()
        print(f"started private Neo4j 5.26 launcher in {time.perf_counter() - t:.1f}s at {cfg.uri}")
        os.environ.update(NEO4J_URI=cfg.uri, NEO4J_USERNAME=cfg.user, NEO4J_PASSWORD=cfg.password)
    split = lambda d: [d[i:i + args.batch] for i in range(0, len(d), args.batch)]  # noqa: E731
    firsts, bares, reins, forceds, ceilings = [], [], [], [], []
    try:
        data = synthetic(args.n)
        batches = split(data)
        n = sum(len(r) for _, r, _ in data)
        warm = split(synthetic(min(args.n, 20_000), seed=11, prefix="warm "))
        store = Neo4jStore.open()
        driver, db = store._driver, store.database
        store.clear()
        store.apply_schema()
        for _ in range(2):  # warm up the JVM and the query plans of both paths
            store_load(store, warm)
            store.clear()
            bare_load(driver, db, warm)
            store.clear()
            bare_parallel_load(driver, db, warm)
            store.clear()
        for r in range(args.rounds):
            # the two paths alternate which goes first, so a noisy neighbour hits both alike
            graphs = []
            for path in (("store", "bare") if r % 2 == 0 else ("bare", "store")):
                if path == "store":
                    firsts.append(store_load(store, batches))
                    counts = store.counts()
                    assert counts.relations == n, (counts.relations, n)
                    graphs.append(count_graph(driver, db))
                    again = Neo4jStore.open()  # a fresh object: no cached article ids
                    reins.append(reingest(again, batches))
                    forceds.append(store_load(again, batches))
                    assert again.counts() == counts and count_graph(driver, db) == graphs[-1]
                    again.close()
                else:
                    bares.append(bare_load(driver, db, batches))
                    graphs.append(count_graph(driver, db))
                store.clear()
            assert graphs[0] == graphs[1], graphs  # the same graph either way
            graph = graphs[0]
            ceilings.append(bare_parallel_load(driver, db, batches))
            assert count_graph(driver, db) == graph, (count_graph(driver, db), graph)
            store.clear()
        store.close()
    finally:
        if server is not None:
            server.stop()
    first, bare = statistics.median(firsts), statistics.median(bares)
    re_time, forced = statistics.median(reins), statistics.median(forceds)
    print(f"relations                  {n}  ({graph[1] - n} MENTIONS, {graph[0]} nodes; "
          f"{args.batch} articles = {args.batch * 10} relations per transaction)")
    print(f"packstream                 {packstream_backend()}")
    ratios = sorted(f / b for f, b in zip(firsts, bares, strict=True))
    print("rounds store/bare s        " + "  ".join(f"{a:.2f}/{b:.2f}" for a, b in zip(firsts, bares, strict=True)))
    print(f"Neo4jStore.write           {first:7.2f} s  {n / first:10.0f} rel/s   (floor >= 10000)")
    print(f"bare UNWIND CREATE         {bare:7.2f} s  {n / bare:10.0f} rel/s")
    ceiling = statistics.median(ceilings)
    print(f"bare, 2 sessions parallel  {ceiling:7.2f} s  {n / ceiling:10.0f} rel/s   (this machine's ceiling: "
          f"client and server share {os.cpu_count()} cores)")
    print(f"ratio store/bare time      {statistics.median(ratios):7.2f}              (floor <= 1.5; median of "
          f"{len(ratios)} interleaved rounds, spread {ratios[0]:.2f}-{ratios[-1]:.2f})")
    print(f"re-ingest (skip stored)    {re_time:7.2f} s  speedup {first / re_time:8.1f}x    (floor >= 5)")
    print(f"forced re-write (MERGE)    {forced:7.2f} s  speedup {first / forced:8.1f}x")


if __name__ == "__main__":
    main()
