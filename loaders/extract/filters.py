"""Hedge filters: negation, modality, speculation, questions, invitations, failures.

A cue is asserted only when neither it nor the verbs that govern it carry a marker from
``ontology/lexicon/hedges.tsv`` (or a conditional/future morphology).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["hedge_reason"]

_MARKER_DEPS = frozenset({"advmod", "neg", "aux", "aux:pass", "aux:tense", "mark", "det", "advmod:neg", "expl:comp"})
_VERBAL = frozenset({"VERB", "AUX", "ADJ"})
_NOUN_HEDGES = frozenset({"invitation", "failure", "modal"})


def _morph_hedge(tok: Token) -> bool:
    return "Cnd" in tok.morph.get("Mood") or "Fut" in tok.morph.get("Tense")


def _marked(tok: Token, lex: Lexicon) -> str | None:
    for child in tok.children:
        if child.dep_ in _MARKER_DEPS or child.dep_.startswith("aux"):
            kind = lex.hedges.get(child.lower_) or lex.hedges.get(child.lemma_.lower())
            if kind in {"negation", "modal", "speculation", "invitation", "failure"}:
                if kind == "speculation" and child.dep_ != "mark" and child.lower_ in {"if", "si", "whether", "unless"}:
                    continue
                return f"{kind}:{child.text}"
            if child.dep_.startswith("aux") and _morph_hedge(child):
                return f"modal:{child.text}"
    return None


def hedge_reason(cue: Token, sent: Span, lex: Lexicon) -> str | None:
    """Why the cue is not asserted (``"negation:pas"``, ``"question"`` ...), or None."""
    if sent.text.rstrip().endswith("?"):
        return "question"
    tok: Token | None = cue
    steps = 0
    infinitive = "Inf" in cue.morph.get("VerbForm") or any(c.lower_ in {"to", "de", "d'", "à"} and c.dep_ == "mark"
                                                           for c in cue.children)
    while tok is not None and steps < 6:
        word = lex.hedges.get(tok.lower_) or lex.hedges.get(tok.lemma_.lower())
        if word and steps > 0 and word not in {"negation", "question"}:
            if tok.pos_ in _VERBAL or (word in _NOUN_HEDGES and infinitive and tok.pos_ == "NOUN"):
                return f"{word}:{tok.text}"
        if tok.pos_ in _VERBAL or tok.i == cue.i:
            reason = _marked(tok, lex)
            if reason:
                return reason
            if tok.pos_ in {"VERB", "AUX"} and _morph_hedge(tok):
                return f"modal:{tok.text}"
        if lex.lang == "en" and tok.lower_ in {"observer", "observers"}:
            return "observer"
        if tok.head is tok or tok.dep_ in {"ccomp", "parataxis"} and steps > 0:
            break
        tok = tok.head
        steps += 1
    window = sent.doc[max(sent.start, cue.i - 4):cue.i]
    for t in window:
        if lex.hedges.get(t.lower_) in {"observer"}:
            return "observer"
    for t in sent.doc[cue.i:min(sent.end, cue.i + 6)]:
        if lex.hedges.get(t.lower_) == "observer":
            return "observer"
    return None
