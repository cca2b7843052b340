"""The extractor's lexicons, read once from ``ontology/lexicon/*.tsv``.

Everything language-specific the rules need lives in those files (cue words per predicate,
role titles, hedge markers, anaphoric nouns, document head nouns); this module only parses
them into immutable lookup tables.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from graphkg.errors import OntologyError
from graphkg.vocab import Predicate, data_path

__all__ = ["Cue", "Lexicon", "lexicon", "by_first_word", "cue_classes_of"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue entry: a lemma (``verb``/``noun``/``adj``) or a token phrase (``phrase``)."""

    lang: str
    predicate: Predicate
    kind: str
    words: tuple[str, ...]
    strength: float
    english: str = ""


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Lookup tables of one language."""

    lang: str
    lemma_cues: dict[str, tuple[Cue, ...]]
    phrase_cues: tuple[Cue, ...]
    aspects: tuple[tuple[str, str], ...]
    speech: frozenset[str]
    obligation: frozenset[str]
    roles: tuple[tuple[tuple[str, ...], str], ...]
    hedges: dict[str, str]
    anaphora: dict[str, str]
    doc_heads: tuple[tuple[tuple[str, ...], str], ...]
    doc_modifiers: dict[str, str]
    doc_stops: tuple[tuple[str, ...], ...]
    meta: dict[str, str] = field(default_factory=dict)


def _rows(name: str) -> list[dict[str, str]]:
    path = data_path(f"lexicon/{name}")
    with path.open(encoding="utf-8", newline="") as fh:
        return [dict(r) for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]


def tokenize_phrase(text: str) -> tuple[str, ...]:
    """Split a lexicon phrase the way the matcher compares tokens.

    >>> tokenize_phrase("s'entretenir avec")
    ("s'", 'entretenir', 'avec')
    """
    out: list[str] = []
    for part in text.lower().split():
        if "'" in part[:-1] and part != "n't":
            head, _, tail = part.partition("'")
            out.extend([head + "'", tail] if tail else [part])
        else:
            out.append(part)
    return tuple(out)


def _cues(lang: str) -> tuple[dict[str, tuple[Cue, ...]], tuple[Cue, ...], tuple[tuple[str, str], ...],
                              frozenset[str], frozenset[str]]:
    lemma: dict[str, list[Cue]] = {}
    phrases: list[Cue] = []
    aspects: list[tuple[str, str]] = []
    speech: set[str] = set()
    modal: set[str] = set()
    for r in _rows("cues.tsv"):
        if r["lang"] != lang:
            continue
        try:
            pred = Predicate(r["predicate"])
        except ValueError:
            raise OntologyError(f"cues.tsv: unknown predicate {r['predicate']!r}", r["predicate"]) from None
        kind, text, strength = r["kind"], r["lemma_or_phrase"], float(r["strength"])
        if kind == "aspect":
            src, _, eng = text.partition("=")
            aspects.append((src, eng or src))
        elif kind == "speech":
            speech.add(text)
        elif kind == "modal":
            modal.add(text)
        elif kind == "phrase":
            phrases.append(Cue(lang, pred, kind, tokenize_phrase(text), strength))
        else:
            lemma.setdefault(text.lower(), []).append(Cue(lang, pred, kind, (text.lower(),), strength))
    phrases.sort(key=lambda c: -len(c.words))
    return ({k: tuple(v) for k, v in lemma.items()}, tuple(phrases), tuple(aspects),
            frozenset(speech), frozenset(modal))


@functools.cache
def lexicon(lang: str) -> Lexicon:
    """Return the lexicon of ``lang`` ("fr" or "en"), parsed once per process."""
    lemma, phrases, aspects, speech, modal = _cues(lang)
    roles = sorted(((tokenize_phrase(r["pattern"]), r["role"]) for r in _rows("roles.tsv") if r["lang"] == lang),
                   key=lambda x: -len(x[0]))
    hedges = {r["word"].lower(): r["kind"] for r in _rows("hedges.tsv") if r["lang"] == lang}
    anaphora = {r["word"].lower(): r["resolves_to"] for r in _rows("anaphora.tsv") if r["lang"] == lang}
    heads: list[tuple[tuple[str, ...], str]] = []
    mods: dict[str, str] = {}
    stops: list[tuple[str, ...]] = []
    for r in _rows("documents.tsv"):
        if r["lang"] != lang:
            continue
        if r["kind"] == "head":
            heads.append((tokenize_phrase(r["phrase"]), r["english"]))
        elif r["kind"] == "modifier":
            mods[r["phrase"].lower()] = r["english"]
        else:
            stops.append(tokenize_phrase(r["phrase"]))
    heads.sort(key=lambda x: -len(x[0]))
    return Lexicon(lang, lemma, phrases, aspects, speech, modal, tuple(roles), hedges, anaphora,
                   tuple(heads), mods, tuple(stops))


def by_first_word(entries: Iterable[T], words: Callable[[T], tuple[str, ...]]) -> dict[str, tuple[T, ...]]:
    """Multi-word lexicon entries grouped by their first word, in file order (callers cache it
    per language and pick the longest match themselves).

    >>> by_first_word([(("prime", "minister"), "PM"), (("prime",), "P")], lambda e: e[0])
    {'prime': ((('prime', 'minister'), 'PM'), (('prime',), 'P'))}
    """
    out: dict[str, list[T]] = {}
    for entry in entries:
        out.setdefault(words(entry)[0], []).append(entry)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def cue_classes_of(lang: str) -> dict[str, frozenset[str]]:
    """Each single-word cue of ``lang`` (lemmas, and the content words of phrases) with the
    predicates it signals."""
    lex = lexicon(lang)
    out: dict[str, set[str]] = {}
    for lemma, cues in lex.lemma_cues.items():
        out.setdefault(lemma, set()).update(c.predicate.value for c in cues)
    for cue in lex.phrase_cues:
        for w in cue.words:
            if len(w) > 3 and w != "*":
                out.setdefault(w, set()).add(cue.predicate.value)
    return {k: frozenset(v) for k, v in out.items()}
