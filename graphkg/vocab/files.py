"""Where the ontology's files are: ``ontology/`` in the source tree, shipped as package data."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from graphkg.errors import OntologyError

__all__ = ["data_path"]


def data_path(name: str) -> Path:
    """Path of a file shipped in the ``ontology/`` folder (package ``graphkg.ontology_data``)."""
    path = Path(str(resources.files("graphkg.ontology_data").joinpath(name)))
    if not path.exists():
        raise OntologyError(f"ontology file {name!r} is missing from the installation", name)
    return path
