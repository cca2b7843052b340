"""Hedge filters: negation, modality, speculation, questions, invitations, failures.

A cue is asserted only when neither it nor the verbs that govern it carry a marker from
``ontology/lexicon/hedges.tsv`` (or a conditional/future morphology).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lexicon import Lexicon
from .tokens import sent_text, view

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["hedge_reason", "hedge_kind"]

_MARKER_DEPS = frozenset({"advmod", "neg", "aux", "aux:pass", "aux:tense", "mark", "det", "advmod:neg", "expl:comp"})
_VERBAL = frozenset({"VERB", "AUX", "ADJ"})
_NOUN_HEDGES = frozenset({"invitation", "failure", "modal"})


_FR_FUTURE_ER = ("era", "eras", "erai", "erons", "erez", "eront", "erait", "erais", "eraient", "erions", "eriez")
_FR_FUTURE_IR = ("ira", "iras", "irai", "irons", "irez", "iront", "irait", "irais", "iraient", "irions", "iriez")


def _morph_hedge(tok: Token) -> bool:
    """A conditional or future verb: by the tagger's morphology, or for French by the inflection
    itself (the tagger reads "signera" as a past participle): "-era(it)" of an "-er" verb,
    "-ira(it)" of an "-ir"/"-re" verb; "considéra", "vira" (past historic) do not match."""
    if "Cnd" in tok.morph.get("Mood", []) or "Fut" in tok.morph.get("Tense", []):
        return True
    if tok.lang_ != "fr" or tok.pos_ not in {"VERB", "AUX"}:
        return False
    low, lemma = tok.lower_, tok.lemma_.lower()
    if low == lemma:
        return False
    return low.endswith(_FR_FUTURE_ER) and lemma.endswith("er") or low.endswith(_FR_FUTURE_IR) and lemma.endswith(("ir", "re"))


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


def hedge_kind(tok: Token, lex: Lexicon) -> str | None:
    """Hedge kind of a token by form, lemma or a stripped inflection (the small models lemmatise
    "hopes" as "hop" and tag "compte" as a noun)."""
    low = tok.lower_
    for form in (low, tok.lemma_.lower(), low[:-1] if low.endswith("s") else "",
                 low[:-2] if low.endswith(("ed", "es")) else "", low[:-3] if low.endswith("ing") else "",
                 low + "r" if lex.lang == "fr" and low.endswith("e") else "",
                 low[:-3] + "er" if lex.lang == "fr" and low.endswith("ent") else ""):
        kind = lex.hedges.get(form) if form else None
        if kind:
            return kind
    return None


_NEG_WORDS = frozenset({"pas", "jamais", "not", "n't", "never", "guère", "point"})


def _left_marker(cue: Token, sent: Span, lex: Lexicon, infinitive: bool) -> str | None:
    """Markers the parse may attach elsewhere: a negation just before the verb group ("n'a pas
    rompu", "did not support") or, for an infinitive cue, a modal right before it ("hopes to
    join", "compte adhérer")."""
    doc = sent.doc
    for i in range(cue.i - 1, max(sent.start, cue.i - 4) - 1, -1):
        tok = doc[i]
        if tok.is_punct or tok.pos_ in {"NOUN", "PROPN"} and not (infinitive and i == cue.i - 1):
            break
        if tok.lower_ in _NEG_WORDS and lex.hedges.get(tok.lower_) == "negation":
            return f"negation:{tok.text}"
        kind = hedge_kind(tok, lex)
        if infinitive and kind in {"modal", "directive", "invitation"}:
            return f"{kind}:{tok.text}"
    return None


def _infinitival(tok: Token) -> bool:
    return "Inf" in tok.morph.get("VerbForm", []) or tok.dep_ in {"xcomp"} or any(
        c.lower_ in {"to", "de", "d'", "à"} and c.dep_ in {"mark", "aux"} for c in tok.children)


def hedge_reason(cue: Token, sent: Span, lex: Lexicon) -> str | None:
    """Why the cue is not asserted (``"negation:pas"``, ``"question"`` ...), or None."""
    if sent_text(sent).rstrip().endswith("?"):
        return "question"
    v = view(sent.doc)
    claim = next((sent.doc[i] for i in range(sent.start, sent.end) if lex.hedges.get(v.lower[i]) == "claim"), None)
    if claim is not None:  # a third party's claim presented as such ("an allegation Cairo denied")
        return f"claim:{claim.text}"
    infinitive = "Inf" in cue.morph.get("VerbForm", []) or any(c.lower_ in {"to", "de", "d'", "à"} and c.dep_ == "mark"
                                                           for c in cue.children)
    return (_up_the_chain(cue, lex, infinitive) or _left_marker(cue, sent, lex, infinitive)
            or _observer_near(cue, sent, lex) or _gerund_clause(cue, lex))


def _gerund_clause(cue: Token, lex: Lexicon) -> str | None:
    """A gerund ("en collaborant", "working together") takes the modality of the finite verb of
    its clause, which the parser may hang below it as a conjunct ("en collaborant, pourraient
    s'orienter" parsed with the gerund as the root)."""
    if "Part" not in cue.morph.get("VerbForm", []) or "Past" in cue.morph.get("Tense", []):
        return None
    if not (any(c.lower_ == "en" and c.dep_ == "mark" for c in cue.children) or cue.dep_ == "advcl"
            or cue.lower_.endswith("ing")):
        return None
    for tok in [cue.head, *(c for c in cue.children if c.dep_ == "conj")]:
        if tok is cue or tok.pos_ not in {"VERB", "AUX"}:
            continue
        if _morph_hedge(tok) or hedge_kind(tok, lex) in {"modal", "speculation"}:
            return f"modal:{tok.text}"
    return None


def _up_the_chain(cue: Token, lex: Lexicon, infinitive: bool) -> str | None:
    """A hedge on the cue or on the verbs that govern it, up to six heads."""
    tok: Token | None = cue
    steps = 0
    prev: Token | None = None
    while tok is not None and steps < 6:
        reason = _hedge_at(tok, prev, cue, lex, infinitive, steps)
        if reason:
            return reason
        if tok.head is tok or tok.dep_ in {"ccomp", "parataxis"} and steps > 0:
            break
        prev, tok = tok, tok.head
        steps += 1
    return None


def _hedge_at(tok: Token, prev: Token | None, cue: Token, lex: Lexicon, infinitive: bool, steps: int) -> str | None:
    word = hedge_kind(tok, lex)
    if word == "directive":
        # "urged X to recognise", "a appelé X à soutenir": the complement is asked for, not done.
        if prev is not None and _infinitival(prev):
            return f"directive:{tok.text}"
    elif word and steps > 0 and word not in {"negation", "question"}:
        if tok.pos_ in _VERBAL or (word in _NOUN_HEDGES and (infinitive or cue.pos_ == "NOUN")
                                   and tok.pos_ == "NOUN"):
            return f"{word}:{tok.text}"
    if tok.pos_ in _VERBAL or tok.i == cue.i:
        reason = _marked(tok, lex)
        if reason:
            return reason
        if tok.pos_ in {"VERB", "AUX"} and _morph_hedge(tok):
            return f"modal:{tok.text}"
    if lex.lang == "en" and tok.lower_ in {"observer", "observers"}:
        return "observer"
    return None


def _observer_near(cue: Token, sent: Span, lex: Lexicon) -> str | None:
    """Observer status named just before or after the cue."""
    for t in sent.doc[max(sent.start, cue.i - 4):min(sent.end, cue.i + 6)]:
        if lex.hedges.get(t.lower_) == "observer":
            return "observer"
    return None
