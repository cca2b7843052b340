"""The ingest journal: what was written, so an interrupted run resumes without duplicates.

A small SQLite database in the data directory, one per store target: ``<home>/journal.sqlite``
for the embedded store, ``<home>/journals/<target>-<hash>.sqlite`` for any other (each Neo4j URI
and database its own), so switching stores never skips an article the other store lacks. WAL mode. The
pipeline records an article only *after* the store has flushed it, so after a crash (Ctrl-C,
``kill -9``) the journal never claims an article the store lacks; the converse window (written
but not yet journaled) is closed by the pipeline also asking the store. The journal also maps
URLs to article ids (a changed article with a known URL replaces the old one), remembers input
files that loaded cleanly (size + mtime: skipped without being read), and keeps one row per
run so an unfinished run is reported as resumed.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from pathlib import Path

from graphkg.errors import StoreError, printable

__all__ = ["Journal", "RunInfo", "JOURNAL_NAME", "journal_target", "journal_path"]

JOURNAL_NAME = "journal.sqlite"
_EMBEDDED = "oxigraph"


def _record_source(source: str) -> bool:
    """A source that names a record of a dump or an event file, not a page.

    >>> _record_source("d.jsonl:3"), _record_source("x.export.CSV"), _record_source("a.html")
    (True, True, False)
    """
    return bool(re.search(r":\d+$", source)) or ".export.csv" in source.lower()


def _key(path: str) -> str:
    """A file's key in the journal: its absolute path, with bytes that are not UTF-8 escaped
    (SQLite stores UTF-8 text; a name made on another system must not break the journal)."""
    return printable(os.path.abspath(path))


def journal_target(store: object) -> str:
    """What a store's journal is about: its ``journal_target`` (a Neo4j store names its URI and
    database), else its registered name."""
    return str(getattr(store, "journal_target", None) or getattr(store, "name", "store"))


def journal_path(home: Path, target: str = _EMBEDDED) -> Path:
    """The journal file of store ``target`` in data directory ``home``.

    >>> journal_path(Path("h")).as_posix(), journal_path(Path("h"), "neo4j bolt://127.0.0.1:7687 neo4j").as_posix()
    ('h/journal.sqlite', 'h/journals/neo4j-bolt-127-0-0-1-7687-neo4j-9bd021071d.sqlite')
    """
    if target == _EMBEDDED:
        return home / JOURNAL_NAME  # where the embedded store's journal always was
    slug = re.sub(r"[^a-z0-9]+", "-", target.lower()).strip("-")[:48]
    return home / "journals" / f"{slug}-{hashlib.sha256(target.encode('utf-8')).hexdigest()[:10]}.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (id TEXT PRIMARY KEY, url TEXT, source TEXT, run INTEGER, versioned INTEGER,
                                     published TEXT);
CREATE TABLE IF NOT EXISTS superseded (id TEXT PRIMARY KEY);
CREATE INDEX IF NOT EXISTS articles_url ON articles(url);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, run INTEGER);
CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, inputs TEXT, started REAL, finished REAL);
"""


@dataclass(frozen=True, slots=True)
class RunInfo:
    """The run just started, and the unfinished run with the same inputs it resumes, if any."""

    id: int
    resumed: int | None
    done_before: int


