"""Readers: text and HTML files to Articles, with one clear error item per bad file."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graphkg.errors import LoaderError
from graphkg.loaders.readers import HtmlReader, TextReader, decode_text
from graphkg.model import Article
from graphkg.pipeline import sources as sources_mod
from graphkg.pipeline.sources import DEFAULT_MAX_BYTES, iter_sources, load_readers, read_sources
from graphkg.plugins import Registry

SEED = Path(__file__).resolve().parent.parent / "samples" / "000-fr-seed.txt"
CP1252 = "Le ministre a salué l'accord signé à Genève avec ses homologues européens."

NEWS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>UN backs talks between Morocco and Algeria | World News</title>
<meta property="article:published_time" content="2024-03-03T10:32:00Z">
<meta property="og:site_name" content="World News">
<link rel="canonical" href="https://example.org/world/un-backs-talks">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>UN backs talks between Morocco and Algeria</h1>
<p>The United Nations Security Council on Tuesday adopted a resolution supporting renewed talks between
Morocco and Algeria over the Western Sahara dispute.</p>
<h2>A new envoy</h2>
<p>Secretary-General Ant&oacute;nio Guterres appointed a new personal envoy, who will visit Rabat and Algiers
next month to meet both foreign ministers.</p>
<p>Read more: <a href="/x">Other story</a></p>
<p>France and the United States welcomed the decision, while Russia abstained, citing the mandate.</p>
</article>
<section id="comments" class="comments"><h3>Leave a comment</h3>
<div class="comment"><p>Great article, thanks for sharing this with all of us today, very interesting!</p></div>
</section>
<footer><p>&copy; 2025 World News. All rights reserved.</p></footer>
</body></html>"""

BODY = ("<p>Le ministre des Affaires étrangères a reçu mardi à Rabat son homologue kazakh pour évoquer "
        "la coopération bilatérale et la question du Sahara.</p>"
        "<p>Les deux responsables ont signé un mémorandum d'entente dans le domaine de l'énergie.</p>")


def _page(head: str = "", body: str = BODY, tail: str = "") -> bytes:
    html = (f"<html><head><title>Rabat et Astana renforcent leur coopération</title>{head}</head>"
            f"<body><article><h1>Rabat et Astana renforcent leur coopération</h1>{body}</article>"
            f"{tail}<footer><p>© 2025 Le Journal</p></footer></body></html>")
    return html.encode("utf-8")


def _one(paths: list[str], **kw: Any) -> Article | LoaderError:
    items = list(read_sources(paths, **kw))
    assert len(items) == 1
    return items[0]


def _error(item: Article | LoaderError) -> str:
    assert isinstance(item, LoaderError), item
    return item.reason


# ---------------------------------------------------------------- text

def test_seed_file(tmp_path: Path) -> None:
    art = _one([str(SEED)])
    assert isinstance(art, Article)
    assert art.title == "Le Kazakhstan appuie l'intégrité territoriale du Maroc"
    assert art.published == date(2025, 4, 28)
    assert art.source == str(SEED) and art.url is None and art.lang is None
    assert "Popular Articles" not in art.text and "Portrait" not in art.text.split("\n\n")
    assert art.text.endswith("toutes les parties concernées.")


def test_cp1252_text(tmp_path: Path) -> None:
    art = TextReader().read(CP1252.encode("cp1252"), "a.txt")
    assert art.text == CP1252


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_bom_encodings(encoding: str) -> None:
    data = CP1252.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert TextReader().read(data, "a.txt").text == CP1252


def test_utf8_without_bom() -> None:
    assert TextReader().read(CP1252.encode("utf-8"), "a.txt").text == CP1252


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty file"),
    (b" \n\t\r\n  ", "file has only whitespace"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text"),
    (bytes(range(1, 32)) * 20 + b"abc", "binary file, not text"),
    (b"Accueil\nPartager\n\xa9 2024 Le Journal", "no article text found (only boilerplate lines)"),
])
def test_bad_text(data: bytes, reason: str) -> None:
    with pytest.raises(LoaderError) as info:
        TextReader().read(data, "bad.txt")
    assert info.value.reason == reason and info.value.source == "bad.txt"
    assert "\n" not in str(info.value)


def test_decode_text_declared_charset() -> None:
    assert decode_text("Genève".encode("cp1252"), "x", declared="windows-1252") == "Genève"
    assert decode_text("Genève".encode("utf-8"), "x", declared="no-such-charset") == "Genève"


# ---------------------------------------------------------------- HTML

def test_news_html() -> None:
    art = HtmlReader().read(NEWS_HTML.encode("utf-8"), "news.html")
    assert art.title == "UN backs talks between Morocco and Algeria"
    assert art.published == date(2024, 3, 3)  # the meta tag, not the © 2025 footer
    assert art.url == "https://example.org/world/un-backs-talks"
    assert art.publisher == "World News"
    paras = art.text.split("\n\n")
    assert paras[0] == "UN backs talks between Morocco and Algeria"
    assert "A new envoy" in paras
    assert any(p.startswith("Secretary-General António Guterres appointed") for p in paras)
    assert paras[-1].startswith("France and the United States welcomed")
    for junk in ("Home", "Sport", "Leave a comment", "Great article", "Read more", "©", "All rights reserved"):
        assert junk not in art.text


