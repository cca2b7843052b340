"""Files for Neo4j's offline bulk importer (``neo4j-admin database import full``).

``graphkg export --format neo4j-import -o DIR`` writes, from any store, the graph exactly as
:class:`~graphkg.stores.neo4j.Neo4jStore` writes it (same labels, relationship types, property
names and types, ids), as CSV files with headers:

* ``nodes-entity-<label>.csv`` (``id:ID, name, aliases:string[], qid, :LABEL``),
* ``nodes-article.csv`` (``id:ID, url, title, published:date, lang, publisher, source, :LABEL``),
* ``relationships-mentions.csv`` and one ``relationships-<type>.csv`` per predicate, with every
  relationship property (``start:int``, ``confidence:float``, ``date:date``, ``prop_keys:string[]``
  ...). Arrays use ``|`` between items (the importer's ``--array-delimiter=|``).

Import them into an empty database, then create the constraints and indexes::

    neo4j-admin database import full --array-delimiter='|' --multiline-fields=true --ignore-empty-strings=true \\
        --nodes=DIR/nodes-*.csv --relationships=DIR/relationships-*.csv neo4j
    graphkg schema apply

The test launcher does the same in-process: ``java -jar neo4j-launcher.jar import DATA CSV_DIR``.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from graphkg.plugins import Store
from graphkg.stores import cypher

__all__ = ["write_import_files", "ImportFiles"]


class ImportFiles:
    """What :func:`write_import_files` wrote: node and relationship counts, and the files."""

    def __init__(self) -> None:
        self.nodes = 0
        self.relationships = 0
        self.files: list[Path] = []


_REL_TYPES = {"start": "int", "end": "int", "confidence": "float", "date": "date", "published": "date",
              "prop_keys": "string[]"}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "|".join(str(v).replace("|", "/") for v in value)
    return str(value)


def write_import_files(store: Store, out: Path) -> ImportFiles:
    """Write ``store`` as bulk-import CSV files into directory ``out`` (created if needed)."""
    from graphkg.stores.neo4j import _props

    out.mkdir(parents=True, exist_ok=True)
    done = ImportFiles()
    by_label: dict[str, list[list[str]]] = defaultdict(list)
    for e in store.entities():
        t = cypher.label(e.type)
        by_label[t].append([e.id, e.label, _cell(sorted(e.aliases)), _cell(e.qid), f"{cypher.ENTITY}|{t}"])
    for t, rows in sorted(by_label.items()):
        done.files.append(_write(out / f"nodes-entity-{t.lower()}.csv",
                                 ["id:ID", "name", "aliases:string[]", "qid", ":LABEL"], rows))
        done.nodes += len(rows)
    articles: list[list[str]] = []
    mentions: list[list[str]] = []
    for a in store.articles():
        articles.append([a.id, _cell(a.url), _cell(a.title), _cell(a.published), _cell(a.lang),
                         _cell(a.publisher), _cell(a.source), cypher.ARTICLE])
        mentions.extend([a.id, e.id, cypher.MENTIONS] for e in store.mentions(a.id))
    done.files.append(_write(out / "nodes-article.csv", ["id:ID", "url", "title", "published:date", "lang",
                                                          "publisher", "source", ":LABEL"], articles))
    done.nodes += len(articles)
    done.files.append(_write(out / "relationships-mentions.csv", [":START_ID", ":END_ID", ":TYPE"], mentions))
    done.relationships += len(mentions)
    by_type: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for r in store.relations():
        by_type[cypher.rel_type(r.predicate)].append((r.subject.id, r.object.id, _props(r)))
    for t, rels in sorted(by_type.items()):
        keys = list(dict.fromkeys(k for _, _, props in rels for k in props))
        header = [":START_ID", ":END_ID", ":TYPE", *(f"{k}:{_REL_TYPES[k]}" if k in _REL_TYPES else k for k in keys)]
        rows = [[s, o, t, *(_cell(props.get(k)) for k in keys)] for s, o, props in rels]
        done.files.append(_write(out / f"relationships-{t.lower()}.csv", header, rows))
        done.relationships += len(rows)
    return done


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    tmp.replace(path)
    return path