class Journal:
    """Append-mostly record of ingested articles and files (one writer: the ingest process)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(articles)")}
            if "versioned" not in columns:  # a journal from before the same-page rule
                self._db.execute("ALTER TABLE articles ADD COLUMN versioned INTEGER")
            if "published" not in columns:
                self._db.execute("ALTER TABLE articles ADD COLUMN published TEXT")
        except (OSError, sqlite3.Error) as err:
            raise StoreError(str(path), f"cannot open the ingest journal ({err})") from None
        self.fresh = self._db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0

    @classmethod
    def open(cls, home: Path, store: object | None = None) -> Journal:
        """The journal of ``store`` (default: the embedded store) in data directory ``home``
        (created if needed)."""
        return cls(journal_path(home, journal_target(store) if store is not None else _EMBEDDED))

    # -- articles ---------------------------------------------------------------------------
    def has(self, article_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    def owner_of(self, url: str) -> str | None:
        """Id of the article recorded for ``url`` (the latest one), or ``None``."""
        row = self._db.execute("SELECT id FROM articles WHERE url=? ORDER BY rowid DESC LIMIT 1", (url,)).fetchone()
        return str(row[0]) if row else None

    def page_of(self, url: str) -> tuple[str, date | None] | None:
        """Id and publication date of the latest article recorded for ``url`` as a version of a
        page (an HTML page, a feed item), or ``None``: only such an article may be replaced by a
        new version. Rows of journals older than this rule (no flag) count as pages unless their
        source is a dump record (``dump.jsonl:3``) or a GDELT file."""
        rows = self._db.execute("SELECT id, source, versioned, published FROM articles WHERE url=? "
                                "ORDER BY rowid DESC", (url,)).fetchall()
        for aid, source, versioned, published in rows:
            if versioned == 1 or (versioned is None and not _record_source(str(source or ""))):
                return str(aid), date.fromisoformat(published) if published else None
        return None

    def supersede(self, ids: Iterable[str]) -> None:
        """Remember articles that are older versions of a page: read again, they are skipped."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR IGNORE INTO superseded VALUES (?)", [(i,) for i in ids])

    def superseded(self, article_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM superseded WHERE id=?", (article_id,)).fetchone() is not None

    def record(self, rows: Iterable[tuple[Any, ...]], run: int = 0) -> None:
        """Record written articles ``(id, url, source[, versioned[, published]])``; one transaction."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO articles (id, url, source, run, versioned, published) VALUES (?, ?, ?, ?, ?, ?)",
                [(r[0], r[1], r[2], run, int(r[3]) if len(r) > 3 else None,
                  r[4].isoformat() if len(r) > 4 and r[4] is not None else None) for r in rows])

    def forget(self, article_id: str) -> None:
        self._db.execute("DELETE FROM articles WHERE id=?", (article_id,))

    def seed(self, rows: Iterable[tuple[str, str | None, str]]) -> int:
        """Fill an empty journal from a store's articles (journal deleted, store kept)."""
        items = list(rows)
        self.record(items, run=0)
        return len(items)

    def latest(self) -> str | None:
        """The most recently recorded article id (to check the journal still matches the store)."""
        row = self._db.execute("SELECT id FROM articles ORDER BY rowid DESC LIMIT 1").fetchone()
        return str(row[0]) if row else None

    def reset(self) -> None:
        """Forget every article and file (the store they described is gone)."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM articles")
            self._db.execute("DELETE FROM files")
            self._db.execute("DELETE FROM superseded")

    def count(self, run: int | None = None) -> int:
        if run is None:
            return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])
        return int(self._db.execute("SELECT count(*) FROM articles WHERE run=?", (run,)).fetchone()[0])

    @staticmethod
    def peek_count(home: Path) -> int:
        """Articles recorded in ``home``'s journal, read-only while another process writes it
        (progress monitors, benchmarks); 0 when there is no journal yet."""
        path = home / JOURNAL_NAME
        if not path.exists():
            return 0
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
                return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
        except sqlite3.Error:
            return 0

    # -- files --------------------------------------------------------------------------------
    @staticmethod
    def _stat(path: str) -> tuple[int, int] | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns

    def file_done(self, path: str) -> bool:
        """True when ``path`` loaded cleanly before and has not changed since (size, mtime)."""
        st = self._stat(path)
        row = self._db.execute("SELECT size, mtime_ns FROM files WHERE path=?",
                               (_key(path),)).fetchone()
        return st is not None and row is not None and (row[0], row[1]) == st

    def mark_files(self, paths: Iterable[str], run: int = 0) -> None:
        rows = []
        for path in paths:
            st = self._stat(path)
            if st is not None:
                rows.append((_key(path), st[0], st[1], run))
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", rows)

    def forget_all_files(self) -> None:
        self._db.execute("DELETE FROM files")

    def forget_files(self, paths: Iterable[str]) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM files WHERE path=?", [(_key(p),) for p in paths])

    # -- runs -----------------------------------------------------------------------------------
    @staticmethod
    def inputs_key(paths: Sequence[str]) -> str:
        joined = "\n".join(sorted(_key(p) for p in paths))
        return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]

    def start_run(self, paths: Sequence[str]) -> RunInfo:
        """Open a run; report the latest unfinished run over the same inputs."""
        key = self.inputs_key(paths)
        row = self._db.execute("SELECT id FROM runs WHERE inputs=? AND finished IS NULL ORDER BY id DESC LIMIT 1",
                               (key,)).fetchone()
        cur = self._db.execute("INSERT INTO runs (inputs, started) VALUES (?, ?)", (key, time.time()))
        run = int(cur.lastrowid or 0)
        if row is None:
            return RunInfo(run, None, 0)
        self._db.execute("UPDATE runs SET finished=? WHERE id=?", (-1.0, row[0]))  # superseded
        return RunInfo(run, int(row[0]), self.count(int(row[0])))

    def finish_run(self, run: int) -> None:
        self._db.execute("UPDATE runs SET finished=? WHERE id=?", (time.time(), run))

    def close(self) -> None:
        self._db.close()
