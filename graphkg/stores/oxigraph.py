"""Embedded on-disk RDF store (default), backed by Oxigraph (RocksDB).

Why Oxigraph: a persistent, transactional quad store with SPARQL 1.1, no server, that
parses and serialises ~36x faster than pure-Python rdflib (DESIGN.md, measured). Data
layout is :mod:`graphkg.rdf.quads`; the ontology is loaded into the default graph on creation.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graphkg.errors import StoreError
from graphkg.model import Article, Batch, Entity, Provenance, Relation, StoreCounts, entity_iri
from graphkg.plugins import Capability
from graphkg.rdf.quads import (
    RELATION_PROPERTIES,
    alias_nquads,
    article_graph,
    article_nquads,
    entity_nquads,
    predicate_from_iri,
    relation_nquads,
)
from graphkg.vocab import EntityType, Predicate, data_path
from graphkg.vocab.terms import GKG, PREFIXES, SCHEMA, decimal_text, gkg, sparql_prologue

__all__ = ["OxigraphStore"]

_PFX = sparql_prologue()
_ONTOLOGY = "https://w3id.org/graphkg/ontology"
# entities no article mentions and no relation uses any more, with everything said about them
_ORPHANS = """DELETE { ?e ?ep ?eo } WHERE { ?e gkg:entityId ?id .
    FILTER NOT EXISTS { ?a schema:mentions ?e }
    FILTER NOT EXISTS { GRAPH ?g { { ?e ?p ?x } UNION { ?x ?p ?e } } }
    ?e ?ep ?eo }"""

_REL_Q = _PFX + """
SELECT ?key ?s ?p ?o ?ev ?st ?en ?conf ?ext ?date ?role ?aspect ?quad_class ?goldstein ?art WHERE {
  GRAPH ?g {
    ?a a gkg:Assertion ; gkg:relationKey ?key ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
       gkg:evidence ?ev ; gkg:evidenceStart ?st ; gkg:evidenceEnd ?en ; gkg:confidence ?conf ;
       gkg:extractor ?ext ; prov:wasDerivedFrom ?art .
    OPTIONAL { ?a gkg:date ?date } OPTIONAL { ?a gkg:role ?role } OPTIONAL { ?a gkg:aspect ?aspect }
    OPTIONAL { ?a gkg:quadClass ?quad_class } OPTIONAL { ?a gkg:goldstein ?goldstein }
    %s
  }
} ORDER BY ?key
"""

_ENT_Q = _PFX + """
SELECT ?e ?id ?type ?label ?qid (GROUP_CONCAT(?alt; separator="\\u001f") AS ?alts) WHERE {
  ?e gkg:entityId ?id ; a ?type ; rdfs:label ?label .
  FILTER(STRSTARTS(STR(?type), STR(gkg:)))
  OPTIONAL { ?e owl:sameAs ?qid }
  OPTIONAL { ?e skos:altLabel ?alt }
} GROUP BY ?e ?id ?type ?label ?qid ORDER BY ?id
"""

_ART_Q = _PFX + """
SELECT ?a ?id ?title ?lang ?issued ?url ?pub ?src WHERE {
  ?a a gkg:Article ; gkg:articleId ?id .
  OPTIONAL { ?a dcterms:title ?title } OPTIONAL { ?a dcterms:language ?lang }
  OPTIONAL { ?a dcterms:issued ?issued } OPTIONAL { ?a schema:url ?url }
  OPTIONAL { ?a dcterms:publisher ?pub } OPTIONAL { ?a gkg:source ?src }
} ORDER BY ?id
"""


def _keys_by_article(batch: Batch) -> Iterator[tuple[str, set[str]]]:
    keys: dict[str, set[str]] = {}
    for article, rels, _ in batch:
        keys.setdefault(article.id, set()).update(r.key for r in rels)
    yield from keys.items()


def _prop_text(key: str, term: Any) -> str:
    """A relation property as the model holds it (goldstein ``5.0``, as GDELT writes it)."""
    text = str(term.value)
    return decimal_text(float(text)) if RELATION_PROPERTIES[key][1] == "decimal" else text


def _v(term: Any) -> str | None:
    return None if term is None else str(term.value)


BULK_QUADS = 2000
_MARKER = f" <{gkg.articleId}> "


def _split_markers(nquads: str) -> tuple[str, str]:
    """Split N-Quads text into (everything else, the ``gkg:articleId`` marker lines).

    >>> body, markers = _split_markers(f'<a> <{GKG}articleId> "x" .\\n<a> <p> <o> .\\n')
    >>> markers.count("articleId"), body.count("articleId")
    (1, 0)
    """
    body: list[str] = []
    markers: list[str] = []
    for line in nquads.splitlines(keepends=True):
        head = line.split(" ", 2)  # an N-Quads line starts "<subject> <predicate> "
        (markers if len(head) > 1 and f" {head[1]} " == _MARKER else body).append(line)
    return "".join(body), "".join(markers)


class OxigraphStore:
    """Persistent RDF store in ``<home>/oxigraph``; one writer process at a time."""

    name = "oxigraph"
    # background-write: write() releases the GIL while Oxigraph commits and reads from another
    # thread meanwhile are safe, so the pipeline overlaps writing with reading (graphkg.pipeline).
    capabilities: frozenset[str] = frozenset({Capability.PATTERN, Capability.RDF, Capability.SPARQL, Capability.PERSISTENT,
                              Capability.BACKGROUND_WRITE, Capability.BULK_WRITE})

    def __init__(self, store: ox.Store, uri: str) -> None:
        self._store = store
        self.uri = uri
        self._entity_cache: dict[str, Entity] | None = None
        self._article_cache: dict[str, Article] | None = None
        if not store.contains_named_graph(ox.NamedNode(_ONTOLOGY)) and not any(
            store.quads_for_pattern(ox.NamedNode(_ONTOLOGY), None, None, ox.DefaultGraph())
        ):
            store.load(path=str(data_path("graphkg.ttl")), format=ox.RdfFormat.TURTLE,
                       to_graph=ox.DefaultGraph())
            store.flush()
        self._recover()

    @classmethod
    def open(cls, home: Path | None = None, path: Path | None = None, **_: object) -> OxigraphStore:
        """Open (creating if needed) the store under ``home``; ``path=None`` and ``home=None`` is in-memory."""
        target = path or (home / "oxigraph" if home is not None else None)
        if target is None:
            return cls(ox.Store(), "memory://oxigraph")
        try:
            target.mkdir(parents=True, exist_ok=True)
            return cls(ox.Store(str(target)), str(target))
        except OSError as err:
            msg = str(err)
            if "lock" in msg.lower():
                msg = "the data directory is in use by another graphkg process"
            raise StoreError(str(target), msg) from None

    # -- writes -------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        node = ox.NamedNode(article_graph(article_id).value)
        return any(self._store.quads_for_pattern(node, ox.NamedNode(gkg.articleId), None, ox.DefaultGraph()))

    def write(self, batch: Batch) -> int:
        """Write a batch so that no article is ever seen half-written; return new relations.

        Small batches go in one Oxigraph transaction (``Store.load``). Large ones (at least
        ``BULK_QUADS`` quads) take two steps: every quad except the articles' ``gkg:articleId``
        markers through the bulk loader, then the markers in one transaction. An article
        exists for :meth:`has_article` only through its marker, so a crash between the steps
        leaves no article behind: the batch's article ids are recorded (fsync'd) beside the
        store first, and the next open removes whatever those without a marker wrote, before
        any read; the next run ingests them again. Commits are in RocksDB's write-ahead
        log, which survives ``kill -9``; :meth:`close` flushes.
        """
        new = sum(len(keys) - len(self._existing_keys(aid, keys)) for aid, keys in _keys_by_article(batch))
        text, touched = self._batch_nquads(batch)
        if text.count("\n") >= BULK_QUADS:
            body, markers = _split_markers(text)
            self._set_pending([article.id for article, _, _ in batch])
            try:
                self._load(body, bulk=True)
                self._load(markers, bulk=False)
            except StoreError:
                self._recover()  # undo the part written before the failure, now
                raise
            self._set_pending([])
        else:
            self._load(text, bulk=False)
        self._entities().update(touched)  # only once the write committed
        self._article_cache = None
        return new

    @property
    def _pending_file(self) -> Path | None:
        """Intent record of a two-step write in progress (beside the store directory)."""
        return None if self.uri.startswith("memory:") else Path(self.uri + ".pending")

    def _set_pending(self, article_ids: list[str]) -> None:
        """Durably record (or, with no ids, clear) the articles of a two-step write under way."""
        path = self._pending_file
        if path is None:
            return
        if not article_ids:
            path.unlink(missing_ok=True)
            return
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(article_ids, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def _recover(self) -> None:
        """Undo a two-step write cut short (crash between the bulk load and the markers).

        The articles of that batch which have no marker are removed with everything they
        brought (their graphs, their article quads, entities nobody else mentions), so no
        query ever sees them; the ingest journal writes them again on the next run.
        """
        path = self._pending_file
        if path is None or not path.exists():
            return
        try:
            ids = [str(i) for i in json.loads(path.read_text(encoding="utf-8"))]
        except (OSError, ValueError) as err:
            raise StoreError(str(path), f"cannot read the record of an interrupted write: {err}") from None
        for article_id in ids:
            if not self.has_article(article_id):
                self._remove_article_quads(article_id)
        self._drop_orphans()
        self._store.flush()
        path.unlink(missing_ok=True)

    def write_bulk(self, batch: Batch) -> int:
        """Fast path for large loads of *new* articles (the pipeline checked ``has_article``).

        Same quads as :meth:`write`, but through Oxigraph's bulk loader (sorted SST files, no
        transaction). The API does not promise atomicity: use :meth:`write` when a crash must
        never leave part of a batch. Returns the number of relations in the batch (keys are
        not checked against the store).
        """
        text, touched = self._batch_nquads(batch)
        self._load(text, bulk=True)
        self._entities().update(touched)
        self._article_cache = None
        return sum(len(rels) for _, rels, _ in batch)

    def _load(self, text: str, *, bulk: bool) -> None:
        try:
            if bulk:
                self._store.bulk_load(text, ox.RdfFormat.N_QUADS)
            else:
                self._store.load(text, ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as err:
            raise StoreError(self.uri, f"write failed, nothing of the batch written: {err}") from None

    def _batch_nquads(self, batch: Batch) -> tuple[str, dict[str, Entity]]:
        """N-Quads of a batch, and the entities as they will be stored once it is written.

        A known entity keeps its stored label and type and gains new surface forms as
        ``skos:altLabel``; the returned entities update the cache without re-querying.
        """
        try:
            return self._nquads(batch)
        except ValueError as err:  # an id that makes no IRI: refuse the batch before writing any of it
            raise StoreError(self.uri, f"batch not written: {err}") from None

    def _nquads(self, batch: Batch) -> tuple[str, dict[str, Entity]]:
        known = self._entities()
        touched: dict[str, Entity] = {}
        seen: set[Entity] = set()
        out: list[str] = []
        for article, rels, mentions in batch:
            for e in [*mentions, *(x for r in rels for x in (r.subject, r.object))]:
                if e in seen:  # same value already handled in this batch (the common case)
                    continue
                seen.add(e)
                stored = touched.get(e.id) or known.get(e.id)
                if stored is None:
                    out.append(entity_nquads(e))
                    touched[e.id] = replace(e, aliases=tuple(sorted(set(e.aliases) - {e.label})))
                    continue
                extra = {e.label, *e.aliases} - {stored.label, *stored.aliases}
                if extra:
                    out.append(alias_nquads(e.id, extra))
                    touched[e.id] = replace(stored, aliases=tuple(sorted({*stored.aliases, *extra})))
            out.append(article_nquads(article, mentions))
            out.extend(map(relation_nquads, rels))
        return "".join(out), touched

    def _existing_keys(self, article_id: str, keys: set[str]) -> set[str]:
        """Keys of ``keys`` already stored; a key lives in its article's named graph."""
        g = article_graph(article_id)
        if not keys or not self._store.contains_named_graph(g):
            return set()
        p = ox.NamedNode(gkg.relationKey)
        return {k for k in keys if any(self._store.quads_for_pattern(None, p, ox.Literal(k), g))}

    def remove_article(self, article_id: str) -> int:
        """Remove the article, its relations and the entities only it mentioned, in one
        transaction (one SPARQL update): a kill at any moment leaves all of it or none."""
        g = article_graph(article_id)
        count = len(list(self._store.quads_for_pattern(None, ox.NamedNode(gkg.relationKey), None, g)))
        self._store.update(_PFX + f"""
            DROP SILENT GRAPH {g} ;
            DELETE WHERE {{ {g} ?p ?o }} ;
            {_ORPHANS}""")
        self._store.flush()
        self._entity_cache = self._article_cache = None
        return count

    def _remove_article_quads(self, article_id: str) -> None:
        g = article_graph(article_id)
        self._store.remove_graph(g) if self._store.contains_named_graph(g) else None
        for q in list(self._store.quads_for_pattern(g, None, None, ox.DefaultGraph())):
            self._store.remove(q)

    def _drop_orphans(self) -> None:
        self._store.update(_PFX + _ORPHANS)

    # -- reads --------------------------------------------------------------------------
    def _select(self, sparql: str) -> Iterator[ox.QuerySolution]:
        """Rows of a SELECT query (the store's own queries are all SELECTs)."""
        result = self._store.query(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError(self.uri, "internal query did not return rows")
        yield from result

    def query(self, sparql: str) -> Any:
        """Run SPARQL over the union of all graphs (read-only callers check the text)."""
        return self._store.query(sparql, use_default_graph_as_union=True, prefixes=dict(PREFIXES))

    def update(self, sparql: str) -> None:
        self._store.update(sparql)
        self._store.flush()
        self._entity_cache = self._article_cache = None  # the update may have changed either

    def load_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in one transaction (all or nothing), as ``graphkg import`` does."""
        try:
            self._store.extend(quads)
            self._store.flush()
        except OSError as err:
            raise StoreError(self.uri, f"write failed: {err}") from None
        self._entity_cache = None
        self._article_cache = None

    def dump(self, output: Any, fmt: ox.RdfFormat, from_graph: Any = None) -> None:
        self._store.dump(output, fmt, from_graph=from_graph, prefixes=dict(PREFIXES))

    def _entities(self) -> dict[str, Entity]:
        if self._entity_cache is None:
            cache: dict[str, Entity] = {}
            for row in self._select(_ENT_Q):
                eid = str(row["id"].value)
                if eid in cache:
                    continue
                qid = _v(row["qid"])
                alts = str(row["alts"].value) if row["alts"] is not None else ""
                cache[eid] = Entity(
                    id=eid, label=str(row["label"].value),
                    type=EntityType(str(row["type"].value).removeprefix(GKG)),
                    aliases=tuple(sorted(a for a in alts.split("\u001f") if a)),
                    qid=qid.rsplit("/", 1)[-1] if qid else None)
            self._entity_cache = cache
        return self._entity_cache

    def _articles(self) -> dict[str, Article]:
        if self._article_cache is None:
            cache: dict[str, Article] = {}
            for row in self._select(_ART_Q):
                issued = _v(row["issued"])
                cache[str(row["id"].value)] = Article(
                    id=str(row["id"].value), text="", source=_v(row["src"]) or "",
                    url=_v(row["url"]), title=_v(row["title"]), lang=_v(row["lang"]),
                    publisher=_v(row["pub"]),
                    published=date.fromisoformat(issued) if issued and len(issued) == 10 else None)
            self._article_cache = cache
        return self._article_cache

    def relations(self, subject: str | None = None, predicate: Predicate | None = None,
                  object: str | None = None, article: str | None = None) -> Iterator[Relation]:
        filters = []
        if subject is not None:
            filters.append(f"FILTER(?s = <{entity_iri(subject)}>)")
        if object is not None:
            filters.append(f"FILTER(?o = <{entity_iri(object)}>)")
        if predicate is not None:
            filters.append(f"FILTER(?p = <{predicate.iri}>)")
        if article is not None:
            filters.append(f"FILTER(?g = <{article_graph(article).value}>)")
        ents, arts = self._entities(), self._articles()
        by_iri = {entity_iri(k): v for k, v in ents.items()}
        for row in self._select(_REL_Q % " ".join(filters)):
            aid = str(row["art"].value).rsplit("/", 1)[-1]
            art = arts.get(aid)
            props = tuple((k, _prop_text(k, row[k])) for k in RELATION_PROPERTIES if row[k] is not None)
            prov = Provenance(
                article_id=aid, evidence=str(row["ev"].value), start=int(row["st"].value),
                end=int(row["en"].value), extractor=str(row["ext"].value),
                confidence=float(row["conf"].value),
                url=art.url if art else None, title=art.title if art else None,
                publisher=art.publisher if art else None, published=art.published if art else None,
                lang=art.lang if art else None, source=art.source if art else None)
            yield Relation(subject=by_iri[str(row["s"].value)], predicate=predicate_from_iri(str(row["p"].value)),
                           object=by_iri[str(row["o"].value)], provenance=prov, properties=props,
                           date=_v(row["date"]), key=str(row["key"].value))

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad, streamed from disk."""
        yield from self._store.quads_for_pattern(None, None, None, None)

    def mentions(self, article_id: str) -> Iterator[Entity]:
        by_iri = {entity_iri(k): v for k, v in self._entities().items()}
        node = article_graph(article_id)
        for q in self._store.quads_for_pattern(node, ox.NamedNode(SCHEMA + "mentions"), None, ox.DefaultGraph()):
            e = by_iri.get(str(getattr(q.object, "value", "")))
            if e is not None:
                yield e

    def entities(self, type_: EntityType | None = None) -> Iterator[Entity]:
        for e in self._entities().values():
            if type_ is None or e.type is type_:
                yield e

    def articles(self) -> Iterator[Article]:
        yield from self._articles().values()

    def counts(self) -> StoreCounts:
        by_type: dict[str, int] = {}
        for e in self._entities().values():
            by_type[e.type.value] = by_type.get(e.type.value, 0) + 1
        by_pred: dict[str, int] = {}
        q = _PFX + "SELECT ?p (COUNT(?a) AS ?n) WHERE { GRAPH ?g { ?a a gkg:Assertion ; rdf:predicate ?p } } GROUP BY ?p"
        for row in self._select(q):
            by_pred[predicate_from_iri(str(row["p"].value)).value] = int(row["n"].value)
        return StoreCounts(articles=len(self._articles()), entities=len(self._entities()),
                           relations=sum(by_pred.values()), by_type=by_type, by_predicate=by_pred)

    def close(self) -> None:
        self._store.flush()
        del self._store
