"""CLI command groups kept out of ``graphkg/cli.py`` so each capability owns its commands.

Each module listed in ``MODULES`` exposes ``COMMANDS``: a list of click commands added to the
top-level group. Modules import only click and light helpers at import time (``graphkg --help``
must stay fast); heavy libraries are imported inside the command functions.
"""

from __future__ import annotations

import importlib

import click

__all__ = ["MODULES", "register"]

MODULES = (
    "graphkg.cli.neo4j",      # schema, query, sync (Neo4j)
    "graphkg.cli.rdf",        # sparql, validate, import, ontology doc
    "graphkg.cli.analyze",    # analyze blocs/stance/centrality
    "graphkg.cli.collection", # remove, ...
    "graphkg.cli.quality",    # quality: extractor figures on an annotated folder
)


def register(group: click.Group) -> None:
    """Add every available command module's commands to ``group``."""
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name == name:  # that capability is not built yet
                continue
            raise
        for command in getattr(module, "COMMANDS", []):
            group.add_command(command)
