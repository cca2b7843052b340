"""Property-based tests where the crashes hid (issue 14): files on disk (names that are not
UTF-8, control characters, sizes, encodings), archives (corrupt members, links), the journal
and the store write. The reader-level properties (bytes in memory) are in
``test_loaders_property.py``.

Deterministic in CI (a red build must be reproducible); explore more with
``HYPOTHESIS_EXAMPLES=500`` (random, a longer local run).
"""

from __future__ import annotations

import gzip
import io
import os
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkg.cli.context import error_line
from graphkg.errors import LoaderError, printable
from graphkg.model import Article, Candidate, EntityRef
from graphkg.pipeline import IngestOptions, input_file, run
from graphkg.pipeline.journal import Journal
from graphkg.pipeline.sources import read_sources
from graphkg.stores.oxigraph import OxigraphStore
from graphkg.vocab import EntityType, Predicate

SETTINGS = settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "25")), deadline=None,
                    derandomize=not os.environ.get("HYPOTHESIS_EXAMPLES"), database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# file names as the OS hands them over: any bytes but '/' and NUL, Latin-1 and control bytes included
name_bytes = st.binary(min_size=1, max_size=24).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_")) \
    .filter(lambda b: b not in (b".", b".."))
suffixes = st.sampled_from([b".txt", b".md", b".jsonl", b".csv", b".html", b".rss", b".xyz", b""])
text_bits = st.sampled_from(["Chile recalled its ambassador to Peru. ", "Le Maroc soutient la France. ",
                             "caf\u00e9 ", "\ud83d", "\x00", "\n\n", '{"text": "x"}\n', "<p>", "\u2028"])
contents = st.one_of(
    st.lists(text_bits, max_size=12).map("".join).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.lists(text_bits, max_size=12).map("".join).map(lambda s: s.encode("latin-1", "replace")),
    st.binary(max_size=300))


def _one_line(source: str, reason: str) -> None:
    line = error_line(source, reason)
    assert "\n" not in line and "\r" not in line and "\u2028" not in line, line
    line.encode("utf-8")  # printable: no lone surrogate left


@SETTINGS
@given(files=st.lists(st.tuples(name_bytes, suffixes, contents), min_size=1, max_size=6), data=st.data())
def test_any_folder_of_files_is_read_journaled_and_reported_one_line_each(files, data) -> None:  # type: ignore[no-untyped-def]
    """Whatever the names and bytes: no exception; every regular file ends as articles or an error
    naming it; the journal takes every name; each error is one printable line."""
    with tempfile.TemporaryDirectory() as tmp:
        root = os.fsencode(tmp) + b"/in"
        os.mkdir(root)
        written: set[bytes] = set()
        for i, (name, suffix, body) in enumerate(files):
            sub = root + (b"/sub" if data.draw(st.booleans()) else b"")
            os.makedirs(sub, exist_ok=True)
            path = sub + b"/" + name + b"-" + str(i).encode() + suffix
            with open(path, "wb") as fh:
                fh.write(body + f" {i}".encode())  # distinct contents: no file is a duplicate of another
            if not os.path.basename(path).startswith(b"."):
                written.add(path)
        home = Path(tmp) / "home"
        store = OxigraphStore.open(home=home)
        try:
            report = run([os.fsdecode(root)], store, IngestOptions(extractor="gdelt", home=home))
            accounted = {printable(input_file(a.source)) for a in store.articles()}
        finally:
            store.close()
        for err in report.errors:
            _one_line(err.source, err.reason)
        accounted |= {printable(input_file(e.source)) for e in report.errors}
        missing = [p for p in written if printable(os.fsdecode(p)) not in accounted]
        assert not missing, (missing, report.errors)
        journal = Journal.open(home)
        try:  # every name the run marked is found again (the run after this one skips it)
            marked = [os.fsdecode(p) for p in written if printable(os.fsdecode(p)) not in
                      {printable(input_file(e.source)) for e in report.errors}]
            assert all(journal.file_done(p) for p in marked)
        finally:
            journal.close()


def _zip(members: list[tuple[str, bytes]], method: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, body in members:
            z.writestr(name, body)
    return buf.getvalue()


member_names = st.lists(st.sampled_from(["a.txt", "b.jsonl", "c.csv", "d/e.md", "f.rss", "g.zip", ".h.txt",
                                         "__MACOSX/x.txt", "\u00e9t\u00e9.txt", "n\nl.txt"]),
                        min_size=1, max_size=5, unique=True)


@SETTINGS
@given(names=member_names, data=st.data(),
       method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
       flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), max_size=6))
def test_a_corrupt_archive_never_raises(names, data, method, flips) -> None:  # type: ignore[no-untyped-def]
    """Zip and gzip archives with bytes flipped anywhere (headers, data, CRC, directory): only
    articles and one-line errors come out."""
    members = [(n, data.draw(contents)) for n in names]
    blobs = {"x.zip": bytearray(_zip(members, method)), "y.jsonl.gz": bytearray(gzip.compress(members[0][1]))}
    with tempfile.TemporaryDirectory() as tmp:
        for fname, blob in blobs.items():
            for where, xor in flips:
                blob[min(int(where * len(blob)), len(blob) - 1)] ^= xor
            Path(tmp, fname).write_bytes(bytes(blob))
        for item in read_sources([tmp], max_unpacked=1 << 20):
            assert isinstance(item, (Article, LoaderError))
            if isinstance(item, LoaderError):
                _one_line(item.source, item.reason)


class _Echo:
    """One candidate per article between two persons named from its metadata (store write under test)."""

    name, version = "echo", "1"

    def extract(self, article: Article) -> list[Candidate]:
        a = (article.title or "A")[:40] or "A"
        b = (article.publisher or "B")[:40] or "B"
        return [Candidate(EntityRef(a, a, EntityType.PERSON), Predicate.MEETS, EntityRef(b, b, EntityType.PERSON),
                          article.text[:200], 0, min(len(article.text), 200), 0.9, "t/1")]


wild_text = st.lists(st.one_of(st.text(max_size=20), text_bits), min_size=1, max_size=8).map("".join)


@settings(SETTINGS, max_examples=max(10, SETTINGS.max_examples // 2))
@given(articles=st.lists(st.tuples(wild_text, st.one_of(st.none(), wild_text), st.one_of(st.none(), wild_text),
                                   st.one_of(st.none(), wild_text), st.one_of(st.none(), wild_text)),
                         min_size=1, max_size=5))
def test_the_store_takes_any_text_and_metadata(articles) -> None:  # type: ignore[no-untyped-def]
    """Texts, titles, publishers, URLs and languages with lone surrogates, NULs, line separators
    and any other character: every article is written and read back, valid Unicode."""
    with tempfile.TemporaryDirectory() as tmp:
        made = [Article.make(text or "x", f"src\n{i}\udce9", title=title, publisher=pub, url=url, lang=lang)
                for i, (text, title, pub, url, lang) in enumerate(articles)]
        store = OxigraphStore.open(home=Path(tmp))
        try:
            report = run(made, store, IngestOptions(extractor=_Echo(), home=Path(tmp), gazetteer=False))
            assert not report.errors, report.errors
            back = {a.id: a for a in store.articles()}
            assert set(back) == {a.id for a in made}
            for a in back.values():
                for value in (a.title, a.publisher, a.url, a.source):
                    (value or "").encode("utf-8")
            relations = list(store.relations())
            assert len(relations) == len(back)
        finally:
            store.close()
