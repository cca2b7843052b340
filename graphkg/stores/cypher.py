"""All of graphkg's Cypher, in one module: parameterised, batched, ontology-checked.

Every value travels as a parameter (``UNWIND $rows AS row MERGE ...``). Labels and
relationship types cannot be parameters in an indexed ``MERGE``, so they are
interpolated, but only after :func:`label` / :func:`rel_type` checked them against the
ontology's closed vocabularies (:class:`~graphkg.vocab.EntityType`,
:class:`~graphkg.vocab.Predicate`).

The graph model (see ``DESIGN.md``)::

    (:Entity:Country {id, name, aliases, qid})
    (:Article {id, url, title, published, lang, publisher, source})
    (:Entity)-[:SUPPORTS {key, article_id, evidence, start, end, confidence, extractor,
                          date, role, aspect, prop_keys}]->(:Entity)
    (:Article)-[:MENTIONS]->(:Entity)
"""

from __future__ import annotations

import functools

from graphkg.errors import OntologyError, suggest
from graphkg.vocab import EntityType, Predicate, entity_type_info, neo4j_label, predicate_info

__all__ = [
    "ENTITY",
    "ARTICLE",
    "MENTIONS",
    "label",
    "rel_type",
    "schema_statements",
    "schema_names",
    "SCHEMA_NAMES_PRESENT",
    "AWAIT_INDEXES",
    "SHOW_CONSTRAINTS",
    "SHOW_INDEXES",
    "merge_entities",
    "MERGE_ARTICLES",
    "merge_relations",
    "REL_FIELDS",
    "HAS_ARTICLE",
    "ARTICLE_IDS",
    "ENTITIES",
    "entities_of",
    "MENTIONED",
    "ARTICLES",
    "relations_query",
    "COUNT_ARTICLES",
    "COUNT_ENTITIES_BY_TYPE",
    "count_relations_by_type",
    "MENTIONED_IDS",
    "delete_article_relations",
    "DELETE_ARTICLE",
    "DELETE_ORPHANS",
    "CLEAR_ALL",
]

ENTITY = neo4j_label("Entity")
ARTICLE = neo4j_label("Article")
MENTIONS = "MENTIONS"


def label(value: EntityType | str) -> str:
    """Return ``value`` as a Neo4j label after the ontology allow-list check.

    >>> label(EntityType.COUNTRY)
    'Country'
    >>> label("Country) DETACH DELETE (n")
    Traceback (most recent call last):
    graphkg.errors.OntologyError: unknown entity label 'Country) DETACH DELETE (n'; expected one of ['Country', 'Document', 'Organization', 'Person', 'Territory']
    """
    if isinstance(value, EntityType):
        return entity_type_info(value).neo4j_label
    return _allowed(value, {entity_type_info(t).neo4j_label for t in EntityType}, "entity label")


def rel_type(value: Predicate | str) -> str:
    """Return ``value`` as a relationship type after the ontology allow-list check.

    >>> rel_type(Predicate.SUPPORTS)
    'SUPPORTS'
    """
    if isinstance(value, Predicate):
        return predicate_info(value).neo4j_type
    return _allowed(value, {predicate_info(p).neo4j_type for p in Predicate}, "relationship type")


def _allowed(value: str, allowed: set[str], what: str) -> str:
    if value not in allowed:
        raise OntologyError(f"unknown {what} {value!r}; {suggest(value, allowed)}", value)
    return value


@functools.cache
def entity_type_of(label_: str) -> EntityType | None:
    """The entity type stored under a Neo4j label (``None`` for other labels such as ``Entity``)."""
    return {entity_type_info(t).neo4j_label: t for t in EntityType}.get(label_)


@functools.cache
def predicate_of(type_: str) -> Predicate:
    """The predicate stored as a relationship type.

    Raises:
        OntologyError: the type is no graphkg predicate.
    """
    found = {predicate_info(p).neo4j_type: p for p in Predicate}.get(type_)
    if found is None:
        raise OntologyError(f"unknown relationship type {type_!r}", type_)
    return found


def _all_types() -> str:
    return "|".join(rel_type(p) for p in Predicate)


# -- schema -------------------------------------------------------------------------------

def schema_names() -> list[str]:
    """Names of the constraints and indexes :func:`schema_statements` creates, in order."""
    return [q.split()[3 if q.startswith("CREATE FULLTEXT") else 2] for q in schema_statements()]


