"""graphkg: a knowledge graph of diplomatic relations built from news, with evidence on every edge."""

__all__ = ["__version__"]

__version__ = "0.1.0"
