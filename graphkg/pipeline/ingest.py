"""The ingest pipeline: read -> extract -> resolve -> check -> write in batches -> report.

:func:`run` is the library's front door for a whole ingest: sources (paths or articles) go
through the registered readers, the chosen extractor, resolution and the ontology check into a
store, with the journal (resume, replace by URL) a persistent store keeps in the data directory.
:func:`extract_relations` is the same read -> extract -> resolve path without a store (``graphkg
extract``). :func:`ingest_items` is the write engine both build on.

Library code only: it returns an :class:`IngestReport` and never prints. Extraction may fan
out over worker processes (:mod:`graphkg.pipeline.workers`); resolution, the store and the journal
stay in this process; a store declaring ``background-write`` commits batch N in one writer
thread while this thread prepares batch N+1 (each batch one transaction, journaled after it
commits). Updates: an article is identified by its content hash (plus URL); when a journal is
given and a *different* version of the same page (same URL, and the reader says the URL names
the page: HTML canonical URLs, feed item links) was ingested before, the new one replaces it
(its relations removed, the new ones written). Dump records sharing a URL, and articles whose
loader chose the id (GDELT), are never replaced: both are kept and counted.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path

from graphkg.errors import GraphkgError, LoaderError, printable
from graphkg.model import Article, Candidate, Entity, Relation, article_id
from graphkg.pipeline.dispatch import make_extractor
from graphkg.pipeline.journal import Journal, RunInfo
from graphkg.pipeline.options import FileError, IngestOptions, IngestReport, Progress
from graphkg.pipeline.sources import STDIN, ReaderSet, iter_sources, load_readers, read_sources
from graphkg.pipeline.workers import extract_one, extract_parallel
from graphkg.plugins import Capability, CountingReader, Extractor, Store, facet
from graphkg.resolve.link import ArticleResult, resolve_candidates

__all__ = ["run", "extract_relations", "ingest_items", "input_file"]

Source = str | Path | Article
DEFAULTS = IngestOptions()  # frozen: one shared default is safe


def _lookup(options: IngestOptions) -> Callable[[str], Entity] | None:
    if not options.gazetteer:
        return None
    from graphkg.resolve.gazetteer import default_gazetteer

    return default_gazetteer().get


def _factory(options: IngestOptions) -> Callable[[], Extractor]:
    """A picklable zero-argument builder of the run's extractor (one per worker process)."""
    if isinstance(options.extractor, str):
        return functools.partial(make_extractor, options.extractor, options.fr_model, options.en_model)
    return _Fixed(options.extractor)


def run(sources: Sequence[Source], store: Store, options: IngestOptions = DEFAULTS, *,
        progress: Progress | None = None) -> IngestReport:
    """Ingest ``sources`` into ``store``: the whole run, journal included.

    Args:
        sources: files, directories (walked), archives, ``"-"`` for standard input, or
            :class:`Article` objects built in code.
        store: where relations go; articles it already holds (same content hash) are skipped.
        options: see :class:`IngestOptions`.
        progress: told the plan (files to read, resumed run) and every item.

    Returns:
        The run's :class:`IngestReport` (missing paths and unreadable files are errors in it;
        everything else still went in).

    Raises:
        PluginError: the extractor cannot be built. StoreError: the store or the journal fails.
    """
    paths = [str(s) for s in sources if not isinstance(s, Article)]
    given = [s for s in sources if isinstance(s, Article)]
    readers = load_readers().configure(options.fields)
    missing = [p for p in paths if p != STDIN and not os.path.lexists(p)]
    walked = list(iter_sources([p for p in paths if p not in missing], recursive=options.recursive,
                               follow_symlinks=options.follow_symlinks))
    files = [f for f in walked if isinstance(f, str)]
    refused = [FileError(f.source, f.reason) for f in walked if isinstance(f, LoaderError)]
    factory = _factory(options)
    extractor = factory()  # built before anything is read: a bad --extractor fails fast
    journal = (Journal.open(options.home, store) if options.home is not None
               and Capability.PERSISTENT in store.capabilities else None)
    try:
        info = _journal_start(store, journal, paths, options.resume)
        todo = [f for f in files if not (options.resume and journal is not None and journal.file_done(f))]
        if progress is not None:
            progress.planned(len(todo), info.resumed if info else None, info.done_before if info else 0)
        items = _chain(given, read_sources(todo, readers=readers, max_bytes=options.max_bytes,
                                           max_unpacked=options.max_unpacked, recursive=options.recursive,
                                           follow_symlinks=True))  # files the walk above let through
        report = ingest_items(items, store, extractor, options, journal=journal,
                              run_id=info.id if info else 0, extractor_factory=factory,
                              on_item=progress.item if progress is not None else None)
        report.errors[:0] = [FileError(p, "no such file or directory") for p in missing] + refused
        report.files_skipped = len(files) - len(todo)
        report.plugin_failures = list(readers.failures)
        report.reader_stats = _reader_stats(readers)
        if journal is not None and info is not None:
            bad = {printable(input_file(e.source)) for e in report.errors}  # as Article.make keeps sources
            journal.mark_files([f for f in todo if f != STDIN and printable(input_file(f)) not in bad], info.id)
            journal.finish_run(info.id)
    finally:
        if journal is not None:
            journal.close()
    return report