def schema_statements() -> list[str]:
    """Constraints and indexes derived from the ontology (idempotent: ``IF NOT EXISTS``).

    Entity and article ids are unique; entity names are indexed; every predicate type gets
    a uniqueness constraint on ``key`` (backed by an index) and an index on ``article_id``;
    the evidence sentences of all relationships share one full-text index.
    """
    out = [
        f"CREATE CONSTRAINT graphkg_entity_id IF NOT EXISTS FOR (n:{ENTITY}) REQUIRE n.id IS UNIQUE",
        f"CREATE CONSTRAINT graphkg_article_id IF NOT EXISTS FOR (n:{ARTICLE}) REQUIRE n.id IS UNIQUE",
        f"CREATE INDEX graphkg_entity_name IF NOT EXISTS FOR (n:{ENTITY}) ON (n.name)",
    ]
    for p in Predicate:
        t = rel_type(p)
        out.append(f"CREATE CONSTRAINT graphkg_{t.lower()}_key IF NOT EXISTS "
                   f"FOR ()-[r:{t}]-() REQUIRE r.key IS UNIQUE")
        out.append(f"CREATE INDEX graphkg_{t.lower()}_article IF NOT EXISTS FOR ()-[r:{t}]-() ON (r.article_id)")
    types = "|".join(rel_type(p) for p in Predicate)
    out.append(f"CREATE FULLTEXT INDEX {EVIDENCE_INDEX} IF NOT EXISTS FOR ()-[r:{types}]-() ON EACH [r.evidence]")
    return out


EVIDENCE_INDEX = "graphkg_evidence"
"""The full-text index on the evidence sentences of every relationship (``schema apply``):
``CALL db.index.fulltext.queryRelationships('graphkg_evidence', 'recall AND ambassador')``."""


AWAIT_INDEXES = "CALL db.awaitIndexes(120)"
SCHEMA_NAMES_PRESENT = ("SHOW CONSTRAINTS YIELD name RETURN name", "SHOW INDEXES YIELD name RETURN name")
SHOW_CONSTRAINTS = ("SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties "
                    "RETURN name, type, entityType, labelsOrTypes, properties ORDER BY name")
SHOW_INDEXES = ("SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, state "
                "RETURN name, type, entityType, labelsOrTypes, properties, state ORDER BY name")

# -- writes -------------------------------------------------------------------------------


def merge_entities(type_: EntityType) -> str:
    """Upsert entities of one type; the first name and type win, aliases are united.

    Rows: ``{id, name, aliases, qid}``.
    """
    t = label(type_)
    return (f"UNWIND $rows AS row MERGE (e:{ENTITY} {{id: row.id}}) "
            f"ON CREATE SET e:{t}, e.name = row.name, e.aliases = row.aliases, e.qid = row.qid "
            # write (and lock) a known entity only when it gains something: hot nodes stay cheap
            "WITH e, row, [a IN row.aliases WHERE NOT a IN coalesce(e.aliases, [])] AS extra "
            "WHERE size(extra) > 0 OR (e.qid IS NULL AND row.qid IS NOT NULL) "
            "SET e.aliases = coalesce(e.aliases, []) + extra, e.qid = coalesce(e.qid, row.qid)")


MERGE_ARTICLES = (f"UNWIND $rows AS row MERGE (a:{ARTICLE} {{id: row.id}}) "
                  # a transient marker tells the rows below whether this statement created the
                  # article; the MERGE holds the id's index lock, so a concurrent writer of the same
                  # article only sees it committed, marker gone
                  "ON CREATE SET a.graphkg_new = true "
                  "SET a.url = row.url, a.title = row.title, a.published = row.published, "
                  "a.lang = row.lang, a.publisher = row.publisher, a.source = row.source, "
                  "a.text = coalesce(row.text, a.text) "
                  "WITH a, row, a.graphkg_new IS NOT NULL AS new REMOVE a.graphkg_new "
                  "WITH a, row, new UNWIND row.mentions AS eid "
                  f"MATCH (e:{ENTITY} {{id: eid}}) "
                  # a new article has no MENTIONS yet: CREATE, no Expand(Into) check, no merge lock
                  f"FOREACH (_ IN CASE WHEN new THEN [1] ELSE [] END | CREATE (a)-[:{MENTIONS}]->(e)) "
                  f"FOREACH (_ IN CASE WHEN new THEN [] ELSE [1] END | MERGE (a)-[:{MENTIONS}]->(e))")
"""Upsert articles with their mentions in one statement.

Rows: ``{id, url, title, published, lang, publisher, source, text, mentions}`` (``text`` None
unless the store keeps article texts: a stored text is kept); ids unique within
``$rows`` and ``mentions`` (entity ids, already merged) without repeats: the statement
CREATEs the mentions of an article it created.
"""

REL_FIELDS = ("article_id", "evidence", "start", "end", "confidence", "extractor", "date", "date_precision",
              "published", "polarity", "prop_keys")
"""Relationship properties every relation row carries, besides ``key`` (see :func:`merge_relations`)."""


