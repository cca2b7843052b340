"""Node positions computed up front, so maps open with physics off.

Small graphs use networkx's spring layout (Fruchterman-Reingold, O(n²) per iteration).
Large graphs are coarsened: label propagation groups nodes, the group graph is laid out
recursively, and each group's members sit around their group's position on a sunflower
spiral (hubs in the middle). Each level costs O(m), so 5,000 nodes take seconds, not minutes,
and nothing needs scipy.

Connected components are laid out one by one and then packed on shelves (tallest first,
rows centred, the whole drawing about as wide as a screen is), so a small component never
sits in a far corner and the fitted view is not mostly empty space.
"""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx

__all__ = ["layout", "bounding_box", "DENSE_LIMIT", "ASPECT"]

DENSE_LIMIT = 300
_GOLDEN = math.pi * (3.0 - math.sqrt(5.0))
_CHUNK = 16
ASPECT = 1.15  # width / height the packed drawing aims at (a canvas beside the panel; slack for labels)

Pos = dict[Hashable, tuple[float, float]]
_Box = tuple[float, float, float, float, Pos]  # width, height, min x, min y, positions


def layout(G: nx.Graph[Hashable], *, seed: int = 7, spacing: float = 110.0) -> dict[Hashable, tuple[float, float]]:
    """Positions (pixels, about ``spacing`` apart) for every node of ``G``; deterministic per seed.

    >>> pos = layout(nx.path_graph(3), seed=1)
    >>> sorted(pos) == [0, 1, 2] and all(len(p) == 2 for p in pos.values())
    True
    """
    simple: nx.Graph[Hashable] = nx.Graph()
    simple.add_nodes_from(sorted(G, key=str))
    simple.add_edges_from((a, b) for a, b in G.edges() if a != b)
    comps = [simple.subgraph(c).copy() for c in nx.connected_components(simple)]
    if len(comps) <= 1:
        return _layout(simple, seed, spacing)
    return _pack([_layout(c, seed, spacing) for c in comps], spacing)


def bounding_box(pos: Pos) -> tuple[float, float, float, float]:
    """``(min_x, min_y, max_x, max_y)`` of the positions (all zero when empty)."""
    if not pos:
        return 0.0, 0.0, 0.0, 0.0
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    return min(xs), min(ys), max(xs), max(ys)


def _pack(parts: list[Pos], spacing: float) -> Pos:
    """Place each component's drawing on shelves about ``ASPECT`` times wider than tall, centred on 0."""
    boxes: list[_Box] = []
    for part in parts:
        x0, y0, x1, y1 = bounding_box(part)
        boxes.append((x1 - x0 + spacing, y1 - y0 + spacing, x0, y0, part))  # margin: one spacing between parts
    boxes.sort(key=lambda b: (-b[1], -len(b[4]), -b[0], min(map(str, b[4]))))
    area = sum(w * h for w, h, *_ in boxes)
    widest = max(b[0] for b in boxes)
    # shelves of several widths; keep the one that a screen-shaped viewport fits at the largest zoom
    tries = [_shelves(boxes, max(widest, math.sqrt(area * ASPECT) * f)) for f in (0.8, 1.0, 1.25, 1.6, 2.0, 2.5)]
    rows, width = min(tries, key=lambda t: max(t[1] / ASPECT, sum(max(b[1] for b in r) for r in t[0])))
    pos: Pos = {}
    top = 0.0
    for row in rows:
        height = max(b[1] for b in row)
        left = (width - sum(b[0] for b in row)) / 2  # centre each row
        for w, h, x0, y0, part in row:
            dx, dy = left + spacing / 2 - x0, top + (height - h + spacing) / 2 - y0
            for node, (x, y) in part.items():
                pos[node] = (x + dx, y + dy)
            left += w
        top += height
    x0, y0, x1, y1 = bounding_box(pos)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return {n: (x - cx, y - cy) for n, (x, y) in pos.items()}


def _shelves(boxes: list[_Box], width: float) -> tuple[list[list[_Box]], float]:
    """Boxes in rows no wider than ``width`` (a box wider than that gets a row of its own)."""
    rows: list[list[_Box]] = [[]]
    used = 0.0
    for box in boxes:
        if rows[-1] and used + box[0] > width:
            rows.append([])
            used = 0.0
        rows[-1].append(box)
        used += box[0]
    return rows, max(sum(b[0] for b in r) for r in rows)


def _layout(G: nx.Graph[Hashable], seed: int, spacing: float) -> Pos:
    n = len(G)
    if n == 0:
        return {}
    if n == 1:
        return {next(iter(G)): (0.0, 0.0)}
    if n <= DENSE_LIMIT:
        return _spring(G, seed, spacing)
    groups = _groups(G, seed)
    index = {node: i for i, members in enumerate(groups) for node in members}
    quotient: nx.Graph[Hashable] = nx.Graph()
    quotient.add_nodes_from(range(len(groups)))
    for a, b in G.edges():
        ia, ib = index[a], index[b]
        if ia != ib:
            w = quotient.get_edge_data(ia, ib, {"weight": 0})["weight"]
            quotient.add_edge(ia, ib, weight=w + 1)
    mean = n / len(groups)
    centres = _layout(quotient, seed, spacing * math.sqrt(mean) * 1.2)
    pos: dict[Hashable, tuple[float, float]] = {}
    for i, members in enumerate(groups):
        cx, cy = centres[i]
        if len(members) > DENSE_LIMIT:
            sub = _layout(G.subgraph(members).copy(), seed, spacing)
        else:
            sub = _sunflower(sorted(members, key=lambda m: (-G.degree(m), str(m))), spacing)
        for node, (x, y) in sub.items():
            pos[node] = (cx + x, cy + y)
    return pos


def _groups(G: nx.Graph[Hashable], seed: int) -> list[list[Hashable]]:
    """Label-propagation communities; structureless results fall back to BFS chunks."""
    comms = [sorted(c, key=str) for c in nx.community.asyn_lpa_communities(G, seed=seed)]
    comms.sort(key=lambda c: (-len(c), str(c[0])))
    if len(comms) > 1 and len(comms) < 0.8 * len(G):
        return comms
    order = [n for comp in sorted(nx.connected_components(G), key=lambda c: (-len(c), min(map(str, c))))
             for n in nx.bfs_tree(G, min(comp, key=str))]
    return [order[i:i + _CHUNK] for i in range(0, len(order), _CHUNK)]


def _spring(G: nx.Graph[Hashable], seed: int, spacing: float) -> dict[Hashable, tuple[float, float]]:
    import numpy as np

    raw = nx.spring_layout(G, seed=seed, weight="weight" if nx.is_weighted(G) else None)
    xy = np.array([raw[n] for n in G], dtype=float)
    # scale so the median distance to the nearest neighbour is ``spacing``: spring layouts bunch
    # hubs together, and vis-network's fit() never zooms in past 1:1 to separate them
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=-1))
    np.fill_diagonal(dist, np.inf)
    nearest = float(np.median(dist.min(axis=1)))
    scale = spacing / nearest if nearest > 1e-9 else spacing
    return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in zip(G, xy, strict=False)}


def _sunflower(members: list[Hashable], spacing: float) -> dict[Hashable, tuple[float, float]]:
    """Vogel's spiral: even density, first member in the middle."""
    r = spacing * 0.55
    return {m: (r * math.sqrt(k) * math.cos(k * _GOLDEN), r * math.sqrt(k) * math.sin(k * _GOLDEN))
            for k, m in enumerate(members)}