def extract_relations(sources: Sequence[Source], options: IngestOptions = DEFAULTS) -> Iterator[ArticleResult | FileError]:
    """Read, extract and resolve ``sources`` without a store (what ``graphkg extract`` prints).

    Yields one :class:`ArticleResult` per article, or a :class:`FileError` for a source that
    could not be read or extracted.
    """
    paths = [str(s) for s in sources if not isinstance(s, Article)]
    given = [s for s in sources if isinstance(s, Article)]
    readers = load_readers().configure(options.fields)
    extractor, lookup = _factory(options)(), _lookup(options)
    for item in _chain(given, read_sources(paths, readers=readers, max_bytes=options.max_bytes,
                                           max_unpacked=options.max_unpacked, recursive=options.recursive,
                                           follow_symlinks=options.follow_symlinks)):
        if isinstance(item, LoaderError):
            yield FileError(item.source, item.reason)
            continue
        article, cands, error = extract_one(extractor, with_lang(item, options.lang), options.max_seconds,
                                            options.max_chars)
        if cands is None:
            yield FileError(article.source, error or "extraction failed")
            continue
        yield resolve_candidates(article, cands, lookup=lookup, min_confidence=options.min_confidence)


def with_lang(article: Article, lang: str | None) -> Article:
    """``article`` read as ``lang`` when its source stated no language (``lang`` None: unchanged)."""
    return dataclasses.replace(article, lang=lang) if lang is not None and article.lang is None else article


def _chain(given: list[Article], read: Iterator[Article | LoaderError]) -> Iterator[Article | LoaderError]:
    yield from given
    yield from read


def _reader_stats(readers: ReaderSet) -> dict[str, dict[str, int]]:
    return {r.name: dict(r.stats) for r in readers.readers if isinstance(r, CountingReader) and r.stats}


def _journal_start(store: Store, journal: Journal | None, paths: Sequence[str], resume: bool) -> RunInfo | None:
    """Check the journal against the store, seed or reset it, and open a run."""
    if journal is None:
        return None
    latest = journal.latest()
    if latest is not None and not store.has_article(latest):
        journal.reset()  # the store was replaced or wiped: the journal no longer describes it
    if journal.count() == 0:
        journal.seed((a.id, a.url, a.source) for a in store.articles())
    if not resume:
        journal.forget_all_files()
    return journal.start_run(list(paths))


def input_file(source: str) -> str:
    """The input file an item came from: ``a.zip!x.jsonl:3`` -> ``a.zip``, ``f.rss:item 2`` -> ``f.rss``.

    >>> input_file("a.zip!x.jsonl:3"), input_file("f.rss:item 2"), input_file("b.txt")
    ('a.zip', 'f.rss', 'b.txt')
    """
    base = source.split("!", 1)[0]
    m = re.match(r"^(.*?):(?:\d+|item \d+)$", base)
    return m.group(1) if m else base


