"""Readers: turn source files (plain text, markdown, HTML) into :class:`~graphkg.model.Article`.

Readers are found through the ``graphkg.loaders`` entry-point group; the built-in text and HTML
readers register there too and are used directly when the entry points are not installed. A
reader is any object with ``name``, ``suffixes`` and ``read(data, source)``.

:func:`read_sources` never raises for a bad file: it yields a :class:`~graphkg.errors.LoaderError`
naming the file and a one-line reason in its place, so one broken page never stops a batch.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, runtime_checkable

from graphkg.errors import LoaderError
from graphkg.loaders.archives import ARCHIVE_SUFFIXES, DEFAULT_MAX_UNPACKED, is_archive
from graphkg.loaders.archives import members as archive_members
from graphkg.loaders.textclean import clean_text
from graphkg.model import Article

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ENTRY_POINT_GROUP",
    "Reader",
    "TextReader",
    "HtmlReader",
    "decode_text",
    "load_readers",
    "iter_sources",
    "read_sources",
]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ENTRY_POINT_GROUP = "graphkg.loaders"
STDIN = "-"
_BINARY_RATIO = 0.05      # share of control characters above which decoded bytes are not text
_MIN_HTML_WORDS = 6       # an HTML page needs one paragraph at least this long to be an article


@runtime_checkable
class Reader(Protocol):
    """What :func:`read_sources` needs from a reader (one file may hold several articles)."""

    name: str
    suffixes: tuple[str, ...]

    def read(self, data: bytes, source: str) -> Article | Iterable[Article]:
        """Parse one file's bytes; raise :class:`LoaderError` with a one-line reason.

        A multi-article reader may also yield :class:`LoaderError` items for bad records
        (``dump.jsonl:17``) among its articles. A reader that also defines
        ``stream(fh, source, *, max_bytes)`` is given the open file instead and streams it:
        ``max_bytes`` then bounds one record, not the whole file.
        """


# ---------------------------------------------------------------- decoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, source: str, *, declared: str | None = None) -> str:
    """Decode a file's bytes: BOM, then the declared charset, then UTF-8, then Windows-1252.

    Args:
        data: the raw bytes.
        source: the file name, for error messages.
        declared: a charset the file declares (HTML ``<meta charset>``), tried after a BOM.

    Raises:
        LoaderError: empty, whitespace only, or binary (NUL bytes, mostly control characters).

    >>> decode_text("Genève".encode("cp1252"), "a.txt")
    'Genève'
    """
    if not data:
        raise LoaderError(source, "empty file")
    text = _decode(data, declared)
    if text is None:
        raise LoaderError(source, "binary file, not text")
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v") + text.count("\ufffd")
    if controls > _BINARY_RATIO * len(text):
        raise LoaderError(source, "binary file, not text")
    if not text.strip():
        raise LoaderError(source, "file has only whitespace")
    return text


def _decode(data: bytes, declared: str | None) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data:
        return None
    candidates = ["utf-8", "cp1252", "latin-1"]
    if declared:
        try:
            candidates.insert(0, codecs.lookup(declared).name)
        except LookupError:
            pass
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None  # pragma: no cover - latin-1 decodes every byte string


# ---------------------------------------------------------------- text

class TextReader:
    """Plain text and markdown articles (scraped pages saved as text included)."""

    name = "text"
    suffixes: tuple[str, ...] = (".txt", ".text", ".md", ".markdown")

    def read(self, data: bytes, source: str) -> Article:
        """Decode, clean and wrap one text file.

        Raises:
            LoaderError: empty, binary or undecodable file, or nothing left but boilerplate.
        """
        text = decode_text(data, source)
        markdown = source.lower().endswith((".md", ".markdown"))
        clean = clean_text(text, markdown=markdown)
        if not clean.text:
            raise LoaderError(source, "no article text found (only boilerplate lines)")
        return Article.make(clean.text, source, url=None, title=clean.title, published=clean.published,
                            lang=None, publisher=None)


# ---------------------------------------------------------------- HTML

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished",
                   "publication_date", "publish_date", "publishdate", "pubdate", "dc.date.issued",
                   "dcterms.issued", "sailthru.date", "parsely-pub-date", "dc.date", "date")


class HtmlReader:
    """HTML pages, through trafilatura (main text, title, site name, canonical URL, date)."""

    name = "html"
    suffixes: tuple[str, ...] = (".html", ".htm", ".xhtml")

    def read(self, data: bytes, source: str) -> Article:
        """Extract the article body of one HTML page.

        Raises:
            LoaderError: empty, binary or unparsable page, or no article body in it.
        """
        m = _META_CHARSET.search(data[:4096])
        html = _XML_DECL.sub("", decode_text(data, source, declared=m.group(1).decode("ascii") if m else None))
        try:
            import lxml.html
            import trafilatura

            tree = lxml.html.document_fromstring(html.encode("utf-8"),
                                                 parser=lxml.html.HTMLParser(encoding="utf-8"))
            published = _structured_date(tree)
            doc = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False,
                                              favor_precision=True)
        except Exception as exc:  # lxml/trafilatura raise many types on malformed pages
            raise LoaderError(source, f"cannot parse HTML ({type(exc).__name__}: {exc})") from exc
        body = getattr(doc, "text", None) or ""
        clean = clean_text(body, one_per_line=True)
        if not any(len(p.split()) >= _MIN_HTML_WORDS for p in clean.text.split("\n\n")):
            raise LoaderError(source, "no article text found in HTML")
        published = published or clean.published or _trafilatura_date(getattr(doc, "date", None), html)
        return Article.make(clean.text, source, url=getattr(doc, "url", None) or None,
                            title=getattr(doc, "title", None) or clean.title, published=published,
                            lang=None, publisher=getattr(doc, "sitename", None) or None)


def _iso_date(value: str | None) -> date | None:
    m = _ISO_DATE.match(value or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _structured_date(tree: HtmlElement) -> date | None:
    """Publication date declared by the page: meta tags, then JSON-LD, then ``<time>``."""
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key and key not in metas and meta.get("content"):
            metas[key] = meta.get("content", "")
    for key in _PUBLISHED_META:
        if (day := _iso_date(metas.get(key))) is not None:
            return day
    for node in tree.xpath('//*[@itemprop="datePublished"]'):
        if (day := _iso_date(node.get("content") or node.get("datetime"))) is not None:
            return day
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            found = _json_ld_date(json.loads(script.text or ""))
        except ValueError:
            continue
        if found is not None:
            return found
    times = tree.xpath("//article//time[@datetime]") or tree.xpath(
        "//time[@datetime][not(ancestor::footer or ancestor::aside or ancestor::nav)]")
    for node in times:
        if (day := _iso_date(node.get("datetime"))) is not None:
            return day
    return None


def _json_ld_date(node: Any) -> date | None:
    if isinstance(node, list):
        for item in node:
            if (day := _json_ld_date(item)) is not None:
                return day
    elif isinstance(node, dict):
        if isinstance(node.get("datePublished"), str) and (day := _iso_date(node["datePublished"])):
            return day
        return _json_ld_date(node.get("@graph"))
    return None


def _trafilatura_date(value: str | None, html: str) -> date | None:
    """trafilatura's date, unless it is only the year of a copyright footer (YYYY-01-01)."""
    day = _iso_date(value)
    if day is None or (day.month, day.day) != (1, 1):
        return day
    footer = re.compile(rf"(?:\u00a9|&copy;|copyright)\s*(?:\d{{4}}\s*[-\u2013]\s*)?{day.year}", re.IGNORECASE)
    return None if footer.search(html) else day


