"""Neo4j store: the graph in a real Neo4j 5 server, written in batched, idempotent upserts.

All Cypher comes from :mod:`graphkg.stores.cypher`. Each :meth:`Neo4jStore.write` is one managed
write transaction (``execute_write``), so the driver retries it on transient errors, and a
failed batch leaves nothing behind. Every driver error becomes a one-line
:class:`~graphkg.errors.StoreError`.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from graphkg.stores import cypher
from graphkg.errors import GraphkgError, QueryError, StoreError
from graphkg.model import Article, Entity, Provenance, Relation
from graphkg.vocab import EntityType, Predicate, predicate_info
from graphkg.model import Batch, StoreCounts
from graphkg.plugins import Capability, Store

__all__ = ["Neo4jStore", "DEFAULT_URI", "connection_settings", "copy_store", "CopyReport"]

DEFAULT_URI = "bolt://localhost:7687"
_BASE = ("key", *cypher.REL_FIELDS)
T = TypeVar("T")


def connection_settings(uri: str | None = None, user: str | None = None, password: str | None = None,
                        database: str | None = None) -> tuple[str, str, str, str | None]:
    """Fill missing settings from ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``."""
    env = os.environ
    return (uri or env.get("NEO4J_URI") or DEFAULT_URI, user or env.get("NEO4J_USERNAME") or "neo4j",
            password if password is not None else env.get("NEO4J_PASSWORD", ""),
            database or env.get("NEO4J_DATABASE") or None)


_QUERY_KINDS = {"rw": "reads and writes", "w": "writes", "s": "changes the schema"}
# Procedures that only read the graph or its schema; any other CALL needs --write.
_READ_PROCEDURES = re.compile(r"(db\.(labels|relationshipTypes|propertyKeys|schema\.\w+|index\.fulltext\.query\w+)"
                              r"|dbms\.components|gds\.[\w.]+\.(stream|stats))")
_PROCEDURE = re.compile(r"([A-Za-z_][\w.]*)\s*\(")


def plan_hazards(plan: Mapping[str, Any] | None) -> list[str]:
    """What in an ``EXPLAIN`` plan reads outside the graph: ``LOAD CSV``, and procedures not
    known to be read-only (by name, from the operator's details).

    >>> plan_hazards({"operatorType": "ProduceResults@neo4j", "children": [
    ...     {"operatorType": "LoadCSV@neo4j", "args": {}, "children": []},
    ...     {"operatorType": "ProcedureCall@neo4j", "args": {"Details": "dbms.listConfig() :: (name :: STRING)"}},
    ...     {"operatorType": "ProcedureCall@neo4j", "args": {"Details": "db.labels() :: (label :: STRING)"}}]})
    ['LOAD CSV', 'CALL dbms.listConfig']
    """
    out: list[str] = []
    stack = [plan] if plan else []
    while stack:
        op = stack.pop(0)
        kind = str(op.get("operatorType", "")).split("@")[0]
        if kind == "LoadCSV":
            out.append("LOAD CSV")
        elif kind.startswith("ProcedureCall"):
            args = op.get("args") or op.get("arguments") or {}
            found = _PROCEDURE.search(str(args.get("Details") or args.get("Signature") or ""))
            name = found.group(1) if found else "?"
            if not _READ_PROCEDURES.fullmatch(name):
                out.append(f"CALL {name}")
        stack.extend(op.get("children") or [])
    return list(dict.fromkeys(out))


def _query_reason(err: Exception, write: bool) -> str:
    """An analyst's query failed on the server: by its status code, never by its message text."""
    code = getattr(err, "code", None) or ""
    if code == "Neo.ClientError.Statement.AccessMode" and not write:
        return "refused: the server rejected a write in read-only mode; pass --write to allow it"
    return _reason(err)


def _reason(err: Exception) -> str:
    """One line saying what went wrong and what to do."""
    from neo4j import exceptions as ex

    if isinstance(err, ex.AuthError):
        return "authentication failed; check NEO4J_USERNAME / NEO4J_PASSWORD (or --user/--password)"
    if isinstance(err, ex.ConstraintError):
        msg = (getattr(err, "message", None) or str(err)).splitlines()[0]
        return f"constraint violation: {msg}"
    if isinstance(err, (ex.ServiceUnavailable, ex.SessionExpired, ex.IncompleteCommit)):
        return "server unreachable or stopped; start Neo4j (docker compose up -d) or set NEO4J_URI"
    if isinstance(err, ex.Neo4jError):
        return f"{err.code}: {(err.message or '').splitlines()[0] if err.message else err}"
    return (str(err).splitlines() or [type(err).__name__])[0]


BOLT_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})


