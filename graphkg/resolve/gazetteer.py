"""Gazetteer: surface names (FR/EN names, acronyms, demonyms, capitals, metonyms) → entities.

Data live in ``ontology/gazetteer/*.tsv`` (see its README for sources and licences). Matching
rules, in one place:

* :func:`normalise` casefolds, strips accents, straightens quotes, drops dots inside
  acronyms (``U.S.`` = ``US``), treats hyphens and apostrophes as spaces and drops leading
  articles (``the``, ``le``, ``la``, ``les``, ``l'``, ``du``, ``de la``, ``des``, ``au``...).
* Short forms are case-sensitive: acronyms of up to 5 letters and all-caps forms of up to 5
  letters (``UN`` matches, ``un`` does not; ``RDC``, ``EAU``, ``Quad``). Longer acronyms match
  in any case, because the French press writes ``Unesco``, ``Cedeao``.
* In running text (:meth:`Gazetteer.find_all`) a form listed with an initial capital must
  start with a capital (``Chad`` but not ``chad``, ``Turkey`` not ``turkey``, ``Malé`` not
  ``mâle``); French demonym adjectives are listed in lower case and match in any case.
* ``ambiguous.tsv`` blocks forms (``CAN``), keeps some out of running text (``the Union``),
  flags risky ones (``Washington``, ``Victoria``, ``Jordan``: ``GazEntry.risky``) and lists
  stop names that swallow the name they contain (``New Mexico``, ``National Security Council``).
* A form naming several entities with the same best kind (``congolais``, ``Dominican``,
  ``sahraoui``) is ambiguous: :meth:`demonym` returns ``None`` and :meth:`find_all` skips it
  unless ``ambiguous=True``.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from graphkg.resolve.data import Draft, Policy, read_all
from graphkg.errors import LoaderError, ResolutionError
from graphkg.model import Entity
from graphkg.vocab import EntityType, data_path

__all__ = ["GazEntry", "Gazetteer", "default_gazetteer", "normalise", "KINDS"]

#: Entry kinds, best first; capitals and metonyms share a rank.
KINDS = ("name", "official", "acronym", "alias", "capital", "metonym", "demonym")
_RANK = {"name": 0, "official": 1, "acronym": 2, "alias": 3, "capital": 4, "metonym": 4, "demonym": 5}
_ALIAS_KINDS = frozenset({"name", "official", "acronym", "alias", "demonym"})
_ARTICLES = frozenset({"the", "le", "la", "les", "l", "du", "de", "des", "d", "au", "aux"})
# acronym with dots (U.S., U.S.A., U.S) | word, with a trailing + (OPEC+, BRICS+)
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|(?:[^\W\d_]\.)+[^\W\d_](?![^\W_])|[^\W_]+\+?")
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
# what may separate two tokens of one name: spaces, hyphens, apostrophes
_GAP = re.compile(r"[\s\-\u2010\u2011\u2013'\u2019\u02bc]*")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One surface form of one entity.

    ``kind`` is one of :data:`KINDS`; ``lang`` is ``"en"``, ``"fr"`` or ``None``; ``risky``
    marks forms that need context (a capital that is also a common word, a first name...).
    """

    entity: Entity
    kind: str
    lang: str | None
    surface: str
    risky: bool = False


@dataclass(frozen=True, slots=True)
class _Rec:
    entry: GazEntry
    rank: int
    exact: str | None  # case-sensitive forms: the key with case kept
    cap: bool  # in running text the match must start with a capital
    findable: bool  # False: lookup only


def _exact_token(tok: str) -> str:
    if tok.isascii():
        return tok.replace(".", "")
    s = unicodedata.normalize("NFKD", tok.translate(_LIGATURES))
    return "".join(c for c in s if not unicodedata.combining(c)).replace(".", "")


def _keys(surface: str) -> tuple[str, str]:
    """(folded key, case-kept key) of a surface form, leading articles dropped."""
    toks = [_exact_token(t) for t in _TOKEN.findall(surface.replace("\u2019", "'"))]
    # "AU" (African Union) is not the article "au": all-caps tokens are kept
    while len(toks) > 1 and toks[0].casefold() in _ARTICLES and not (len(toks[0]) > 1 and toks[0].isupper()):
        toks.pop(0)
    exact = " ".join(toks)
    return exact.casefold(), exact


def normalise(surface: str) -> str:
    """The key :meth:`Gazetteer.lookup` matches on.

    >>> normalise("l\u2019ONU"), normalise("U.S."), normalise("Les États-Unis")
    ('onu', 'us', 'etats unis')
    >>> normalise("République de Côte d' Ivoire"), normalise("the  Kremlin"), normalise("de la Chine")
    ('republique de cote d ivoire', 'kremlin', 'chine')
    >>> normalise("OPEC+"), normalise("la")
    ('opec+', 'la')
    """
    return _keys(surface)[0]


def _case_sensitive(surface: str, kind: str) -> bool:
    letters = [c for c in surface if c.isalpha()]
    if not letters or len(letters) > 5:
        return False
    return kind == "acronym" or all(c.isupper() for c in letters)


