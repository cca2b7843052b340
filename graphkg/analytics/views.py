"""Alliance analytics: a signed actor graph, blocs, centrality and stance over time.

Everything here is a pure function: relations in, a networkx graph out; graph in, results
keyed by node out. No store, no printing (``graphkg analyze`` does the I/O).

The actor graph is undirected and signed. Each relation between two actors votes with the
polarity of its predicate (ontology: cooperative +1, conflictual -1, neutral excluded); an edge's
``weight`` is the sum of votes over *independent* articles: one article gives at most one vote per
pair (the sign of its relations' sum), and articles repeating the same evidence sentence (wire
copies) count once.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, replace

import networkx as nx

from graphkg.errors import QueryError, ResolutionError, suggest
from graphkg.model import Entity, Relation, normalise_text
from graphkg.vocab import EntityType, Polarity, Predicate, actor_types, predicate_info

__all__ = [
    "Vote",
    "Centrality",
    "StancePoint",
    "polarity_sign",
    "check_date",
    "relation_date",
    "representation",
    "roll_up_persons",
    "filter_relations",
    "focus_relations",
    "actor_graph",
    "signed_blocs",
    "signed_modularity",
    "centrality",
    "stance",
    "resolve_actor",
]

_SIGN = {Polarity.COOPERATIVE: 1, Polarity.CONFLICTUAL: -1, Polarity.NEUTRAL: 0}
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True, slots=True)
class Vote:
    """One relation's contribution to a pair of actors (kept on actor-graph edges)."""

    source: str
    target: str
    predicate: Predicate
    sign: int
    date: str | None
    article_id: str
    evidence: str
    title: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class Centrality:
    """Centrality of one actor in the signed graph."""

    degree: int
    strength: float
    positive: float
    negative: float
    betweenness: float


@dataclass(frozen=True, slots=True)
class StancePoint:
    """The relations between two actors in one period, with the period and running scores."""

    period: str
    votes: tuple[Vote, ...]
    score: int
    running: int


def polarity_sign(p: Predicate) -> int:
    """+1, -1 or 0 from the ontology's polarity of ``p``.

    >>> polarity_sign(Predicate.SANCTIONS), polarity_sign(Predicate.REPRESENTS)
    (-1, 0)
    """
    return _SIGN[predicate_info(p).polarity]


def relation_date(r: Relation) -> str | None:
    """ISO date (possibly partial, ``2024`` or ``2024-05``) of the event, else the article's date."""
    if r.date and _ISO.match(r.date):
        return r.date
    pub = r.provenance.published
    return pub.isoformat() if pub else None


def representation(relations: Iterable[Relation]) -> dict[str, Entity]:
    """Map each person id to the country or organisation they REPRESENT most often.

    Ties go to countries before organisations, then to the smaller id, so the choice is stable.
    """
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    targets: dict[str, Entity] = {}
    for r in relations:
        if r.predicate is Predicate.REPRESENTS and r.subject.type is EntityType.PERSON:
            counts[r.subject.id][r.object.id] += 1
            targets[r.object.id] = r.object
    out = {}
    for person, c in counts.items():
        best = min(c, key=lambda i: (-c[i], targets[i].type is not EntityType.COUNTRY, i))
        out[person] = targets[best]
    return out


def roll_up_persons(relations: Iterable[Relation]) -> list[Relation]:
    """Attribute person-level relations to the state or organisation the person represents.

    REPRESENTS relations are consumed; persons with no known affiliation stay as they are;
    relations that become self-loops (a minister meeting their own government) are dropped.
    """
    rels = list(relations)
    rep = representation(rels)
    out = []
    for r in rels:
        if r.predicate is Predicate.REPRESENTS and r.subject.id in rep:
            continue
        s, o = rep.get(r.subject.id, r.subject), rep.get(r.object.id, r.object)
        if s.id == o.id:
            continue
        out.append(r if (s, o) == (r.subject, r.object) else replace(r, subject=s, object=o, key=""))
    return out


def check_date(value: str) -> str:
    """Validate an ISO date bound: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, naming a real
    month and day (``2024-13`` and ``2024-02-30`` are not dates).

    >>> check_date(" 2024-02 ")
    '2024-02'

    Raises:
        QueryError: any other form.
    """
    import datetime

    v = value.strip()
    try:
        if not _ISO.match(v):
            raise ValueError(v)
        year, month, day = (v.split("-") + ["01", "01"])[:3]
        datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise QueryError(value, f"invalid date {value!r}; expected YYYY, YYYY-MM or YYYY-MM-DD, "
                                "e.g. 2024-06") from None
    return v