class Neo4jStore:
    """The store protocol on a Neo4j 5 server (capabilities: pattern, cypher, persistent)."""

    name = "neo4j"
    capabilities: frozenset[str] = frozenset({Capability.PATTERN, Capability.CYPHER, Capability.PERSISTENT})

    def __init__(self, driver: Any, uri: str, database: str | None, store_text: bool = False) -> None:
        self._driver = driver
        self.uri = uri
        self.database = database
        self.store_text = store_text  # keep each article's text on its node (a.text)
        self._known: set[str] | None = None
        self._schema_done = False

    @property
    def journal_target(self) -> str:
        """The server and database this store writes to: its ingest journal is theirs alone."""
        return f"neo4j {self.uri} {self.database or 'default'}"

    @classmethod
    def open(cls, home: Path | None = None, uri: str | None = None, user: str | None = None,
             password: str | None = None, database: str | None = None,
             retry_seconds: float = 15.0, store_text: bool = False, **_: object) -> Neo4jStore:
        """Connect (settings default to the ``NEO4J_*`` env vars) and check the server answers.

        ``store_text`` keeps each written article's text on its node (``a.text``), for analysts
        who read the source beside the graph.

        Raises:
            StoreError: the server is unreachable or refuses the credentials.
        """
        import neo4j

        uri, user, password, database = connection_settings(uri, user, password, database)
        scheme = uri.partition("://")[0].lower() if "://" in uri else ""
        if scheme not in BOLT_SCHEMES:
            raise StoreError(uri, f"not a Bolt URI (scheme {scheme or 'missing'!r}); use bolt://HOST:7687 or "
                                  "neo4j://HOST:7687 (the Bolt port, not the browser's http://HOST:7474)")
        driver = None
        try:
            driver = neo4j.GraphDatabase.driver(uri, auth=(user, password) if password else None,
                                                max_transaction_retry_time=retry_seconds,
                                                connection_timeout=10.0, notifications_min_severity="OFF")
            driver.verify_connectivity()
        except Exception as err:  # driver raises ValueError/ConfigurationError for bad URIs too
            if driver is not None:
                driver.close()
            raise StoreError(uri, _reason(err)) from None
        return cls(driver, uri, database, store_text)

    # -- plumbing -----------------------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except GraphkgError:
            raise
        except Exception as err:
            raise StoreError(self.uri, _reason(err)) from None

    @contextlib.contextmanager
    def _query_errors(self, query: str, write: bool) -> Iterator[None]:
        """An analyst's query: what the server refuses is the query's error (QueryError), the
        rest (unreachable server ...) the store's."""
        from neo4j import exceptions as ex

        try:
            yield
        except GraphkgError:
            raise
        except ex.Neo4jError as err:
            raise QueryError(query, _query_reason(err, write)) from None
        except Exception as err:
            raise StoreError(self.uri, _reason(err)) from None

    def _write(self, work: Callable[[Any], T]) -> T:
        with self._errors(), self._driver.session(database=self.database) as session:
            result: T = session.execute_write(work)
            return result

    def _read(self, query: str, **params: Any) -> list[Any]:
        def work(tx: Any) -> list[Any]:
            return list(tx.run(query, params))

        with self._errors(), self._driver.session(database=self.database) as session:
            result: list[Any] = session.execute_read(work)
            return result

    def apply_schema(self) -> list[str]:
        """Create the ontology's missing constraints and indexes; return the statements run."""
        present = {r["name"] for q in cypher.SCHEMA_NAMES_PRESENT for r in self._read(q)}
        statements = [q for name, q in zip(cypher.schema_names(), cypher.schema_statements(), strict=False)
                      if name not in present]
        with self._errors(), self._driver.session(database=self.database) as session:
            for q in statements:
                session.run(q).consume()
            if statements:
                session.run(cypher.AWAIT_INDEXES).consume()
        self._schema_done = True
        return statements

    def schema(self) -> dict[str, list[dict[str, Any]]]:
        """Constraints and indexes currently defined on the server."""
        return {"constraints": [dict(r) for r in self._read(cypher.SHOW_CONSTRAINTS)],
                "indexes": [dict(r) for r in self._read(cypher.SHOW_INDEXES)]}

    def run_cypher(self, query: str, params: Mapping[str, Any] | None = None,
                   write: bool = False) -> tuple[list[str], list[list[Any]]]:
        """Run an analyst's query in a read (default) or write transaction; return keys and rows.

        Raises:
            QueryError: the query has a write clause without ``write``, or the server refused it.
        """
        import neo4j

        if not write:
            self._check_read_only(query, params)
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS

        def work(tx: Any) -> tuple[list[str], list[list[Any]]]:
            result = tx.run(query, dict(params or {}))
            return list(result.keys()), [list(r.values()) for r in result]

        with self._query_errors(query, write), \
                self._driver.session(database=self.database, default_access_mode=mode) as session:
            out: tuple[list[str], list[list[Any]]] = (
                session.execute_write(work) if write else session.execute_read(work))
            return out

    def _check_read_only(self, query: str, params: Mapping[str, Any] | None) -> None:
        """Refuse, before running it, a query the server says is not a pure read of the graph:
        ``EXPLAIN`` gives its type (read, read-write, write, schema) and its plan, in which
        ``LOAD CSV`` and procedures not known to be read-only are refused too (they read files,
        the network or the configuration)."""
        import neo4j

        with self._query_errors(query, False), \
                self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            summary = session.run("EXPLAIN " + query, dict(params or {})).consume()
        kind = summary.query_type or "?"
        if kind != "r":
            what = _QUERY_KINDS.get(kind, f"is of type {kind!r}")
            raise QueryError(query, f"refused: the query {what}; queries are read-only unless you pass --write")
        hazards = plan_hazards(summary.plan)
        if hazards:
            raise QueryError(query, f"refused: {', '.join(hazards)} reads outside the graph or may change it; "
                                    "queries are read-only unless you pass --write")

    def clear(self) -> None:
        """Delete every node and relationship of the database (tests, benchmarks)."""
        with self._errors(), self._driver.session(database=self.database) as session:
            session.run(cypher.CLEAR_ALL).consume()
        self._known = set()

    # -- the store protocol ---------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        """True when the article is stored.

        The ids are fetched once per store object (one query) and kept up to date by this
        object's writes, so re-ingesting a corpus costs one lookup, not one per article.
        """
        if self._known is None:
            self._known = {r["id"] for r in self._read(cypher.ARTICLE_IDS)}
        return article_id in self._known

    def write(self, batch: Batch) -> int:
        """Upsert a batch (articles, entities, mentions, relations) in one transaction.

        A few statements per batch, whatever its size: one per entity type, one for the
        articles with their mentions, one per predicate (each an index-backed ``MERGE``).
        Larger batches amortise the round trips; 500-1000 articles per batch load fastest.

        Returns:
            The number of relations that did not exist before.
        """
        if not self._schema_done:
            self.apply_schema()
        entities, articles, relations = _rows(batch, self.store_text)

        def work(tx: Any) -> int:
            for type_, rows in entities.items():
                tx.run(cypher.merge_entities(type_), rows=rows).consume()
            tx.run(cypher.MERGE_ARTICLES, rows=articles).consume()
            created = 0
            for (p, extra), rows in relations.items():
                summary = tx.run(cypher.merge_relations(p, extra), rows=rows).consume()
                created += summary.counters.relationships_created
            return created

        created = self._write(work)
        if self._known is not None:
            self._known.update(a["id"] for a in articles)
        return created

    def relations(self, subject: str | None = None, predicate: Predicate | None = None,
                  object: str | None = None, article: str | None = None) -> Iterator[Relation]:
        """Relations matching a pattern, ordered by key."""
        query, params = cypher.relations_query(subject, predicate, object, article)
        for rec in self._read(query, **params):
            yield _relation(rec["s"], rec["p"], rec["r"], rec["o"], rec["a"])

    def entities(self, type_: EntityType | None = None) -> Iterator[Entity]:
        query = cypher.ENTITIES if type_ is None else cypher.entities_of(type_)
        for rec in self._read(query):
            yield _entity(rec["e"])

    def mentions(self, article_id: str) -> Iterator[Entity]:
        for rec in self._read(cypher.MENTIONED, id=article_id):
            yield _entity(rec["e"])

    def articles(self) -> Iterator[Article]:
        for rec in self._read(cypher.ARTICLES):
            a = rec["a"]
            yield Article(id=a["id"], text="", source=a["source"] or "", url=a["url"], title=a["title"],
                          published=_date(a["published"]), lang=a["lang"], publisher=a["publisher"])

    def counts(self) -> StoreCounts:
        n_articles = self._read(cypher.COUNT_ARTICLES)[0]["n"]
        by_type = {r["t"]: r["n"] for r in self._read(cypher.COUNT_ENTITIES_BY_TYPE) if r["t"]}
        by_pred = {r["t"]: r["n"] for r in self._read(cypher.count_relations_by_type()) if r["n"]}
        return StoreCounts(articles=n_articles, entities=sum(by_type.values()),
                           relations=sum(by_pred.values()), by_type=by_type, by_predicate=by_pred)

    def remove_article(self, article_id: str) -> int:
        """Remove an article, its relations, and the entities nothing else refers to."""
        def work(tx: Any) -> int:
            touched = {r["id"] for r in tx.run(cypher.MENTIONED_IDS, id=article_id)}
            removed = 0
            for p in Predicate:
                for r in tx.run(cypher.delete_article_relations(p), id=article_id):
                    touched.update((r["s"], r["o"]))
                    removed += 1
            tx.run(cypher.DELETE_ARTICLE, id=article_id).consume()
            tx.run(cypher.DELETE_ORPHANS, ids=sorted(touched)).consume()
            return removed

        removed = self._write(work)
        if self._known is not None:
            self._known.discard(article_id)
        return removed

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._driver.close()


# -- model <-> rows ---------------------------------------------------------------------------

def _rows(batch: Batch, store_text: bool = False) -> tuple[dict[EntityType, list[dict[str, Any]]], list[dict[str, Any]],
                                 dict[tuple[Predicate, bool], list[dict[str, Any]]]]:
    """Parameter rows of a batch: entities by type, articles (with their mentions), relations.

    Relations are grouped by (predicate, has extra properties), one statement per group.
    Entities, articles, mentions and relations are deduplicated here, so no statement sees
    the same id twice in one ``$rows`` (the article statement relies on it).
    """
    ents: dict[str, Entity] = {}
    articles: dict[str, dict[str, Any]] = {}
    rels: dict[Predicate, dict[str, dict[str, Any]]] = {}

    def add(e: Entity) -> None:
        old = ents.get(e.id)
        if old is None:
            ents[e.id] = e
        elif old is not e and old != e:
            ents[e.id] = _merge(old, e)

    for article, relations, mentioned in batch:
        prev = articles.get(article.id)
        seen: dict[str, None] = prev["mentions"] if prev else {}
        for e in mentioned:
            add(e)
            seen[e.id] = None
        articles[article.id] = {"id": article.id, "url": article.url, "title": article.title,
                                "published": article.published, "lang": article.lang,
                                "publisher": article.publisher, "source": article.source, "mentions": seen,
                                "text": article.text if store_text and article.text else None}
        for r in relations:
            add(r.subject)
            add(r.object)
            rels.setdefault(r.predicate, {})[r.key] = _relation_row(r)
    for row in articles.values():
        row["mentions"] = list(row["mentions"])
    by_type: dict[EntityType, list[dict[str, Any]]] = {}
    for e in ents.values():
        by_type.setdefault(e.type, []).append({"id": e.id, "name": e.label, "aliases": list(e.aliases),
                                               "qid": e.qid})
    by_pred: dict[tuple[Predicate, bool], list[dict[str, Any]]] = {}
    for p, rows in rels.items():
        for row in rows.values():
            by_pred.setdefault((p, "extra" in row), []).append(row)
    return by_type, list(articles.values()), by_pred


def _merge(old: Entity | None, new: Entity) -> Entity:
    if old is None:
        return new
    aliases = tuple(dict.fromkeys(old.aliases + new.aliases))
    return Entity(id=old.id, label=old.label, type=old.type, aliases=aliases, qid=old.qid or new.qid)


def _stored_name(key: str) -> str:
    """Relationship property holding a relation property (``role``, ``aspect``...)."""
    return f"prop_{key}" if key in _BASE else key


def _props(r: Relation) -> dict[str, Any]:
    """Every relationship property of ``r``, by stored name."""
    row = _relation_row(r)
    props = {"key": r.key, **{f: row[f] for f in cypher.REL_FIELDS}}
    props.update(row.get("extra", {}))
    return props


def _relation_row(r: Relation) -> dict[str, Any]:
    """The parameter row of :func:`graphkg.stores.cypher.merge_relations` for ``r``."""
    pv = r.provenance
    day, precision = event_date(r.date)
    row: dict[str, Any] = {"s": r.subject.id, "o": r.object.id, "key": r.key, "article_id": pv.article_id,
                           "evidence": pv.evidence, "start": pv.start, "end": pv.end,
                           "confidence": pv.confidence, "extractor": pv.extractor, "date": day,
                           "date_precision": precision, "published": pv.published,
                           "polarity": predicate_info(r.predicate).polarity.value,
                           "prop_keys": [k for k, _ in r.properties]}
    if r.properties:
        row["extra"] = {_stored_name(k): v for k, v in r.properties}
    return row


_DATE_TEXT = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def event_date(text: str | None) -> tuple[date | None, str | None]:
    """A relation's event date as a Neo4j ``Date`` (the first day of the period the text names)
    and its precision, so that ``r.date >= date('2024-01-01')`` compares dates.

    >>> event_date("2024-03-05"), event_date("2024-03"), event_date("2007"), event_date(None)
    ((datetime.date(2024, 3, 5), 'day'), (datetime.date(2024, 3, 1), 'month'), (datetime.date(2007, 1, 1), 'year'), (None, None))
    """
    m = _DATE_TEXT.match(text or "")
    if m is None:
        return None, None
    try:
        day = date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None, None
    return day, "day" if m[3] else "month" if m[2] else "year"


def _date_text(value: Any, precision: Any) -> str | None:
    """The relation's date as graphkg writes it ("2024-03-05", "2024-03", "2007")."""
    if value is None or isinstance(value, str):
        return value  # a string: written by an older graphkg
    iso = _date(value)
    if iso is None:
        return None
    text = iso.isoformat()
    return text[:4] if precision == "year" else text[:7] if precision == "month" else text