def merge_relations(p: Predicate, extra: bool = False) -> str:
    """Upsert relations of one predicate on their key (index seek); properties are overwritten.

    Rows: ``{s, o, key}`` plus every :data:`REL_FIELDS` name, and with ``extra`` a map
    ``extra`` of further properties. The fixed fields are SET one by one: a map SET
    (``r += row.extra``) makes the planner buffer every row first (Eager), so only rows that
    need one get it.
    """
    t = rel_type(p)
    sets = ", ".join(f"r.{f} = row.{f}" for f in REL_FIELDS)
    return (f"UNWIND $rows AS row MATCH (s:{ENTITY} {{id: row.s}}) MATCH (o:{ENTITY} {{id: row.o}}) "
            f"MERGE (s)-[r:{t} {{key: row.key}}]->(o) SET {sets}" + (", r += row.extra" if extra else ""))


# -- reads --------------------------------------------------------------------------------

HAS_ARTICLE = f"MATCH (a:{ARTICLE} {{id: $id}}) RETURN count(a) > 0 AS found"
ARTICLE_IDS = f"MATCH (a:{ARTICLE}) RETURN a.id AS id"

_E = "{.id, .name, .aliases, .qid, labels: labels(%s)}"
_A = "{.id, .url, .title, .published, .lang, .publisher, .source}"

ENTITIES = f"MATCH (e:{ENTITY}) RETURN e{_E % 'e'} AS e ORDER BY e.id"
MENTIONED = (f"MATCH (:{ARTICLE} {{id: $id}})-[:{MENTIONS}]->(e:{ENTITY}) "
             f"RETURN e{_E % 'e'} AS e ORDER BY e.id")
ARTICLES = f"MATCH (a:{ARTICLE}) RETURN a{_A} AS a ORDER BY a.id"


def entities_of(type_: EntityType) -> str:
    """Entities carrying one type label."""
    return f"MATCH (e:{ENTITY}:{label(type_)}) RETURN e{_E % 'e'} AS e ORDER BY e.id"


def relations_query(subject: str | None, predicate: Predicate | None, object: str | None,
                    article: str | None) -> tuple[str, dict[str, str]]:
    """Pattern query over relations (``None`` is a wildcard), ordered by key.

    Starts from an id-bound endpoint when there is one; an article-only pattern becomes a
    union of per-type index seeks on ``article_id``.
    """
    params = {k: v for k, v in (("s", subject), ("o", object), ("article", article)) if v is not None}
    s = f"(s:{ENTITY} {{id: $s}})" if subject is not None else f"(s:{ENTITY})"
    o = f"(o:{ENTITY} {{id: $o}})" if object is not None else f"(o:{ENTITY})"
    art = " {article_id: $article}" if article is not None else ""
    if predicate is None and article is not None and subject is None and object is None:
        parts = [f"MATCH {s}-[r:{rel_type(p)}{art}]->{o} RETURN s, r, o" for p in Predicate]
        match = "CALL () { " + " UNION ALL ".join(parts) + " } "
    else:
        types = rel_type(predicate) if predicate is not None else _all_types()
        match = f"MATCH {s}-[r:{types}{art}]->{o} "
    query = (match + f"OPTIONAL MATCH (a:{ARTICLE} {{id: r.article_id}}) "
             f"RETURN s{_E % 's'} AS s, type(r) AS p, properties(r) AS r, o{_E % 'o'} AS o, "
             f"a{_A} AS a ORDER BY r.key")
    return query, params


COUNT_ARTICLES = f"MATCH (a:{ARTICLE}) RETURN count(a) AS n"
COUNT_ENTITIES_BY_TYPE = (f"MATCH (e:{ENTITY}) RETURN [l IN labels(e) WHERE l <> '{ENTITY}'][0] AS t, "
                          "count(*) AS n")


def count_relations_by_type() -> str:
    """One count per predicate type, read from the count store."""
    parts = [f"MATCH (:{ENTITY})-[r:{rel_type(p)}]->(:{ENTITY}) RETURN '{rel_type(p)}' AS t, count(r) AS n"
             for p in Predicate]
    return "CALL () { " + " UNION ALL ".join(parts) + " } RETURN t, n"


# -- removal ------------------------------------------------------------------------------

MENTIONED_IDS = f"MATCH (:{ARTICLE} {{id: $id}})-[:{MENTIONS}]->(e:{ENTITY}) RETURN e.id AS id"


def delete_article_relations(p: Predicate) -> str:
    """Delete one predicate's relations contributed by article ``$id``; return endpoints."""
    return (f"MATCH (s:{ENTITY})-[r:{rel_type(p)} {{article_id: $id}}]->(o:{ENTITY}) "
            "DELETE r RETURN s.id AS s, o.id AS o")


DELETE_ARTICLE = f"MATCH (a:{ARTICLE} {{id: $id}}) DETACH DELETE a"
DELETE_ORPHANS = (f"UNWIND $ids AS id MATCH (e:{ENTITY} {{id: id}}) WHERE NOT EXISTS {{ (e)--() }} "
                  "DELETE e")
CLEAR_ALL = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
