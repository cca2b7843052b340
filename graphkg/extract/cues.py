"""Cue detection: lexicon phrases and lemmas found in a sentence."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphkg.vocab import Predicate

from .lexicon import Cue, Lexicon
from .tokens import sentence_memo, view

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["CueHit", "find_cues"]

_VERB_POS = frozenset({"VERB"})
_NOUN_POS = frozenset({"NOUN", "PROPN"})


@dataclass(frozen=True, slots=True)
class CueHit:
    """A cue found over tokens ``[start, end)``; ``head`` is the token the rules read from."""

    start: int
    end: int
    head: int
    cue: Cue

    @property
    def predicate(self) -> Predicate:
        return self.cue.predicate


_PARTICIPLE = ("é", "ée", "és", "ées")


@functools.lru_cache(maxsize=65536)
def _fr_infinitive(form: str) -> str | None:
    """"expulsé" -> "expulser": French -er participles the small model often mis-lemmatises."""
    for end in _PARTICIPLE:
        if form.endswith(end) and len(form) > len(end) + 2:
            return form[: -len(end)] + "er"
    return None


def _tok_eq(tok: Token, word: str) -> bool:
    return tok.lower_ == word or tok.lemma_.lower() == word or _fr_infinitive(tok.lower_) == word


def _token_keys(sent: Span) -> dict[int, tuple[str, ...]]:
    """The forms each token matches a lexicon word by: form, lemma, French -er infinitive."""
    return sentence_memo(sent, ("keys",), lambda: _keys_of(sent))


def _keys_of(sent: Span) -> dict[int, tuple[str, ...]]:
    v = view(sent.doc)
    out: dict[int, tuple[str, ...]] = {}
    lower, lemma = v.lower, v.lemma
    for i in range(sent.start, sent.end):
        low, lem = lower[i], lemma[i]
        inf = _fr_infinitive(low) if low.endswith(_PARTICIPLE) else None
        out[i] = (low,) if low == lem and not inf else (low, lem, inf) if inf else (low, lem)
    return out


def _match_phrase(keys: dict[int, tuple[str, ...]], end: int, i: int, words: tuple[str, ...]) -> int | None:
    """End index when ``words`` match from token ``i`` ("*" skips 0-2 tokens)."""
    j = i
    for k, w in enumerate(words):
        if w == "*":
            rest = words[k + 1:]
            for skip in range(0, 3):
                stop = _match_phrase(keys, end, j + skip, rest) if rest else j + skip
                if stop is not None:
                    return stop
            return None
        if j >= end or w not in keys[j]:
            return None
        j += 1
    return j


@functools.cache
def _first_words(lang: str, preds: frozenset[Predicate]) -> frozenset[str]:
    """Every word that can start a cue of ``preds`` (lemma cues and phrase cues)."""
    from .lexicon import lexicon

    lex = lexicon(lang)
    words = {w for w, cues in lex.lemma_cues.items() if any(c.predicate in preds for c in cues)}
    return frozenset(words | {c.words[0] for c in lex.phrase_cues if c.predicate in preds})


@functools.cache
def _phrase_index(lang: str) -> dict[str, tuple[Cue, ...]]:
    """Phrase cues of ``lang`` by first word (the lexicon is parsed once)."""
    from .lexicon import by_first_word, lexicon

    return by_first_word(lexicon(lang).phrase_cues, lambda c: c.words)


def _phrase_head(sent: Span, s: int, e: int) -> int:
    pos = view(sent.doc).pos
    for i in range(s, e):
        if pos[i] in {"VERB", "AUX"}:
            return i
    for i in range(s, e):
        if pos[i] in _NOUN_POS:
            return i
    return s


_Candidates = tuple[tuple[tuple[int, tuple[Cue, ...]], ...], tuple[tuple[int, tuple[Cue, ...], bool], ...],
                    frozenset[str]]


def _candidates(sent: Span, lex: Lexicon) -> _Candidates:
    """The sentence's cue candidates, which depend on the parse only (cached per sentence, so the
    extractor's two walks pay once): phrase cues by start token (longest first), lemma cues by
    token (with whether a French participle follows avoir/être), and every token key."""
    return sentence_memo(sent, ("cues", lex.lang), lambda: _candidates_of(sent, lex))


def _candidates_of(sent: Span, lex: Lexicon) -> _Candidates:
    v = view(sent.doc)
    keys = _token_keys(sent)
    index = _phrase_index(lex.lang)
    phrase = []
    lemma = []
    for i in range(sent.start, sent.end):
        first = [c for k in keys[i] for c in index.get(k, ())]
        if first:
            phrase.append((i, tuple(sorted(first, key=lambda c: -len(c.words)))))
        cands: tuple[Cue, ...] = lex.lemma_cues.get(v.lemma[i]) or lex.lemma_cues.get(v.lower[i]) or ()
        participle = False
        if not cands and lex.lang == "fr":
            inf = _fr_infinitive(v.lower[i])
            cands = lex.lemma_cues.get(inf, ()) if inf else ()
            participle = bool(cands) and i > sent.start and sent.doc[i - 1].lemma_ in {"avoir", "être"}
        if cands:
            lemma.append((i, cands, participle))
    return tuple(phrase), tuple(lemma), frozenset(k for ks in keys.values() for k in ks)


def find_cues(sent: Span, lex: Lexicon, blocked: set[int],
              only: frozenset[Predicate] | None = None) -> list[CueHit]:
    """Phrase cues first (longest), then single-lemma cues on the remaining tokens; with
    ``only``, a sentence without any first word of those predicates' cues is skipped cheaply."""
    hits: list[CueHit] = []
    covered: set[int] = set()
    phrase, lemma, all_keys = _candidates(sent, lex)
    if only is not None and all_keys.isdisjoint(_first_words(lex.lang, only)):
        return hits
    keys = _token_keys(sent)
    for i, cues in phrase:
        if i in covered or i in blocked:
            continue
        for cue in cues:
            end = _match_phrase(keys, sent.end, i, cue.words)
            if end is not None and end > i:
                hits.append(CueHit(i, end, _phrase_head(sent, i, end), cue))
                covered.update(range(i, end))
                break
    doc = sent.doc
    for i, cands, participle in lemma:
        if i in covered or i in blocked:
            continue
        tok = doc[i]
        for cue in cands:
            # a "noun" with a subject is a mis-tagged verb ("Le Sénégal soutient la Gambie")
            if cue.kind == "verb" and (tok.pos_ in _VERB_POS or tok.tag_.startswith("VB") or participle
                                       or any(c.dep_.startswith("nsubj") for c in tok.children)):
                hits.append(CueHit(i, i + 1, i, cue))
                break
            if cue.kind == "noun" and tok.pos_ in _NOUN_POS and tok.dep_ != "compound":  # not "aid worker"
                hits.append(CueHit(i, i + 1, i, cue))
                break
            if cue.kind == "adj" and tok.pos_ == "ADJ":
                hits.append(CueHit(i, i + 1, i, cue))
                break
    return sorted(hits, key=lambda h: h.start)
