"""GDELT events into the embedded store: rows/second (floor 20,000 rows/s).

Generates ``--n`` rows (default 100,000) from the real sample's 305 rows
(tests/data/gdelt/), with new GLOBALEVENTIDs and SOURCEURLs varied per copy, as 15-minute
export files of 1,000 rows; then ingests them through the pipeline into a fresh Oxigraph store
with the transactional write path and with the bulk path, and re-ingests once (idempotent
skip). Prints ratios measured in this one run. Neo4j: only when NEO4J_URI is set.

    .venv/bin/python bench/gdelt_bench.py [--n 100000] [--batch-size 1000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "gdelt" / "20250807220000.export.CSV"
FLOOR = 20_000


def generate(folder: Path, n: int, per_file: int = 1000) -> int:
    rows = [line.split("\t") for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    folder.mkdir(parents=True, exist_ok=True)
    k = 0
    for i in range((n + per_file - 1) // per_file):
        out = []
        for _ in range(min(per_file, n - k)):
            f = list(rows[k % len(rows)])
            copy = k // len(rows)
            f[0] = str(2_000_000_000 + k)
            f[60] = f[60] + ("&" if "?" in f[60] else "?") + f"copy={copy}"
            out.append("\t".join(f))
            k += 1
        (folder / f"2025080722{i:04d}.export.CSV").write_text("\n".join(out) + "\n", encoding="utf-8")
    return k


def load(folder: Path, home: Path, *, bulk: bool, batch_size: int) -> tuple[float, object, dict[str, int]]:
    from graphkg.gazetteer import default_gazetteer
    from graphkg.loaders.gdelt import GdeltExtractor, GdeltReader, cameo_map
    from graphkg.loaders.readers import read_sources
    from graphkg.pipeline import ingest
    from graphkg.stores.oxigraph import OxigraphStore

    cameo_map()  # gazetteer and CAMEO tables: a per-process fixed cost, not per row
    reader = GdeltReader()
    store = OxigraphStore.open(home=home)
    try:
        t0 = time.perf_counter()
        report = ingest(read_sources([str(folder)], readers=[reader]), store, GdeltExtractor(),
                        lookup=default_gazetteer().get, batch_size=batch_size, bulk=bulk, keep_rejected=False)
        store._store.flush()  # noqa: SLF001 - count the final flush in the time
        elapsed = time.perf_counter() - t0
    finally:
        store.close()
    return elapsed, report, dict(reader.stats)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--batch-size", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        n = generate(folder, args.n)
        print(f"{n} GDELT rows in {len(list(folder.iterdir()))} files")
        for bulk in (False, True):
            home = Path(tmp) / ("bulk" if bulk else "tx")
            dt, rep, st = load(folder, home, bulk=bulk, batch_size=args.batch_size)
            rate = n / dt
            print(f"{'bulk' if bulk else 'transactional'}: {dt:.2f} s, {rate:,.0f} rows/s "
                  f"({rate / FLOOR:.2f}x the {FLOOR:,} floor); {rep.articles_written} articles, "  # type: ignore[attr-defined]
                  f"{rep.relations_written} relations; {st.get('mapped', 0)} rows mapped")  # type: ignore[attr-defined]
        dt2, rep2, _ = load(folder, Path(tmp) / "bulk", bulk=True, batch_size=args.batch_size)
        print(f"re-ingest: {dt2:.2f} s, {n / dt2:,.0f} rows/s, {rep2.skipped} articles skipped, "  # type: ignore[attr-defined]
              f"{rep2.articles_written} written")  # type: ignore[attr-defined]
    if os.environ.get("NEO4J_URI"):
        print("neo4j: set up a Neo4jStore run here (not measured by this script yet)")
    else:
        print("neo4j: skipped (NEO4J_URI not set)")


if __name__ == "__main__":
    main()
