"""End-to-end ingest of generated news articles: articles/s with 1 and 2 workers, memory, re-run.

Writes ``--n`` articles (default 10,000; ~350-450 words each, French and English mixed,
diplomatic sentences among filler) as ``.txt`` files in a temp folder, then runs the real
command ``graphkg ingest --workers W`` in a subprocess for W = 1 and 2 (fresh data directory
each), sampling the resident memory of the command and its workers (whole process tree)
at n/2 and near n, and the peaks of each half of the run; then re-runs the same
ingest (journal + content-hash skips) and prints the speed-up. Ratios from this one run.

    .venv/bin/python bench/ingest_bench.py [--n 10000] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graphkg.pipeline.journal import Journal

BIN = Path(sys.executable).with_name("graphkg")
FR = ["Maroc", "France", "Algérie", "Espagne", "Sénégal", "Mauritanie", "Kazakhstan", "Chine", "Russie", "Brésil"]
EN = ["Morocco", "France", "Algeria", "Spain", "Senegal", "Mauritania", "Kazakhstan", "China", "Russia", "Brazil"]
FR_REL = ["{a} soutient le plan d'autonomie présenté par {b}.", "Le ministre des Affaires étrangères de {a} a "
          "rencontré son homologue de {b} à Rabat.", "{a} et {b} ont signé un accord de coopération.",
          "{a} condamne fermement la décision de {b}.", "{a} a rappelé son ambassadeur en {b}."]
EN_REL = ["{a} supports the autonomy plan presented by {b}.", "The foreign minister of {a} met his {b} "
          "counterpart in Geneva.", "{a} and {b} signed a cooperation agreement.",
          "{a} strongly condemned the decision by {b}.", "{a} recalled its ambassador to {b}."]
FR_FILL = ["Les discussions ont porté sur les échanges commerciaux, l'énergie et la sécurité régionale.",
           "Selon un communiqué publié à l'issue de la réunion, les deux parties ont salué la qualité du dialogue.",
           "Les observateurs estiment que cette visite marque une étape importante dans les relations bilatérales.",
           "Plusieurs accords sectoriels devraient être conclus dans les prochains mois, a indiqué une source proche."]
EN_FILL = ["The talks covered trade, energy and regional security, officials said after the meeting.",
           "According to a statement released afterwards, both sides welcomed the quality of the dialogue.",
           "Observers say the visit marks an important step in bilateral relations between the two countries.",
           "Several sector agreements are expected to be concluded in the coming months, a source said."]


def article(i: int, rng: random.Random) -> str:
    fr = i % 2 == 0
    names, rels, fill = (FR, FR_REL, FR_FILL) if fr else (EN, EN_REL, EN_FILL)
    paras = [f"{'Dépêche' if fr else 'Dispatch'} {i}: {rng.choice(names)} {'et' if fr else 'and'} {rng.choice(names)}"]
    while sum(len(p.split()) for p in paras) < rng.randint(350, 450):
        a, b = rng.sample(names, 2)
        sents = [rng.choice(rels).format(a=a, b=b)] + rng.sample(fill, 3)
        paras.append(" ".join(sents) + f" ({i}-{len(paras)})")
    return "\n\n".join(paras) + "\n"


def rss_mb(pid: int) -> float:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
        return sum(p.memory_info().rss for p in procs) / 2**20
    except psutil.Error:
        return 0.0


def run(folder: Path, home: Path, workers: int, n: int) -> dict[str, float]:
    cmd = [str(BIN), "--home", str(home), "-q", "ingest", "--workers", str(workers), str(folder)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    # memory of the whole process tree (command + workers), sampled every 0.5 s; "at n/2" is the
    # first sample once half the articles are journaled, "at n" the largest sample once 95 % are
    # (workers still alive: the last batches are still being extracted), and the two half-run
    # peaks show whether memory grows with the number of articles
    peak, at_half, at_end, peak_first, peak_second = 0.0, 0.0, 0.0, 0.0, 0.0
    while proc.poll() is None:
        mem = rss_mb(proc.pid)
        peak = max(peak, mem)
        done = Journal.peek_count(home)
        if done < n // 2:
            peak_first = max(peak_first, mem)
        else:
            peak_second = max(peak_second, mem)
            at_half = at_half or mem
        if done >= n * 0.95:
            at_end = max(at_end, mem)
        time.sleep(0.5)
    err = proc.stderr.read().decode() if proc.stderr else ""
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        print(err[-2000:])
    return {"seconds": dt, "rate": n / dt, "peak_mb": peak, "half_mb": at_half, "end_mb": at_end,
            "peak_first": peak_first, "peak_second": peak_second}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        words = 0
        for i in range(args.n):
            text = article(i, rng)
            words += len(text.split())
            (folder / f"{i:06d}.txt").write_text(text, encoding="utf-8")
        print(f"{args.n} articles, {words / args.n:.0f} words on average, French and English alternating")
        first = None
        for w in args.workers:
            home = Path(tmp) / f"home-{w}"
            r = run(folder, home, w, args.n)
            first = first or (home, r)
            growth = r["end_mb"] / r["half_mb"] if r["half_mb"] else float("nan")
            print(f"workers={w}: {r['seconds']:.1f} s, {r['rate']:.1f} articles/s, peak memory {r['peak_mb']:.0f} MB "
                  f"(all processes; limit 2048), at n/2 {r['half_mb']:.0f} MB -> at n {r['end_mb']:.0f} MB "
                  f"(x{growth:.2f}); peak of the first half {r['peak_first']:.0f} MB, of the second "
                  f"{r['peak_second']:.0f} MB")
        assert first is not None
        home, r1 = first
        again = run(folder, home, args.workers[0], args.n)
        print(f"re-run (same inputs, workers={args.workers[0]}): {again['seconds']:.2f} s, "
              f"{r1['seconds'] / again['seconds']:.0f}x faster than the first run (target >= 50x)")


if __name__ == "__main__":
    main()
