"""RSS 2.0 (and 1.0) and Atom feeds: one article per item, HTML stripped.

Parsed with lxml with entity resolution, DTD loading and network access all off (no XXE, no
billion laughs). An item's text is its full content (``content:encoded``, Atom ``content``)
or else its summary (``description``, Atom ``summary``); an item with neither is reported as
an error for that item, never invented from the title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from graphkg.errors import LoaderError
from .dumps import parse_date
from graphkg.model import Article

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["FeedReader", "html_to_text"]

_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC = "{http://purl.org/dc/elements/1.1/}"
_BLOCK = re.compile(r"(?i)</?(?:p|div|br|h[1-6]|li|ul|ol|blockquote|article|section|tr|table|pre)\b[^>]*>")
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one paragraph per block element.

    >>> html_to_text("<p>Le <b>Maroc</b> salue l'accord.</p><p>Fin.</p>")
    "Le Maroc salue l'accord.\\n\\nFin."
    """
    if "<" not in fragment:
        text = fragment
    else:
        import lxml.html

        marked = _BLOCK.sub("\n\n", fragment)
        try:
            root = lxml.html.fragment_fromstring(marked, create_parent="div")
            for bad in root.xpath("//script|//style"):
                bad.drop_tree()
            text = root.text_content()
        except Exception:  # lxml raises ParserError and ValueError on odd fragments
            text = re.sub(r"<[^>]*>", " ", marked)
    paragraphs = (_WS.sub(" ", p).strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")))
    return "\n\n".join(" ".join(p.split("\n")) for p in paragraphs if p)


def _text(el: _Element | None) -> str | None:
    if el is None:
        return None
    value = "".join(str(t) for t in el.itertext()).strip()
    return value or None


def _xml_fragment(el: _Element) -> str:
    from lxml import etree

    parts = [el.text or ""] + [etree.tostring(c, encoding="unicode") for c in el]
    return "".join(parts)


class FeedReader:
    """RSS 2.0, RSS 1.0 (RDF) and Atom feed files."""

    name = "feed"
    suffixes: tuple[str, ...] = (".rss", ".atom", ".xml")

    def read(self, data: bytes, source: str) -> list[Article | LoaderError]:
        """One article per item that has text; one error per item that has none.

        Raises:
            LoaderError: empty file, not XML, or XML that is not a feed.
        """
        from lxml import etree

        if not data.strip():
            raise LoaderError(source, "empty file")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                 huge_tree=False, remove_comments=True, remove_pis=True)
        try:
            root = etree.fromstring(data, parser=parser)
        except etree.XMLSyntaxError as exc:
            raise LoaderError(source, f"not XML ({exc.msg or exc})") from None
        if root is None:
            raise LoaderError(source, "not XML (no root element)")
        dtd = root.getroottree().docinfo.internalDTD
        if dtd is not None and any(True for _ in dtd.entities()):  # type: ignore[union-attr]  # never expanded
            raise LoaderError(source, "declares XML entities in its DOCTYPE (an entity bomb?); refused")
        tag = etree.QName(root).localname
        if tag == "rss":
            channel = root.find("channel")
            if channel is None:
                raise LoaderError(source, "RSS file without a <channel>")
            return _some(list(self._rss(channel, channel.findall("item"), source)), source, "items")
        if tag == "RDF":
            channel = root.find(_RSS1 + "channel")
            return _some(list(self._rss(channel, root.findall(_RSS1 + "item"), source, ns=_RSS1)), source, "items")
        if root.tag == _ATOM + "feed":
            return _some(list(self._atom(root, source)), source, "entries")
        raise LoaderError(source, f"not an RSS or Atom feed (root element <{tag}>); "
                                  "expected <rss>, <rdf:RDF> or Atom <feed>")

    def _rss(self, channel: _Element | None, items: list[_Element], source: str,
             ns: str = "") -> Iterator[Article | LoaderError]:
        publisher = _text(channel.find(ns + "title")) if channel is not None else None
        lang = _text(channel.find(ns + "language")) if channel is not None else None
        lang = lang or (_text(channel.find(_DC + "language")) if channel is not None else None)
        for n, item in enumerate(items, 1):
            body = _text(item.find(_CONTENT)) or _text(item.find(ns + "description"))
            link = _text(item.find(ns + "link")) or _text(item.find(ns + "guid"))
            when = _text(item.find("pubDate")) or _text(item.find(_DC + "date"))
            yield _make(source, n, body, _text(item.find(ns + "title")), link, when, lang, publisher)

    def _atom(self, feed: _Element, source: str) -> Iterator[Article | LoaderError]:
        publisher = _text(feed.find(_ATOM + "title"))
        lang = feed.get("{http://www.w3.org/XML/1998/namespace}lang")
        for n, entry in enumerate(feed.findall(_ATOM + "entry"), 1):
            body = None
            for tag in ("content", "summary"):
                el = entry.find(_ATOM + tag)
                if el is not None and (el.get("type") or "text") == "xhtml":
                    body = _xml_fragment(el).strip() or None
                elif el is not None:
                    body = _text(el)
                if body:
                    break
            link = None
            for el in entry.findall(_ATOM + "link"):
                if el.get("rel", "alternate") == "alternate" and el.get("href"):
                    link = el.get("href")
                    break
            when = _text(entry.find(_ATOM + "published")) or _text(entry.find(_ATOM + "updated"))
            lang_e = entry.get("{http://www.w3.org/XML/1998/namespace}lang") or lang
            yield _make(source, n, body, _text(entry.find(_ATOM + "title")), link, when, lang_e, publisher)


def _make(source: str, n: int, body: str | None, title: str | None, link: str | None,
          when: str | None, lang: str | None, publisher: str | None) -> Article | LoaderError:
    where = f"{source}:item {n}"
    text = html_to_text(body) if body else ""
    if not text:
        named = f" ({title[:60]!r})" if title else ""
        return LoaderError(where, f"item{named} has no content or summary; nothing to extract")
    if link and not urlsplit(link).scheme:
        link = None
    title_text = html_to_text(title) if title else None
    code = lang.strip().lower().split("-")[0] if lang and lang.strip() else None
    return Article.make(text, where, url=link, title=title_text or None, published=parse_date(when),
                        lang=code or None, publisher=publisher, versioned=True)  # the item's own link


def _some(items: list[Article | LoaderError], source: str, what: str) -> list[Article | LoaderError]:
    """The feed's items, or one error when it has none (an empty feed is often a failed fetch:
    it should not pass in silence)."""
    return items or [LoaderError(source, f"feed has no {what}; nothing to read")]
