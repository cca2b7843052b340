"""The extractor ``graphkg ingest`` uses: GDELT rows by code, everything else by the NLP rules.

``--extractor auto`` (default) sends articles made by the GDELT reader to
:class:`~graphkg.loaders.gdelt.GdeltExtractor` and the others to the rule extractor, which is
only built (and spaCy only loaded) when a text article shows up. ``gdelt`` never loads spaCy
(text articles then yield nothing); ``rule`` always uses the NLP extractor.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from graphkg.errors import LoaderError
from graphkg.model import Article, Candidate

__all__ = ["AutoExtractor", "EXTRACTORS", "make_extractor"]

EXTRACTORS = ("auto", "rule", "gdelt")


class AutoExtractor:
    """Dispatches per article; see the module docstring."""

    name = "auto"
    version = "1.0.0"

    def __init__(self, kind: str = "auto", fr_model: str | None = None) -> None:
        if kind not in EXTRACTORS:
            raise LoaderError(f"--extractor {kind}", f"unknown extractor; expected one of {list(EXTRACTORS)}")
        from graphkg.loaders.gdelt import GdeltExtractor

        self.kind, self.fr_model = kind, fr_model
        self.gdelt = GdeltExtractor()
        self._rule: Any = None

    @property
    def rule(self) -> Any:
        if self._rule is None:
            from graphkg.extract import RuleExtractor

            self._rule = RuleExtractor(fr_model=self.fr_model) if self.fr_model else RuleExtractor()
        return self._rule

    def _is_gdelt(self, article: Article) -> bool:
        return self.kind == "gdelt" or (self.kind == "auto" and self.gdelt.accepts(article))

    def prepare(self, article: Article) -> Article:
        """Set the language of text articles that do not declare one (GDELT rows have none)."""
        if article.lang is not None or self._is_gdelt(article):
            return article
        from graphkg.extract import detect_language

        return dataclasses.replace(article, lang=detect_language(article.text))

    def extract(self, article: Article) -> list[Candidate]:
        if self._is_gdelt(article):
            return self.gdelt.extract(article) if self.gdelt.accepts(article) else []
        return list(self.rule.extract(article))


def make_extractor(kind: str = "auto", fr_model: str | None = None) -> AutoExtractor:
    """Picklable factory for worker processes (``functools.partial(make_extractor, kind)``)."""
    return AutoExtractor(kind, fr_model)
