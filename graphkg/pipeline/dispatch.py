"""Choosing the extractor: registered extractors by name, and ``auto``, which sends each article
to the extractor of its kind.

``--extractor auto`` (default) sends articles made by the GDELT reader to the ``gdelt``
extractor and the others to the NLP extractor (``learned``: the candidate generator and the
trained model), which is only built (and spaCy only loaded) when a text article shows up. Every name in the ``graphkg.extractors`` entry-point group
can be chosen directly (``gdelt`` never loads spaCy: text articles then yield nothing).
"""

from __future__ import annotations

from typing import Any

from graphkg.errors import PluginError
from graphkg.model import Article, Candidate
from graphkg.plugins import Extractor, PreparingExtractor, SelectiveExtractor, registry

__all__ = ["AutoExtractor", "make_extractor", "extractor_names"]

_SELECTIVE = ("gdelt",)   # extractors that claim their own kind of article, tried first
_FALLBACK = "learned"     # the NLP extractor, for everything else


def extractor_names() -> list[str]:
    """The registered extractor names (``--extractor`` choices)."""
    return registry().names("extractors")


def make_extractor(name: str = "auto", fr_model: str | None = None, en_model: str | None = None) -> Extractor:
    """Build the extractor registered as ``name``; a picklable factory for worker processes
    (``functools.partial(make_extractor, name)``).

    Raises:
        PluginError: unknown name, the plugin fails to load, or it takes no model option.
    """
    factory: Any = registry().load("extractors", name)
    models = {k: v for k, v in (("fr_model", fr_model), ("en_model", en_model)) if v}
    try:
        built = factory(**models)
    except TypeError as err:
        raise PluginError(name, f"extractor {name!r} cannot be built with these options ({err})") from None
    if not isinstance(built, Extractor):
        raise PluginError(name, f"extractor plugin {name!r} is not an extractor (no name, version and extract())")
    return built


class AutoExtractor:
    """Dispatches per article; see the module docstring."""

    name = "auto"
    version = "1.0.0"

    def __init__(self, fr_model: str | None = None, en_model: str | None = None) -> None:
        self.fr_model, self.en_model = fr_model, en_model
        self.selective = [e for e in (make_extractor(n) for n in _SELECTIVE if n in extractor_names())
                          if isinstance(e, SelectiveExtractor)]
        self._fallback: Extractor | None = None

    @property
    def fallback(self) -> Extractor:
        """The NLP extractor, built on first use."""
        if self._fallback is None:
            self._fallback = make_extractor(_FALLBACK, self.fr_model, self.en_model)
        return self._fallback

    def _claimed(self, article: Article) -> SelectiveExtractor | None:
        return next((e for e in self.selective if e.accepts(article)), None)

    def prepare(self, article: Article) -> Article:
        """The article as its extractor reads it (text articles get their language)."""
        if self._claimed(article) is not None:
            return article
        fallback = self.fallback
        return fallback.prepare(article) if isinstance(fallback, PreparingExtractor) else article

    def extract(self, article: Article) -> list[Candidate]:
        claimed = self._claimed(article)
        return claimed.extract(article) if claimed is not None else list(self.fallback.extract(article))
