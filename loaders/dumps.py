"""Article dumps: JSON Lines and CSV, one article per line or row, streamed.

Field names are configurable (``graphkg ingest --field text=body``); each role has defaults
tried in order (:data:`DEFAULT_FIELDS`). A bad line or row is reported as
``dump.jsonl:17: invalid JSON: ...`` and the others load; a CSV without any text column is
refused whole, naming the columns it has.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, BinaryIO, Self

from graphkg.errors import LoaderError
from graphkg.model import Article

from .readers import STRAY_BYTES

__all__ = [
    "DEFAULT_FIELDS",
    "FIELD_ROLES",
    "FieldMap",
    "JsonlReader",
    "CsvReader",
    "parse_fields",
    "parse_date",
]

FIELD_ROLES = ("text", "title", "url", "date", "language", "publisher")
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "full_text", "maintext"),
    "title": ("title", "headline"),
    "url": ("url", "link", "canonical_url"),
    "date": ("date", "published", "pubDate", "published_at", "datePublished", "date_publish"),
    "language": ("language", "lang"),
    "publisher": ("publisher", "source_name", "site_name", "source", "outlet"),
}
FieldMap = Mapping[str, tuple[str, ...]]
_HEAD = 8192
_UTF16 = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def parse_fields(specs: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Parse ``role=name[|name...]`` options into a field map over :data:`DEFAULT_FIELDS`.

    >>> parse_fields(["text=body", "date=ts|time"])["date"]
    ('ts', 'time')

    Raises:
        LoaderError: malformed option or unknown role (the message lists the roles).
    """
    fields = dict(DEFAULT_FIELDS)
    for spec in specs:
        role, sep, names = spec.partition("=")
        role = role.strip().lower()
        role = {"lang": "language", "body": "text", "published": "date"}.get(role, role)
        if not sep or not names.strip():
            raise LoaderError(f"--field {spec}", "expected ROLE=NAME such as text=body")
        if role not in FIELD_ROLES:
            raise LoaderError(f"--field {spec}", f"unknown role {role!r}; expected one of {list(FIELD_ROLES)}")
        fields[role] = tuple(n.strip() for n in names.split("|") if n.strip())
    return fields


