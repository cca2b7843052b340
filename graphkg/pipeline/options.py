"""What an ingest run is told (:class:`IngestOptions`) and what it reports (:class:`IngestReport`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from graphkg.extract.budget import DEFAULT_MAX_SECONDS
from graphkg.plugins import Extractor, PluginFailure
from graphkg.resolve.link import Rejected

__all__ = ["IngestOptions", "IngestReport", "FileError", "Progress", "DEFAULT_MAX_BYTES", "DEFAULT_MAX_UNPACKED", "DEFAULT_MAX_CHARS"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_UNPACKED = 1024 * 1024 * 1024  # 1 GiB decompressed per archive
DEFAULT_MAX_CHARS = 2_000_000  # characters of text per article: about 2 GB of memory while it is extracted


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """Everything an ingest (or ``graphkg extract``) run can be told.

    Attributes:
        extractor: a registered extractor name (``graphkg plugins``) or an extractor instance.
        fr_model: spaCy pipeline for French (``None``: the extractor's default).
        en_model: spaCy pipeline for English (``None``: the extractor's default).
        workers: extraction processes; the store is written by the calling process only.
        chunk_size: articles per worker task.
        batch_size: articles per write transaction (a batch is also written once 5 s old).
        min_confidence: candidates below it are rejected.
        home: data directory; a persistent store keeps its ingest journal there (resume,
            replace by URL). ``None``: no journal.
        resume: skip input files that loaded cleanly in an earlier run (journal).
        fields: ``role=name`` specs of the field or column of JSONL/CSV dumps for a role
            (``("text=body",)``).
        max_bytes: files larger than this are refused (streaming readers: one record).
        max_unpacked: decompressed bytes allowed per archive.
        max_seconds: extraction time allowed per article (``None``: no limit); an article over
            it is an error of its own, the run goes on.
        max_chars: text length allowed per article (``None``: no limit), the memory budget:
            extraction holds about 1 GB per million characters.
        recursive: walk sub-directories.
        follow_symlinks: read links (and walk linked folders) that lead out of a given folder;
            without it they are refused with one line each.
        gazetteer: resolve entity ids through the bundled gazetteer (aliases, QIDs).
        keep_rejected: keep rejected candidates in the report (else only count them).
        bulk: write through the store's bulk facet when it has one (not atomic per batch).
        lang: language ("fr", "en") of the articles whose source states none (``None``: detected
            from the text; a text too short or mixed to tell yields nothing, counted as
            ``IngestReport.undetected``).
    """

    extractor: str | Extractor = "auto"
    fr_model: str | None = None
    en_model: str | None = None
    workers: int = 1
    chunk_size: int = 4
    batch_size: int = 500
    min_confidence: float = 0.0
    home: Path | None = None
    resume: bool = True
    fields: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    max_unpacked: int = DEFAULT_MAX_UNPACKED
    max_seconds: float | None = DEFAULT_MAX_SECONDS
    max_chars: int | None = DEFAULT_MAX_CHARS
    recursive: bool = True
    follow_symlinks: bool = False
    gazetteer: bool = True
    keep_rejected: bool = True
    bulk: bool = False
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class FileError:
    """A source that could not be read or processed; nothing of it was written."""

    source: str
    reason: str


@dataclass(slots=True)
class IngestReport:
    """Counts of one ingest run."""

    read: int = 0
    skipped: int = 0
    articles_written: int = 0
    relations_written: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    rejected_total: int = 0
    replaced: int = 0      # earlier versions of a page replaced by a new one (same URL)
    same_url_kept: int = 0  # articles kept beside another with the same URL (not a new version of a page)
    files_skipped: int = 0
    reader_stats: dict[str, dict[str, int]] = field(default_factory=dict)
    plugin_failures: list[PluginFailure] = field(default_factory=list)
    undetected: int = 0  # articles in no language the extractor reads (nothing extracted from them)
    unread_languages: Counter[str] = field(default_factory=Counter)  # those articles by language ("und": unknown)

    @property
    def ok(self) -> bool:
        return not self.errors


class Progress(Protocol):
    """What a caller hears while a run goes on (the CLI draws a progress bar from it)."""

    def planned(self, files: int, resumed_run: int | None, done_before: int) -> None:
        """Before reading: input files to read, and the interrupted run this one resumes."""
        ...

    def item(self, source: str, status: str) -> None:
        """After each item: ``read``, ``skipped`` or ``error``."""
        ...
