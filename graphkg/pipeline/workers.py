"""Extraction over worker processes, with bounded memory.

Each worker builds its extractor once (spaCy models load once per process) through a
picklable factory; the parent sends chunks of articles and gets ``(article, candidates,
error)`` back. Processes start with ``forkserver`` (or ``spawn``): forking a parent that holds
an open RocksDB store and threads is unsafe.

Why not ``Pool.imap``: its feeder thread drains the whole input iterator as fast as it can,
so memory would grow with the input. Here the parent keeps at most ``2 * workers`` chunks in
flight (``apply_async`` window) and reads more input only as results come back. Results come
back per chunk, not in input order; the pipeline does not depend on order.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from graphkg.errors import GraphkgError
from graphkg.extract.budget import limited
from graphkg.model import Article, Candidate
from graphkg.plugins import Extractor, PreparingExtractor

__all__ = ["extract_one", "extract_parallel", "context"]

Result = tuple[Article, list[Candidate] | None, str | None]


def extract_one(extractor: Extractor, article: Article, max_seconds: float | None = None,
                max_chars: int | None = None) -> tuple[Article, list[Candidate] | None, str | None]:
    """Prepare (language) and extract one article within ``max_seconds`` (the extractors of this
    package check the budget between paragraphs and sentences) and ``max_chars`` of text (memory
    grows with an article's length: about 1 GB per million characters); any failure becomes its
    error reason."""
    if max_chars is not None and len(article.text) > max_chars:
        return article, None, (f"text of {len(article.text):,} characters, over the {max_chars:,} per-article "
                               "budget; article skipped, raise --max-chars")
    try:
        with limited(max_seconds):
            if isinstance(extractor, PreparingExtractor):
                article = extractor.prepare(article)
            return article, list(extractor.extract(article)), None
    except GraphkgError as err:
        return article, None, str(err)
    except Exception as err:  # an extractor bug on one article must not stop the batch
        return article, None, f"extractor failed ({type(err).__name__}: {err})"


_EXTRACTOR: Any = None
_LIMITS: tuple[float | None, int | None] = (None, None)


def context() -> mp.context.BaseContext:
    """``forkserver`` where available (Linux), else ``spawn``."""
    methods = mp.get_all_start_methods()
    return mp.get_context("forkserver" if "forkserver" in methods else "spawn")


def _init(factory: Callable[[], Extractor], limits: tuple[float | None, int | None] = (None, None)) -> None:
    global _EXTRACTOR, _LIMITS
    _EXTRACTOR, _LIMITS = factory(), limits


def _work(chunk: list[Article]) -> list[Result]:
    return [extract_one(_EXTRACTOR, a, *_LIMITS) for a in chunk]


def extract_parallel(articles: Iterable[Article], factory: Callable[[], Extractor], workers: int,
                     chunk_size: int = 4, max_seconds: float | None = None,
                     max_chars: int | None = None) -> Iterator[Result]:
    """Extract ``articles`` in ``workers`` processes (each within ``max_seconds`` and
    ``max_chars``, see :func:`extract_one`); yields results as chunks complete."""
    it = iter(articles)
    pool = context().Pool(workers, initializer=_init, initargs=(factory, (max_seconds, max_chars)))
    window: deque[Any] = deque()
    try:
        while True:
            chunk = list(islice(it, chunk_size))
            if chunk:
                window.append(pool.apply_async(_work, (chunk,)))
            while window and (not chunk or len(window) >= 2 * workers or window[0].ready()):
                yield from window.popleft().get()
            if not chunk and not window:
                break
        pool.close()
    finally:
        pool.terminate()
        pool.join()
