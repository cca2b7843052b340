"""Argument finding for cues: subject (syntactic subject, passive agent, possessor) and
object (first compatible mention in the cue's clause), plus the vote-list pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphkg.vocab import EntityType, Predicate, actor_types, check_relation

from .context import Mention
from .cues import CueHit
from .tokens import sent_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["Arg", "subjects", "objects", "passive_object", "vote_lists", "fits", "range_only"]

_AGENT = frozenset({"par", "by"})
_PREPS = frozenset("de du des d' of à au aux to for pour with avec in en dans by par sur on against contre "
                   "from vers envers towards toward among entre regarding concernant".split())
_COORD = frozenset(", et and ainsi que as well of de du des d' la le l' les the".split())
_CLAUSE_STOP = frozenset("; : qui which who that while tandis alors mais but whereas where où".split())
_AGENT_DEPS = frozenset({"nmod", "obl", "obl:mod", "obl:arg", "nmod:poss", "poss"})
def range_only(pred: Predicate) -> frozenset[EntityType] | None:
    """Object types a cue of ``pred`` may take in a sentence (narrower than the ontology's range)."""
    if pred == Predicate.MEETS:
        return frozenset({EntityType.PERSON})
    return actor_types() if pred in {Predicate.REQUESTS, Predicate.SANCTIONS} else None


@dataclass(frozen=True, slots=True)
class Arg:
    """An argument mention with how it was found and a certainty factor."""

    mention: Mention
    how: str
    certainty: float


def _mention_at(i: int, mentions: list[Mention]) -> Mention | None:
    for m in mentions:
        if m.start <= i < m.end:
            return m
    return None


# "Finland was admitted to NATO": still the member; "il a été reçu par son homologue": both meet
_PASSIVE_ACTOR = frozenset({Predicate.MEMBER_OF, Predicate.MEETS, Predicate.COOPERATES_WITH, Predicate.AGREES_WITH,
                            Predicate.VISITS})  # "il est arrivé": être is no passive here
_RELATIVE = frozenset("that which who qui que lequel laquelle lesquels lesquelles".split())
_CAUSAL = frozenset("over because amid pour".split())


def _thing_possessor(noun: Token, mentions: list[Mention]) -> bool:
    """A noun cue whose de/of complement names a thing or group that is no entity ("the threat
    of armed groups", "la menace de groupes jihadistes", "le soutien de la population")."""
    for child in noun.children:
        if not noun.i < child.i <= noun.i + 3:
            continue
        if child.dep_ == "prep" and child.lower_ == "of":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
        elif child.dep_ == "nmod" and any(c.dep_ == "case" and c.lower_ in {"de", "d'", "des", "du"}
                                          for c in child.children):
            obj = child
        else:
            continue
        if obj is None or obj.pos_ != "NOUN" or obj.ent_type_:
            continue
        if not ("Plur" in obj.morph.get("Number", []) or any(c.dep_ == "det" for c in obj.children)):
            continue  # "son soutien de principe": a qualifier, not an owner
        if not any(m.start <= t.i < m.end for t in obj.subtree for m in mentions):
            return True
    return False


def _causal(noun: Token) -> bool:
    """The noun (or the list it ends) is the object of a causal preposition ("over migrant flows
    and support for Russia's war")."""
    tok = noun
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if tok.dep_ == "pobj" and tok.head.lower_ in _CAUSAL:
        return True
    return any(c.dep_ == "case" and c.lower_ in _CAUSAL for c in tok.children)


def _agents(verb: Token, mentions: list[Mention], types: frozenset[EntityType]) -> list[Mention]:
    """Mentions in the by/par phrase of a passive verb."""
    for child in verb.children:
        by = child.dep_ == "agent" or any(c.lower_ in _AGENT and c.dep_ == "case" for c in child.children)
        if by:
            inside = child if child.dep_ != "agent" else next((c for c in child.children), child)
            found = _in_subtree(inside, mentions, types)
            if found:
                return found
    return []


def _in_subtree(tok: Token, mentions: list[Mention], types: frozenset[EntityType]) -> list[Mention]:
    idx = {t.i for t in tok.subtree}
    inside = _mention_at(tok.i, mentions)
    if inside is not None and inside.type in types and not inside.locative:
        found = [m for m in mentions if m.start == inside.start and m.end == inside.end and m.type in types]
    else:
        found = [m for m in mentions if m.start in idx and m.type in types and not m.locative][:1]
    joined = list(tok.conjuncts)
    for child in tok.children:  # "Le Pérou, le Chili et la Bolivie": a list parsed as an apposition
        if child.dep_ == "appos" and child.conjuncts and _mention_at(child.i, mentions) is not None:
            joined += [child, *child.conjuncts]
    for conj in joined:
        m = _mention_at(conj.i, mentions)
        if m is not None and m.type in types and m not in found:
            found.append(m)
    return found


_SELF_PRONOUNS = frozenset("it they il elle ils elles".split())


def _reported_self(sub: Token, verb: Token, mentions: list[Mention], types: frozenset[EntityType],
                   speech: frozenset[str]) -> Mention | None:
    """"Spain said it backed X", "l'Espagne a déclaré qu'elle soutenait X": a pronoun subject of a
    clause reported by a speech verb is the speaker itself (its own position, asserted)."""
    if sub.lower_ not in _SELF_PRONOUNS or verb.dep_ not in {"ccomp", "conj"} or verb.head is verb:
        return None
    gov = verb.head
    if gov.lemma_.lower() not in speech and gov.lower_ not in speech:
        return None
    for child in gov.children:
        if child.dep_ == "nsubj":
            found = [m for m in _in_subtree(child, mentions, types) if m.kind != "pronoun"]
            return found[0] if len(found) == 1 else None
    return None


def subjects(hit: CueHit, sent: Span, mentions: list[Mention], types: frozenset[EntityType],
             speech: frozenset[str] = frozenset()) -> list[Arg]:
    """The cue's actor: passive agent, possessor/"de" complement of a noun cue, syntactic
    subject up the verb chain (a pronoun reported by its own speaker: the speaker), else the
    nearest free actor before the cue."""
    for step in (_by_agent, _by_possessor):
        found = step(hit, sent, mentions, types)
        if found is not None:
            return found
    head = sent.doc[hit.head]
    if head.pos_ in {"NOUN", "PROPN"} and _causal(head):
        return []  # "sanctions on X over ... support for Y": the reason given, not the subject's act
    found = _by_subject(hit, sent, mentions, types, speech)
    return found if found is not None else _nearest_left(hit, sent, mentions, types)


def _by_agent(hit: CueHit, sent: Span, mentions: list[Mention], types: frozenset[EntityType]) -> list[Arg] | None:
    """The by/par phrase right after the cue; ``[]`` when it names a thing, not an actor."""
    doc = sent.doc
    for j in range(hit.head, min(sent.end, hit.end + 2)):
        if doc[j].lower_ in _AGENT:
            m = _mention_at(j + 1, mentions) or _mention_at(j + 2, mentions)
            if m is not None and m.type in types and not m.locative:
                found = [m] + [c for c in _conjoined(m, sent, mentions) if c.type in types and not c.locative]
                return [Arg(x, "agent", 1.0) for x in found]
            phrase = doc[j].head if doc[j].dep_ == "case" else doc[j]
            if j == hit.end and doc[hit.head].dep_ in {"acl", "amod"} and phrase.pos_ == "NOUN" \
                    and not _in_subtree(phrase, mentions, types):
                return []  # "exigée par le nouveau règlement": done by a thing, not by an actor
    return None


def _by_possessor(hit: CueHit, sent: Span, mentions: list[Mention],
                  types: frozenset[EntityType]) -> list[Arg] | None:
    """The possessor of a noun cue ("le soutien *de la France*"); in a phrase only when the noun
    opens it ("rupture des relations"): in "a expulsé l'ambassadeur *de France*" it is the target."""
    head = sent.doc[hit.head]
    if head.pos_ == "NOUN" and hit.cue.kind == "noun" and _thing_possessor(head, mentions):
        return []  # "la menace de groupes jihadistes": the possessor is the actor, and it is none
    if head.pos_ in {"NOUN", "PROPN"} and (hit.cue.kind != "phrase" or hit.head == hit.start):
        for child in head.children:
            if child.dep_ in {"poss", "nmod:poss"} or (child.i > head.i and child.i <= hit.end + 2
                                                        and any(c.lower_ in {"de", "du", "d'", "of"} for c in child.children)):
                m = _mention_at(child.i, mentions)
                if m is not None and m.type in types:
                    return [Arg(m, "possessor", 0.95)]
    return None


def _by_subject(hit: CueHit, sent: Span, mentions: list[Mention], types: frozenset[EntityType],
                speech: frozenset[str]) -> list[Arg] | None:
    """The syntactic subject up the verb chain (six heads at most)."""
    head = sent.doc[hit.head]
    tok: Token = head
    for _ in range(6):
        subs = [c for c in tok.children if c.dep_ in {"nsubj", "nsubj:pass", "nsubjpass"}
                and not c.is_ancestor(head) and c.i != head.i]
        if subs:
            return _from_subjects(hit, tok, head, subs, mentions, types, speech)
        if tok.head is tok:
            break
        tok = tok.head
    return None


def _from_subjects(hit: CueHit, tok: Token, head: Token, subs: list[Token], mentions: list[Mention],
                   types: frozenset[EntityType], speech: frozenset[str]) -> list[Arg] | None:
    if subs[0].lower_ in _RELATIVE and tok.dep_ in {"relcl", "acl:relcl"}:
        m = _mention_at(tok.head.i, mentions)  # "Belarus, which allowed ...": the antecedent
        return [Arg(m, "nsubj", 0.95)] if m is not None and m.type in types else []
    if subs[0].dep_ != "nsubj" and tok.i == head.i and hit.predicate not in _PASSIVE_ACTOR \
            and any(c.dep_ in {"aux:pass", "auxpass"} for c in tok.children):
        # "X est accusé par Y", "X was sanctioned by Y": the passive subject undergoes it
        return [Arg(m, "agent", 1.0) for m in _agents(tok, mentions, types)]
    speaker = _reported_self(subs[0], tok, mentions, types, speech)
    if speaker is not None:
        return [Arg(speaker, "reported-self", 0.95)]
    found = _in_subtree(subs[0], mentions, types)
    for extra in subs[1:]:  # "Le Venezuela, le Nicaragua et la Russie ont voté": a list parsed
        if extra.i < tok.i:  # as several subjects of the verb
            found += [m for m in _in_subtree(extra, mentions, types) if m not in found]
    return [Arg(m, "nsubj", 1.0) for m in found] if found else None


def _nearest_left(hit: CueHit, sent: Span, mentions: list[Mention], types: frozenset[EntityType]) -> list[Arg]:
    doc = sent.doc
    before = [m for m in mentions if m.end <= hit.start and m.type in types and not m.locative
              and not (m.start > sent.start and doc[m.start - 1].lower_ in _PREPS)]
    if before:
        last = before[-1]
        return [Arg(m, "nearest-left", 0.7) for m in before if (m.start, m.end) == (last.start, last.end)]
    return []


def _clause_end(hit: CueHit, sent: Span, through_xcomp: bool = False) -> int:
    doc = sent.doc
    i = hit.end
    while i < min(sent.end, hit.end + 22):
        tok = doc[i]
        if tok.lower_ in _CLAUSE_STOP or tok.text in {"(", "\u2014", "\u2013"}:
            break
        if through_xcomp and tok.pos_ == "VERB" and tok.dep_ in {"xcomp", "advcl"} and tok.head.i in range(hit.start, hit.end):
            i += 1
            continue
        if tok.pos_ == "VERB" and tok.dep_ not in {"amod"} and i > hit.end and not (
                "Part" in tok.morph.get("VerbForm", []) and tok.dep_ == "acl" and tok.head.i < hit.end):
            break
        i += 1
    return i


def objects(hit: CueHit, sent: Span, mentions: list[Mention], pred: Predicate, subject_keys: set[str],
            allow_locative: bool) -> list[Arg]:
    """First range-compatible mention after the cue in its clause, with coordinated ones."""
    end = _clause_end(hit, sent, pred == Predicate.THREATENS)
    doc = sent.doc
    types = range_only(pred)
    inner = {m.start for m in mentions if hit.start < m.start and m.end <= hit.end and m.kind == "demonym"}
    starts = {m.start: m for m in mentions}
    cands = [m for m in mentions if (hit.end <= m.start < end or m.start in inner) and m.key() not in subject_keys
             and (allow_locative or not m.locative)
             and (types is None or m.type in types)
             and not _modifier_of_document(m, starts)
             and not (pred == Predicate.REQUESTS and _released(m, doc, sent))
             and (allow_locative or not _place_of_noun(hit, m, doc))]
    out: list[Arg] = []
    for m in sorted(cands, key=lambda m: m.start):
        if not out:
            out.append(Arg(m, "object", 1.0 if m.start - hit.end <= 6 else 0.85))
            last = m.end
            continue
        if m.kind == "group" and out[0].mention.kind == "group" and m.start == out[0].mention.start:
            out.append(Arg(m, "object-group", out[0].certainty))
            continue
        gap = doc[last:m.start]
        words = {t.lower_ for t in gap}
        coord = words & {"et", "and", "ainsi", "or", "ou"} or "well" in words or (
            "," in words and doc[m.start].dep_ in {"conj", "appos"})
        if (all(t.lower_ in _COORD for t in gap) and coord or m in _conjoined(out[0].mention, sent, mentions)) \
                and m.type == out[0].mention.type:
            out.append(Arg(m, "object-conj", 0.9))
            last = m.end
        else:
            break
    return out


_IN = frozenset({"in", "en", "dans", "inside"})


def _place_of_noun(hit: CueHit, m: Mention, doc: Doc) -> bool:
    """"a dénoncé une tentative d'intervention en Haïti", "called for more patrols in Libya": the
    country is where a noun between the cue and it happens, not the target."""
    return m.start > hit.end and doc[m.start - 1].lower_ in _IN and any(
        doc[i].pos_ == "NOUN" for i in range(hit.end, m.start - 1))


def passive_object(hit: CueHit, sent: Span, mentions: list[Mention]) -> list[Arg]:
    """The noun a participle cue modifies ("le plan proposé par X" -> the plan)."""
    head = sent.doc[hit.head]
    base = head.head if head.dep_ == "conj" else head  # "saluée par X et condamnée par Y"
    if base.dep_ in {"acl", "amod", "acl:relcl"}:
        m = _mention_at(base.head.i, mentions)
        return [Arg(m, "participle-head", 0.95)] if m is not None else []
    m = None
    for child in head.children:  # "the draft ... was vetoed by X": the passive subject
        if child.dep_ in {"nsubjpass", "nsubj:pass"}:
            inside = [x for x in mentions if child.left_edge.i <= x.start <= child.i]
            docs = [x for x in inside if x.type == EntityType.DOCUMENT]
            m = (docs or inside)[0] if docs or inside else None
    if m is None:
        m = next((x for x in mentions if hit.start - 3 <= x.end <= hit.start), None)
    return [Arg(m, "participle-head", 0.95)] if m is not None else []


_RELEASE = frozenset("release return freeing liberation libération retour extradition".split())


def _released(m: Mention, doc: object, sent: Span) -> bool:
    """"demanded the release of X": X is what is asked for, not who is asked."""
    return any(t.lower_ in _RELEASE for t in sent.doc[max(sent.start, m.start - 4):m.start])


def _modifier_of_document(m: Mention, starts: dict[int, Mention]) -> bool:
    """"the Assembly resolution": the organisation only names the document that follows."""
    nxt = starts.get(m.end)
    return m.type == EntityType.ORGANIZATION and nxt is not None and nxt.type == EntityType.DOCUMENT


def _conjoined(m: Mention, sent: Span, mentions: list[Mention]) -> list[Mention]:
    """Mentions whose head token is a dependency conjunct of ``m``'s tokens."""
    doc = sent.doc
    conj = {c.i for t in doc[m.start:m.end] for c in t.conjuncts}
    return [x for x in mentions if x is not m and any(x.start <= i < x.end for i in conj)]


def fits(subject: EntityType, pred: Predicate, obj: EntityType) -> bool:
    """Whether the ontology accepts the triple's types."""
    return check_relation(subject, pred, obj) is None


_VOTE = {
    "en": re.compile(r"\b(in favou?r|against)\s*\(([^)]*)\)", re.IGNORECASE),
    "fr": re.compile(r"\b(pour|contre)\s*\(([^)]*)\)", re.IGNORECASE),
}


def vote_lists(sent: Span, lang: str) -> list[tuple[Predicate, int, int]]:
    """``(SUPPORTS|OPPOSES, start_char, end_char)`` of each parenthesised voter list
    ("3 in favour (Algeria, China) to 1 against (United States)"), offsets within the sentence."""
    rx = _VOTE.get(lang)
    out: list[tuple[Predicate, int, int]] = []
    if rx is None:
        return out
    for m in rx.finditer(sent_text(sent)):
        side = m.group(1).lower()
        pred = Predicate.OPPOSES if side in {"against", "contre"} else Predicate.SUPPORTS
        out.append((pred, m.start(2), m.end(2)))
    return out
