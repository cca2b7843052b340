"""In-memory reference store: the test oracle every other store must agree with."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from graphkg.model import Article, Entity, Relation
from graphkg.vocab import EntityType, Predicate
from graphkg.model import Batch, StoreCounts
from graphkg.plugins import Capability

__all__ = ["MemoryStore"]


class MemoryStore:
    """Dictionaries keyed by id; nothing persists."""

    name = "memory"
    capabilities: frozenset[str] = frozenset({Capability.PATTERN})

    def __init__(self) -> None:
        self._articles: dict[str, Article] = {}
        self._entities: dict[str, Entity] = {}
        self._relations: dict[str, Relation] = {}
        self._mentions: dict[str, set[str]] = {}

    @classmethod
    def open(cls, home: Path | None = None, **_: object) -> MemoryStore:
        return cls()

    def has_article(self, article_id: str) -> bool:
        return article_id in self._articles

    def write(self, batch: Batch) -> int:
        new = 0
        for article, relations, mentions in batch:
            self._articles[article.id] = Article(
                id=article.id, text="", source=article.source, url=article.url, title=article.title,
                published=article.published, lang=article.lang, publisher=article.publisher)
            for e in mentions:
                self._entities[e.id] = _merge(self._entities.get(e.id), e)
            self._mentions.setdefault(article.id, set()).update(e.id for e in mentions)
            for r in relations:
                for e in (r.subject, r.object):
                    self._entities[e.id] = _merge(self._entities.get(e.id), e)
                new += r.key not in self._relations
                self._relations[r.key] = r
        return new

    def relations(self, subject: str | None = None, predicate: Predicate | None = None,
                  object: str | None = None, article: str | None = None) -> Iterator[Relation]:
        for r in sorted(self._relations.values(), key=lambda r: r.key):
            if subject is not None and r.subject.id != subject:
                continue
            if predicate is not None and r.predicate is not predicate:
                continue
            if object is not None and r.object.id != object:
                continue
            if article is not None and r.provenance.article_id != article:
                continue
            yield r

    def mentions(self, article_id: str) -> Iterator[Entity]:
        for eid in sorted(self._mentions.get(article_id, ())):
            yield self._entities[eid]

    def entities(self, type_: EntityType | None = None) -> Iterator[Entity]:
        for e in sorted(self._entities.values(), key=lambda e: e.id):
            if type_ is None or e.type is type_:
                yield e

    def articles(self) -> Iterator[Article]:
        yield from sorted(self._articles.values(), key=lambda a: a.id)

    def counts(self) -> StoreCounts:
        return StoreCounts(
            articles=len(self._articles),
            entities=len(self._entities),
            relations=len(self._relations),
            by_type=dict(Counter(e.type.value for e in self._entities.values())),
            by_predicate=dict(Counter(r.predicate.value for r in self._relations.values())),
        )

    def remove_article(self, article_id: str) -> int:
        gone = [k for k, r in self._relations.items() if r.provenance.article_id == article_id]
        for k in gone:
            del self._relations[k]
        self._articles.pop(article_id, None)
        self._mentions.pop(article_id, None)
        used = {e for ids in self._mentions.values() for e in ids}
        used |= {i for r in self._relations.values() for i in (r.subject.id, r.object.id)}
        self._entities = {k: e for k, e in self._entities.items() if k in used}
        return len(gone)

    def close(self) -> None:
        return None


def _merge(old: Entity | None, new: Entity) -> Entity:
    """Keep one record per id, uniting aliases."""
    if old is None:
        return new
    aliases = tuple(sorted(set(old.aliases) | set(new.aliases)))
    return Entity(id=old.id, label=old.label, type=old.type, aliases=aliases, qid=old.qid or new.qid)
