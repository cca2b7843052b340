"""Office holders: role titles next to names, counterparts, and role-only references.

"le ministre des Affaires étrangères du Pérou, Ana Torres", "U.S. Secretary of State
John Smith", "son homologue norvégien Lars Berg", "Ivan Petrov, Bulgaria's foreign
minister" attach a role and a country (or organisation) to a person; "the Secretary" or
"le vice-Premier ministre péruvien" without a name refer back to the person holding that role.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphkg.model import EntityRef
from graphkg.vocab import EntityType

from .context import ArticleContext, Mention, PersonInfo
from .lexicon import Lexicon
from .mentions import KIND_CONF
from .tokens import sentence_memo, view

if TYPE_CHECKING:
    from spacy.tokens import Span

__all__ = ["RoleSpan", "find_roles", "attach_roles", "role_mentions"]

_GLUE = frozenset(", et and le la l' les the de du des d' of son sa ses his her its their 's".split())
_FORMER = frozenset("former ancien ancienne ex- ex outgoing late feu".split())
_AFFIL = frozenset({EntityType.COUNTRY, EntityType.ORGANIZATION})
_INSTITUTION = frozenset("ministry ministère ministere government gouvernement presidency présidence".split())
_POSSESSIVE = frozenset("son sa ses leur leurs its his her their".split())


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """A role title over tokens ``[start, end)``; ``role`` is the canonical English title."""

    start: int
    end: int
    role: str


@functools.cache
def _first_index(lang: str) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """Role titles of ``lang`` indexed by their first word."""
    from .lexicon import by_first_word, lexicon

    return by_first_word(lexicon(lang).roles, lambda e: e[0])


def _match_role(sent: Span, i: int, words: tuple[str, ...], skip: frozenset[int]) -> int | None:
    """End of ``words`` matched from token ``i``; one nationality adjective may sit inside the
    title ("le ministre *israélien* des Affaires étrangères", "la porte-parole *chinoise*")."""
    low = view(sent.doc).lower
    j, skipped = i, False
    for k, w in enumerate(words):
        if j < sent.end and k > 0 and not skipped and j in skip and low[j] != w:
            j += 1
            skipped = True
        if j >= sent.end or low[j] != w:
            return None
        j += 1
    return j


def find_roles(sent: Span, lex: Lexicon, skip: frozenset[int] = frozenset()) -> list[RoleSpan]:
    """Longest role-title matches in ``sent`` (case-insensitive token sequences); tokens in
    ``skip`` (nationality adjectives) may interrupt a title once. Cached per sentence: the
    result depends on the parse only."""
    return list(sentence_memo(sent, ("roles", lex.lang, skip), lambda: _roles_of(sent, lex, skip)))


def _roles_of(sent: Span, lex: Lexicon, skip: frozenset[int]) -> tuple[RoleSpan, ...]:
    out: list[RoleSpan] = []
    i = sent.start
    low = view(sent.doc).lower
    index = _first_index(lex.lang)
    while i < sent.end:
        hit = None
        best = 0
        for words, role in index.get(low[i], ()):
            end = _match_role(sent, i, words, skip)
            if end is not None and end - i > best:
                hit, best = RoleSpan(i, end, role), end - i
        if hit:
            out.append(hit)
            i = hit.end
        else:
            i += 1
    return tuple(out)


def _zone(sent: Span, start: int, step: int, roles: list[RoleSpan], mentions: list[Mention]) -> list[int]:
    """Token indices of the role zone next to a name, scanning left (step -1) or right (+1)."""
    in_role = {i for r in roles for i in range(r.start, r.end)}
    in_affil = {i for m in mentions if m.type in _AFFIL for i in range(m.start, m.end)}
    doc = sent.doc
    zone: list[int] = []
    i = start
    while sent.start <= i < sent.end and len(zone) < 16:
        tok = doc[i]
        if i in in_role or i in in_affil or tok.lower_ in _GLUE:
            zone.append(i)
            i += step
            continue
        break
    while zone and doc[zone[-1]].lower_ in _GLUE:
        zone.pop()
    return zone


def attach_roles(sent: Span, roles: list[RoleSpan], persons: list[Mention], mentions: list[Mention],
                 ctx: ArticleContext, lex: Lexicon) -> set[int]:
    """Record role and affiliation of persons named next to a role title.

    Returns the token indices used as role modifiers (not to be read as arguments).
    """
    used: set[int] = set()
    stated: list[tuple[Mention, bool]] = []
    for p in sorted(persons, key=lambda m: m.start):
        zone = _zone(sent, p.start - 1, -1, roles, mentions)
        if not any(r.start in zone for r in roles):
            zone = _appos_zone(sent, p, roles)
        if not any(r.start in zone for r in roles):
            right = _zone(sent, p.end, +1, roles, mentions)
            if sent.doc[p.end].lower_ == "," if p.end < sent.end else False:
                zone = right
            else:
                zone = []
        zroles = [r for r in roles if r.start in zone]
        if not zroles or any(sent.doc[i].lower_ in _FORMER for i in range(min(zone) - 1, max(zone) + 1)):
            continue
        used.update(zone)
        for r in zroles:
            used.update(range(r.start, r.end))
        in_title = {i for r in zroles for i in range(r.start, r.end)}
        affil = sorted((m for m in mentions if m.type in _AFFIL and m.start in zone and not m.locative
                        and not (m.start in in_title and m.end - 1 in in_title and m.kind != "demonym")),
                       key=lambda m: min(abs(m.start - p.start), abs(m.end - p.end)))
        ref = affil[0].ref if affil else None
        if ref is None and all(r.role != "=counterpart" for r in zroles) and any(
                sent.doc[i].lower_ in _POSSESSIVE | _INSTITUTION
                for i in range(max(sent.start, min(zone) - 2), min(sent.end, max(zone) + 3))):
            # "son porte-parole, X", "its spokesman X", "Ministry spokeswoman X", "le porte-parole du
            # ministère, X": the office of the last state or body named
            last = ctx.last_state_subject or ctx.latest(_AFFIL)
            ref = last.ref if last is not None else None
        _record(p, zroles, ref, persons, ctx, sent)
        stated.append((p, any(r.role == "=counterpart" for r in zroles)))
    _infer_counterpart_states(stated, ctx)
    return used


def _infer_counterpart_states(stated: list[tuple[Mention, bool]], ctx: ArticleContext) -> None:
    """"Foreign Minister X met his Ukrainian counterpart Y": X serves another state than Y. When
    X's title names no state, X's is the one state that was an actor (a clause subject) of the
    previous sentence, other than Y's; with none or several candidates X keeps no state."""
    others = {(info.country.id or info.country.label) for p, counterpart in stated if counterpart
              for info in [ctx.persons[p.ref.label]] if info.country is not None}
    if not others:
        return
    for p, counterpart in stated:
        info = ctx.persons[p.ref.label]
        if counterpart or info.country is not None or not info.roles:
            continue
        cands = list({(r.id or r.label): r for r in ctx.previous_actors() if (r.id or r.label) not in others}.values())
        if len(cands) == 1:
            info.country = cands[0]
            info.inferred = True


