"""Cue detection: lexicon phrases and lemmas found in a sentence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphkg.ontology import Predicate

from .lexicon import Cue, Lexicon

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


def _tok_eq(tok: Token, word: str) -> bool:
    return tok.lower_ == word or tok.lemma_.lower() == word


def _match_phrase(sent: Span, i: int, words: tuple[str, ...]) -> int | None:
    """End index when ``words`` match from token ``i`` ("*" skips 0-2 tokens)."""
    doc = sent.doc
    j = i
    for k, w in enumerate(words):
        if w == "*":
            rest = words[k + 1:]
            for skip in range(0, 3):
                end = _match_phrase(sent, j + skip, rest) if rest else j + skip
                if end is not None:
                    return end
            return None
        if j >= sent.end or not _tok_eq(doc[j], w):
            return None
        j += 1
    return j


def _phrase_head(sent: Span, s: int, e: int) -> int:
    doc = sent.doc
    for i in range(s, e):
        if doc[i].pos_ in {"VERB", "AUX"}:
            return i
    for i in range(s, e):
        if doc[i].pos_ in _NOUN_POS:
            return i
    return s


def find_cues(sent: Span, lex: Lexicon, blocked: set[int]) -> list[CueHit]:
    """Phrase cues first (longest), then single-lemma cues on the remaining tokens."""
    hits: list[CueHit] = []
    covered: set[int] = set()
    for i in range(sent.start, sent.end):
        if i in covered or i in blocked:
            continue
        for cue in lex.phrase_cues:
            end = _match_phrase(sent, i, cue.words)
            if end is not None and end > i:
                hits.append(CueHit(i, end, _phrase_head(sent, i, end), cue))
                covered.update(range(i, end))
                break
    doc = sent.doc
    for i in range(sent.start, sent.end):
        if i in covered or i in blocked:
            continue
        tok = doc[i]
        cands = lex.lemma_cues.get(tok.lemma_.lower()) or lex.lemma_cues.get(tok.lower_) or ()
        for cue in cands:
            if cue.kind == "verb" and (tok.pos_ in _VERB_POS or tok.tag_.startswith("VB")):
                hits.append(CueHit(i, i + 1, i, cue))
                break
            if cue.kind == "noun" and tok.pos_ in _NOUN_POS:
                hits.append(CueHit(i, i + 1, i, cue))
                break
            if cue.kind == "adj" and tok.pos_ == "ADJ":
                hits.append(CueHit(i, i + 1, i, cue))
                break
    return sorted(hits, key=lambda h: h.start)
