"""Bad input never stops a run (issue 14): corrupt archive members, file names that are not
UTF-8 or hold a newline, symlinks out of the tree, unreadable folders, oversized sentences,
wrong-typed metadata. Each case runs mixed with good files through the real CLI and the
embedded store: one line per bad item, every good file in, exit 1, and a re-run that writes
nothing new."""

from __future__ import annotations

import gzip
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkg.cli import cli
from graphkg.stores.oxigraph import OxigraphStore

GOOD = "Chile recalled its ambassador to Peru on Monday after the border incident."


def ingest(home: Path, *args: str) -> tuple[int, list[str], str]:
    res = CliRunner().invoke(cli, ["--home", str(home), "ingest", "--lang", "en", *args])
    assert "Traceback" not in res.output, res.output
    if res.exception and not isinstance(res.exception, SystemExit):
        raise res.exception
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    return res.exit_code, errors, res.stderr


def sources(home: Path) -> list[str]:
    store = OxigraphStore.open(home=home)
    try:
        return sorted(a.source or "" for a in store.articles())
    finally:
        store.close()


def dump(n: int, tag: str) -> str:
    return "".join(json.dumps({"text": f"{GOOD} Report {tag} {i}.", "url": f"https://ex.org/{tag}/{i}"}) + "\n"
                   for i in range(n))


