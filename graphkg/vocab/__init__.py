"""The ontology seen from Python: enums, predicate info, terms and prefixes, all read from ``ontology/``."""

from graphkg.vocab.ontology import *  # noqa: F403
from graphkg.vocab.ontology import __all__  # noqa: F401