def ingest_items(items: Iterable[Article | LoaderError], store: Store, extractor: Extractor,
                 options: IngestOptions = DEFAULTS, *, journal: Journal | None = None,
                 run_id: int = 0, on_item: Callable[[str, str], None] | None = None,
                 extractor_factory: Callable[[], Extractor] | None = None) -> IngestReport:
    """Extract, resolve and write articles already read; an article is written whole or not at all.

    Streaming: memory is bounded by the batch and the worker window, not by the input size.

    Args:
        items: articles, or loader errors to report (from :func:`read_sources`).
        store: where relations go; already ingested articles (same content hash) are skipped.
        extractor: candidate producer (used in this process when ``options.workers == 1``).
        options: batch size, workers, confidence floor, gazetteer, bulk writes (see :class:`IngestOptions`).
        journal: records written articles (resume after a crash, replace by URL).
        run_id: journal run id stamped on recorded articles.
        on_item: progress callback ``(source, status)``; status is read/skipped/error.
        extractor_factory: picklable zero-argument callable building the extractor in each
            worker (default: ``extractor`` itself is pickled).
    """
    writer = _Writer(store, journal, run_id, options.batch_size, options.keep_rejected)
    fast = facet(store, Capability.BULK_WRITE) if options.bulk else None
    writer.write = fast.write_bulk if fast is not None else store.write
    todo = (with_lang(a, options.lang) for a in writer.admit(items, on_item))
    if options.workers <= 1:
        results: Iterable[tuple[Article, list[Candidate] | None, str | None]] = (
            extract_one(extractor, a, options.max_seconds, options.max_chars) for a in todo)
    else:
        results = extract_parallel(todo, extractor_factory or _Fixed(extractor), options.workers, options.chunk_size,
                                   options.max_seconds, options.max_chars)
    lookup = _lookup(options)
    try:
        for article, cands, error in results:
            writer.take(article, cands, error, lookup, options.min_confidence, on_item)
        writer.flush()
    finally:
        writer.close()  # the last write is committed (or failed) before the caller closes the store
    return writer.report


class _Fixed:
    """Picklable factory returning a given (picklable) extractor."""

    def __init__(self, extractor: Extractor) -> None:
        self.extractor = extractor

    def __call__(self) -> Extractor:
        return self.extractor


MAX_BATCH_SECONDS = 5.0


