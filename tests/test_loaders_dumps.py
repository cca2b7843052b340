"""JSONL / CSV dumps, RSS / Atom feeds and gzip / zip archives (readers only, no extractor)."""

from __future__ import annotations

import gzip
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from graphkg.errors import LoaderError
from graphkg.loaders.dumps import CsvReader, JsonlReader, parse_fields
from graphkg.loaders.feeds import FeedReader
from graphkg.pipeline.sources import read_sources
from graphkg.model import Article


def _read(paths: list[Path], **kw: object) -> tuple[list[Article], list[str]]:
    arts, errs = [], []
    for item in read_sources([str(p) for p in paths], **kw):  # type: ignore[arg-type]
        if isinstance(item, Article):
            arts.append(item)
        else:
            errs.append(str(item))
    return arts, errs


def _jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


REC = {"text": "Le Maroc salue la position de la France.", "title": "Sahara", "url": "https://ex.org/1",
       "date": "2025-04-28T09:00:00Z", "language": "fr-FR", "publisher": "Hespress"}


def test_jsonl_fields_and_metadata_kept(tmp_path: Path) -> None:
    p = tmp_path / "dump.jsonl"
    p.write_text(_jsonl(REC, {"content": "Second article.", "headline": "H", "link": "https://ex.org/2",
                              "pubDate": "Mon, 28 Apr 2025 10:00:00 GMT"}), encoding="utf-8")
    (a, b), errs = _read([p])
    assert errs == []
    assert (a.title, a.url, a.published, a.lang, a.publisher, a.source) == (
        "Sahara", "https://ex.org/1", date(2025, 4, 28), "fr", "Hespress", f"{p}:1")
    assert (b.text, b.title, b.url, b.published) == ("Second article.", "H", "https://ex.org/2", date(2025, 4, 28))


def test_jsonl_broken_line_reported_with_number_others_load(tmp_path: Path) -> None:
    p = tmp_path / "dump.jsonl"
    lines = [REC] * 16 + ['{"text": "cut'] + [dict(REC, url="https://ex.org/18")]
    p.write_text(_jsonl(*lines), encoding="utf-8")
    arts, errs = _read([p])
    assert len(arts) == 17
    assert errs == [f"{p}:17: invalid JSON: Unterminated string starting at (column 10)"]


@pytest.mark.parametrize(("line", "reason"), [
    ("[1, 2]", "expected a JSON object, got list"),
    ('{"text": ""}', "empty text"),
    ('{"text": 3}', "text field is an int, not a string"),
    ('{"txt": "x", "id": 1}', "no text field; looked for ['text', 'content', 'body', 'article', "
                              "'full_text', 'maintext'], found ['id', 'txt']; name it with --field text=NAME"),
])
def test_jsonl_bad_records(tmp_path: Path, line: str, reason: str) -> None:
    p = tmp_path / "d.jsonl"
    p.write_text(line + "\n")
    assert _read([p]) == ([], [f"{p}:1: {reason}"])


