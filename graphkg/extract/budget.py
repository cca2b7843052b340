"""A time budget per article: extraction stops with one clear error instead of running for hours
on a pathological text (the sentence-length guard keeps cost linear; this bounds what is left).

The pipeline opens a budget around each article (:func:`limited`); the extractors check it
between paragraphs and sentences (:func:`check`). Outside a budget, :func:`check` costs one
lookup and never raises.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from graphkg.errors import GraphkgError

__all__ = ["BudgetExceeded", "limited", "check", "paused", "DEFAULT_MAX_SECONDS"]

DEFAULT_MAX_SECONDS = 300.0  # a 1 MB article takes about 60 s on one core of the reference machine

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("graphkg_deadline", default=None)


class BudgetExceeded(GraphkgError):
    """An article took longer than its extraction budget."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"extraction stopped after {seconds:g} s (the per-article budget); "
                         "article skipped, raise --max-seconds")
        self.seconds = seconds


@contextmanager
def limited(seconds: float | None) -> Iterator[None]:
    """Within the block, :func:`check` raises once ``seconds`` have passed (``None``: no limit).

    >>> with limited(0.0):
    ...     try:
    ...         check()
    ...     except BudgetExceeded as err:
    ...         print(err)
    extraction stopped after 0 s (the per-article budget); article skipped, raise --max-seconds
    """
    token = _DEADLINE.set(None if seconds is None else (time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check() -> None:
    """Raise :class:`BudgetExceeded` when the current article's budget is spent."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() >= deadline[0]:
        raise BudgetExceeded(deadline[1])


@contextmanager
def paused() -> Iterator[None]:
    """Time spent in the block does not count against the budget (loading the spaCy models on
    the first article is not the article's cost)."""
    t0 = time.monotonic()
    try:
        yield
    finally:
        deadline = _DEADLINE.get()
        if deadline is not None:
            _DEADLINE.set((deadline[0] + time.monotonic() - t0, deadline[1]))