# ---------------------------------------------------------------- discovery

def load_readers(entry_points: Iterable[metadata.EntryPoint] | None = None) -> list[Reader]:
    """Readers registered in the ``graphkg.loaders`` group, plus built-ins the group lacks.

    Entry points that fail to load or are not readers (structured loaders share the group) are
    skipped. Order: entry-point name; the first reader claiming a suffix wins.
    """
    eps = metadata.entry_points(group=ENTRY_POINT_GROUP) if entry_points is None else entry_points
    readers: list[Reader] = []
    for ep in sorted(eps, key=lambda e: e.name):
        try:
            obj = ep.load()
            reader = obj() if isinstance(obj, type) else obj
        except Exception:  # a broken plugin must not stop the built-ins
            continue
        if isinstance(reader, Reader):
            readers.append(reader)
    names = {r.name for r in readers}
    readers.extend(r for r in (HtmlReader(), TextReader()) if r.name not in names)
    return readers


def _suffix_map(readers: Sequence[Reader]) -> dict[str, Reader]:
    table: dict[str, Reader] = {}
    for reader in readers:
        for suffix in reader.suffixes:
            table.setdefault(suffix.lower(), reader)
    return table


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(root: str, recursive: bool) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not _hidden(d)) if recursive else []
        found.extend(os.path.join(dirpath, f) for f in sorted(filenames) if not _hidden(f))
    return found


