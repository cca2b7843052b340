"""Extraction cost against article length: words per second from 1 KB to 1 MB articles.

Articles of each size are built from the paragraphs of our own annotated articles
(``tests/data/own/articles``, text written for the project), repeated in order until the size is
reached, plus a pathological page: the same size of actor-dense text with no full stop at all
(it used to cost the square of its length). Every size is extracted once per round, sizes
interleaved and their order flipped each round; the report gives, per size, the median words/s
over the rounds and its ratio to the smallest size's (flat cost = ratios near 1). Peak memory
(ru_maxrss) is printed at the end. No timing is asserted: this is a measurement.

Usage::

    python bench/scale_bench.py [--sizes 1000,10000,100000,1000000] [--rounds 3] [--lang en]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WALL = "France supports Morocco and Germany condemned Russia while Spain met Italy in Madrid with Portugal, "


def _paragraphs(lang: str) -> list[str]:
    files = sorted((ROOT / "tests" / "data" / "own" / "articles").glob(f"*-{lang}-*.txt"))
    return [p for f in files for p in f.read_text(encoding="utf-8").split("\n\n") if len(p) > 80]


def _article(paras: list[str], size: int) -> str:
    out: list[str] = []
    n = i = 0
    while n < size:
        out.append(paras[i % len(paras)])
        n += len(out[-1]) + 2
        i += 1
    return "\n\n".join(out)[:max(size, 1)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000,1000000", help="article sizes in characters")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds (median reported)")
    ap.add_argument("--lang", choices=["fr", "en"], default="en")
    ap.add_argument("--wall", type=int, default=100000, help="size of the no-full-stop page (0: none)")
    args = ap.parse_args(argv)
    from graphkg.extract.learned import LearnedExtractor
    from graphkg.model import Article

    sizes = [int(s) for s in args.sizes.split(",")]
    paras = _paragraphs(args.lang)
    texts = {f"{s} chars": _article(paras, s) for s in sizes}
    if args.wall:
        texts[f"{args.wall} chars, no full stop"] = (WALL * (args.wall // len(WALL) + 1))[:args.wall]
    ex = LearnedExtractor()
    ex.extract(Article.make(paras[0], "warm.txt", lang=args.lang))  # models loaded before timing
    rates: dict[str, list[float]] = {k: [] for k in texts}
    order = list(texts)
    for r in range(args.rounds):
        for name in order if r % 2 == 0 else reversed(order):
            text = texts[name]
            t0 = time.perf_counter()
            ex.extract(Article.make(text, "bench.txt", lang=args.lang))
            rates[name].append(len(text.split()) / (time.perf_counter() - t0))
    base = statistics.median(rates[order[0]])
    for name in order:
        med = statistics.median(rates[name])
        print(f"{args.lang} {name}: {len(texts[name].split())} words, median {med:.0f} words/s over "
              f"{args.rounds} rounds, ratio to {order[0]} {med / base:.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
