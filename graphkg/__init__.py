"""graphkg: a knowledge graph of diplomatic relations built from news, with evidence on every edge.

The front door: one entry point per stage, imported on first use (``import graphkg`` stays light).

>>> import graphkg
>>> sorted(graphkg.__all__)[:3]
['Article', 'IngestOptions', '__version__']

* read: ``read_sources(paths)`` -> articles (or one-line errors) through the reader plugins;
* extract: ``extract_relations(sources, IngestOptions())`` -> resolved triples per article, no store;
* store: ``open_store(name, home)``;
* ingest: ``run(sources, store, IngestOptions())`` -> :class:`IngestReport`;
* export: ``export(store, fmt, stream)``; SPARQL: ``run_sparql(store, text)``;
* maps: ``render_map(relations)``; analytics: ``signed_blocs(graph)``.
"""

from __future__ import annotations

import importlib
from typing import Any

from graphkg.version import __version__

__all__ = [
    "__version__",
    "Article",
    "IngestOptions",
    "read_sources",
    "extract_relations",
    "open_store",
    "run",
    "export",
    "run_sparql",
    "render_map",
    "signed_blocs",
]

_ENTRY = {
    "Article": "graphkg.model",
    "IngestOptions": "graphkg.pipeline",
    "read_sources": "graphkg.pipeline.sources",
    "extract_relations": "graphkg.pipeline",
    "open_store": "graphkg.stores",
    "run": "graphkg.pipeline",
    "export": "graphkg.rdf.export",
    "run_sparql": "graphkg.rdf.sparql",
    "render_map": "graphkg.maps.render",
    "signed_blocs": "graphkg.analytics",
}


def __getattr__(name: str) -> Any:
    if name in _ENTRY:
        return getattr(importlib.import_module(_ENTRY[name]), name)
    raise AttributeError(f"module 'graphkg' has no attribute {name!r}")
