"""GDELT events into the embedded store: rows/second (floor 20,000 rows/s).

Generates ``--n`` rows (default 100,000) from the real sample's 305 rows (tests/data/gdelt/),
with new GLOBALEVENTIDs, SOURCEURLs varied per copy and one DATEADDED per 15-minute export of
1,000 rows. Then, each into a fresh data directory:

* ``cli``: the real command ``graphkg ingest --extractor gdelt DIR`` in a subprocess (default
  batch size, journal, one Oxigraph transaction per batch), wall time including start-up;
* ``pipeline``: the same :func:`graphkg.pipeline.ingest` call in this process (journal,
  transactional writes, the store writing in the background), without interpreter start-up;
* ``bulk``: the pipeline with ``bulk=True`` (Oxigraph's bulk loader, not atomic per batch);
* ``re-ingest``: the pipeline again on the ``pipeline`` directory (every article skipped);
* ``neo4j`` (with ``--neo4j``): the same pipeline into :class:`~graphkg.stores.neo4j.Neo4jStore`,
  on ``NEO4J_URI`` when set (its database is CLEARED) or else on a private Neo4j 5.26 started
  with the test launcher (tests/neo4j-launcher, built with Maven).

Prints the load average first (numbers on a busy 2-core machine are not comparable) and
ratios measured in this one run.

    .venv/bin/python bench/gdelt_bench.py [--n 100000] [--batch-size 500] [--neo4j]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "gdelt" / "20250807220000.export.CSV"
BIN = Path(sys.executable).with_name("graphkg")
FLOOR = 20_000


def generate(folder: Path, n: int, per_file: int = 1000) -> int:
    rows = [line.split("\t") for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    folder.mkdir(parents=True, exist_ok=True)
    start, k = datetime(2025, 8, 7, 22, 0), 0
    for i in range((n + per_file - 1) // per_file):
        stamp = (start + timedelta(minutes=15 * i)).strftime("%Y%m%d%H%M%S")
        out = []
        for _ in range(min(per_file, n - k)):
            f = list(rows[k % len(rows)])
            copy = k // len(rows)
            f[0], f[59] = str(2_000_000_000 + k), stamp
            f[60] = f[60] + ("&" if "?" in f[60] else "?") + f"copy={copy}"
            out.append("\t".join(f))
            k += 1
        (folder / f"{stamp}.export.CSV").write_text("\n".join(out) + "\n", encoding="utf-8")
    return k


def cli(folder: Path, home: Path, batch_size: int) -> tuple[float, float, str]:
    """Wall and CPU seconds of the command (all its threads), and its summary line."""
    cmd = [str(BIN), "--home", str(home), "--store", "oxigraph", "ingest", "--extractor", "gdelt",
           "--batch-size", str(batch_size), str(folder)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, cpu, done.stderr.strip().splitlines()[-1]


def pipeline(folder: Path, home: Path, *, bulk: bool, batch_size: int,
             neo4j: bool = False, clear: bool = True) -> tuple[float, float, Any, dict[str, int]]:
    """Wall and CPU seconds of one in-process ingest, its report and the reader's counters."""
    from graphkg.pipeline.journal import Journal
    from graphkg.loaders.gdelt import GdeltExtractor, GdeltReader, cameo_map
    from graphkg.pipeline.sources import read_sources
    from graphkg.pipeline import IngestOptions, ingest_items
    from graphkg.stores.neo4j import Neo4jStore
    from graphkg.stores.oxigraph import OxigraphStore

    cameo_map()  # gazetteer and CAMEO tables: a per-process fixed cost, not per row
    reader = GdeltReader()
    store: Any
    if neo4j:
        store = Neo4jStore.open()
        if clear:
            store.clear()
        store.apply_schema()
    else:
        store = OxigraphStore.open(home=home)
    journal = Journal.open(home)
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        options = IngestOptions(batch_size=batch_size, bulk=bulk, keep_rejected=False)
        report = ingest_items(read_sources([str(folder)], readers=[reader]), store, GdeltExtractor(), options,
                              journal=journal)
        store.close()  # count the final flush to disk in the time
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        journal.close()
    return elapsed, cpu, report, dict(reader.stats)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--batch-size", type=int, default=500, help="articles per transaction (the CLI default)")
    ap.add_argument("--neo4j", action="store_true", help="also ingest into Neo4j (NEO4J_URI or a private server)")
    args = ap.parse_args()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        n = generate(folder, args.n)
        print(f"{n} GDELT rows in {len(list(folder.iterdir()))} files, batch size {args.batch_size}")
        dt, cpu, last = cli(folder, Path(tmp) / "cli", args.batch_size)
        print(f"cli: {dt:.2f} s ({cpu:.2f} s CPU), {n / dt:,.0f} rows/s ({n / dt / FLOOR:.2f}x the {FLOOR:,} "
              f"floor), start-up included\n  {last}")
        for name, bulk in (("pipeline", False), ("bulk", True)):
            dt, cpu, rep, st = pipeline(folder, Path(tmp) / name, bulk=bulk, batch_size=args.batch_size)
            print(f"{name}: {dt:.2f} s ({cpu:.2f} s CPU), {n / dt:,.0f} rows/s ({n / dt / FLOOR:.2f}x the floor); "
                  f"{rep.articles_written} articles, {rep.relations_written} relations; "
                  f"{st.get('mapped', 0)} rows mapped")
        dt, _, rep, _ = pipeline(folder, Path(tmp) / "pipeline", bulk=False, batch_size=args.batch_size)
        print(f"re-ingest: {dt:.2f} s, {n / dt:,.0f} rows/s, {rep.skipped} articles skipped, "
              f"{rep.articles_written} written")
        if args.neo4j:
            neo4j(folder, Path(tmp) / "neo4j", n, args.batch_size)
    print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def neo4j(folder: Path, home: Path, n: int, batch_size: int) -> None:
    """The same pipeline into Neo4j: first load, then a re-ingest (every article skipped)."""
    server = None
    if not os.environ.get("NEO4J_URI"):
        sys.path.insert(0, str(ROOT / "tests"))
        from neo4j_server import Neo4jServer

        home.mkdir(parents=True, exist_ok=True)
        server = Neo4jServer(home / "db", jvm_flags=("-Xmx2g", "-Xms2g", "-XX:+UseParallelGC"))
        cfg = server.start()
        os.environ.update(NEO4J_URI=cfg.uri, NEO4J_USERNAME=cfg.user, NEO4J_PASSWORD=cfg.password)
    try:
        dt, cpu, rep, st = pipeline(folder, home, bulk=False, batch_size=batch_size, neo4j=True)
        print(f"neo4j: {dt:.2f} s ({cpu:.2f} s client CPU), {n / dt:,.0f} rows/s; {rep.articles_written} articles, "
              f"{rep.relations_written} relations; {st.get('mapped', 0)} rows mapped")
        dt, _, rep, _ = pipeline(folder, home, bulk=False, batch_size=batch_size, neo4j=True, clear=False)
        print(f"neo4j re-ingest: {dt:.2f} s, {n / dt:,.0f} rows/s, {rep.skipped} articles skipped, "
              f"{rep.articles_written} written")
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
