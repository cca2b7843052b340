"""The one plugin door: protocols for readers, extractors and stores, their capability facets,
and the registry that finds them through entry points.

Built-ins register through the same entry-point groups as third-party plugins
(``pyproject.toml``): ``graphkg.readers``, ``graphkg.extractors``, ``graphkg.stores``. A plugin
that fails to load is never skipped in silence: :meth:`Registry.load_all` returns it as a
:class:`PluginFailure` (``graphkg plugins`` prints them), and :meth:`Registry.load` raises
:class:`~graphkg.errors.PluginError` naming it.

Optional abilities are *facets*: small protocols a plugin may also satisfy. A store declares
its facets in ``capabilities`` and :func:`facet` returns the store typed as the facet (or
``None``), so callers never probe with ``hasattr``; the store contract tests check that every
declared capability is really implemented.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import IO, Any, Literal, Protocol, overload, runtime_checkable

from graphkg.errors import LoaderError, PluginError, suggest
from graphkg.model import Article, Batch, Candidate, Entity, Relation, StoreCounts
from graphkg.vocab import EntityType, Predicate

__all__ = [
    "GROUPS",
    "Capability",
    "Reader",
    "StreamingReader",
    "ConfigurableReader",
    "CountingReader",
    "Unpacker",
    "Extractor",
    "PreparingExtractor",
    "SelectiveExtractor",
    "Store",
    "SparqlFacet",
    "RdfFacet",
    "BulkWriteFacet",
    "CypherFacet",
    "FACETS",
    "facet",
    "PluginFailure",
    "Registry",
    "registry",
]

#: kind -> entry-point group
GROUPS: Mapping[str, str] = {
    "readers": "graphkg.readers",
    "extractors": "graphkg.extractors",
    "stores": "graphkg.stores",
}


# ---------------------------------------------------------------- readers

@runtime_checkable
class Reader(Protocol):
    """Turns one file's bytes into articles (one file may hold several)."""

    name: str
    suffixes: tuple[str, ...]

    def read(self, data: bytes, source: str) -> Article | Iterable[Article | LoaderError]:
        """Parse one file; raise :class:`LoaderError` with a one-line reason.

        A multi-article reader may also yield :class:`LoaderError` items for bad records
        (``dump.jsonl:17``) among its articles.
        """
        ...


@runtime_checkable
class StreamingReader(Reader, Protocol):
    """A reader given the open file instead of its bytes: ``max_bytes`` bounds one record."""

    def stream(self, fh: IO[bytes], source: str, *, max_bytes: int) -> Iterator[Article | LoaderError]:
        """Yield the articles (and bad-record errors) of an open binary stream."""
        ...


@runtime_checkable
class ConfigurableReader(Reader, Protocol):
    """A reader that takes field roles (``--field text=body``): dumps."""

    def configure(self, fields: Sequence[str]) -> Reader:
        """A copy of the reader reading the fields ``role=name`` specs name (``--field text=body``)."""
        ...


@runtime_checkable
class CountingReader(Reader, Protocol):
    """A reader that keeps counters worth reporting after a run (rows kept, rows skipped)."""

    stats: dict[str, int]


@runtime_checkable
class Unpacker(Protocol):
    """An archive format: opens the members of a container file as capped binary streams."""

    name: str
    suffixes: tuple[str, ...]

    def members(self, path: str, *, max_unpacked: int) -> Iterator[tuple[str, IO[bytes]] | LoaderError]:
        """``(member source name, stream)`` pairs, or an error item per unreadable member."""
        ...


# ---------------------------------------------------------------- extractors

@runtime_checkable
class Extractor(Protocol):
    """Turns an article into candidate triples (the NLP extractor, GDELT rows, ...)."""

    name: str
    version: str

    def extract(self, article: Article) -> list[Candidate]:
        """Candidates of one article (pure: no store, no printing)."""
        ...


@runtime_checkable
class PreparingExtractor(Extractor, Protocol):
    """An extractor that completes an article before extraction (sets its language)."""

    def prepare(self, article: Article) -> Article:
        """The article as the extractor will read it."""
        ...


@runtime_checkable
class SelectiveExtractor(Extractor, Protocol):
    """An extractor for one kind of article only (GDELT rows)."""

    def accepts(self, article: Article) -> bool:
        """True when the article is of the kind this extractor reads."""
        ...


# ---------------------------------------------------------------- stores

class Capability(enum.StrEnum):
    """What a store declares it can do (``store.capabilities``)."""

    PATTERN = "pattern"              #: the pattern-query protocol (every store)
    PERSISTENT = "persistent"        #: data outlives the process; ingest keeps a journal
    BACKGROUND_WRITE = "background-write"  #: write() releases the GIL and tolerates reads meanwhile
    BULK_WRITE = "bulk-write"        #: :class:`BulkWriteFacet`
    RDF = "rdf"                      #: :class:`RdfFacet`
    SPARQL = "sparql"                #: :class:`SparqlFacet`
    CYPHER = "cypher"                #: :class:`CypherFacet`


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


