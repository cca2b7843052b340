"""Lists and tables of actors: vote tables, member lists, signatories, sponsors.

News pages list states in runs: "In favour (24): Albania, Argentina, ...", numbered lines
("1. Argentina / 2. Armenia"), "the SCO member countries are Kazakhstan, China, ...", "Le CCG
regroupe l'Arabie saoudite, le Bahreïn, ...". A run is found on the article's text, across
sentence and line breaks: actor mentions separated only by commas, conjunctions, articles,
numbering, bullets and short parentheses. Every run is proposed against the documents and
organisations around it (in the words that introduce it, in its sentence, the article's last
document before it) for the predicates a list can carry; the words that introduce the run are
features, so the model learns what "regroupe", "In favour", "Ont voté contre", "comprises" or
"parmi lesquels" mean from annotated articles instead of from hand-written rules.
"""

from __future__ import annotations

import bisect

import re
from dataclasses import dataclass

from graphkg.model import EntityRef
from graphkg.vocab import EntityType, Predicate

from .context import Mention
from .features import bucket

__all__ = ["Spot", "SpotIndex", "Run", "find_runs", "list_targets", "header_words"]

# what may stand between two items of a list
_SEP = re.compile(r"^(?:\s|,|;|:|&|\.|\u2022|\u00b7|-|\u2013|\u2014|\d{1,3}\s*[.)]|\((?:[^()]{0,30})\)|"
                  r"\b(?:et|and|ou|or|la|le|les|l'|the|des|du|de|d'|as well as|ainsi que|plus)\b|')*$",
                  re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'\-]*", re.UNICODE)
_STOPWORDS = frozenset("""le la les l' un une des de du d' et ou à au aux en the a an of and or to in on for
by with its their his her ce cette ces son sa ses leur leurs qui que which who that is are was were été est
sont ont a have has had""".split())
_ACTOR = frozenset({EntityType.COUNTRY, EntityType.ORGANIZATION})


@dataclass(frozen=True, slots=True)
class Spot:
    """A mention placed in the article: character span, sentence, the sentence's evidence."""

    start: int
    end: int
    mention: Mention
    sentence: int
    evidence: tuple[str, int, int]

    @property
    def ref(self) -> EntityRef:
        return self.mention.ref


@dataclass(frozen=True, slots=True)
class Run:
    """Actor mentions forming a list, and the text that introduces it."""

    items: tuple[Spot, ...]
    header: str
    numbered: bool
    colon: bool


def find_runs(text: str, spots: list[Spot]) -> list[Run]:
    """Maximal runs of state/organisation mentions separated only by list punctuation.

    >>> from graphkg.model import EntityRef
    >>> from graphkg.vocab import EntityType
    >>> from graphkg.extract.context import Mention
    >>> t = "In favour (3): France, Spain and Italy. Against: Russia."
    >>> def at(w, i): return Spot(t.index(w), t.index(w) + len(w), Mention(i, i + 1, EntityRef(w, w, EntityType.COUNTRY), 1.0, "name"), 0, (t, 0, len(t)))
    >>> runs = find_runs(t, [at("France", 0), at("Spain", 1), at("Italy", 2), at("Russia", 3)])
    >>> [([s.ref.label for s in r.items], r.header) for r in runs]
    [(['France', 'Spain', 'Italy'], 'In favour (3):'), (['Russia'], 'Against:')]
    """
    actors = sorted((s for s in spots if s.mention.type in _ACTOR and not s.mention.locative), key=lambda s: s.start)
    runs: list[Run] = []
    i = 0
    while i < len(actors):
        j = i
        while j + 1 < len(actors) and _SEP.match(text[actors[j].end:actors[j + 1].start]) \
                and "\n\n" not in text[actors[j].end:actors[j + 1].start]:
            j += 1
        items = tuple(actors[i:j + 1])
        header = _header(text, items[0].start)
        colon = header.rstrip().endswith((":", "\u2014", "-", "("))
        if len(items) >= 2 or colon:
            numbered = bool(re.search(r"\d{1,3}\s*[.)]\s*$", text[max(0, items[0].start - 6):items[0].start]))
            runs.append(Run(items, header.strip(), numbered, colon))
        i = j + 1
    return runs


def _header(text: str, start: int) -> str:
    """The words before a list, back to the previous sentence end or blank line (80 chars at most)."""
    lo = max(0, start - 80)
    chunk = text[lo:start]
    para = chunk.rfind("\n\n")
    cut = max(para + 2 if para >= 0 else 0,
              max((m.end() for m in re.finditer(r"[.!?]\s+(?=[A-ZÀ-Ý])", chunk)), default=0))
    chunk = chunk[cut:]
    chunk = re.sub(r"\d{1,3}\s*[.)]\s*$", "", chunk.rstrip())  # "Voted in favour: 1." -> "Voted in favour:"
    return chunk


def header_words(header: str) -> list[str]:
    """Content words of a list's header, lower-cased (the model's view of what introduces it)."""
    words = [w.lower().strip("'") for w in _WORD.findall(header)]
    return [w for w in words if w and w not in _STOPWORDS][-6:]


class SpotIndex:
    """The mentions of an article by position, to look up those near a list without a walk over
    the whole article for every list (an article of many lists stays linear)."""

    def __init__(self, spots: list[Spot]) -> None:
        self.spots = sorted(spots, key=lambda s: s.start)  # stable: article order is kept
        self.starts = [s.start for s in self.spots]
        self.docs = [s for s in self.spots if s.mention.type == EntityType.DOCUMENT]
        self.doc_starts = [s.start for s in self.docs]

    def between(self, lo: int, hi: int) -> list[Spot]:
        """Spots starting in ``[lo, hi]``, in article order."""
        return self.spots[bisect.bisect_left(self.starts, lo):bisect.bisect_right(self.starts, hi)]

    def last_document_before(self, pos: int) -> Spot | None:
        """The last document mention that ends before ``pos``."""
        i = bisect.bisect_left(self.doc_starts, pos)
        found = [s for s in self.docs[:i] if s.end <= pos]  # usually the last one or two
        return found[-1] if found else None


EARLIER = 600  # characters before a list where a target may still be named


def list_targets(run: Run, spots: list[Spot] | SpotIndex) -> list[tuple[Spot, str]]:
    """Documents and organisations a run may relate to, with where each was found."""
    index = spots if isinstance(spots, SpotIndex) else SpotIndex(spots)
    first, last = run.items[0], run.items[-1]
    members = {id(s) for s in run.items}
    out: dict[str, tuple[Spot, str]] = {}
    lo = min(first.evidence[1], first.start - EARLIER - 1000)  # a mention is far shorter than 1000
    for s in index.between(lo, max(last.evidence[2], first.start)):
        if id(s) in members or s.mention.type not in {EntityType.ORGANIZATION, EntityType.DOCUMENT}:
            continue
        key = s.ref.id or s.ref.label
        if s.sentence in {first.sentence, last.sentence}:
            where = "before" if s.end <= first.start else "after"
            out.setdefault(key, (s, f"same-{where}"))
        elif s.end <= first.start and first.start - s.end < EARLIER:
            out.setdefault(key, (s, "earlier"))
    doc = index.last_document_before(first.start)
    if doc is not None:
        out[doc.ref.id or doc.ref.label] = (doc, "last-document")
    return list(out.values())


def run_features(run: Run, item: Spot, target: Spot, where: str) -> list[str]:
    """Features of one list proposal (item of the run, target)."""
    words = header_words(run.header)
    feats = [f"lw={w}" for w in words] + [f"lw2={a}_{b}" for a, b in zip(words, words[1:], strict=False)]
    feats += [f"tw={where}", f"tt={target.mention.type.value}", f"len={bucket(len(run.items))}",
              f"pos={'first' if item is run.items[0] else 'later'}"]
    if run.numbered:
        feats.append("numbered")
    if run.colon:
        feats.append("colon")
    if not words:
        feats.append("noheader")
    return feats


LIST_PREDICATES: dict[EntityType, tuple[Predicate, ...]] = {
    EntityType.ORGANIZATION: (Predicate.MEMBER_OF,),
    EntityType.DOCUMENT: (Predicate.SUPPORTS, Predicate.OPPOSES, Predicate.SIGNS, Predicate.PROPOSES),
}
