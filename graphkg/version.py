"""The package version (one place; the ontology's owl:versionInfo is checked against it)."""

__all__ = ["__version__"]

__version__ = "0.1.0"