@runtime_checkable
class BulkWriteFacet(Store, Protocol):
    """A faster, non-atomic write path for large first loads."""


    def write_bulk(self, batch: Batch) -> int:
        """Write a batch without one transaction per batch; return new relations."""
        ...


@runtime_checkable
class RdfFacet(Store, Protocol):
    """A store holding RDF quads (exports are dumps of it)."""


    def quads(self) -> Iterator[Any]:
        """Every quad of the store (pyoxigraph ``Quad`` objects)."""
        ...

    def load_quads(self, quads: Iterable[Any]) -> None:
        """Add quads in one transaction."""
        ...


@runtime_checkable
class SparqlFacet(Store, Protocol):
    """A store answering SPARQL 1.1 queries and updates."""


    def query(self, sparql: str) -> Any:
        """Run a query (the default graph is the union of all graphs)."""
        ...

    def update(self, sparql: str) -> None:
        """Run an update."""
        ...


@runtime_checkable
class CypherFacet(Store, Protocol):
    """A store answering Cypher (Neo4j)."""


    def run_cypher(self, query: str, params: Mapping[str, Any] | None = None,
                   write: bool = False) -> tuple[list[str], list[list[Any]]]:
        """Column names and rows of a query."""
        ...


#: the protocol of each capability that comes with methods of its own
FACETS: Mapping[Capability, type] = {
    Capability.BULK_WRITE: BulkWriteFacet,
    Capability.RDF: RdfFacet,
    Capability.SPARQL: SparqlFacet,
    Capability.CYPHER: CypherFacet,
}


@overload
def facet(store: Store, capability: Literal[Capability.BULK_WRITE]) -> BulkWriteFacet | None: ...
@overload
def facet(store: Store, capability: Literal[Capability.RDF]) -> RdfFacet | None: ...
@overload
def facet(store: Store, capability: Literal[Capability.SPARQL]) -> SparqlFacet | None: ...
@overload
def facet(store: Store, capability: Literal[Capability.CYPHER]) -> CypherFacet | None: ...


def facet(store: Store, capability: Capability) -> Store | None:
    """``store`` seen as the facet of ``capability`` when it declares it, else ``None``.

    ``facet(store, Capability.SPARQL)`` is typed :class:`SparqlFacet`.
    """
    if capability in store.capabilities and isinstance(store, FACETS[capability]):
        return store
    return None


# ---------------------------------------------------------------- registry

@dataclass(frozen=True, slots=True)
class PluginFailure:
    """A registered plugin that could not be loaded, with the error."""

    group: str
    name: str
    target: str
    error: str


class Registry:
    """Plugins of the three groups, found through entry points (loaded on demand, once)."""

    def __init__(self, entry_points: Sequence[metadata.EntryPoint] | None = None) -> None:
        groups = set(GROUPS.values())
        eps = ([ep for g in sorted(groups) for ep in metadata.entry_points(group=g)]
               if entry_points is None else list(entry_points))
        self._eps: dict[str, dict[str, metadata.EntryPoint]] = {g: {} for g in groups}
        for ep in eps:
            if ep.group in groups:
                self._eps[ep.group].setdefault(ep.name, ep)
        self._loaded: dict[tuple[str, str], object] = {}

    def names(self, kind: str) -> list[str]:
        """Registered names of a kind (``readers``, ``extractors``, ``stores``), sorted."""
        return sorted(self._eps[_group(kind)])

    def target(self, kind: str, name: str) -> str:
        """``module:attribute`` an entry point names."""
        return str(self._entry(kind, name).value)

    def load(self, kind: str, name: str) -> object:
        """The object registered as ``name`` (a class or a factory).

        Raises:
            PluginError: no such plugin (the message lists the registered ones), or it fails to load.
        """
        key = (kind, name)
        if key not in self._loaded:
            ep = self._entry(kind, name)
            try:
                self._loaded[key] = ep.load()
            except Exception as err:  # any import-time failure of a plugin is reported, not raised raw
                raise PluginError(name, f"{kind[:-1]} plugin {name!r} ({ep.value}) failed to load: "
                                        f"{type(err).__name__}: {err}") from err
        return self._loaded[key]

    def load_all(self, kind: str) -> tuple[list[tuple[str, object]], list[PluginFailure]]:
        """Every plugin of a kind that loads, and every one that does not (with its error)."""
        ok: list[tuple[str, object]] = []
        failed: list[PluginFailure] = []
        for name in self.names(kind):
            try:
                ok.append((name, self.load(kind, name)))
            except PluginError as err:
                failed.append(PluginFailure(_group(kind), name, self.target(kind, name), str(err)))
        return ok, failed

    def _entry(self, kind: str, name: str) -> metadata.EntryPoint:
        table = self._eps[_group(kind)]
        if name not in table:
            raise PluginError(name, f"unknown {kind[:-1]} {name!r}; {suggest(name, table)}")
        return table[name]


def _group(kind: str) -> str:
    if kind not in GROUPS:
        raise PluginError(kind, f"unknown plugin kind {kind!r}; {suggest(kind, GROUPS)}")
    return GROUPS[kind]


@functools.cache
def registry() -> Registry:
    """The process-wide registry of installed plugins (entry points are read once)."""
    return Registry()