def test_corrupt_archive_members_are_one_line_each_and_the_rest_goes_in(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    buf = io.BytesIO()  # a stored member whose bytes changed after the CRC was taken
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("a.jsonl", dump(3, "crc"))
        z.writestr("b.txt", GOOD.replace("Monday", "Friday"))
    data = bytearray(buf.getvalue())
    at = data.find(b"Report crc 2")
    data[at] = ord("X")
    (d / "crc.zip").write_bytes(bytes(data))
    buf = io.BytesIO()  # a deflated member with garbage in its stream
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.jsonl", dump(40, "deflate"))
        z.writestr("b.txt", GOOD.replace("Monday", "Sunday"))
    data = bytearray(buf.getvalue())
    for k in range(60, 90):
        data[k] ^= 0x55
    (d / "deflate.zip").write_bytes(bytes(data))
    gz = bytearray(gzip.compress(dump(40, "gz").encode()))
    for k in range(30, 50):
        gz[k] ^= 0x33
    (d / "bad.jsonl.gz").write_bytes(bytes(gz))
    home = tmp_path / "home"
    code, errors, err = ingest(home, str(d))
    assert code == 1, err
    assert errors == [
        f"error: {d}/bad.jsonl.gz!bad.jsonl: corrupt compressed data (invalid deflate stream); rest of the member skipped",
        f"error: {d}/crc.zip!a.jsonl: corrupt compressed data (bad CRC-32); rest of the member skipped",
        f"error: {d}/deflate.zip!a.jsonl: corrupt compressed data (invalid deflate stream); rest of the member skipped",
    ], err
    got = sources(home)
    # the good file and the sound members are in; records read before a CRC turned out bad too
    assert f"{d}/good.txt" in got and f"{d}/crc.zip!b.txt" in got and f"{d}/deflate.zip!b.txt" in got, got
    code2, errors2, err2 = ingest(home, str(d))
    assert code2 == 1 and errors2 == errors and "nothing new written" in err2
    assert sources(home) == got


def test_file_names_not_utf8_or_with_a_newline_neither_break_the_journal_nor_forge_lines(tmp_path: Path) -> None:
    """A name with Latin-1 bytes broke the journal (UnicodeEncodeError on every run); a newline
    in a name could print a line that looks like another error."""
    d = tmp_path / "in"
    d.mkdir()
    latin = os.fsencode(d) + b"/caf\xe9.txt"
    with open(latin, "wb") as f:
        f.write(GOOD.encode())
    (d / "forged\nerror: x.txt").write_bytes(b"")  # an empty file: its error line must stay one line
    (d / "good.txt").write_text(GOOD.replace("Monday", "Tuesday"))
    home = tmp_path / "home"
    code, errors, err = ingest(home, str(d))
    assert code == 1
    assert errors == [f"error: {d}/forged\\nerror: x.txt: empty file"], err
    assert sources(home) == [f"{d}/caf\\xe9.txt", f"{d}/good.txt"]
    code2, errors2, err2 = ingest(home, str(d))  # the journal knows both names: nothing re-read
    assert code2 == 1 and errors2 == errors and "2 unchanged file(s) skipped" in err2, err2


def test_links_out_of_the_tree_are_refused_unless_followed(tmp_path: Path) -> None:
    """A link in an article folder read /etc/passwd as an article; a linked folder was skipped in silence."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(GOOD.replace("Monday", "Wednesday"))
    (outside / "more").mkdir()
    (outside / "more" / "x.txt").write_text(GOOD.replace("Monday", "Thursday"))
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "good.txt").write_text(GOOD)
    (d / "sub" / "inner.txt").write_text(GOOD.replace("Monday", "Saturday"))
    (d / "alias.txt").symlink_to(d / "sub" / "inner.txt")  # inside the tree: read
    (d / "passwd.txt").symlink_to(outside / "secret.txt")
    (d / "linked").symlink_to(outside / "more", target_is_directory=True)
    (d / "loop").symlink_to(d, target_is_directory=True)
    home = tmp_path / "home"
    code, errors, err = ingest(home, str(d))
    assert code == 1
    assert errors == [
        f"error: {d}/linked: link to a folder out of the folder given ({outside / 'more'}); skipped, "
        "use --follow-symlinks",
        f"error: {d}/passwd.txt: link to a file out of the folder given ({outside / 'secret.txt'}); skipped, "
        "use --follow-symlinks",
    ], err
    assert sources(home) == [f"{d}/alias.txt", f"{d}/good.txt"]  # sub/inner.txt: the same text
    code, errors, err = ingest(tmp_path / "home2", "--follow-symlinks", str(d))
    assert code == 0 and errors == [], err
    assert sources(tmp_path / "home2") == [f"{d}/alias.txt", f"{d}/good.txt", f"{d}/linked/x.txt",
                                          f"{d}/passwd.txt"]  # the loop is walked once


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists any folder")
def test_an_unreadable_folder_is_reported(tmp_path: Path) -> None:
    d = tmp_path / "in"
    (d / "locked").mkdir(parents=True)
    (d / "locked" / "a.txt").write_text(GOOD)
    (d / "good.txt").write_text(GOOD.replace("Monday", "Tuesday"))
    (d / "locked").chmod(0)
    try:
        code, errors, err = ingest(tmp_path / "home", str(d))
    finally:
        (d / "locked").chmod(0o755)
    assert code == 1 and errors == [f"error: {d}/locked: permission denied; folder skipped"], err
    assert sources(tmp_path / "home") == [f"{d}/good.txt"]


@pytest.mark.slow
def test_an_article_over_its_time_or_size_budget_is_one_error_and_the_rest_goes_in(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a-good.txt").write_text(GOOD)
    # a page without a full stop, dense with actors: it used to cost the square of its length
    (d / "b-wall.txt").write_text("France supports Morocco and Germany condemned Russia while Spain met Italy, " * 400)
    home = tmp_path / "home"
    code, errors, err = ingest(home, "--max-seconds", "0.5", str(d))
    assert code == 1
    assert errors == [f"error: {d}/b-wall.txt: extraction stopped after 0.5 s (the per-article budget); "
                      "article skipped, raise --max-seconds"], err
    assert sources(home) == [f"{d}/a-good.txt"]
    code, errors, err = ingest(home, "--max-chars", "10000", str(d))  # the wall is 30,399 characters (stripped)
    assert code == 1 and errors == [f"error: {d}/b-wall.txt: text of 30,399 characters, over the 10,000 "
                                    "per-article budget; article skipped, raise --max-chars"], err
    code, errors, err = ingest(home, str(d))  # the default budgets: the wall goes in on a re-run
    assert code == 0 and errors == [], err
    assert sources(home) == [f"{d}/a-good.txt", f"{d}/b-wall.txt"]


@pytest.mark.slow
def test_a_sentence_without_an_end_is_cut_so_cost_stays_linear() -> None:
    """Sentence starts are preset from punctuation; a run longer than MAX_SENTENCE tokens is cut
    after a comma, so no sentence handed to the pair walk is longer than the cap."""
    from graphkg.extract.nlp import MAX_SENTENCE, load_nlp, parse_paragraphs

    nlp = load_nlp("en")
    text = "Spain met Italy in Madrid with Portugal, " * 200
    sents = [s for _, doc in parse_paragraphs(nlp, text) for s in doc.sents]
    assert len(sents) >= 8 * 200 // MAX_SENTENCE
    assert max(len(s) for s in sents) <= MAX_SENTENCE
    assert all(s[-1].text == "," for s in sents[:-1])  # cut after a comma, never inside a name


def test_progress_counts_the_articles_inside_one_dump(tmp_path: Path) -> None:
    """A 200-article JSONL showed 34 s of blank terminal: the bar counted files, and hid itself
    for one file. On a terminal it now redraws with the articles read so far."""
    import pty
    import subprocess
    import sys

    (tmp_path / "dump.jsonl").write_text(dump(300, "p"))
    graphkg = str(Path(sys.executable).with_name("graphkg"))
    controller, terminal = pty.openpty()
    proc = subprocess.Popen([graphkg, "--home", str(tmp_path / "home"), "ingest", "--extractor", "gdelt",
                             str(tmp_path / "dump.jsonl")], stdin=terminal, stdout=terminal, stderr=terminal,
                            env={**os.environ, "COLUMNS": "120", "TERM": "xterm"})
    os.close(terminal)
    chunks = []
    while True:
        try:
            data = os.read(controller, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=120) == 0
    out = b"".join(chunks).decode("utf-8", "replace")
    counts = [int(n) for n in __import__("re").findall(r"(\d+) article\(s\), [\d.]+/s", out)]
    assert counts and max(counts) == 300, out[-2000:]


def test_same_url_replaces_only_a_new_version_of_the_same_page(tmp_path: Path) -> None:
    """Four different JSONL articles sharing one URL became one, and scraping a page GDELT cites
    erased its events. A dump record or a GDELT article never replaces another; a page (HTML with
    its canonical URL, a feed item's link) re-read with a new text is a new version and does."""
    from tests.test_loaders_ingest import mapped_rows

    home = tmp_path / "home"
    d = tmp_path / "in"
    d.mkdir()
    shared = "https://ex.org/section"
    (d / "dump.jsonl").write_text("".join(json.dumps({"text": f"{GOOD} Story {i}.", "url": shared}) + "\n"
                                          for i in range(4)))
    code, errors, err = ingest(home, str(d / "dump.jsonl"))
    assert code == 0 and len(sources(home)) == 4, err  # four articles, none replaced
    assert "replaced (" not in err and "3 kept beside an article with the same URL" in err, err

    row = mapped_rows()[0]
    cited = row[60]
    (d / "events.export.CSV").write_text("\t".join(row) + "\n")
    page = f'<html><head><link rel="canonical" href="{cited}"><title>T</title></head><body><article><p>{GOOD}</p>' \
           f'<p>{GOOD.replace("Monday", "Friday")}</p></article></body></html>'
    (d / "page.html").write_text(page)
    code, errors, err = ingest(home, str(d / "events.export.CSV"), str(d / "page.html"))
    assert code == 0, err
    got = sources(home)
    assert any(s.startswith(f"{d}/events.export.CSV") for s in got) and f"{d}/page.html" in got, got

    (d / "page.html").write_text(page.replace("Friday", "Sunday"))  # the page changed: a new version
    code, errors, err = ingest(home, str(d / "page.html"))
    assert code == 0 and "1 replaced (new version of the same page)" in err, err
    again = sources(home)
    assert len(again) == len(got) and any(s.startswith(f"{d}/events.export.CSV") for s in again), again


class _Many:
    """One candidate per line of the text, between persons named on that line (pipeline under test)."""

    name, version = "many", "1"

    def extract(self, article):  # type: ignore[no-untyped-def]
        from graphkg.model import Candidate, EntityRef
        from graphkg.vocab import EntityType, Predicate

        out = []
        for line in article.text.splitlines():
            a, b = line.split(" meets ")
            out.append(Candidate(EntityRef(a, a, EntityType.PERSON), Predicate.MEETS, EntityRef(b, b, EntityType.PERSON),
                                 line, 0, len(line), 0.9, "t/1"))
        return out


@pytest.mark.slow
def test_remove_killed_at_any_moment_leaves_the_article_whole_or_gone(tmp_path: Path) -> None:
    """A kill -9 inside `remove` left an article without its relations, which a re-ingest then
    skipped as already ingested. The removal is now one transaction: whatever the moment of the
    kill, the article is there with all its relations or gone with all of them."""
    import shutil
    import signal
    import subprocess
    import sys
    import time

    from graphkg.model import Article
    from graphkg.pipeline import IngestOptions, ingest_items
    from graphkg.pipeline.journal import Journal

    base = tmp_path / "base"
    text = "\n".join(f"Person A{i} meets Person B{i}" for i in range(3000))
    art = Article.make(text, "big.txt", url="https://ex.org/big")
    small = Article.make("Person X meets Person Y", "small.txt")
    store, journal = OxigraphStore.open(home=base), Journal.open(base)
    try:
        ingest_items([art, small], store, _Many(), IngestOptions(gazetteer=False), journal=journal)
        total = len(list(store.relations()))
    finally:
        store.close()
        journal.close()
    assert total == 3001
    graphkg = str(Path(sys.executable).with_name("graphkg"))

    def remove(home: Path, kill_after: float | None) -> float:
        t0 = time.monotonic()
        proc = subprocess.Popen([graphkg, "--home", str(home), "remove", "--article", art.id],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if kill_after is not None:
            time.sleep(kill_after)
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        return time.monotonic() - t0

    full = remove(shutil.copytree(base, tmp_path / "full"), None)
    for k in range(10):
        home = shutil.copytree(base, tmp_path / f"k{k}")
        remove(home, full * (0.55 + 0.045 * k))
        store = OxigraphStore.open(home=home)
        try:
            has = store.has_article(art.id)
            mine = len(list(store.relations(article=art.id)))
            others = len(list(store.relations(article=small.id)))
            entities = len(list(store.entities()))
        finally:
            store.close()
        assert others == 1
        # all or nothing: the article, its 3000 relations and the 6000 persons only it mentions
        assert (has, mine, entities) in {(True, 3000, 6002), (False, 0, 2)}, (k, has, mine, entities)
        if has:  # killed before the commit: a second remove finishes it
            assert remove(home, None) > 0
    # (before the removal was one update, this loop found (True, 0, 6002): an article without its relations)


def test_mixed_encodings_are_repaired_and_wrong_typed_metadata_is_one_line(tmp_path: Path) -> None:
    """A file pasted from a UTF-8 and a Latin-1 source was decoded as Windows-1252 whole (the
    UTF-8 half became 'GenÃ¨ve'); a list where a URL belongs was stored as "['https://x/a']"."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "mixed.txt").write_bytes("Chile recalled its ambassador to Peru from Genève. ".encode()
                                  + "Le Sénégal a salué l'accord.".encode("latin-1"))
    (d / "dump.jsonl").write_bytes(
        (json.dumps({"text": GOOD, "url": ["https://x/a"]}) + "\n"
         + json.dumps({"text": GOOD + " Again.", "url": "https://x/b", "title": {"fr": "t"}}) + "\n"
         + json.dumps({"text": GOOD + " Café.", "url": "https://x/c"}) + "\n").encode()
        + b'{"text": "Peru recalled its envoy from Gen\xe8ve.", "url": "https://x/d"}\n')
    home = tmp_path / "home"
    code, errors, err = ingest(home, str(d))
    assert code == 1
    assert errors == [
        f"error: {d}/dump.jsonl:1: url is a list (['https://x/a']), not a string; fix the record or map another "
        "field with --field url=NAME",
        f"error: {d}/dump.jsonl:2: title is a dict ({{'fr': 't'}}), not a string or number; fix the record or map "
        "another field with --field title=NAME",
    ], err
    store = OxigraphStore.open(home=home)
    try:
        texts = {a.source: a for a in store.articles()}
        assert set(texts) == {f"{d}/dump.jsonl:3", f"{d}/dump.jsonl:4", f"{d}/mixed.txt"}
        assert texts[f"{d}/dump.jsonl:4"].url == "https://x/d"
    finally:
        store.close()
    from graphkg.loaders.readers import decode_text

    assert decode_text((d / "mixed.txt").read_bytes(), "mixed.txt").endswith("Genève. Le Sénégal a salué l'accord.")


def test_empty_feeds_zip_links_and_headerless_csv_each_get_a_short_line(tmp_path: Path) -> None:
    import stat

    d = tmp_path / "in"
    d.mkdir()
    (d / "empty.atom").write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>')
    (d / "empty.rss").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    link = zipfile.ZipInfo("link.txt")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(d / "links.zip", "w") as z:
        z.writestr(link, "/etc/passwd")
        z.writestr("ok.txt", GOOD)
    (d / "nohead.csv").write_text(",".join(f"word{i}" for i in range(200)) + "\n" + ",".join("x" * 200) + "\n")
    code, errors, err = ingest(tmp_path / "home", str(d))
    assert code == 1
    assert errors == [
        f"error: {d}/empty.atom: feed has no entries; nothing to read",
        f"error: {d}/empty.rss: feed has no items; nothing to read",
        f"error: {d}/links.zip!link.txt: symbolic link inside the archive; skipped",
        f"error: {d}/nohead.csv: no text column (looked for text, content, body, article, full_text, maintext); "
        "columns: word0, word1, word2, word3 and 196 more (no header row?); name it with --field text=NAME",
    ], err
    assert all(len(line) - len(str(d)) < 200 for line in errors)
    assert sources(tmp_path / "home") == [f"{d}/links.zip!ok.txt"]


def _bad_corpus(d: Path) -> tuple[list[str], list[str]]:
    """The bad-input corpus (35 kinds, generated) mixed with good files: (bad paths as the
    error lines name them, good paths)."""
    import stat

    from tests.test_loaders_ingest import mapped_rows

    good, bad = [], []

    def put(name: str, data: bytes, ok: bool, named: str | None = None) -> None:
        (d / name).write_bytes(data)
        (good if ok else bad).append(named or f"{d}/{name}")

    put("g-plain.txt", GOOD.encode(), True)
    put("g-latin1.txt", "Le président sénégalais a reçu à Dakar l'envoyé spécial.".encode("latin-1"), True)
    put("g-cp1252.txt", "L’ONU salue l’accord signé à Genève – une première.".encode("cp1252"), True)
    put("g-utf16.txt", "Le Kazakhstan soutient la souveraineté du Maroc.".encode("utf-16"), True)
    put("g-mixed.txt", "Genève accueille. ".encode() + "Le Sénégal a salué l'accord.".encode("latin-1"), True)
    put("g-page.html", f"<html><head><title>T</title></head><body><article><p>{GOOD}</p><p>{GOOD} Twice.</p>"
                       "</article></body></html>".encode(), True)
    put("b-empty.txt", b"", False)
    put("b-blank.txt", b" \n\t\n", False)
    put("b-binary.txt", b"\x00\x01\xffPNG" * 100, False)
    put("b-big.txt", b"x" * 300_000, False)  # over --max-bytes 200000
    put("b-utf16-cut.txt", b"\xff\xfe" + "abc".encode("utf-16-le")[:5], False)
    put("b-long.txt", ((GOOD + " ") * 900).encode(), False)  # over --max-chars 50000
    put("b-nobody.html", b"<html><body><nav>menu</nav></body></html>", False)
    put("b-unknown.xyz", GOOD.encode(), False)
    jsonl = [json.dumps({"text": f"{GOOD} Line {i}."}) for i in range(3)]
    put("m-dump.jsonl", "\n".join([jsonl[0], "{not json", "[1, 2]", '{"title": "no text"}',
                                   json.dumps({"text": GOOD + " url", "url": ["https://x/a"]}),
                                   '{"text": "Cut \\ud83d here, Chile recalled its envoy to Peru."}', jsonl[1]]).encode() + b"\n",
        True)
    bad += [f"{d}/m-dump.jsonl:{n}" for n in (2, 3, 4, 5)]
    put("m-lines.jsonl", (json.dumps({"text": "y" * 250_000}) + "\n" + json.dumps({"text": 42}) + "\n"
                          + jsonl[2] + "\n").encode(), True)
    bad += [f"{d}/m-lines.jsonl:1", f"{d}/m-lines.jsonl:2"]
    put("b-notgz.txt.gz", b"plain text, not gzip", False)
    put("b-notzip.zip", b"PK\x03\x04 not really", False)
    put("b-cut.jsonl.gz", gzip.compress(dump(50, "cut").encode())[:300], False)  # the archive or its member
    put("b-nocol.csv", b"title,summary\nA,B\n", False)
    put("b-nohead.csv", (",".join(f"w{i}" for i in range(50)) + "\n").encode() * 2, False)
    put("b-notxml.rss", b"this is not XML", False)
    put("b-empty.atom", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>', False)
    put("b-laughs.rss", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
                        b'&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rss><channel><item>'
                        b'<description>&c;</description></item></channel></rss>', False)
    put("m-feed.rss", f'<rss><channel><item><title>x</title></item><item><description>{GOOD} Fed.</description>'
                      "</item></channel></rss>".encode(), True)
    bad.append(f"{d}/m-feed.rss:item 1")
    rows = ["\t".join(f) for f in mapped_rows()[:3]]
    put("m-short.export.CSV", ("\n".join(rows[:2] + ["1\t2\t3"] + rows[2:3]) + "\n").encode(), True)
    bad.append(f"{d}/m-short.export.CSV:3")
    with zipfile.ZipFile(d / "b-bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.jsonl", b" " * (8 * 1024 * 1024))
    bad.append(f"{d}/b-bomb.zip")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("a.jsonl", dump(2, "crc"))
    data = bytearray(buf.getvalue())
    data[data.find(b"Report crc 1")] = ord("X")
    put("b-crc.zip", bytes(data), False, f"{d}/b-crc.zip!a.jsonl")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.jsonl", dump(30, "deflate"))
    data = bytearray(buf.getvalue())
    for k in range(60, 90):
        data[k] ^= 0x55
    put("b-deflate.zip", bytes(data), False, f"{d}/b-deflate.zip!a.jsonl")
    gz = bytearray(gzip.compress(dump(30, "gz").encode()))
    for k in range(30, 50):
        gz[k] ^= 0x33
    put("b-bad.jsonl.gz", bytes(gz), False, f"{d}/b-bad.jsonl.gz!b-bad.jsonl")
    link = zipfile.ZipInfo("link.txt")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(d / "m-links.zip", "w") as z:
        z.writestr(link, "/etc/passwd")
        z.writestr("inner.zip", b"PK")
        z.writestr("ok.txt", GOOD + " Zipped.")
    good.append(f"{d}/m-links.zip!ok.txt")
    bad += [f"{d}/m-links.zip!link.txt", f"{d}/m-links.zip!inner.zip"]
    (d / "b-dangling.txt").symlink_to(d / "gone.txt")
    bad.append(f"{d}/b-dangling.txt")
    outside = d.parent / "outside.txt"
    outside.write_text(GOOD + " Outside.")
    (d / "b-out.txt").symlink_to(outside)
    bad.append(f"{d}/b-out.txt")
    os.mkfifo(d / "b-fifo.txt")
    bad.append(f"{d}/b-fifo.txt")
    with open(os.fsencode(d) + b"/g-caf\xe9.txt", "wb") as f:
        f.write(GOOD.replace("Monday", "Tuesday").encode())
    good.append(f"{d}/g-caf\\xe9.txt")
    (d / "b-new\nline.txt").write_bytes(b"")
    bad.append(f"{d}/b-new\\nline.txt")
    return sorted(set(bad)), sorted(good)


@pytest.mark.slow
def test_the_whole_bad_input_corpus_mixed_with_good_files(tmp_path: Path) -> None:
    """Done-when of issue 14: 0 tracebacks, 0 hangs (a time limit), every good file in, exactly one
    line per bad item, exit 1; a re-run writes nothing new and says the same."""
    import subprocess
    import sys

    d = tmp_path / "in"
    d.mkdir()
    bad, good = _bad_corpus(d)
    assert len(bad) >= 33
    graphkg = str(Path(sys.executable).with_name("graphkg"))
    home = tmp_path / "home"
    cmd = [graphkg, "--home", str(home), "ingest", "--lang", "en", "--max-bytes", "200000", "--max-chars", "50000",
           "--max-unpacked", str(4 * 1024 * 1024), str(d)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    named = sorted(line[len("error: "):].rsplit(": ", 1)[0] for line in errors)
    def names(n: str, item: str) -> bool:
        return n == item or n.startswith((item + ":", item + "!"))

    for item in bad:  # one line per bad item
        assert sum(1 for n in named if names(n, item)) == 1, (item, errors)
    assert [n for n in named if not any(names(n, b) for b in bad)] == [], errors
    assert len(errors) == len(bad), "\n".join(errors)
    got = {input_file_of(s) for s in sources(home)}
    assert set(good) <= got | {s for s in sources(home)}, (good, sources(home))
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert again.returncode == 1 and "nothing new written" in again.stderr, again.stderr
    assert sorted(line for line in again.stderr.splitlines() if line.startswith("error: ")) == sorted(errors)


def input_file_of(source: str) -> str:
    from graphkg.pipeline import input_file

    return input_file(source)


def test_articles_in_a_language_not_read_are_counted_by_language(tmp_path: Path) -> None:
    """A dump's 'de' or 'zz' language gave 0 relations without a word."""
    (tmp_path / "d.jsonl").write_text("".join(json.dumps({"text": f"{GOOD} {i}", "language": lang}) + "\n"
                                              for i, lang in enumerate(["de", "zz-top", "English (UK)", "fra"])))
    res = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "ingest", str(tmp_path / "d.jsonl")])
    assert res.exit_code == 0, res.output
    assert ("warning: 2 article(s) in no language graphkg reads (fr, en) or too short to tell (de: 1, zz: 1)"
            in res.stderr), res.stderr


def test_metadata_objects_with_a_name_are_read_not_rejected() -> None:
    """A NewsAPI record names its outlet as an object ("source": {"id": .., "name": "BBC News"});
    several authors or titles come as a list of strings: both are read, not refused."""
    from graphkg.loaders.dumps import JsonlReader

    line = json.dumps({"content": GOOD, "url": "https://x/n", "source": {"id": "bbc", "name": "BBC News"},
                       "title": ["Part one", "Part two"]}) + "\n"
    (article,) = JsonlReader().read(line.encode(), "n.jsonl")
    assert not isinstance(article, Exception), article
    assert (article.publisher, article.title) == ("BBC News", "Part one, Part two")


def test_two_versions_of_a_feed_item_keep_the_newest_and_a_rerun_changes_nothing(tmp_path: Path) -> None:
    """Two items with one link in a feed (newest first): the last one read used to win, and every
    --no-resume re-run swapped the store to the other version and said '1 replaced'."""
    item = "<item><link>https://ex.org/story</link><pubDate>{day} Aug 2025 10:00:00 GMT</pubDate>" \
           "<description>{text}</description></item>"
    feed = tmp_path / "f.rss"
    feed.write_text("<rss><channel><title>T</title>" + item.format(day="Fri, 08", text=GOOD + " Updated.")
                    + item.format(day="Thu, 07", text=GOOD) + "</channel></rss>")
    home = tmp_path / "home"

    def texts() -> list[str]:
        store = OxigraphStore.open(home=home)
        try:
            return sorted(a.source or "" for a in store.articles())
        finally:
            store.close()

    code, errors, err = ingest(home, str(feed))
    assert code == 0 and "1 replaced (new version of the same page)" in err, err
    assert texts() == [f"{feed}:item 1"]  # the newest, although read first
    for _ in range(2):
        code, errors, err = ingest(home, "--no-resume", str(feed))
        assert code == 0 and "replaced" not in err.replace(str(tmp_path), "") and "nothing new written" in err, err
        assert texts() == [f"{feed}:item 1"]
