"""The benchmarks in bench/ still run: each at a tiny size, checked for its report lines.

These are smoke tests: they assert that a benchmark completes and prints every figure it
promises (so the README's commands keep working), never how fast anything is.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"[\d.]+"
pytestmark = pytest.mark.bench_smoke  # `pytest -m "not bench_smoke"` leaves them out


def run_bench(*args: str, timeout: int = 900, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env=env)


@pytest.mark.slow
def test_extract_bench_reports_ratio_and_words_per_second() -> None:
    done = run_bench("bench/extract_bench.py", "tests/data/extract/articles", "--repeat", "1")
    assert done.returncode in (0, 1), done.stderr  # 1 = ratio above the limit in this (tiny, noisy) run
    for lang in ("fr", "en"):
        assert re.search(rf"^{lang}: 6 articles, \d+ words, 1 interleaved rounds, workers=1, extractor learned: "
                         rf"median ratio {NUMBER}; fastest rounds: bare nlp.pipe {NUMBER}s \(\d+ words/s\), "
                         rf"extractor {NUMBER}s \(\d+ words/s\), ratio {NUMBER}$", done.stdout, re.M), done.stdout
    assert re.search(rf"^worst median ratio {NUMBER} \(limit 1.25\): (OK|TOO SLOW)$", done.stdout, re.M)
    assert ("TOO SLOW" in done.stdout) == (done.returncode == 1)


@pytest.mark.slow
def test_ingest_bench_reports_rates_memory_and_rerun() -> None:
    done = run_bench("bench/ingest_bench.py", "--n", "12", "--workers", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^12 articles, \d+ words on average", done.stdout, re.M)
    assert re.search(rf"^workers=1: {NUMBER} s, {NUMBER} articles/s, peak memory \d+ MB .*peak of the first "
                     r"half \d+ MB, of the second \d+ MB$", done.stdout, re.M), done.stdout
    assert re.search(rf"^re-run \(same inputs, workers=1\): {NUMBER} s, \d+x faster", done.stdout, re.M)


@pytest.mark.slow
@pytest.mark.neo4j
def test_gdelt_bench_reports_rows_per_second_embedded_and_neo4j() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}  # a private server: it clears
    done = run_bench("bench/gdelt_bench.py", "--n", "2000", "--neo4j", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^2000 GDELT rows in 2 files", done.stdout, re.M), done.stdout
    for run in ("cli", "pipeline", "bulk", "re-ingest", "neo4j", "neo4j re-ingest"):
        assert re.search(rf"^{run}: {NUMBER} s.* [\d,]+ rows/s", done.stdout, re.M), (run, done.stdout)


def test_gazetteer_bench_reports_throughput() -> None:
    done = run_bench("bench/gazetteer.py", "0.05")
    assert done.returncode == 0, done.stderr
    assert "MB/s" in done.stdout, done.stdout


@pytest.mark.slow
@pytest.mark.neo4j
def test_neo4j_bench_reports_rates_ratio_ceiling_and_reingest() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}  # a private server: it clears
    done = run_bench("bench/neo4j_bench.py", "--n", "2000", "--batch", "50", "--rounds", "2", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    for label in ("Neo4jStore.write", "bare UNWIND CREATE", "bare, 2 sessions parallel"):
        assert re.search(rf"^{re.escape(label)} +{NUMBER} s +\d+ rel/s", done.stdout, re.M), done.stdout
    assert re.search(rf"^ratio store/bare time +{NUMBER} +\(floor <= 1.5; median of 2 interleaved rounds, "
                     rf"spread {NUMBER}-{NUMBER}\)$", done.stdout, re.M), done.stdout
    assert re.search(rf"^re-ingest \(skip stored\) +{NUMBER} s +speedup +{NUMBER}x", done.stdout, re.M)


@pytest.mark.slow
@pytest.mark.neo4j
def test_neo4j_bulk_bench_reports_both_paths_ratio_and_crossover() -> None:
    done = run_bench("bench/neo4j_bulk_bench.py", "--n", "2000", "--small", "1000", "--rounds", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    for size in (1000, 2000):
        assert re.search(rf"^n={size} +Bolt Neo4jStore.write +{NUMBER} s +\d+ rel/s$", done.stdout, re.M), done.stdout
        assert re.search(rf"^n={size} +bulk import path +{NUMBER} s +\d+ rel/s +\(export {NUMBER} s, import "
                         rf"{NUMBER} s, start \+ schema {NUMBER} s\)$", done.stdout, re.M), done.stdout
    assert re.search(rf"^ratio Bolt/bulk at n=2000 +{NUMBER}x", done.stdout, re.M)
    assert re.search(r"^crossover +", done.stdout, re.M)


@pytest.mark.slow
def test_scale_bench_reports_words_per_second_per_size() -> None:
    done = run_bench("bench/scale_bench.py", "--sizes", "500,2000", "--rounds", "1", "--wall", "1000")
    assert done.returncode == 0, done.stderr
    for name in ("500 chars", "2000 chars", "1000 chars, no full stop"):
        assert re.search(rf"^en {name}: \d+ words, median \d+ words/s over 1 rounds, ratio to 500 chars {NUMBER}$",
                         done.stdout, re.M), done.stdout
    assert re.search(r"^peak memory \d+ MB$", done.stdout, re.M)


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "bench").glob("*.py")))
def test_every_bench_answers_help(script: str) -> None:
    """`python bench/X.py --help` prints its usage (map_bench and gazetteer raised on it)."""
    done = run_bench(f"bench/{script}", "--help", timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("usage:") and "Traceback" not in done.stderr, done