def test_html_copyright_year_is_not_a_date() -> None:
    assert HtmlReader().read(_page(), "p.html").published is None


@pytest.mark.parametrize(("head", "tail", "expected"), [
    ('<meta property="article:published_time" content="2025-04-28T08:00:00+01:00">', "", date(2025, 4, 28)),
    ('<script type="application/ld+json">' + json.dumps(
        {"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle", "datePublished": "2024-10-31"}]})
     + "</script>", "", date(2024, 10, 31)),
    ("", '<aside><time datetime="2023-01-05">5 janvier</time></aside>'
         '<p class="byline"><time datetime="2024-02-29T09:00">29 février</time></p>', date(2024, 2, 29)),
])
def test_html_structured_dates(head: str, tail: str, expected: date) -> None:
    assert HtmlReader().read(_page(head=head, tail=tail), "p.html").published == expected


def test_html_date_line_in_text() -> None:
    art = HtmlReader().read(_page(body="<p>lundi, avril 28, 2025</p>" + BODY), "p.html")
    assert art.published == date(2025, 4, 28)
    assert "avril 28" not in art.text


@pytest.mark.parametrize("html", [
    b"<html><head><title>Accueil</title></head><body><nav><a href='/'>Accueil</a> <a href='/a'>Contact</a>"
    b"</nav><footer>\xc2\xa9 2025</footer></body></html>",
    b"<html><body></body></html>",
    b"<p>Bonjour</p>",
])
def test_html_without_article(html: bytes) -> None:
    with pytest.raises(LoaderError) as info:
        HtmlReader().read(html, "empty.html")
    assert info.value.reason == "no article text found in HTML"


def test_html_cp1252_and_xml_declaration() -> None:
    page = ('<?xml version="1.0" encoding="windows-1252"?>\n<html><head>'
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>'
            f"<body><article><p>{CP1252}</p><p>Les discussions reprendront le mois prochain à Berne.</p>"
            "</article></body></html>")
    art = HtmlReader().read(page.encode("cp1252"), "p.xhtml")
    assert CP1252 in art.text.split("\n\n")


def test_html_binary_and_empty() -> None:
    for data, reason in ((b"", "empty file"), (b"\x00\x01\x02<html>", "binary file, not text")):
        with pytest.raises(LoaderError, match=reason):
            HtmlReader().read(data, "x.html")


# ---------------------------------------------------------------- read_sources

@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "b.html").write_bytes(NEWS_HTML.encode("utf-8"))
    (tmp_path / "a.txt").write_bytes(CP1252.encode("cp1252"))
    (tmp_path / "c.xyz").write_text("whatever")
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "d.md").write_text("# Titre de l'article du jour\n\nLe Maroc salue l'accord.\n")
    (tmp_path / "sub" / "deeper" / "e.TXT").write_text("Le Sénégal soutient le plan d'autonomie.\n")
    (tmp_path / "sub" / "empty.txt").write_bytes(b"")
    (tmp_path / ".hidden.txt").write_text("secret text here")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "f.txt").write_text("not an article")
    return tmp_path


def test_iter_sources_sorted_recursive_hidden_skipped(tree: Path) -> None:
    rel = [os.path.relpath(p, tree) for p in iter_sources([str(tree)])]
    assert rel == ["a.txt", "b.html", "c.xyz", "sub/d.md", "sub/empty.txt", "sub/deeper/e.TXT"]
    flat = [os.path.relpath(p, tree) for p in iter_sources([str(tree)], recursive=False)]
    assert flat == ["a.txt", "b.html", "c.xyz"]
    assert list(iter_sources(["-", str(tree / "a.txt")])) == ["-", str(tree / "a.txt")]


def test_read_directory_mixed(tree: Path) -> None:
    items = list(read_sources([str(tree)]))
    assert [os.path.basename(i.source) for i in items] == ["a.txt", "b.html", "c.xyz", "d.md", "empty.txt", "e.TXT"]
    a, b, c, d, empty, e = items
    assert isinstance(a, Article) and a.text == CP1252
    assert isinstance(b, Article) and b.publisher == "World News"
    # the list names every registered reader's suffixes (dumps, feeds, GDELT too), then archives
    assert _error(c).startswith("unsupported file type '.xyz'; expected one of .atom .csv")
    assert all(f" {s} " in _error(c) for s in (".htm", ".html", ".markdown", ".md", ".text", ".txt", ".xhtml"))
    assert str(c).startswith(str(tree / "c.xyz") + ": unsupported")
    assert isinstance(d, Article) and d.title == "Titre de l'article du jour"
    assert _error(empty) == "empty file"
    assert isinstance(e, Article)


