"""Readers of plain text, markdown and HTML pages, and the text decoding every reader shares.

Readers are plugins (:class:`graphkg.plugins.Reader`, entry-point group ``graphkg.readers``);
the pipeline walks the sources and hands each file to the reader of its suffix
(:mod:`graphkg.pipeline.sources`). A reader raises :class:`~graphkg.errors.LoaderError` with a
one-line reason for a bad file.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Any

from graphkg.errors import LoaderError
from graphkg.model import Article

from .textclean import clean_text

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["TextReader", "HtmlReader", "decode_text"]

_BINARY_RATIO = 0.05      # share of control characters above which decoded bytes are not text
_MIN_HTML_WORDS = 6       # an HTML page needs one paragraph at least this long to be an article


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


def _stray_byte(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a byte that is not UTF-8 inside UTF-8 text is read as Windows-1252
    (Latin-1 for the five bytes cp1252 leaves undefined): a file pasted together from a UTF-8
    and a Latin-1 source keeps both halves readable instead of turning the UTF-8 half into
    mojibake."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start:err.end]
    out = []
    for b in bad:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(bytes([b]).decode("latin-1"))
    return "".join(out), err.end


STRAY_BYTES = "graphkg-stray-bytes"  # the error handler's name, for ``bytes.decode("utf-8", STRAY_BYTES)``
codecs.register_error(STRAY_BYTES, _stray_byte)


def _decode(data: bytes, declared: str | None) -> str | None:
    """Decode with a BOM's encoding, else the declared one, else UTF-8 in which stray bytes are
    read as Windows-1252 (a whole Windows-1252 file comes out the same as decoding it so).

    >>> _decode("Genève, ".encode() + "Sénégal".encode("latin-1"), None)
    'Genève, Sénégal'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data:
        return None
    if declared:
        try:
            name = codecs.lookup(declared).name
            if name != "utf-8":
                return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("utf-8", STRAY_BYTES)


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
                            lang=None, publisher=getattr(doc, "sitename", None) or None,
                            versioned=True)  # a page's canonical URL names the page


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
