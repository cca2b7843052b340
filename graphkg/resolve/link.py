"""Linking: an extractor's surface references (:class:`~graphkg.model.EntityRef`) become
entities (gazetteer id, label, aliases, QID), checked against the ontology, with provenance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from graphkg.errors import ResolutionError
from graphkg.model import Article, Candidate, Entity, EntityRef, Provenance, Relation
from graphkg.vocab import check_relation

__all__ = ["Rejected", "ArticleResult", "resolve_candidates"]


@dataclass(frozen=True, slots=True)
class Rejected:
    """A candidate the pipeline refused, with the reason."""

    source: str
    candidate: Candidate
    reason: str


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """Resolved output for one article (also what ``graphkg extract`` prints)."""

    article: Article
    relations: tuple[Relation, ...]
    mentions: tuple[Entity, ...]
    rejected: tuple[Rejected, ...]
    candidates: tuple[Candidate, ...] = ()


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