def iter_sources(paths: Sequence[str], *, recursive: bool = True) -> Iterator[str]:
    """Expand paths into files: directories walked in sorted order (a directory's files before
    its sub-directories), hidden files and directories skipped.

    ``"-"`` stands for standard input and is passed through.

    Raises:
        LoaderError: a given path does not exist (checked for all paths before yielding).
    """
    for path in paths:
        if path != STDIN and not os.path.lexists(path):
            raise LoaderError(path, "no such file or directory")
    return _expand(list(paths), recursive)


def _expand(paths: list[str], recursive: bool) -> Iterator[str]:
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            yield from _walk(path, recursive)
        else:
            yield path


def _size(n: int) -> str:
    """Human size: ``_size(20 * 2**20) == '20.0 MB'``."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def _too_big(source: str, size: int | None, max_bytes: int) -> LoaderError:
    what = f"file is {_size(size)}," if size is not None else "input is"
    return LoaderError(source, f"{what} over the {_size(max_bytes)} limit; raise --max-bytes")


def _read_file(path: str, max_bytes: int) -> bytes:
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise _too_big(path, size, max_bytes)
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except PermissionError as exc:
        raise LoaderError(path, "permission denied") from exc
    except IsADirectoryError as exc:
        raise LoaderError(path, "is a directory") from exc
    except OSError as exc:
        raise LoaderError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:  # the file grew after stat
        raise _too_big(path, len(data), max_bytes)
    return data


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or bool(
        re.search(rb"<(?:html|head|body|article|p|div)[\s>]", head))


def _run(reader: Reader, data: bytes, source: str) -> Iterator[Article | LoaderError]:
    try:
        result = reader.read(data, source)
        items = [result] if isinstance(result, Article) else list(result)
    except LoaderError as exc:
        yield exc
        return
    except Exception as exc:  # third-party readers: report, never stop the batch
        yield LoaderError(source, f"reader {reader.name!r} failed ({type(exc).__name__}: {exc})")
        return
    yield from items


def read_sources(paths: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES,
                 stdin: BinaryIO | None = None, recursive: bool = True,
                 readers: Sequence[Reader] | None = None,
                 max_unpacked: int = DEFAULT_MAX_UNPACKED) -> Iterator[Article | LoaderError]:
    """Read every source into articles; a bad file yields a :class:`LoaderError` in its place.

    Args:
        paths: files, directories (walked) or ``"-"`` for standard input (HTML or text, sniffed).
        max_bytes: files larger than this are refused without being read; for streaming readers
            (dumps, GDELT), the limit of one line or record instead.
        stdin: the stream for ``"-"`` (default ``sys.stdin.buffer``).
        recursive: walk sub-directories.
        readers: readers to use instead of the ``graphkg.loaders`` entry points.
        max_unpacked: decompressed bytes allowed per ``.gz``/``.zip`` archive.

    Returns:
        An iterator with one item per file (several for readers of multi-article files).

    Raises:
        LoaderError: a given path does not exist (before anything is read).
    """
    sources = iter_sources(paths, recursive=recursive)
    table = _suffix_map(load_readers() if readers is None else readers)
    return _read_all(sources, table, max_bytes, stdin, max_unpacked)


def _match(table: dict[str, Reader], source: str) -> Reader | LoaderError:
    lower = source.lower()
    match = max((s for s in table if lower.endswith(s)), key=len, default=None)
    if match is None:
        suffix = Path(source).suffix
        shown = repr(suffix) if suffix else "(no extension)"
        return LoaderError(source, f"unsupported file type {shown}; expected one of {sorted(table)}"
                                   f" (or {' / '.join(ARCHIVE_SUFFIXES)} archives of them)")
    return table[match]


def _stream(reader: Reader, fh: BinaryIO, source: str, max_bytes: int) -> Iterator[Article | LoaderError]:
    """Run a streaming reader; a failure mid-stream becomes an error item after what was read."""
    try:
        yield from reader.stream(fh, source, max_bytes=max_bytes)  # type: ignore[attr-defined]
    except LoaderError as exc:
        yield exc
    except (OSError, EOFError) as exc:  # truncated or corrupt archive member, I/O error
        yield LoaderError(source, f"cannot read ({type(exc).__name__}: {exc})")
    except Exception as exc:  # third-party readers: report, never stop the batch
        yield LoaderError(source, f"reader {reader.name!r} failed ({type(exc).__name__}: {exc})")


def _open_one(reader: Reader, source: str, max_bytes: int) -> Iterator[Article | LoaderError]:
    if not hasattr(reader, "stream"):
        try:
            data = _read_file(source, max_bytes)
        except LoaderError as exc:
            yield exc
            return
        yield from _run(reader, data, source)
        return
    try:
        fh = open(source, "rb")
    except PermissionError:
        yield LoaderError(source, "permission denied")
        return
    except IsADirectoryError:
        yield LoaderError(source, "is a directory")
        return
    except OSError as exc:
        yield LoaderError(source, f"cannot read file ({exc.strerror or exc})")
        return
    with fh:
        yield from _stream(reader, fh, source, max_bytes)


def _archive(table: dict[str, Reader], source: str, max_bytes: int,
             max_unpacked: int) -> Iterator[Article | LoaderError]:
    for member in archive_members(source, max_unpacked=max_unpacked):
        if isinstance(member, LoaderError):
            yield member
            continue
        name, fh = member
        reader = _match(table, name)
        if isinstance(reader, LoaderError):
            yield reader
            continue
        if hasattr(reader, "stream"):
            yield from _stream(reader, fh, name, max_bytes)
            continue
        try:
            data = fh.read(max_bytes + 1)
        except (LoaderError, OSError, EOFError) as exc:
            yield exc if isinstance(exc, LoaderError) else LoaderError(name, f"cannot read ({exc})")
            continue
        if len(data) > max_bytes:
            yield _too_big(name, None, max_bytes)
            continue
        yield from _run(reader, data, name)


def _read_all(sources: Iterator[str], table: dict[str, Reader], max_bytes: int,
              stdin: BinaryIO | None, max_unpacked: int = DEFAULT_MAX_UNPACKED) -> Iterator[Article | LoaderError]:
    for source in sources:
        if source == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(max_bytes + 1)
            if len(data) > max_bytes:
                yield _too_big("<stdin>", None, max_bytes)
                continue
            reader = table.get(".html" if _looks_like_html(data) else ".txt")
            if reader is None:
                yield LoaderError("<stdin>", "no reader for standard input")
                continue
            yield from _run(reader, data, "<stdin>")
            continue
        if is_archive(source):
            yield from _archive(table, source, max_bytes, max_unpacked)
            continue
        found = _match(table, source)
        if isinstance(found, LoaderError):
            yield found
            continue
        yield from _open_one(found, source, max_bytes)