def _day_bounds(since: str | None, until: str | None) -> tuple[str, str]:
    lo = check_date(since) + "-01-01"[len(since.strip()) - 4:] if since else "0000-01-01"
    hi = check_date(until) + "-12-31"[len(until.strip()) - 4:] if until else "9999-12-31"
    return lo, hi


def filter_relations(relations: Iterable[Relation], *, predicates: Iterable[Predicate] = (),
                     since: str | None = None, until: str | None = None,
                     min_confidence: float = 0.0) -> list[Relation]:
    """Relations with one of ``predicates`` (all when empty), dated within [since, until].

    Dates compare on their ISO prefix, so ``since="2024"`` keeps everything from 2024-01-01 and a
    relation dated only ``2024`` is kept by ``until="2024-03"``. Undated relations are dropped
    when a bound is given.

    >>> _day_bounds("2024", "2024-02")
    ('2024-01-01', '2024-02-31')
    """
    keep = frozenset(predicates)
    lo, hi = _day_bounds(since, until)
    out = []
    for r in relations:
        if (keep and r.predicate not in keep) or r.provenance.confidence < min_confidence:
            continue
        if since or until:
            d = relation_date(r)
            if d is None or not (d + "-12-31"[len(d) - 4:] >= lo and d <= hi):
                continue
        out.append(r)
    return out


def focus_relations(relations: Iterable[Relation], entity_id: str, depth: int = 1) -> list[Relation]:
    """Relations within ``depth`` hops of ``entity_id`` (both ends within reach), ignoring direction."""
    rels = list(relations)
    adj: dict[str, set[str]] = defaultdict(set)
    for r in rels:
        adj[r.subject.id].add(r.object.id)
        adj[r.object.id].add(r.subject.id)
    reach, frontier = {entity_id}, {entity_id}
    for _ in range(max(depth, 0)):
        frontier = {n for f in frontier for n in adj[f]} - reach
        reach |= frontier
    return [r for r in rels if r.subject.id in reach and r.object.id in reach]


def actor_graph(relations: Iterable[Relation], *, roll_up: bool = False) -> nx.Graph[Hashable]:
    """The signed, weighted, undirected graph between actors (countries, organisations, persons).

    Every actor at either end of a relation is a node (attribute ``entity``), linked or not;
    edge attributes ``weight`` (signed sum over independent articles),
    ``positive``/``negative`` (independent articles each way), ``articles`` and ``votes``
    (every relation as a :class:`Vote`). Neutral predicates and non-actor ends are left out.
    """
    rels = roll_up_persons(relations) if roll_up else list(relations)
    g: nx.Graph[Hashable] = nx.Graph()
    votes: dict[tuple[str, str], list[Vote]] = defaultdict(list)
    for r in rels:
        for e in (r.subject, r.object):
            if e.type in actor_types():
                g.add_node(e.id, entity=e)
        sign = polarity_sign(r.predicate)
        if not sign or r.subject.type not in actor_types() or r.object.type not in actor_types():
            continue
        if r.subject.id == r.object.id:
            continue
        pv = r.provenance
        pair = (min(r.subject.id, r.object.id), max(r.subject.id, r.object.id))
        votes[pair].append(Vote(r.subject.id, r.object.id, r.predicate, sign, relation_date(r),
                                pv.article_id, pv.evidence, pv.title, pv.url))
    for (a, b), vs in votes.items():
        per_article = _independent_votes(vs)
        g.add_edge(a, b, weight=sum(per_article.values()),
                   positive=sum(1 for v in per_article.values() if v > 0),
                   negative=sum(1 for v in per_article.values() if v < 0),
                   articles=len(per_article), votes=tuple(sorted(vs, key=_vote_order)))
    return g


def _vote_order(v: Vote) -> tuple[str, str, str]:
    return (v.date or "9999", v.article_id, v.predicate.value)


def _independent_votes(votes: Iterable[Vote]) -> dict[str, int]:
    """One vote per article (sign of its sum); articles sharing an evidence sentence merge."""
    by_article: dict[str, int] = defaultdict(int)
    alias: dict[str, str] = {}
    for v in sorted(votes, key=_vote_order):
        sentence = normalise_text(v.evidence).lower()
        key = alias.setdefault(sentence, v.article_id) if sentence else v.article_id
        by_article[key] += v.sign
    return {a: (s > 0) - (s < 0) for a, s in by_article.items()}