def parse_date(value: Any) -> date | None:
    """A publication date from ISO 8601, RFC 822 (RSS) or a Unix timestamp; ``None`` if unsure.

    >>> parse_date("2025-08-07T10:00:00Z"), parse_date("Thu, 07 Aug 2025 10:00:00 GMT")
    (datetime.date(2025, 8, 7), datetime.date(2025, 8, 7))
    >>> parse_date("last week") is None
    True
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value if value < 1e11 else value / 1000, tz=timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    m = _ISO.match(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def _path(record: Mapping[str, Any], name: str) -> Any:
    value: Any = record
    for part in name.split("."):  # dotted paths reach into nested JSON objects
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _get(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = _path(record, name)
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return value
    return None


def _lang(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower().replace("_", "-").split("-")[0][:3] or None


def _article(record: Mapping[str, Any], fields: FieldMap, where: str) -> Article | LoaderError:
    text = _get(record, fields["text"])
    if text is None and any(isinstance(_path(record, n), str) for n in fields["text"]):
        return LoaderError(where, "empty text")
    if text is None:
        found = sorted(str(k) for k in record)[:12]
        return LoaderError(where, f"no text field; looked for {list(fields['text'])}, found {found}; "
                                  "name it with --field text=NAME")
    if not isinstance(text, str):
        return LoaderError(where, f"text field is {_a(type(text).__name__)}, not a string")
    if not text.strip():
        return LoaderError(where, "empty text")
    if "\x00" in text:
        return LoaderError(where, "text contains NUL bytes (binary data?)")

    wrong = _wrong_types(record, fields)
    if wrong is not None:
        return LoaderError(where, wrong)

    def opt(role: str) -> str | None:
        value = _scalar(_get(record, fields[role]))
        return str(value).strip() or None if value is not None else None

    return Article.make(text.strip(), where, url=opt("url"), title=opt("title"),
                        published=parse_date(_scalar(_get(record, fields["date"]))),
                        lang=_lang(_get(record, fields["language"])), publisher=opt("publisher"))


_SCALAR = (str, int, float)
_NAMED = ("name", "title", "value", "text", "label")  # where an object keeps its readable name


def _scalar(value: Any) -> Any:
    """A metadata value as one scalar: an object's name (NewsAPI's ``"source": {"id": ..,
    "name": "BBC"}``), a list of strings joined (several authors or titles), else as it is.

    >>> _scalar({"id": "bbc", "name": "BBC News"}), _scalar(["A", "B"]), _scalar(3)
    ('BBC News', 'A, B', 3)
    """
    if isinstance(value, Mapping):
        return next((value[k] for k in _NAMED if isinstance(value.get(k), str) and value[k].strip()), value)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return ", ".join(v.strip() for v in value if v.strip()) or None
    return value


def _wrong_types(record: Mapping[str, Any], fields: FieldMap) -> str | None:
    """Why a record's metadata cannot be read as it stands, or ``None``: a URL or a language that
    is not a string, a title, publisher or date that is a list or an object with no readable
    name (:func:`_scalar`; stored as ``"['https://x/a']"`` before). The record is reported
    rather than stored wrong.

    >>> _wrong_types({"text": "t", "url": ["https://x/a"]}, {"url": ("url",), "title": (), "publisher": (),
    ...              "date": (), "language": ()})
    "url is a list (['https://x/a']), not a string; fix the record or map another field with --field url=NAME"
    """
    for role in ("url", "language", "title", "publisher", "date"):
        value = _get(record, fields[role])
        if role not in {"url", "language"}:
            value = _scalar(value)
        if value is None:
            continue
        ok = isinstance(value, str) if role in {"url", "language"} else \
            isinstance(value, _SCALAR) and not isinstance(value, bool)
        if not ok:
            shown = repr(value)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            return (f"{role} is {_a(type(value).__name__)} ({shown}), not a "
                    f"{'string' if role in {'url', 'language'} else 'string or number'}; "
                    f"fix the record or map another field with --field {role}=NAME")
    return None


def _sniff(fh: BinaryIO, source: str) -> tuple[bytes, str | None]:
    """First bytes and a forced encoding (UTF-16/32 BOM); refuses empty and binary input."""
    head = fh.peek(_HEAD)[:_HEAD] if hasattr(fh, "peek") else b""
    if not head:
        raise LoaderError(source, "empty file")
    for bom, enc in _UTF16:
        if head.startswith(bom):
            return head, enc
    if b"\x00" in head:
        raise LoaderError(source, "binary file, not text")
    return head, None


def _lines(fh: BinaryIO, source: str, max_bytes: int) -> Iterator[tuple[int, str | LoaderError]]:
    """Numbered text lines: UTF-8, or Windows-1252 for a line that is not UTF-8."""
    _, forced = _sniff(fh, source)
    if forced:
        stream = io.TextIOWrapper(fh, encoding=forced, newline="")
        n = 0
        try:
            for n, line in enumerate(stream, 1):
                yield n, line.lstrip("\ufeff")
        except UnicodeDecodeError as err:  # a truncated or corrupt UTF-16/32 file
            yield n + 1, LoaderError(f"{source}:{n + 1}", f"cannot decode as {forced}: {err.reason}")
        finally:
            stream.detach()  # the caller owns and closes the binary file
        return
    n = 0
    while True:
        raw = fh.readline(max_bytes + 1)
        if not raw:
            return
        n += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the oversized line
                raw = fh.readline(1 << 20)
            yield n, LoaderError(f"{source}:{n}", f"line is over the {max_bytes} bytes limit; raise --max-bytes")
            continue
        yield n, raw.decode("utf-8-sig" if n == 1 else "utf-8", STRAY_BYTES)  # a stray byte as cp1252


class _DumpReader:
    """What the dump readers share: configurable field names and a whole-bytes entry point."""

    def __init__(self, fields: FieldMap | None = None) -> None:
        self.fields: FieldMap = dict(fields or DEFAULT_FIELDS)

    def configure(self, fields: Sequence[str]) -> Self:
        """A copy reading the fields named by ``role=name`` specs (``--field text=body``).

        Raises:
            LoaderError: malformed spec or unknown role.
        """
        return type(self)(parse_fields(fields))

    def read(self, data: bytes, source: str) -> list[Article | LoaderError]:
        """Whole-bytes entry point (standard input, tests): same as :meth:`stream`."""
        return list(self.stream(io.BufferedReader(io.BytesIO(data)), source, max_bytes=max(len(data), 1)))

    def stream(self, fh: BinaryIO, source: str, *, max_bytes: int) -> Iterator[Article | LoaderError]:
        raise NotImplementedError


class JsonlReader(_DumpReader):
    """JSON Lines dumps: one JSON object per line."""

    name = "jsonl"
    suffixes: tuple[str, ...] = (".jsonl", ".ndjson", ".jsonlines")

    def stream(self, fh: BinaryIO, source: str, *, max_bytes: int) -> Iterator[Article | LoaderError]:
        """Articles and per-line errors, read line by line (memory bounded by one line)."""
        for n, line in _lines(fh, source, max_bytes):
            where = f"{source}:{n}"
            if isinstance(line, LoaderError):
                yield line
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line.rstrip("\r\n"))
            except ValueError as exc:
                msg = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                col = f" (column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
                yield LoaderError(where, f"invalid JSON: {msg}{col}")
                continue
            if not isinstance(record, dict):
                yield LoaderError(where, f"expected a JSON object, got {type(record).__name__}")
                continue
            yield _article(record, self.fields, where)


class CsvReader(_DumpReader):
    """CSV/TSV dumps with a header row; delimiter sniffed among ``, ; TAB |``."""

    name = "csv"
    suffixes: tuple[str, ...] = (".csv", ".tsv")

    def stream(self, fh: BinaryIO, source: str, *, max_bytes: int) -> Iterator[Article | LoaderError]:
        """Articles and per-row errors; raises :class:`LoaderError` when no column holds text."""
        head, forced = _sniff(fh, source)
        numbered = _lines(fh, source, max_bytes)
        bad: list[LoaderError] = []

        def text_lines() -> Iterator[str]:
            for _, line in numbered:
                if isinstance(line, LoaderError):
                    bad.append(line)
                    yield "\n"
                else:
                    yield line

        sample = head.decode(forced or "utf-8", errors="replace").lstrip("\ufeff")
        if source.lower().endswith(".tsv"):
            delimiter = "\t"
        else:
            try:
                delimiter = csv.Sniffer().sniff(sample.split("\n", 1)[0] + "\n", ",;\t|").delimiter
            except csv.Error:
                delimiter = ","
        csv.field_size_limit(max(max_bytes, 131072))
        rows = csv.DictReader(text_lines(), delimiter=delimiter)
        try:
            columns = [c for c in (rows.fieldnames or []) if c]
        except csv.Error as exc:
            raise LoaderError(source, f"not a CSV file: bad header row ({exc})") from None
        if not any(name in columns for name in self.fields["text"]):
            shown = ", ".join(columns[:4]) + (f" and {len(columns) - 4} more (no header row?)" if len(columns) > 5
                                              else ", ".join([""] + columns[4:]))
            raise LoaderError(source, f"no text column (looked for {', '.join(self.fields['text'])}); "
                                      f"columns: {shown}; name it with --field text=NAME")
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error as exc:
                yield LoaderError(f"{source}:{rows.line_num}", f"bad CSV row ({exc})")
                continue
            yield from bad
            bad.clear()
            record = {k: v for k, v in row.items() if isinstance(k, str)}
            yield _article(record, self.fields, f"{source}:{rows.line_num}")


def _a(word: str) -> str:
    """``word`` with its indefinite article: ``_a("int") == "an int"``."""
    return ("an " if word[:1] in "aeiou" else "a ") + word
