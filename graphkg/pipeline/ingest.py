"""The ingest pipeline: read → extract → resolve → check → write in batches → report.

Library code only: it returns an :class:`IngestReport` and never prints. Extraction may fan
out over worker processes (:mod:`graphkg.pipeline.workers`); resolution, the store and the journal
stay in this process; a store declaring ``"background-write"`` commits batch N in one writer
thread while this thread prepares batch N+1 (each batch one transaction, journaled after it
commits). Updates: an article is identified by its content hash (plus URL); when a journal is
given and a *different* article with the same URL was ingested before, the new one replaces it
(its relations removed, the new ones written). Articles whose loader chose the id (GDELT) are
never replaced that way.
"""

from __future__ import annotations

import time

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graphkg.errors import GraphkgError, LoaderError, ResolutionError
from graphkg.model import Article, Candidate, Entity, EntityRef, Provenance, Relation, article_id
from graphkg.vocab import check_relation
from graphkg.pipeline.workers import Extractor, extract_one, extract_parallel
from graphkg.stores import Store

if TYPE_CHECKING:
    from graphkg.pipeline.journal import Journal

__all__ = [
    "Extractor",
    "Rejected",
    "FileError",
    "IngestReport",
    "ArticleResult",
    "resolve_candidates",
    "ingest",
]


@dataclass(frozen=True, slots=True)
class Rejected:
    """A candidate the pipeline refused, with the reason."""

    source: str
    candidate: Candidate
    reason: str


