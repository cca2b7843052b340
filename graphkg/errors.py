"""One error tree: everything graphkg raises derives from :class:`GraphkgError`.

Each subclass carries the offending value so the CLI can print one precise line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

__all__ = [
    "GraphkgError",
    "OntologyError",
    "ResolutionError",
    "LoaderError",
    "StoreError",
    "QueryError",
    "PluginError",
    "BrowserError",
    "suggest",
    "printable",
    "MAX_REASON",
]


def suggest(value: str, allowed: Iterable[str]) -> str:
    """Return a message tail naming the allowed set and the closest match.

    >>> suggest("SUPORTS", ["SUPPORTS", "OPPOSES"])
    "expected one of ['OPPOSES', 'SUPPORTS']; did you mean 'SUPPORTS'?"
    """
    options = sorted(allowed)
    close = difflib.get_close_matches(value, options, n=1)
    tail = f"expected one of {options}"
    return tail + (f"; did you mean {close[0]!r}?" if close else "")


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MAX_REASON = 200  # characters of a reason in a one-line message


def printable(name: str, limit: int | None = None) -> str:
    r"""``name`` (a file name, a reason) as one safe line: bytes that were not UTF-8 (a file name
    made on another system, held by Python as surrogate escapes) shown as ``\xNN``, other lone
    surrogates as ``\udNNN``, control characters and line separators escaped (a newline in a
    file name cannot forge a line of output), and, with ``limit``, cut to that many characters.

    >>> printable("caf\udce9.txt"), printable("a\nerror: forged"), printable("x" * 9, limit=6)
    ('caf\\xe9.txt', 'a\\nerror: forged', 'xxx...')
    """
    if not name.isascii() or _CONTROL.search(name):
        if any("\ud800" <= ch <= "\udfff" for ch in name):
            name = "".join(_escaped(ch) for ch in name)
        name = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), name)
    if limit is not None and len(name) > limit:
        name = name[:max(limit - 3, 0)] + "..."
    return name


def _escaped(ch: str) -> str:
    if "\udc80" <= ch <= "\udcff":  # a byte os.fsdecode could not decode
        return f"\\x{ord(ch) - 0xdc00:02x}"
    if "\ud800" <= ch <= "\udfff":
        return f"\\u{ord(ch):04x}"
    return ch


class GraphkgError(Exception):
    """Base of every error graphkg raises on purpose."""


class OntologyError(GraphkgError):
    """A value is not in the ontology (unknown type or predicate, domain/range violation)."""

    def __init__(self, message: str, value: object = None) -> None:
        super().__init__(message)
        self.value = value


class ResolutionError(GraphkgError):
    """A surface name could not be resolved to an entity."""

    def __init__(self, name: str, reason: str = "unknown entity") -> None:
        super().__init__(f"cannot resolve {name!r}: {reason}")
        self.name = name


class LoaderError(GraphkgError):
    """A source could not be read; ``source`` names the file, URL or line."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(GraphkgError):
    """A store could not be opened, read or written; ``uri`` names it."""

    def __init__(self, uri: str, reason: str) -> None:
        super().__init__(f"store {uri}: {reason}")
        self.uri = uri
        self.reason = reason


class QueryError(GraphkgError):
    """A query (SPARQL or Cypher) was refused or failed."""

    def __init__(self, query: str, reason: str) -> None:
        super().__init__(reason)
        self.query = query


class PluginError(GraphkgError):
    """A plugin is not registered or fails to load; ``name`` is its registered name."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(reason)
        self.name = name
        self.reason = reason


class BrowserError(GraphkgError):
    """Chromium is missing, failed, or a page did not answer in time."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"chromium: {reason}")
        self.reason = reason