def _appos_zone(sent: Span, p: Mention, roles: list[RoleSpan]) -> list[int]:
    """"le haut représentant de l'Union pour les affaires étrangères, X": the name is an apposition
    of a title noun whose complements separate them; the zone is that noun phrase."""
    tok = sent.doc[p.start]
    if tok.dep_ != "appos" or tok.head.i >= p.start:
        return []
    head = tok.head
    if not any(r.start <= head.i < r.end for r in roles):
        return []
    return [t.i for t in head.subtree if t.i < p.start and not t.is_punct]


def _record(p: Mention, zroles: list[RoleSpan], affil: EntityRef | None, persons: list[Mention],
            ctx: ArticleContext, sent: Span) -> None:
    info = ctx.person(p.ref.label)
    titles = [r.role[1:] for r in zroles if r.role.startswith("=")]
    real = [r.role for r in sorted(zroles, key=lambda r: r.start) if not r.role.startswith("=")]
    if "counterpart" in titles and not real:
        other = _nearest_role_holder(p, persons, ctx)
        if other is not None:
            real = other.roles[-1:]
    for r in zroles:
        info.titles.add(sent.doc[r.start:r.end].text.lower())
    if real and not info.roles:
        info.roles = real
    if affil is not None and info.country is None:
        info.country = affil
    if info.evidence is None and info.roles:
        info.evidence = (sent.start_char, sent.end_char)


def _nearest_role_holder(p: Mention, persons: list[Mention], ctx: ArticleContext) -> PersonInfo | None:
    before = [q for q in persons if q.end <= p.start and ctx.persons.get(q.ref.label) is not None]
    for q in reversed(before):
        info = ctx.persons[q.ref.label]
        if info.roles:
            return info
    # the other office holder was named earlier in the article ("Il a été reçu par son homologue")
    others = [info for label, info in ctx.persons.items() if label != p.ref.label and info.roles]
    return others[-1] if others else None


def role_mentions(sent: Span, roles: list[RoleSpan], used: set[int], mentions: list[Mention],
                  ctx: ArticleContext) -> tuple[list[Mention], set[int]]:
    """Role titles without a name that point to exactly one known office holder."""
    out: list[Mention] = []
    consumed: set[int] = set()
    for r in roles:
        if r.start in used:
            continue
        zone = _zone(sent, r.end, +1, roles, mentions) + _zone(sent, r.start - 1, -1, roles, mentions)
        affil = [m for m in mentions if m.type in _AFFIL and m.start in zone]
        title = sent.doc[r.start:r.end].text.lower()
        role = r.role[1:] if r.role.startswith("=") else r.role
        hits = [info for info in ctx.persons.values()
                if (role in info.roles or title in info.titles or any(role.lower() in x.lower() for x in info.roles))
                and (not affil or info.country is not None and info.country.label == affil[0].ref.label
                     or info.country is None and affil[0].type == EntityType.COUNTRY)]
        # an office of an organisation ("the president of the European Council") is only a holder
        # the article tied to that organisation; a state's ("le président français") may be anyone
        # holding the title whose state the article did not say
        if len(hits) == 1:
            # the title names a known office holder: its state is only a modifier of the title.
            # Otherwise ("expelled the French ambassador") the state stays an argument.
            consumed.update(i for i in zone if any(m.start <= i < m.end for m in affil))
            info = hits[0]
            ref = EntityRef(sent.doc[r.start:r.end].text, info.label, EntityType.PERSON, None, "role")
            end = max([r.end] + [m.end for m in affil if m.start >= r.end])
            out.append(Mention(r.start, end, ref, KIND_CONF["role"], "role"))
    return out, consumed
