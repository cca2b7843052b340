"""Neo4j first loads: the bulk path (neo4j-import files + Neo4j's offline importer) vs Bolt writes.

Usage: python bench/neo4j_bulk_bench.py [--n 300000] [--small 30000] [--rounds 3]

Same synthetic graph as bench/neo4j_bench.py (10 relations per article). Per round and size, in
an order that flips every round:

* **Bolt**: a private Neo4j 5.26 (the test launcher) on an empty database, schema applied,
  ``Neo4jStore.write`` of 1000-article batches;
* **bulk**: ``write_import_files`` of the same graph (from an in-memory store), the launcher's
  ``import`` (``neo4j-admin database import full`` in-process, JVM start included), then the
  server started on the imported folder and the schema applied (what an analyst waits for
  before the first query).

Reported: the median seconds and relations/s of each path at both sizes, the ratio Bolt/bulk at
``--n`` (the issue's floor: bulk >= 3x at 300,000 relations), and the crossover size where the
bulk path starts to win, from a straight line ``time = fixed + n * per_relation`` through the two
sizes of each path. Timed with ``time.perf_counter``; never a test assertion.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from neo4j_bench import synthetic  # noqa: E402
from neo4j_server import JAR, Neo4jServer, build_launcher  # noqa: E402

from graphkg.stores.memory import MemoryStore  # noqa: E402
from graphkg.stores.neo4j import Neo4jStore  # noqa: E402
from graphkg.stores.neo4j_import import write_import_files  # noqa: E402


def bolt_load(work: Path, batches: list) -> float:
    server = Neo4jServer(work / "bolt-db", jvm_flags=("-Xmx2g", "-Xms2g", "-XX:+UseParallelGC"))
    cfg = server.start()
    try:
        store = Neo4jStore.open(uri=cfg.uri, user=cfg.user, password=cfg.password)
        store.apply_schema()
        t = time.perf_counter()
        for b in batches:
            store.write(b)
        took = time.perf_counter() - t
        store.close()
        return took
    finally:
        server.stop()
        shutil.rmtree(work / "bolt-db", ignore_errors=True)


def bulk_load(work: Path, memory: MemoryStore) -> tuple[float, float, float]:
    """(export, import, start + schema) seconds."""
    csv_dir = work / "csv"
    t = time.perf_counter()
    write_import_files(memory, csv_dir)
    t_export = time.perf_counter() - t
    t = time.perf_counter()
    proc = subprocess.run(["java", "-Xmx2g", "-jar", str(JAR), "import", str(work / "bulk-db"), str(csv_dir)],
                          capture_output=True, text=True, timeout=3600)
    t_import = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"import failed: {proc.stdout[-1500:]} {proc.stderr[-1500:]}")
    t = time.perf_counter()
    server = Neo4jServer(work / "bulk-db", jvm_flags=("-Xmx2g",))
    cfg = server.start()
    try:
        store = Neo4jStore.open(uri=cfg.uri, user=cfg.user, password=cfg.password)
        store.apply_schema()
        n = store.counts().relations
        store.close()
    finally:
        server.stop()
    t_open = time.perf_counter() - t
    shutil.rmtree(work / "bulk-db", ignore_errors=True)
    shutil.rmtree(csv_dir, ignore_errors=True)
    if n != memory.counts().relations:
        raise SystemExit(f"bulk path: {n} relations in Neo4j, {memory.counts().relations} exported")
    return t_export, t_import, t_open


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300_000, help="relations of the large load")
    ap.add_argument("--small", type=int, default=30_000, help="relations of the small load (for the crossover)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians reported")
    args = ap.parse_args()
    build_launcher()
    results: dict[tuple[str, int], list[float]] = {}
    parts: dict[int, list[tuple[float, float, float]]] = {}
    work = Path(tempfile.mkdtemp(prefix="graphkg-bulk-"))
    try:
        for size in (args.small, args.n):
            data = synthetic(size)
            batches = [data[i:i + 1000] for i in range(0, len(data), 1000)]
            memory = MemoryStore()
            for b in batches:
                memory.write(b)
            for r in range(args.rounds):
                for path in (("bolt", "bulk") if r % 2 == 0 else ("bulk", "bolt")):
                    if path == "bolt":
                        results.setdefault(("bolt", size), []).append(bolt_load(work, batches))
                    else:
                        three = bulk_load(work, memory)
                        parts.setdefault(size, []).append(three)
                        results.setdefault(("bulk", size), []).append(sum(three))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in results.items()}
    for size in (args.small, args.n):
        e, i, o = (statistics.median(x) for x in zip(*parts[size], strict=True))
        print(f"n={size:<8} Bolt Neo4jStore.write  {med[('bolt', size)]:7.2f} s  {size / med[('bolt', size)]:9.0f} rel/s")
        print(f"n={size:<8} bulk import path       {med[('bulk', size)]:7.2f} s  {size / med[('bulk', size)]:9.0f} rel/s"
              f"   (export {e:.2f} s, import {i:.2f} s, start + schema {o:.2f} s)")
    ratio = med[("bolt", args.n)] / med[("bulk", args.n)]
    print(f"ratio Bolt/bulk at n={args.n}   {ratio:7.2f}x             (floor >= 3x; median of {args.rounds} "
          f"interleaved rounds)")
    fit = {}
    for path in ("bolt", "bulk"):
        per = (med[(path, args.n)] - med[(path, args.small)]) / (args.n - args.small)
        fit[path] = (med[(path, args.small)] - per * args.small, per)
    (a_bolt, b_bolt), (a_bulk, b_bulk) = fit["bolt"], fit["bulk"]
    if b_bolt > b_bulk:
        cross = max(0.0, (a_bulk - a_bolt) / (b_bolt - b_bulk))
        print(f"crossover                   {cross:9.0f} relations: the bulk path wins above it "
              f"(fixed cost bulk {a_bulk:.1f} s vs Bolt {a_bolt:.1f} s)")
    else:
        print("crossover                   none: the bulk path is not cheaper per relation on this machine")


if __name__ == "__main__":
    main()