class _Writer:
    """Skips known articles, batches results, writes them and journals what was written."""

    def __init__(self, store: Store, journal: Journal | None, run: int, batch_size: int,
                 keep_rejected: bool) -> None:
        self.store, self.journal, self.run = store, journal, run
        self.batch_size, self.keep_rejected = batch_size, keep_rejected
        self.report = IngestReport()
        self.batch: list[tuple[Article, Sequence[Relation], Sequence[Entity]]] = []
        self.started = time.monotonic()  # when the open batch got its first article
        self.pending: set[str] = set()   # admitted, not yet flushed: bounded by batch + window
        self.write: Callable[[Sequence[tuple[Article, Sequence[Relation], Sequence[Entity]]]], int] = store.write
        self.failed: set[str] = set()
        # A store with "background-write" (its write releases the GIL and tolerates reads from
        # this thread meanwhile) writes batch N in a thread while batch N+1 is read, extracted
        # and resolved here. Each batch is still one transaction, journaled after it commits.
        self.inflight: tuple[Future[int], list[tuple[Article, Sequence[Relation], Sequence[Entity]]]] | None = None
        self.executor = (ThreadPoolExecutor(1, thread_name_prefix="graphkg-write")
                         if "background-write" in store.capabilities else None)

    def admit(self, items: Iterable[Article | LoaderError],
              on_item: Callable[[str, str], None] | None) -> Iterator[Article]:
        """Articles that need extraction; errors and already ingested ones are reported here."""
        for item in items:
            if isinstance(item, LoaderError):
                self.report.errors.append(FileError(item.source, item.reason))
                _notify(on_item, item.source, "error")
                continue
            self.report.read += 1
            if item.id in self.pending or item.id in self.failed or self.store.has_article(item.id) \
                    or (self.journal is not None and self.journal.superseded(item.id)):
                if self.journal is not None and item.id not in self.pending and not self.journal.has(item.id) \
                        and not self.journal.superseded(item.id):
                    # written before a crash, not yet journaled: record it now
                    self.journal.record([(item.id, item.url, item.source, item.versioned and _by_content(item))],
                                        self.run)
                self.report.skipped += 1
                _notify(on_item, item.source, "skipped")
                continue
            self.pending.add(item.id)
            yield item

    def take(self, article: Article, cands: list[Candidate] | None, error: str | None,
             lookup: Callable[[str], Entity] | None, min_confidence: float,
             on_item: Callable[[str, str], None] | None) -> None:
        if cands is None:
            self.pending.discard(article.id)
            self.failed.add(article.id)
            self.report.errors.append(FileError(article.source, error or "extraction failed"))
            _notify(on_item, article.source, "error")
            return
        try:
            result = resolve_candidates(article, cands, lookup=lookup, min_confidence=min_confidence)
        except GraphkgError as err:
            self.take(article, None, str(err), lookup, min_confidence, on_item)
            return
        self.report.rejected_total += len(result.rejected)
        if article.lang is not None and article.lang not in READ_LANGUAGES:  # "und", or one we do not read ("de")
            self.report.undetected += 1
            self.report.unread_languages[article.lang] += 1
        if self.keep_rejected:
            self.report.rejected.extend(result.rejected)
        if not self.batch:
            self.started = time.monotonic()
        self.batch.append((result.article, result.relations, result.mentions))
        _notify(on_item, article.source, "read")
        # Big batches write fast; the time cap keeps slow (NLP) runs journaling every few seconds,
        # so an interrupted run loses little work.
        if len(self.batch) >= self.batch_size or time.monotonic() - self.started >= MAX_BATCH_SECONDS:
            self.flush()

    def _replace_same_url(self) -> None:
        """A new version of a page (same URL, new text) replaces the one recorded for its URL.

        Only the reader knows whether a URL names one page: an HTML page's canonical URL and a
        feed item's link do (:attr:`Article.versioned`), a field of a dump record does not (many
        records may share a section's URL), and a GDELT article (its id chosen by the loader)
        never replaces nor is replaced. Articles sharing a URL otherwise are all kept (counted
        in :attr:`IngestReport.same_url_kept`).
        """
        def page(a: Article) -> bool:
            return a.versioned and _by_content(a)

        def newer(a: Article, b: Article | tuple[str, date | None]) -> bool:
            """``a`` is a later version than ``b`` (by publication date; undated or equal: read later)."""
            other = b.published if isinstance(b, Article) else b[1]
            return a.published is None or other is None or a.published >= other

        latest: dict[str, int] = {}  # per page URL, the batch entry of its newest version
        for i, (a, _, _) in enumerate(self.batch):
            if a.url and page(a) and (a.url not in latest or newer(a, self.batch[latest[a.url]][0])):
                latest[a.url] = i
        keep = []
        journal = self.journal
        superseded: list[str] = []
        seen: set[str] = set()
        for i, entry in enumerate(self.batch):
            a = entry[0]
            if a.url in latest and latest[a.url] != i and page(a):  # an older version, same batch
                superseded.append(a.id)
                self.report.replaced += 1
                continue
            if not a.url:
                keep.append(entry)
                continue
            old = journal.page_of(a.url) if journal is not None and page(a) else None
            if journal is not None and old is not None and old[0] != a.id and self.store.has_article(old[0]):
                if not newer(a, old):  # an older version read again (a feed lists its items newest first)
                    superseded.append(a.id)
                    self.report.skipped += 1
                    continue
                self.store.remove_article(old[0])
                journal.forget(old[0])
                superseded.append(old[0])
                self.report.replaced += 1
            elif a.url in seen or (journal is not None and journal.owner_of(a.url) not in (None, a.id)):
                self.report.same_url_kept += 1
            keep.append(entry)
            seen.add(a.url)
        if journal is not None and superseded:
            journal.supersede(superseded)  # read again later, they are skipped: no flip-flop between versions
        self.batch[:] = keep

    def flush(self) -> None:
        """Write the current batch (in the background when the store allows it)."""
        if not self.batch:
            return
        self.settle()  # the journal must know the previous batch before URLs are compared
        self._replace_same_url()
        batch, self.batch = self.batch, []
        if self.executor is None:
            self._done(batch, self.write(batch))
        else:
            self.inflight = (self.executor.submit(self.write, batch), batch)

    def settle(self) -> None:
        """Wait for the batch being written; count and journal it (re-raises its error)."""
        if self.inflight is not None:
            future, batch = self.inflight
            self.inflight = None
            self._done(batch, future.result())

    def _done(self, batch: list[tuple[Article, Sequence[Relation], Sequence[Entity]]], new: int) -> None:
        self.report.relations_written += new
        self.report.articles_written += len(batch)
        if self.journal is not None:  # only after the store has the batch: never ahead of it
            self.journal.record(((a.id, a.url, a.source, a.versioned and _by_content(a), a.published)
                                 for a, _, _ in batch), self.run)
        for a, _, _ in batch:
            self.pending.discard(a.id)

    def close(self) -> None:
        try:
            self.settle()
        finally:
            if self.executor is not None:
                self.executor.shutdown(wait=True)


READ_LANGUAGES = frozenset({"fr", "en"})  # what the NLP extractor reads


def _by_content(a: Article) -> bool:
    """True when the article's id is its content hash (a page version), not a loader's choice."""
    return a.id == article_id(a.text, a.url)


def _notify(cb: Callable[[str, str], None] | None, source: str, status: str) -> None:
    if cb is not None:
        cb(source, status)
