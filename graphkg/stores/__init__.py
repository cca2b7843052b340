"""Stores: one pattern-query protocol, several backends, chosen through entry points.

Backends declare what they can do in ``capabilities`` (``"rdf"``, ``"sparql"``,
``"cypher"``, ``"persistent"``); callers test capabilities, never classes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from graphkg.errors import StoreError, suggest
from graphkg.model import Article, Entity, Relation
from graphkg.vocab import EntityType, Predicate

__all__ = ["Store", "Batch", "StoreCounts", "open_store", "store_names", "default_home"]

Batch = Sequence[tuple[Article, Sequence[Relation], Sequence[Entity]]]


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """What a store holds, for ``graphkg stats``."""

    articles: int
    entities: int
    relations: int
    by_type: dict[str, int] = field(default_factory=dict)
    by_predicate: dict[str, int] = field(default_factory=dict)


@runtime_checkable
class Store(Protocol):
    """The contract every backend meets (tests/test_store_contract.py checks it)."""

    name: str
    capabilities: frozenset[str]

    def has_article(self, article_id: str) -> bool:
        """True when the article was already ingested."""
        ...

    def write(self, batch: Batch) -> int:
        """Write articles with their relations and mentions in one transaction; return new relations."""
        ...

    def relations(self, subject: str | None = None, predicate: Predicate | None = None,
                  object: str | None = None, article: str | None = None) -> Iterator[Relation]:
        """Relations matching a pattern (``None`` is a wildcard); ids are entity/article ids."""
        ...

    def entities(self, type_: EntityType | None = None) -> Iterator[Entity]:
        """Entities, optionally of one type."""
        ...

    def mentions(self, article_id: str) -> Iterator[Entity]:
        """Entities an article mentions."""
        ...

    def articles(self) -> Iterator[Article]:
        """Article metadata (``text`` is empty: stores keep no article text)."""
        ...

    def counts(self) -> StoreCounts:
        """Counts per type and per predicate."""
        ...

    def remove_article(self, article_id: str) -> int:
        """Remove an article and exactly the relations it contributed; return how many."""
        ...

    def close(self) -> None:
        """Flush and release the store."""
        ...


def default_home() -> Path:
    """Data directory: ``$GRAPHKG_HOME`` or ``./graphkg-data``."""
    return Path(os.environ.get("GRAPHKG_HOME") or "graphkg-data")


def _registry() -> dict[str, object]:
    found: dict[str, object] = {ep.name: ep for ep in entry_points(group="graphkg.stores")}
    if not found:  # running from a source tree without installed metadata
        from graphkg.stores.memory import MemoryStore
        from graphkg.stores.oxigraph import OxigraphStore

        found = {"memory": MemoryStore, "oxigraph": OxigraphStore}
    return found


def store_names() -> list[str]:
    return sorted(_registry())


def open_store(name: str = "oxigraph", home: Path | None = None, **options: object) -> Store:
    """Open the store registered as ``name`` (entry-point group ``graphkg.stores``).

    Raises:
        StoreError: unknown store name, or the backend cannot be opened.
    """
    reg = _registry()
    alias = {"embedded": "oxigraph", "default": "oxigraph"}.get(name, name)
    if alias not in reg:
        raise StoreError(name, f"unknown store; {suggest(name, reg)}")
    target = reg[alias]
    factory: Any = target.load() if hasattr(target, "load") else target
    store: Store = factory.open(home=home or default_home(), **options)
    return store