def signed_modularity(G: nx.Graph[Hashable], partition: Mapping[Hashable, int], weight: str = "weight") -> float:
    """Signed modularity (Gómez, Jensen & Arenas 2009) of ``partition`` in ``G``.

    Q = (w+ Q+ - w- Q-) / (w+ + w-), Q± the usual modularity of the positive/negative parts.
    """
    parts: dict[int, nx.Graph[Hashable]] = {s: nx.Graph() for s in (1, -1)}
    for s, h in parts.items():
        h.add_nodes_from(G)
        h.add_weighted_edges_from((a, b, abs(d.get(weight, 0))) for a, b, d in G.edges(data=True)
                                  if d.get(weight, 0) * s > 0)
    communities = _members(partition)
    total, q = 0.0, 0.0
    for s, h in parts.items():
        w = h.size(weight="weight")
        if w:
            q += s * w * nx.community.modularity(h, communities, weight="weight")
            total += w
    return q / total if total else 0.0


def _members(partition: Mapping[Hashable, int]) -> list[set[Hashable]]:
    groups: dict[int, set[Hashable]] = defaultdict(set)
    for node, c in partition.items():
        groups[c].add(node)
    return list(groups.values())


def signed_blocs(G: nx.Graph[Hashable], *, seed: int = 0, resolution: float = 1.0, weight: str = "weight",
                 max_rounds: int = 20, method: str = "louvain") -> dict[Hashable, int]:
    """Alliance blocs: Louvain on the positive part, then signed-modularity local moves.

    ``method="label-propagation"`` replaces Louvain by (seeded) asynchronous label propagation,
    much faster on graphs of thousands of actors, before the same local moves.

    The second step moves each actor (in a fixed order) to the bloc that most increases signed
    modularity, a new bloc of its own included, so actors in conflict with their bloc leave it.
    Blocs are numbered 0.. by decreasing size, then by smallest node id; isolated actors get
    their own bloc.

    Returns:
        bloc number per node.
    """
    pos: nx.Graph[Hashable] = nx.Graph()
    pos.add_nodes_from(G)
    pos.add_weighted_edges_from((a, b, d[weight]) for a, b, d in G.edges(data=True) if d.get(weight, 0) > 0)
    if method == "louvain":
        start = nx.community.louvain_communities(pos, weight="weight", resolution=resolution, seed=seed)
    elif method == "label-propagation":
        start = list(nx.community.asyn_lpa_communities(pos, weight="weight", seed=seed))
    else:
        raise QueryError(method, f"unknown bloc method {method!r}; "
                                 f"{suggest(method, ['label-propagation', 'louvain'])}")
    bloc = {n: i for i, c in enumerate(start) for n in c}
    bloc = _local_moves(G, bloc, weight, resolution, max_rounds)
    order = sorted(_members(bloc), key=lambda c: (-len(c), min(map(str, c))))
    return {n: i for i, c in enumerate(order) for n in sorted(c, key=str)}


_Strength = dict[int, dict[Hashable, float]]


def _strengths(G: nx.Graph[Hashable], weight: str) -> tuple[_Strength, dict[int, float]]:
    """Positive (1) and negative (-1) weighted degree of every node, and their totals (2m)."""
    k: _Strength = {s: {n: 0.0 for n in G} for s in (1, -1)}
    for a, b, d in G.edges(data=True):
        w = d.get(weight, 0)
        s = 1 if w > 0 else -1
        if w:
            k[s][a] += abs(w)
            k[s][b] += abs(w)
    return k, {s: sum(k[s].values()) for s in (1, -1)}


def _gain(c: int, n: Hashable, links: Mapping[int, float], k: _Strength, tot: Mapping[int, Mapping[int, float]],
          two_m: Mapping[int, float], gamma: float) -> float:
    """Signed-modularity gain of putting ``n`` (taken out of its bloc) into bloc ``c``."""
    g = links.get(c, 0.0)
    for s in (1, -1):
        if two_m[s]:
            g -= s * gamma * k[s][n] * tot[s][c] / two_m[s]
    return g