def test_missing_path_raises_before_reading(tree: Path) -> None:
    missing = str(tree / "nope.txt")
    with pytest.raises(LoaderError) as info:
        read_sources([str(tree / "a.txt"), missing])
    assert info.value.source == missing and info.value.reason == "no such file or directory"


def test_no_extension(tmp_path: Path) -> None:
    (tmp_path / "README").write_text("hello")
    assert _error(_one([str(tmp_path / "README")])).startswith("unsupported file type (no extension); expected")


def test_oversize_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(20 * 1024 * 1024)  # sparse: costs no disk
    small = tmp_path / "small.txt"
    small.write_bytes(b"x" * 500)

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("an oversize file was opened")

    monkeypatch.setattr(sources_mod, "open", no_open, raising=False)
    assert DEFAULT_MAX_BYTES == 10 * 1024 * 1024
    assert _error(_one([str(big)])) == "file is 20.0 MB, over the 10.0 MB limit; raise --max-bytes"
    assert _error(_one([str(small)], max_bytes=100)) == (
        "file is 500 bytes, over the 100 bytes limit; raise --max-bytes")


def _raiser(exc: OSError) -> Callable[..., None]:
    def fail(*args: object, **kwargs: object) -> None:
        raise exc
    return fail


def test_unreadable_file_is_an_error_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Le Maroc salue l'accord.")
    monkeypatch.setattr(sources_mod, "open", _raiser(PermissionError(13, "Permission denied")), raising=False)
    assert _error(_one([str(path)])) == "permission denied"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_real_permissions(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Le Maroc salue l'accord.")
    path.chmod(0)
    try:
        assert _error(_one([str(path)])) == "permission denied"
    finally:
        path.chmod(0o644)


def test_dangling_symlink_is_an_error_item(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing-target.txt")
    item = _one([str(tmp_path)])
    assert _error(item).startswith("cannot read file (")


@pytest.mark.parametrize(("data", "title"), [
    (NEWS_HTML.encode("utf-8"), "UN backs talks between Morocco and Algeria"),
    ("Le Maroc et le Kazakhstan signent un accord\n\nLe texte a été signé hier à Rabat par les deux "
     "ministres des Affaires étrangères.".encode("utf-8"), "Le Maroc et le Kazakhstan signent un accord"),
])
def test_stdin_sniffed(data: bytes, title: str) -> None:
    art = _one(["-"], stdin=io.BytesIO(data))
    assert isinstance(art, Article) and art.title == title and art.source == "<stdin>"


def test_stdin_oversize() -> None:
    item = _one(["-"], stdin=io.BytesIO(b"x" * 200), max_bytes=100)
    assert _error(item) == "input is over the 100 bytes limit; raise --max-bytes"


# ---------------------------------------------------------------- entry points

class XyzReader:
    name = "xyz"
    suffixes = (".xyz",)

    def read(self, data: bytes, source: str) -> list[Article]:
        return [Article.make(line, source) for line in data.decode().splitlines()]


class FakeEntryPoint:
    def __init__(self, name: str, target: object, group: str = "graphkg.readers") -> None:
        self.name, self.target, self.group = name, target, group
        self.value = f"fake:{name}"

    def load(self) -> object:
        if isinstance(self.target, Exception):
            raise self.target
        return self.target


def test_builtins_registered_as_entry_points() -> None:
    found = load_readers()
    names = {r.name: type(r) for r in found.readers}
    assert names["text"] is TextReader and names["html"] is HtmlReader
    assert [u.name for u in found.unpackers] == ["archive"] and not found.failures


def test_broken_plugins_are_reported_not_skipped() -> None:
    eps = [FakeEntryPoint("broken", ImportError("no module")), FakeEntryPoint("notareader", object),
           FakeEntryPoint("xyz", XyzReader), FakeEntryPoint("other", XyzReader, group="elsewhere")]
    found = load_readers(Registry(eps))  # type: ignore[arg-type]
    assert [r.name for r in found.readers] == ["xyz"]
    assert {f.name: f.error for f in found.failures} == {
        "broken": "reader plugin 'broken' (fake:broken) failed to load: ImportError: no module",
        "notareader": "reader plugin 'notareader' is not a reader (no name, suffixes and read())"}


def test_read_sources_uses_the_registered_readers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "two.xyz").write_text("one\ntwo\n")
    monkeypatch.setattr(sources_mod, "registry", lambda: Registry([FakeEntryPoint("xyz", XyzReader)]))  # type: ignore[list-item]
    items = list(read_sources([str(tmp_path / "two.xyz")]))
    assert [a.text for a in items if isinstance(a, Article)] == ["one", "two"]


def test_crashing_plugin_reader_becomes_an_error_item(tmp_path: Path) -> None:
    class Crashing:
        name = "crash"
        suffixes = (".txt",)

        def read(self, data: bytes, source: str) -> Article:
            raise KeyError("boom")

    (tmp_path / "a.txt").write_text("text")
    item = _one([str(tmp_path / "a.txt")], readers=[Crashing()])
    assert _error(item) == "reader 'crash' failed (KeyError: 'boom')"