class Gazetteer:
    """Indexes entities and their surface forms; see the module docstring for matching rules."""

    def __init__(self, drafts: Sequence[Draft], policies: Sequence[Policy] = ()) -> None:
        self._entities: dict[str, Entity] = {}
        self._parent: dict[str, str] = {}
        self._category: dict[str, str] = {}
        self._forms: dict[str, tuple[tuple[str, str, str | None], ...]] = {}
        self._codes: dict[str, str] = {}
        self._index: dict[str, list[_Rec]] = {}
        self._prefixes: set[str] = set()
        self._max_tokens = 1
        self._folds = _FoldCache()
        self._slug_ids: dict[str, str] = {}
        self._stops: set[str] = set()
        pol = {(normalise(p.surface), p.entity_id): p.policy for p in policies}
        for d in drafts:
            self._add(d, pol)
        for p in policies:
            if p.policy == "stop":  # a longer name that must swallow the shorter one it contains
                self._stops.add(normalise(p.surface))
                self._add_prefixes(normalise(p.surface))
        for recs in self._index.values():
            recs.sort(key=lambda r: r.rank)
        # what find_all consults: findable records only
        self._find_index = {k: [r for r in v if r.findable] for k, v in self._index.items()}

    @classmethod
    def load(cls, directory: Path) -> Gazetteer:
        """Build a gazetteer from the TSV files of ``directory`` (raises ``LoaderError``)."""
        drafts, policies = read_all(directory)
        return cls(drafts, policies)

    def _add(self, d: Draft, pol: dict[tuple[str, str], str]) -> None:
        aliases = dict.fromkeys(s for s, k, _ in d.surfaces if k in _ALIAS_KINDS and s != d.label)
        entity = Entity(id=d.id, label=d.label, type=d.type, aliases=tuple(aliases), qid=d.qid)
        if d.id in self._entities:
            raise LoaderError(d.key, f"entity id {d.id!r} is used twice; each QID must name one entity")
        self._entities[d.id] = entity
        kind, _, slug = d.key.partition(":")
        if kind in ("org", "territory"):  # the slug id works even when the entity has a QID
            self._slug_ids[f"{kind}/{slug}"] = d.id
        if d.parent_key:
            self._parent[d.id] = d.parent_key
        if d.category:
            self._category[d.id] = d.category
        for code in d.codes:
            self._codes[code.upper()] = d.id
        self._forms[d.id] = tuple(d.surfaces)
        done: set[tuple[str, str, bool]] = set()
        for surface, kind, lang in d.surfaces:
            folded, exact = _keys(surface)
            # "Kenyan" (capitalised, English) and "kényan" (French) fold alike; both are kept
            if not folded or (folded, kind, exact[:1].isupper()) in done:
                continue
            done.add((folded, kind, exact[:1].isupper()))
            policy = pol.get((folded, d.id)) or pol.get((folded, ""))
            if policy == "block":
                continue
            sensitive = _case_sensitive(exact, kind)
            rec = _Rec(GazEntry(entity, kind, lang, surface, risky=policy == "risky"), _RANK[kind],
                       exact if sensitive else None, not sensitive and exact[:1].isupper(),
                       policy != "lookup_only")
            self._index.setdefault(folded, []).append(rec)
            self._add_prefixes(folded)

    def _add_prefixes(self, key: str) -> None:
        toks = key.split(" ")
        self._max_tokens = max(self._max_tokens, len(toks))
        for n in range(1, len(toks) + 1):
            self._prefixes.add(" ".join(toks[:n]))

    # -- queries -----------------------------------------------------------------------------

    def lookup(self, surface: str) -> list[GazEntry]:
        """Entries whose form equals ``surface`` after normalisation: the best one per entity, best first.

        >>> [e.entity.label for e in default_gazetteer().lookup("l'ONU")]
        ['United Nations']
        >>> default_gazetteer().lookup("un")
        []
        """
        folded, exact = _keys(surface)
        best: dict[str, GazEntry] = {}
        for r in self._index.get(folded, ()):
            if r.exact is None or r.exact == exact:
                best.setdefault(r.entry.entity.id, r.entry)
        return list(best.values())

    def demonym(self, word: str) -> Entity | None:
        """The one entity ``word`` is a demonym of; ``None`` if unknown or shared (``congolais``)."""
        folded, exact = _keys(word)
        ids = {r.entry.entity.id: r.entry.entity for r in self._index.get(folded, ())
               if r.entry.kind == "demonym" and (r.exact is None or r.exact == exact)}
        return next(iter(ids.values())) if len(ids) == 1 else None

    def get(self, entity_id: str) -> Entity:
        """The entity with this id (``wd:Q1028``, ``org/brics``, ``territory/crimea``).

        A bare QID (``Q1028``) and the slug id of an entity that has a QID (``org/nato``,
        ``territory/gaza-strip``) are accepted too.

        Raises:
            ResolutionError: the id is not in the gazetteer.
        """
        if entity_id.startswith("Q") and entity_id[1:].isdigit():
            entity_id = "wd:" + entity_id
        entity_id = self._slug_ids.get(entity_id, entity_id)
        try:
            return self._entities[entity_id]
        except KeyError:
            raise ResolutionError(entity_id, "not in the gazetteer; ids look like 'wd:Q1028', "
                                             "'org/brics' or 'territory/gaza-strip'") from None

    def entities(self, type_: EntityType | None = None) -> Iterator[Entity]:
        """All entities, optionally only those of one type."""
        return (e for e in self._entities.values() if type_ is None or e.type is type_)

    def category(self, entity_id: str) -> str:
        """A territory's category in the files (``"continent"``, ``"region"``, ``"sea"`` ...);
        ``""`` for other entities and unknown ids."""
        return self._category.get(self._slug_ids.get(entity_id, entity_id), "")

    def parent(self, entity_id: str) -> Entity | None:
        """The parent organisation (``UNSC`` → ``UN``), or ``None``."""
        pid = self._parent.get(self.get(entity_id).id)
        return self._entities[pid] if pid else None

    def by_code(self, code: str) -> Entity | None:
        """The country with this ISO alpha-2 or alpha-3 code (``MA``, ``MAR``), or ``None``."""
        eid = self._codes.get(code.upper())
        return self._entities[eid] if eid else None

    def forms(self, entity_id: str, kind: str, lang: str | None = None) -> tuple[str, ...]:
        """Listed surface forms of one kind (``"demonym"``, ``"official"`` ...), in file order.

        ``lang=None`` keeps every language. The first form is the preferred one of the files.
        """
        return tuple(s for s, k, lg in self._forms.get(self.get(entity_id).id, ())
                     if k == kind and (lang is None or lg == lang))

    def capital_of(self, entity_id: str) -> tuple[str, ...]:
        """Capital names of a country (English then French forms); empty if none."""
        return self.forms(entity_id, "capital")

    @staticmethod
    def is_metonym(entry: GazEntry) -> bool:
        """True for forms that name a place standing for a state (capitals, seats of government)."""
        return entry.kind in ("capital", "metonym")

    def find_all(self, text: str, *, ambiguous: bool = False) -> list[tuple[int, int, GazEntry]]:
        """Longest non-overlapping gazetteer mentions in raw text, as ``(start, end, entry)``.

        Spans never include a leading article (``l'ONU`` → ``ONU``). An ambiguous mention
        (several entities with the same best kind) is skipped, or, with ``ambiguous=True``,
        reported once per entity with the same span.
        """
        # parts = [gap, token, gap, token, ..., gap]; offsets come from cumulative lengths
        parts = _TOKEN_SPLIT.split(text)
        toks, gaps = parts[1::2], parts[2:-1:2]  # gaps[k] separates toks[k] and toks[k + 1]
        ends = list(itertools.accumulate(map(len, parts)))
        if len(self._folds) > 500_000:
            self._folds.clear()
        folds = list(map(self._folds.__getitem__, toks))
        index, prefixes, stops, gap = self._find_index, self._prefixes, self._stops, _GAP.fullmatch
        out: list[tuple[int, int, GazEntry]] = []
        n, nxt = len(toks), 0
        for i in [k for k, f in enumerate(folds) if f in prefixes]:
            if i < nxt:
                continue
            best: tuple[int, list[GazEntry]] | None = None
            key, j = folds[i], i
            while True:
                recs = index.get(key)
                if recs:
                    found = self._accept(recs, toks, i, j)
                    if found:
                        best = (j, found)
                if key in stops:
                    best = (j, [])
                j += 1
                if j >= n or j - i >= self._max_tokens or not gap(gaps[j - 1]):
                    break
                key = key + " " + folds[j]
                if key not in prefixes:
                    break
            if best is not None:
                j, found = best
                if len(found) == 1 or ambiguous:
                    out.extend((ends[2 * i], ends[2 * j + 1], e) for e in found)
                nxt = j + 1
        return out

    @staticmethod
    def _accept(recs: list[_Rec], toks: list[str], i: int, j: int) -> list[GazEntry]:
        """Entries of the best rank that pass the case rules, one per entity."""
        if len(recs) == 1 and recs[0].exact is None:  # fast path: most keys
            r = recs[0]
            return [r.entry] if not r.cap or toks[i][:1].isupper() else []
        exact: str | None = None
        best: dict[str, GazEntry] = {}
        rank = -1
        for r in recs:
            if rank >= 0 and r.rank > rank:
                break
            if r.cap and not toks[i][:1].isupper():
                continue
            if r.exact is not None:
                if exact is None:
                    exact = " ".join(_exact_token(t) for t in toks[i:j + 1])
                if r.exact != exact:
                    continue
            rank = r.rank
            best.setdefault(r.entry.entity.id, r.entry)
        return list(best.values())


class _FoldCache(dict[str, str]):
    """token → folded key, computed on first use."""

    def __missing__(self, tok: str) -> str:
        folded = self[tok] = _exact_token(tok).casefold()
        return folded


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer shipped in ``ontology/gazetteer/``, loaded once per process."""
    return Gazetteer.load(data_path("gazetteer"))
