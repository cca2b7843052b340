"""Rule-based relation extractor for French and English diplomatic news.

``RuleExtractor().extract(article)`` turns an :class:`graphkg.model.Article` into
:class:`graphkg.model.Candidate` triples; the linguistic knowledge it uses (cue words,
role titles, hedges, anaphora, document heads) lives in ``ontology/lexicon/*.tsv``.
"""

from __future__ import annotations

from .extractor import RuleExtractor
from .nlp import detect_language, load_nlp

__all__ = ["RuleExtractor", "detect_language", "load_nlp"]