def _date(value: Any) -> date | None:
    if value is None:
        return None
    native = value.to_native() if hasattr(value, "to_native") else value
    return native if isinstance(native, date) else None


def _entity(e: Mapping[str, Any]) -> Entity:
    types = sorted(t for t in map(cypher.entity_type_of, e["labels"]) if t is not None)
    return Entity(id=e["id"], label=e["name"] or e["id"], type=types[0],
                  aliases=tuple(sorted(e["aliases"] or ())), qid=e["qid"])


def _relation(s: Mapping[str, Any], p: str, r: Mapping[str, Any], o: Mapping[str, Any],
              a: Mapping[str, Any] | None) -> Relation:
    a = a or {}
    prov = Provenance(article_id=r["article_id"], evidence=r.get("evidence") or "", start=r.get("start", 0),
                      end=r.get("end", 0), extractor=r.get("extractor") or "",
                      confidence=float(r.get("confidence", 0.0)), url=a.get("url"), title=a.get("title"),
                      publisher=a.get("publisher"), published=_date(a.get("published")),
                      lang=a.get("lang"), source=a.get("source"))
    props = tuple((k, str(r[_stored_name(k)])) for k in r.get("prop_keys") or ())
    return Relation(_entity(s), cypher.predicate_of(p), _entity(o), prov, props,
                    _date_text(r.get("date"), r.get("date_precision")), key=r["key"])


@dataclass(frozen=True, slots=True)
class CopyReport:
    """What :func:`copy_store` copied."""

    articles: int
    relations: int
    new_relations: int


def copy_store(src: Store, dst: Store, batch_size: int = 200) -> CopyReport:
    """Copy every article with its relations and mentions from ``src`` to ``dst``, ids unchanged.

    Writes are upserts, so copying twice changes nothing the second time.
    """
    by_article: dict[str, list[Relation]] = {}
    for r in src.relations():
        by_article.setdefault(r.provenance.article_id, []).append(r)
    batch: list[tuple[Article, Sequence[Relation], Sequence[Entity]]] = []
    articles = relations = new = 0
    for art in src.articles():
        rels = by_article.get(art.id, [])
        batch.append((art, rels, list(src.mentions(art.id))))
        articles += 1
        relations += len(rels)
        if len(batch) >= batch_size:
            new += dst.write(batch)
            batch = []
    if batch:
        new += dst.write(batch)
    return CopyReport(articles, relations, new)
