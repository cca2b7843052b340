"""Stores: one pattern-query protocol, several backends, chosen through the plugin registry.

Backends declare what they can do in ``capabilities`` (:class:`~graphkg.plugins.Capability`);
callers ask for a typed facet (:func:`graphkg.plugins.facet`), never for a class. All Cypher
lives in :mod:`graphkg.stores.cypher`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from graphkg.errors import PluginError, StoreError, suggest
from graphkg.model import Batch, StoreCounts
from graphkg.plugins import Capability, Store, registry

__all__ = ["Store", "Batch", "StoreCounts", "Capability", "open_store", "store_names", "default_home"]

_ALIASES = {"embedded": "oxigraph", "default": "oxigraph"}


def default_home() -> Path:
    """Data directory: ``$GRAPHKG_HOME`` or ``./graphkg-data``."""
    return Path(os.environ.get("GRAPHKG_HOME") or "graphkg-data")


def store_names() -> list[str]:
    """Names of the registered stores (entry-point group ``graphkg.stores``)."""
    return registry().names("stores")


def open_store(name: str = "oxigraph", home: Path | None = None, **options: object) -> Store:
    """Open the store registered as ``name``.

    Raises:
        StoreError: unknown store name, or the backend cannot be opened.
    """
    target = _ALIASES.get(name, name)
    if target not in store_names():
        raise StoreError(name, f"unknown store; {suggest(name, store_names())}")
    try:
        factory: Any = registry().load("stores", target)
    except PluginError as err:
        raise StoreError(name, err.reason) from None
    store: Store = factory.open(home=home or default_home(), **options)
    return store