def test_field_option_renames_roles(tmp_path: Path) -> None:
    p = tmp_path / "d.jsonl"
    p.write_text(_jsonl({"body_html": "Corps.", "meta": {"h": "Titre"}, "permalink": "https://x.org/a"}))
    reader = JsonlReader(parse_fields(["text=body_html", "title=meta.h", "url=permalink"]))
    (a,), errs = _read([p], readers=[reader])
    assert (a.text, a.title, a.url, errs) == ("Corps.", "Titre", "https://x.org/a", [])
    with pytest.raises(LoaderError, match="unknown role 'colour'; expected one of"):
        parse_fields(["colour=x"])
    with pytest.raises(LoaderError, match="expected ROLE=NAME"):
        parse_fields(["text"])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_dump_encodings(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "d.jsonl"
    p.write_bytes(_jsonl({"text": "Genève accueille les négociations.", "title": "Genève"}).encode(encoding))
    (a,), errs = _read([p])
    assert (a.text, errs) == ("Genève accueille les négociations.", [])


@pytest.mark.parametrize(("data", "reason"), [(b"", "empty file"), (b"\x00\x01\x02binary" * 50, "binary file, not text")])
def test_dump_empty_and_binary(tmp_path: Path, data: bytes, reason: str) -> None:
    for name in ("d.jsonl", "d.csv"):
        p = tmp_path / name
        p.write_bytes(data)
        assert _read([p]) == ([], [f"{p}: {reason}"])


def test_csv_defaults_semicolon_and_missing_text_column(tmp_path: Path) -> None:
    ok = tmp_path / "ok.csv"
    ok.write_text('headline;content;link;date\n"A; b";"Le Maroc et la France, ""amis""";https://x.org/1;2025-01-02\n'
                  ';;https://x.org/2;\n', encoding="utf-8")
    arts, errs = _read([ok])
    assert [(a.title, a.text, a.url, a.published) for a in arts] == [
        ("A; b", 'Le Maroc et la France, "amis"', "https://x.org/1", date(2025, 1, 2))]
    assert errs == [f"{ok}:3: empty text"]
    bad = tmp_path / "bad.csv"
    bad.write_text("title,summary\nA,B\n")
    assert _read([bad]) == ([], [f"{bad}: no text column (looked for text, content, body, article, "
                                 "full_text, maintext); columns: title, summary; "
                                 "name it with --field text=NAME"])
    assert [a.text for a in _read([bad], readers=[CsvReader(parse_fields(["text=summary"]))])[0]] == ["B"]


def test_csv_latin1(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_bytes("text,title\nLa Côte d'Ivoire soutient l'accord.,Côte\n".encode("latin-1"))
    (a,), _ = _read([p])
    assert a.text == "La Côte d'Ivoire soutient l'accord." and a.title == "Côte"


RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Le Desk</title><language>fr-FR</language>
<item><title>Accord</title><link>https://ledesk.ma/a</link><pubDate>Thu, 07 Aug 2025 10:00:00 GMT</pubDate>
<description>court</description>
<content:encoded><![CDATA[<p>Le <b>Maroc</b> et la France signent.</p><script>x()</script><p>Suite.</p>]]></content:encoded></item>
<item><title>Sans texte</title><link>https://ledesk.ma/b</link></item>
<item><title>Resume</title><description>&lt;p&gt;Rabat salue.&lt;/p&gt;</description></item>
</channel></rss>"""

ATOM = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Wire</title>
<entry><title>UN</title><link rel="alternate" href="https://w.org/1"/><published>2025-08-01T00:00:00Z</published>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>The UN backs talks.</p></div></content></entry>
<entry><title>Summary only</title><summary>Morocco and Spain met.</summary></entry>
<entry><title>Nothing</title></entry></feed>"""


def test_rss_items_content_summary_and_missing_text() -> None:
    items = FeedReader().read(RSS, "f.rss")
    a, err, c = items
    assert isinstance(a, Article) and isinstance(c, Article)
    assert (a.text, a.title, a.url, a.published, a.lang, a.publisher) == (
        "Le Maroc et la France signent.\n\nSuite.", "Accord", "https://ledesk.ma/a", date(2025, 8, 7), "fr", "Le Desk")
    assert str(err) == "f.rss:item 2: item ('Sans texte') has no content or summary; nothing to extract"
    assert c.text == "Rabat salue." and c.url is None


def test_atom_entries() -> None:
    a, b, err = FeedReader().read(ATOM, "f.atom")
    assert isinstance(a, Article) and isinstance(b, Article)
    assert (a.text, a.url, a.published, a.lang, a.publisher) == (
        "The UN backs talks.", "https://w.org/1", date(2025, 8, 1), "en", "Wire")
    assert b.text == "Morocco and Spain met."
    assert "f.atom:item 3: item ('Nothing') has no content" in str(err)


@pytest.mark.parametrize(("data", "reason"), [
    (b"<html><p>not a feed</p></html>", "not an RSS or Atom feed (root element <html>)"),
    (b"just text, not XML", "not XML (Start tag expected, '<' not found"),
    (b"<rss><channel><item>", "not XML ("),
    (b"", "empty file"),
])
def test_feed_refusals(data: bytes, reason: str) -> None:
    with pytest.raises(LoaderError, match=None) as info:
        FeedReader().read(data, "f.rss")
    assert str(info.value).startswith(f"f.rss: {reason}")


def test_feed_entities_not_resolved() -> None:
    xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b"<rss><channel><title>T</title><item><description>a &x; b</description></item></channel></rss>")
    with pytest.raises(LoaderError, match=r"declares XML entities in its DOCTYPE \(an entity bomb\?\); refused"):
        FeedReader().read(xxe, "f.rss")  # never expanded (no file read), and the feed is refused


def test_archives_gzip_and_zip(tmp_path: Path) -> None:
    gz = tmp_path / "dump.jsonl.gz"
    gz.write_bytes(gzip.compress(_jsonl(REC, "{bad").encode()))
    zp = tmp_path / "feeds.zip"
    with zipfile.ZipFile(zp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a/f.rss", RSS)
        z.writestr("notes.bin", b"x")
        z.writestr("inner.zip", b"PK")
    arts, errs = _read([gz, zp])
    assert [a.source for a in arts] == [f"{gz}!dump.jsonl:1", f"{zp}!a/f.rss:item 1", f"{zp}!a/f.rss:item 3"]
    assert errs[0] == f"{gz}!dump.jsonl:2: invalid JSON: Expecting property name enclosed in double quotes (column 2)"
    assert errs[1].startswith(f"{zp}!a/f.rss:item 2: item ('Sans texte') has no content")
    assert errs[2].startswith(f"{zp}!notes.bin: unsupported file type '.bin'")
    assert errs[3].startswith(f"{zp}!inner.zip: nested archives are not read")


def test_zip_bomb_refused_before_decompressing(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.jsonl", b"\n" * (64 * 1024 * 1024))  # 64 MB of newlines, ~64 KB packed
    arts, errs = _read([bomb])
    assert arts == [] and len(errs) == 1
    assert errs[0].startswith(f"{bomb}!big.jsonl: compression ratio ") and "looks like a zip bomb; refused" in errs[0]
    _, errs = _read([bomb], max_unpacked=1024 * 1024)
    assert errs == [f"{bomb}: declares 64.0 MB once decompressed, over the 1.0 MB limit (zip bomb?); "
                    "raise --max-unpacked"]
    gz = tmp_path / "bomb.jsonl.gz"
    gz.write_bytes(gzip.compress(b"\n" * (8 * 1024 * 1024)))
    _, errs = _read([gz], max_unpacked=1024 * 1024)
    assert errs == [f"{gz}: declares 8.0 MB once decompressed, over the 1.0 MB limit (a zip bomb, or a cut file "
                    "whose size trailer is garbage); raise --max-unpacked"]


def test_gzip_lying_trailer_is_capped_while_streaming(tmp_path: Path) -> None:
    gz = tmp_path / "liar.jsonl.gz"
    data = bytearray(gzip.compress(_jsonl(*[REC] * 2000).encode()))
    data[-4:] = (10).to_bytes(4, "little")  # claims 10 bytes
    gz.write_bytes(bytes(data))
    arts, errs = _read([gz], max_unpacked=50_000)
    assert len(arts) < 2000 and len(errs) == 1
    assert "decompressed data exceeds the 0.0 MB limit" in errs[0] or "exceeds" in errs[0]


def test_not_an_archive(tmp_path: Path) -> None:
    (tmp_path / "x.zip").write_bytes(b"hello")
    (tmp_path / "y.jsonl.gz").write_bytes(b"hello")
    _, errs = _read([tmp_path / "x.zip", tmp_path / "y.jsonl.gz"])
    assert errs[0].startswith(f"{tmp_path / 'x.zip'}: not a readable zip archive")
    assert errs[1] == f"{tmp_path / 'y.jsonl.gz'}: not a gzip file (bad magic number)"


def test_oversized_line_in_dump(tmp_path: Path) -> None:
    p = tmp_path / "d.jsonl"
    p.write_text(_jsonl({"text": "x" * 5000}, REC))
    arts, errs = _read([p], max_bytes=1000)
    assert len(arts) == 1 and errs == [f"{p}:1: line is over the 1000 bytes limit; raise --max-bytes"]


def test_language_names_and_codes_fold_to_what_the_extractor_reads(tmp_path: Path) -> None:
    """`language` values "fra", "French", "fr-CA", "eng" gave 0 relations: they now fold to fr/en."""
    dump = tmp_path / "langs.jsonl"
    values = ["fra", "French", "fr-CA", "eng", "English", "en_GB", "de", ""]
    dump.write_text("".join(json.dumps({"text": f"Article {i}.", "language": v}) + "\n" for i, v in enumerate(values)),
                    encoding="utf-8")
    got = [a.lang for a in read_sources([str(dump)]) if isinstance(a, Article)]
    assert got == ["fr", "fr", "fr", "en", "en", "en", "de", None]
