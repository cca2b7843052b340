"""Exports for non-RDF tools: GraphML and GEXF (Gephi, via networkx) and CSV (spreadsheets).

Memory: CSV streams one relation at a time from ``store.relations()`` (only the store's
entity/article lookup tables stay in memory). GraphML and GEXF are written by networkx from
an in-memory ``MultiDiGraph``: one node per entity and one edge per relation with its
provenance attributes, roughly 1–2 KB of Python objects per relation (about 100–150 MB for
the ~70k relations of a 1M-triple store). Use N-Quads or CSV for larger stores.
"""

from __future__ import annotations

from collections.abc import Hashable

import csv
import io
from typing import IO, Any

from graphkg.model import Relation
from graphkg.vocab import predicate_info
from graphkg.stores import Store

__all__ = ["GRAPH_FORMATS", "CSV_COLUMNS", "relation_row", "to_networkx", "write_graph"]

GRAPH_FORMATS = ("graphml", "gexf", "csv")

CSV_COLUMNS = (
    "relation_key", "subject_id", "subject_label", "subject_type", "predicate", "polarity",
    "object_id", "object_label", "object_type", "date", "role", "aspect", "confidence",
    "evidence", "evidence_start", "evidence_end", "extractor", "article_id", "article_url",
    "article_title", "publisher", "published", "language", "source",
)


def relation_row(r: Relation) -> dict[str, str]:
    """One relation as flat strings (empty when unknown), keyed by :data:`CSV_COLUMNS`."""
    pv, props = r.provenance, dict(r.properties)
    values: dict[str, Any] = {
        "relation_key": r.key, "subject_id": r.subject.id, "subject_label": r.subject.label,
        "subject_type": r.subject.type.value, "predicate": r.predicate.value,
        "polarity": predicate_info(r.predicate).polarity.value, "object_id": r.object.id,
        "object_label": r.object.label, "object_type": r.object.type.value, "date": r.date,
        "role": props.get("role"), "aspect": props.get("aspect"), "confidence": pv.confidence,
        "evidence": pv.evidence, "evidence_start": pv.start, "evidence_end": pv.end,
        "extractor": pv.extractor, "article_id": pv.article_id, "article_url": pv.url,
        "article_title": pv.title, "publisher": pv.publisher,
        "published": pv.published.isoformat() if pv.published else None, "language": pv.lang,
        "source": pv.source,
    }
    return {k: "" if values[k] is None else str(values[k]) for k in CSV_COLUMNS}


def to_networkx(store: Store) -> Any:
    """A ``networkx.MultiDiGraph``: entities as nodes (type, label, qid), relations as edges.

    Edge keys are relation keys; edge attributes are the provenance columns of
    :data:`CSV_COLUMNS` that are not node attributes. Empty values are left out (GraphML and
    GEXF have no null).
    """
    import networkx as nx

    g: nx.MultiDiGraph[Hashable] = nx.MultiDiGraph(name="graphkg")
    for e in store.entities():
        node = {"label": e.label, "type": e.type.value, "qid": e.qid or ""}
        g.add_node(e.id, **{k: v for k, v in node.items() if v})
    for r in store.relations():
        row = relation_row(r)
        attrs: dict[str, Any] = {k: v for k, v in row.items() if v and not k.startswith(("subject_", "object_"))}
        attrs["confidence"] = r.provenance.confidence  # numeric in Gephi
        g.add_edge(r.subject.id, r.object.id, key=r.key, **attrs)
    return g


def write_graph(store: Store, fmt: str, output: IO[bytes]) -> int:
    """Write ``store`` as GraphML, GEXF or CSV to the binary stream ``output``.

    Returns:
        The number of relations written.
    """
    if fmt == "csv":
        text = io.TextIOWrapper(output, encoding="utf-8", newline="", write_through=True)
        try:
            writer = csv.DictWriter(text, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            n = 0
            for r in store.relations():
                writer.writerow(relation_row(r))
                n += 1
            text.flush()
        finally:
            text.detach()  # leave the caller's stream open
        return n
    import networkx as nx

    g = to_networkx(store)
    if fmt == "graphml":
        nx.write_graphml(g, output, encoding="utf-8", prettyprint=True)
    else:
        nx.write_gexf(g, output, encoding="utf-8", prettyprint=True)
    return int(g.number_of_edges())
