"""The ingest pipeline: read → extract → resolve → check → write in batches → report.

Library code only: it returns an :class:`IngestReport` and never prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from graphkg.errors import GraphkgError, LoaderError, ResolutionError
from graphkg.model import Article, Candidate, Entity, EntityRef, Provenance, Relation
from graphkg.ontology import check_relation
from graphkg.stores import Store

__all__ = [
    "Extractor",
    "Rejected",
    "FileError",
    "IngestReport",
    "ArticleResult",
    "resolve_candidates",
    "ingest",
]


class Extractor(Protocol):
    """Anything that turns an article into candidates (the NLP extractor, GDELT rows, ...)."""

    name: str
    version: str

    def extract(self, article: Article) -> list[Candidate]: ...


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
           lookup: Callable[[str], Entity] | None = None, batch_size: int = 50,
           min_confidence: float = 0.0,
           on_item: Callable[[str, str], None] | None = None) -> IngestReport:
    """Ingest articles into ``store``; an article is written whole or not at all.

    Args:
        items: articles, or loader errors to report (from ``read_sources``).
        store: where relations go; already ingested articles are skipped.
        extractor: candidate producer.
        lookup: gazetteer lookup for entity ids.
        batch_size: articles per write transaction.
        min_confidence: floor below which candidates are rejected.
        on_item: progress callback ``(source, status)``; status is read/skipped/error.
    """
    report = IngestReport()
    batch: list[tuple[Article, Sequence[Relation], Sequence[Entity]]] = []
    seen: set[str] = set()

    def flush() -> None:
        if batch:
            report.relations_written += store.write(batch)
            report.articles_written += len(batch)
            batch.clear()

    for item in items:
        if isinstance(item, LoaderError):
            report.errors.append(FileError(item.source, item.reason))
            _notify(on_item, item.source, "error")
            continue
        report.read += 1
        if item.id in seen or store.has_article(item.id):
            report.skipped += 1
            _notify(on_item, item.source, "skipped")
            continue
        seen.add(item.id)
        try:
            result = resolve_candidates(item, extractor.extract(item), lookup=lookup,
                                        min_confidence=min_confidence)
        except GraphkgError as err:
            report.errors.append(FileError(item.source, str(err)))
            _notify(on_item, item.source, "error")
            continue
        report.rejected.extend(result.rejected)
        batch.append((result.article, result.relations, result.mentions))
        _notify(on_item, item.source, "read")
        if len(batch) >= batch_size:
            flush()
    flush()
    return report


def _notify(cb: Callable[[str, str], None] | None, source: str, status: str) -> None:
    if cb is not None:
        cb(source, status)