@dataclass(frozen=True, slots=True)
class FileError:
    """A source that could not be read or processed; nothing of it was written."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """Resolved output for one article (also what ``graphkg extract`` prints)."""

    article: Article
    relations: tuple[Relation, ...]
    mentions: tuple[Entity, ...]
    rejected: tuple[Rejected, ...]
    candidates: tuple[Candidate, ...] = ()


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
    replaced: int = 0
    files_skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _entity(ref: EntityRef, lookup: Callable[[str], Entity] | None) -> Entity:
    if ref.id and lookup is not None:
        try:
            known = lookup(ref.id)
        except ResolutionError:
            known = None
        if known is not None:
            aliases = tuple(sorted({*known.aliases, ref.text} - {known.label}))
            return Entity(id=known.id, label=known.label, type=known.type, aliases=aliases, qid=known.qid)
    if ref.id:
        return Entity(id=ref.id, label=ref.label, type=ref.type,
                      aliases=tuple(sorted({ref.text} - {ref.label})))
    return Entity.minted(ref.label, ref.type, aliases=tuple(sorted({ref.text} - {ref.label})))


def resolve_candidates(article: Article, candidates: Sequence[Candidate], *,
                       lookup: Callable[[str], Entity] | None = None,
                       min_confidence: float = 0.0) -> ArticleResult:
    """Resolve candidates to entities, check them against the ontology, attach provenance.

    Args:
        article: the article the candidates come from.
        candidates: extractor output.
        lookup: entity id → gazetteer entity (aliases, QID); ``None`` keeps refs as given.
        min_confidence: candidates below it are rejected with that reason.
    """
    relations: dict[str, Relation] = {}
    mentions: dict[str, Entity] = {}
    rejected: list[Rejected] = []
    for c in candidates:
        s, o = _entity(c.subject, lookup), _entity(c.object, lookup)
        reason = check_relation(s.type, c.predicate, o.type)
        if reason is None and s.id == o.id:
            reason = f"{c.predicate.value} relates {s.label!r} to itself"
        if reason is None and c.confidence < min_confidence:
            reason = f"confidence {c.confidence:.2f} below --min-confidence {min_confidence:.2f}"
        if reason is not None:
            rejected.append(Rejected(article.source, c, reason))
            continue
        prov = Provenance(
            article_id=article.id, evidence=c.evidence, start=c.start, end=c.end,
            extractor=c.extractor, confidence=round(c.confidence, 3), url=article.url,
            title=article.title, publisher=article.publisher, published=article.published,
            lang=article.lang, source=article.source)
        date = c.date or (article.published.isoformat() if article.published else None)
        r = Relation(subject=s, predicate=c.predicate, object=o, provenance=prov,
                     properties=c.properties, date=date)
        if r.key not in relations or relations[r.key].provenance.confidence < prov.confidence:
            relations[r.key] = r
        mentions.setdefault(s.id, s)
        mentions.setdefault(o.id, o)
    return ArticleResult(article, tuple(relations.values()), tuple(mentions.values()),
                         tuple(rejected), tuple(candidates))


def ingest(items: Iterable[Article | LoaderError], store: Store, extractor: Extractor, *,
           lookup: Callable[[str], Entity] | None = None, batch_size: int = 500,
           min_confidence: float = 0.0,
           on_item: Callable[[str, str], None] | None = None,
           workers: int = 1, extractor_factory: Callable[[], Extractor] | None = None,
           journal: Journal | None = None, run: int = 0, keep_rejected: bool = True,
           chunk_size: int = 4, bulk: bool = False) -> IngestReport:
    """Ingest articles into ``store``; an article is written whole or not at all.

    Streaming: memory is bounded by the batch and the worker window, not by the input size.

    Args:
        items: articles, or loader errors to report (from ``read_sources``).
        store: where relations go; already ingested articles (same content hash) are skipped.
        extractor: candidate producer (used in this process when ``workers == 1``).
        lookup: gazetteer lookup for entity ids.
        batch_size: articles per write transaction.
        min_confidence: floor below which candidates are rejected.
        on_item: progress callback ``(source, status)``; status is read/skipped/error.
        workers: extraction processes; the store is still written by this process only.
        extractor_factory: picklable zero-argument callable building the extractor in each
            worker (default: ``extractor`` itself is pickled).
        journal: records written articles (resume after a crash, replace by URL).
        run: journal run id stamped on recorded articles.
        keep_rejected: keep rejected candidates in the report (else only count them).
        chunk_size: articles per worker task.
        bulk: write through the store's ``write_bulk`` fast path when it has one (not atomic
            per batch; for large first loads).
    """
    writer = _Writer(store, journal, run, batch_size, keep_rejected)
    writer.write = getattr(store, "write_bulk", store.write) if bulk else store.write
    todo = writer.admit(items, on_item)
    if workers <= 1:
        results: Iterable[tuple[Article, list[Candidate] | None, str | None]] = (
            extract_one(extractor, a) for a in todo)
    else:
        results = extract_parallel(todo, extractor_factory or _Fixed(extractor), workers, chunk_size)
    try:
        for article, cands, error in results:
            writer.take(article, cands, error, lookup, min_confidence, on_item)
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
            if item.id in self.pending or item.id in self.failed or self.store.has_article(item.id):
                if self.journal is not None and item.id not in self.pending and not self.journal.has(item.id):
                    # written before a crash, not yet journaled: record it now
                    self.journal.record([(item.id, item.url, item.source)], self.run)
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
        """A changed article (same URL, new text) replaces the one recorded for its URL.

        Only articles identified by their content (:meth:`Article.make`) are versions of a
        page; articles whose loader chose the id (a GDELT SOURCEURL as cited by one export
        file) share a URL without replacing each other.
        """
        urls = Counter(a.url for a, _, _ in self.batch if a.url)
        latest = {a.url: i for i, (a, _, _) in enumerate(self.batch)
                  if a.url and urls[a.url] > 1 and _by_content(a)}
        keep = []
        for i, entry in enumerate(self.batch):
            a = entry[0]
            if a.url in latest and latest[a.url] != i and _by_content(a):  # older version, same batch
                self.report.replaced += 1
                continue
            keep.append(entry)
            old = self.journal.owner_of(a.url) if a.url and self.journal is not None else None
            if old is not None and old != a.id and _by_content(a) and self.store.has_article(old):
                self.store.remove_article(old)
                self.journal.forget(old)  # type: ignore[union-attr]
                self.report.replaced += 1
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
            self.journal.record(((a.id, a.url, a.source) for a, _, _ in batch), self.run)
        for a, _, _ in batch:
            self.pending.discard(a.id)

    def close(self) -> None:
        try:
            self.settle()
        finally:
            if self.executor is not None:
                self.executor.shutdown(wait=True)


def _by_content(a: Article) -> bool:
    """True when the article's id is its content hash (a page version), not a loader's choice."""
    return a.id == article_id(a.text, a.url)


def _notify(cb: Callable[[str, str], None] | None, source: str, status: str) -> None:
    if cb is not None:
        cb(source, status)