def _local_moves(G: nx.Graph[Hashable], bloc: dict[Hashable, int], weight: str, gamma: float,
                 max_rounds: int) -> dict[Hashable, int]:
    k, two_m = _strengths(G, weight)
    tot: dict[int, defaultdict[int, float]] = {s: defaultdict(float) for s in (1, -1)}
    for n, c in bloc.items():
        for s in (1, -1):
            tot[s][c] += k[s][n]
    fresh = max(bloc.values(), default=-1) + 1
    nodes = sorted(G, key=str)
    for _ in range(max_rounds):
        moved = False
        for n in nodes:
            links: dict[int, float] = defaultdict(float)
            for nb, d in G[n].items():
                if nb != n:
                    links[bloc[nb]] += d.get(weight, 0)
            old = bloc[n]
            for s in (1, -1):
                tot[s][old] -= k[s][n]
            best, best_gain = old, _gain(old, n, links, k, tot, two_m, gamma)  # ties keep the current bloc
            for c in sorted(links):
                if c != old and (g := _gain(c, n, links, k, tot, two_m, gamma)) > best_gain + 1e-12:
                    best, best_gain = c, g
            if best_gain < -1e-12:  # worse off in any bloc than alone: leave
                best = fresh
            if best == fresh:
                fresh += 1
            for s in (1, -1):
                tot[s][best] += k[s][n]
            moved |= best != old
            bloc[n] = best
        if not moved:
            break
    return bloc


def centrality(G: nx.Graph[Hashable], *, weight: str = "weight", seed: int = 0,
               sample_above: int = 2000) -> dict[Hashable, Centrality]:
    """Degree, signed strength, positive/negative strength and betweenness of every node.

    Betweenness ignores signs and weights (who sits between whom); above ``sample_above`` nodes it
    is estimated from ``sample_above // 4`` seeded pivots.
    """
    k = min(len(G), sample_above // 4) if len(G) > sample_above else None
    btw = nx.betweenness_centrality(G, k=k, seed=seed if k else None, normalized=True)
    out = {}
    for n in G:
        ws = [d.get(weight, 0) for _, _, d in G.edges(n, data=True)]
        out[n] = Centrality(degree=G.degree(n), strength=float(sum(ws)),
                            positive=float(sum(w for w in ws if w > 0)),
                            negative=float(-sum(w for w in ws if w < 0)), betweenness=btw[n])
    return out


def stance(G: nx.Graph[Hashable], a: Hashable, b: Hashable, *, by: str = "month") -> list[StancePoint]:
    """Relations between ``a`` and ``b`` grouped per period, with period and running scores.

    Args:
        G: an :func:`actor_graph`.
        a, b: node ids.
        by: ``"month"`` (``2025-01``), ``"day"`` (the date as given) or ``"year"``.

    Returns:
        one point per period in date order, undated relations last (period ``"undated"``).
        Scores count votes, one per independent article per period.
    """
    if by not in {"month", "day", "year"}:
        raise QueryError(by, f"unknown period {by!r}; {suggest(by, ['day', 'month', 'year'])}")
    data = G.get_edge_data(a, b)
    if not data:
        return []
    cut = {"year": 4, "month": 7, "day": 10}[by]
    periods: dict[str, list[Vote]] = defaultdict(list)
    for v in data["votes"]:
        periods[v.date[:cut] if v.date else "undated"].append(v)
    out, running = [], 0
    for period in sorted(periods, key=lambda p: (p == "undated", p)):
        score = sum(_independent_votes(periods[period]).values())
        running += score
        out.append(StancePoint(period, tuple(periods[period]), score, running))
    return out


def resolve_actor(G: nx.Graph[Hashable], name: str) -> Hashable:
    """The node whose id, label or alias equals ``name`` (case-insensitive).

    Raises:
        ResolutionError: no node matches; the message suggests the closest label.
    """
    want = normalise_text(name).casefold()
    names: dict[str, Hashable] = {}
    for n, d in G.nodes(data=True):
        e: Entity | None = d.get("entity")
        keys = [str(n)] + ([e.label, *e.aliases] if e else [])
        for key in keys:
            names.setdefault(normalise_text(key).casefold(), n)
    if want in names:
        return names[want]
    labels = sorted({d["entity"].label for _, d in G.nodes(data=True) if d.get("entity")})
    tail = suggest(name, labels) if len(labels) <= 30 else _close(name, labels)
    raise ResolutionError(name, f"no actor with that name, alias or id; {tail}")


def _close(name: str, labels: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, labels, n=3)
    hint = f"did you mean {close[0]!r}?" if close else "see `graphkg analyze centrality` for names"
    return f"{len(labels)} actors known; {hint}"
