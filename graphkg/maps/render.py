"""Self-contained interactive HTML maps (pyvis), readable offline.

pyvis's defaults are not shipped as they are: vis-network is inlined (``cdn_resources=
"in_line"``), the Bootstrap CDN links are removed, pyvis's heading and filter menu are unused
(our escaped panel replaces them), node/edge data travel as JSON blocks with ``<``, ``>``, ``&``
escaped (parsed with ``JSON.parse``, faster than pyvis's inline literal), tooltips are plain
text, and positions are precomputed (:mod:`graphkg.maps.layout`) so the page draws at once with
physics off. A small embedded script
(:mod:`graphkg.maps.assets`) adds the filters, the date range, the search box and the evidence
panel; it writes data with ``textContent`` only.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx

from graphkg.maps.assets import CONTROLS_JS, CSS
from graphkg.analytics import actor_graph, relation_date, signed_blocs
from graphkg.errors import GraphkgError
from graphkg.maps.layout import bounding_box, layout
from graphkg.model import Entity, Relation
from graphkg.vocab import EntityType, Polarity, Predicate, entity_type_info, polarity_labels, predicate_info

__all__ = ["TYPE_STYLE", "POLARITY_COLOR", "BLOC_COLORS", "relation_graph", "map_data", "render_map", "fit_scale"]

TYPE_STYLE: dict[EntityType, tuple[str, str]] = {
    EntityType.COUNTRY: ("dot", "#1f77b4"),
    EntityType.PERSON: ("diamond", "#9467bd"),
    EntityType.ORGANIZATION: ("square", "#17becf"),
    EntityType.TERRITORY: ("triangle", "#8c564b"),
    EntityType.DOCUMENT: ("box", "#bcbd22"),
}
_SYMBOL = {"dot": "●", "diamond": "◆", "square": "■", "triangle": "▲", "box": "▬"}
POLARITY_COLOR: dict[Polarity, str] = {
    Polarity.COOPERATIVE: "#2ca02c",
    Polarity.NEUTRAL: "#7f7f7f",
    Polarity.CONFLICTUAL: "#d62728",
}
BLOC_COLORS = ("#e6194b", "#f58231", "#ffe119", "#3cb44b", "#4363d8", "#911eb4", "#f032e6",
               "#000075", "#9a6324", "#808000")
MAX_EVIDENCE = 50
_BIG = 3000  # edges above which labels and hover effects are dropped for speed
# labels: vis-network skips a label whose on-screen font is below drawThreshold - 1 px. The font
# is chosen from the zoom at which the drawing fits a nominal canvas, so labels show at that zoom.
_CANVAS = (1260.0, 1000.0)  # a 1600 x 1000 window minus the 340 px panel (the --png size)
_LABEL_PX = 13.0  # on-screen label size aimed at, at the fit zoom of the nominal canvas
_LABEL_MAX_PX = 18  # labels never drawn larger than this on screen when zooming in
_DRAW_THRESHOLD = 4  # drawn down to 3 px: a smaller window still shows them at fit
_LABEL_ALL = 400  # above this many nodes, only the _LABEL_TOP highest-degree ones get a fit-readable label
_LABEL_TOP = 80
_EXTERNAL = re.compile(r'<(?:link|script)\b[^>]*\b(?:href|src)\s*=\s*"https?://[^"]*"[^>]*>(?:\s*</script>)?',
                       re.IGNORECASE)
_LEFTOVER = re.compile(r'\b(?:src|href)\s*=\s*["\']?(?:https?:)?//|url\(\s*["\']?(?:https?:)?//', re.I)


def relation_graph(relations: Iterable[Relation]) -> nx.MultiDiGraph[Hashable]:
    """A multigraph of entities (node attrs: entity) and relations (edge key: relation key)."""
    g: nx.MultiDiGraph[Hashable] = nx.MultiDiGraph()
    for r in relations:
        for e in (r.subject, r.object):
            g.add_node(e.id, entity=e)
        g.add_edge(r.subject.id, r.object.id, key=r.key, relation=r)
    return g


def _tooltip_entity(e: Entity, degree: int, bloc: int | None) -> str:
    aliases = ", ".join(e.aliases[:8])
    lines = [e.label, f"{e.type.value} · {e.id}", f"{degree} link(s)"]
    lines += [f"bloc {bloc + 1}"] if bloc is not None else []
    return "\n".join(lines + ([f"also: {aliases}"] if aliases else []))


def _when(r: Relation) -> str:
    return relation_date(r) or ""


def _tooltip_edge(group: list[Relation]) -> str:
    r = group[0]
    lines = [f"{r.subject.label} {r.predicate.value} {r.object.label}", f"{len(group)} source(s)"]
    for x in group[:3]:
        pv = x.provenance
        lines.append(f"— “{pv.evidence}”")
        lines.append(f"   {pv.title or pv.source or pv.article_id} · {_when(x)} · {pv.url or ''}".rstrip(" ·"))
    if len(group) > 3:
        lines.append(f"… click the link for all {len(group)}")
    return "\n".join(lines)


def _http(url: str | None) -> str | None:
    return url if url and re.match(r"https?://", url, re.I) else None


def _evidence(r: Relation) -> dict[str, Any]:
    pv = r.provenance
    return {"t": pv.evidence, "a": pv.title, "d": _when(r), "u": _http(pv.url), "c": f"{pv.confidence:.2f}",
            "p": pv.publisher, "s": pv.source}


def _node(e: Entity, deg: int, bloc: int | None, xy: tuple[float, float]) -> dict[str, Any]:
    shape, color = TYPE_STYLE[e.type]
    border = BLOC_COLORS[bloc] if bloc is not None and bloc < len(BLOC_COLORS) else color
    return {"id": e.id, "label": e.label, "title": _tooltip_entity(e, deg, bloc), "shape": shape,
            "color": {"background": color, "border": border,
                      "highlight": {"background": color, "border": "#000000"}},
            "borderWidth": 4 if bloc is not None else 1, "borderWidthSelected": 5,
            "size": round(10 + 4 * math.sqrt(deg), 1), "x": round(xy[0], 1), "y": round(xy[1], 1),
            "etype": e.type.value, "bloc": bloc, "deg": deg, "aliases": list(e.aliases[:8])}


def _edge(i: int, group: list[Relation], parallel: int, labels: bool) -> dict[str, Any]:
    r = group[0]
    info = predicate_info(r.predicate)
    color = POLARITY_COLOR[info.polarity]
    group = sorted(group, key=lambda x: (_when(x), x.key))
    data: dict[str, Any] = {
        "id": f"e{i}", "from": r.subject.id, "to": r.object.id, "pred": r.predicate.value,
        "title": _tooltip_edge(group), "color": {"color": color, "highlight": color, "hover": color},
        "width": 1 + min(len(group), 8), "arrows": {"to": {"enabled": not info.symmetric}},
        "dates": sorted({d for d in map(_when, group) if d}), "n": len(group),
        "ev": [_evidence(x) for x in group[:MAX_EVIDENCE]], "polarity": info.polarity.value}
    if labels:
        data["label"] = r.predicate.value
    if parallel:
        data["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.15 * parallel}
    return data


def fit_scale(pos: Mapping[Hashable, tuple[float, float]], canvas: tuple[float, float] = _CANVAS) -> float:
    """The zoom at which vis-network's ``fit()`` shows ``pos`` on ``canvas`` (capped at 1, like fit)."""
    x0, y0, x1, y1 = bounding_box(dict(pos))
    margin = 60.0  # node shapes and labels stick out of the centres
    return min(1.0, canvas[0] / (1.1 * (x1 - x0 + margin)), canvas[1] / (1.1 * (y1 - y0 + margin)))


def _label_fonts(nodes: list[dict[str, Any]], pos: Mapping[Hashable, tuple[float, float]]) -> None:
    """Give labels a font that stays readable at the fit zoom (all nodes, or the top-degree ones of big maps)."""
    size = round(max(14.0, _LABEL_PX / fit_scale(pos)), 1)
    if size <= 14.0:
        return
    chosen = nodes if len(nodes) <= _LABEL_ALL else sorted(nodes, key=lambda n: (-n["deg"], n["id"]))[:_LABEL_TOP]
    for n in chosen:
        n["font"] = {"size": size}


def _blocs(relations: list[Relation], seed: int) -> dict[Hashable, int]:
    ag = actor_graph(relations)
    method = "louvain" if ag.number_of_edges() <= 5000 else "label-propagation"
    blocs = signed_blocs(ag, seed=seed, method=method)
    sizes: dict[int, int] = defaultdict(int)
    for b in blocs.values():
        sizes[b] += 1
    return {n: b for n, b in blocs.items() if sizes[b] > 1}  # a bloc of one is no alliance


def map_data(relations: Iterable[Relation], *, seed: int = 7) -> tuple[list[dict[str, Any]], list[dict[str, Any]],
                                                                       dict[Hashable, int]]:
    """vis-network node and edge records for ``relations``, plus the bloc of each actor.

    One edge per (subject, predicate, object) with every supporting relation as evidence.
    """
    rels = list(relations)
    g = relation_graph(rels)
    groups: dict[tuple[str, str, Predicate], list[Relation]] = defaultdict(list)
    for r in rels:
        groups[(r.subject.id, r.object.id, r.predicate)].append(r)
    blocs = _blocs(rels, seed)
    simple: nx.Graph[Hashable] = nx.Graph(g)
    pos = layout(simple, seed=seed)
    nodes = [_node(g.nodes[n]["entity"], simple.degree(n), blocs.get(n), pos[n]) for n in sorted(g.nodes, key=str)]
    _label_fonts(nodes, pos)
    seen: dict[tuple[str, str], int] = defaultdict(int)
    edges = []
    labels = len(groups) <= _BIG
    for i, ((s, o, _), group) in enumerate(sorted(groups.items())):
        pair = (min(s, o), max(s, o))
        edges.append(_edge(i, group, seen[pair], labels))
        seen[pair] += 1
    return nodes, edges, blocs


def _bilingual(en: str, fr: str) -> str:
    """``"country / pays"``: the ontology's English and French labels."""
    return en if en == fr else f"{en} / {fr}"


def _filter_labels() -> dict[str, str]:
    """Checkbox texts of the predicate and entity-type filters, from the ontology's labels."""
    labels = {p.value: _bilingual(predicate_info(p).label_en, predicate_info(p).label_fr) for p in Predicate}
    labels.update({t.value: _bilingual(entity_type_info(t).label_en, entity_type_info(t).label_fr)
                   for t in EntityType})
    return labels


def _legend(nodes: list[dict[str, Any]], blocs: Mapping[Hashable, int]) -> str:
    esc = html.escape
    present = {n["etype"] for n in nodes}
    type_names = {t: _bilingual(entity_type_info(t).label_en, entity_type_info(t).label_fr) for t in EntityType}
    types = "".join(f'<label><span style="color:{c}">{_SYMBOL[s]}</span> {esc(type_names[t])}</label>'
                    for t, (s, c) in TYPE_STYLE.items() if t.value in present or not nodes)
    pols = "".join(f'<label><span class="gkg-line" style="background:{c}"></span>'
                   f'{esc(_bilingual(*polarity_labels()[p]))}</label>' for p, c in POLARITY_COLOR.items())
    members: dict[int, list[str]] = defaultdict(list)
    label = {n["id"]: n["label"] for n in nodes}
    for n, b in sorted(blocs.items(), key=lambda kv: str(kv[0])):
        members[b].append(label.get(n, str(n)))
    rows = []
    for b in sorted(members)[:len(BLOC_COLORS)]:
        names = ", ".join(members[b][:6]) + (f", +{len(members[b]) - 6} more" if len(members[b]) > 6 else "")
        rows.append(f'<div><span class="gkg-sw" style="border:3px solid {BLOC_COLORS[b]}"></span>'
                    f'bloc {b + 1}: {esc(names)}</div>')
    blocs_html = "".join(rows) or "<div>no bloc (too few signed links)</div>"
    return (f'<details id="gkg-legend" open><summary>Legend</summary><div>{types}</div>'
            f'<div>{pols}</div><div class="meta">arrow: directed predicate (no arrow: symmetric) · '
            f'width: number of sources · size: number of neighbours · border colour: alliance bloc</div>'
            f'<h2>Blocs</h2>{blocs_html}</details>')


def _json_script(data: object) -> str:
    raw = json.dumps(data, ensure_ascii=False)
    return raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _panel(title: str, nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
           blocs: Mapping[Hashable, int]) -> str:
    dates = sorted(d[:10] for e in edges for d in e["dates"])
    cfg = {"predicates": sorted({e["pred"] for e in edges}),
           "types": [t.value for t in EntityType if any(n["etype"] == t.value for n in nodes)],
           "labels": _filter_labels(),
           "minDate": (dates[0] + "-01-01"[len(dates[0]) - 4:]) if dates else None,
           "maxDate": (dates[-1] + "-12-31"[len(dates[-1]) - 4:]) if dates else None}
    return f"""<div id="gkg-panel">
<h1 id="gkg-title">{html.escape(title)}</h1>
<div id="gkg-count" role="status"></div>
<input id="gkg-search" type="search" list="gkg-names" placeholder="Find an actor (name, alias, id)"
 aria-label="Find an actor"><datalist id="gkg-names"></datalist>
<div id="gkg-status" role="status"></div>
<fieldset><legend>Relations</legend><div id="gkg-preds"></div></fieldset>
<fieldset><legend>Entity types</legend><div id="gkg-types"></div></fieldset>
<fieldset><legend>Dates</legend>
<label>from <input type="date" id="gkg-since"></label> <label>to <input type="date" id="gkg-until"></label>
<label><input type="checkbox" id="gkg-undated" checked> keep undated links</label></fieldset>
<label><input type="checkbox" id="gkg-orphans" checked> hide actors with no visible link</label>
<button type="button" id="gkg-reset">Reset</button>
{_legend(nodes, blocs)}
<div id="gkg-detail"><p class="meta">Click a link to read its evidence, an actor to list its links.</p></div>
<script type="application/json" id="gkg-config">{_json_script(cfg)}</script>
</div>"""


def _options(n_edges: int) -> dict[str, Any]:
    big = n_edges > _BIG
    return {"physics": {"enabled": False}, "layout": {"improvedLayout": False},
            "nodes": {"font": {"size": 14},
                      "scaling": {"label": {"drawThreshold": _DRAW_THRESHOLD, "maxVisible": _LABEL_MAX_PX}}},
            "edges": {"smooth": False, "font": {"size": 10, "align": "middle"}, "selectionWidth": 2},
            "interaction": {"hover": not big, "tooltipDelay": 150, "hideEdgesOnDrag": big,
                            "hideEdgesOnZoom": big, "navigationButtons": False, "keyboard": False}}


def render_map(relations: Iterable[Relation], *, title: str = "graphkg alliance map",
               seed: int = 7) -> str:
    """Return a self-contained HTML page for ``relations``.

    Node shape/colour by entity type, border by alliance bloc, size by number of neighbours;
    one edge per (subject, predicate, object), coloured by polarity, width by number of
    sources, arrow when the predicate is directed. Tooltips and the side panel carry the
    evidence sentences with article title, date and link, always as text.

    Raises:
        GraphkgError: the generated page would load something from the network (a pyvis
            template change); nothing is returned then.
    """
    from pyvis.network import Network

    nodes, edges, blocs = map_data(relations, seed=seed)
    net = Network(height="100vh", width="calc(100% - 340px)", directed=True, cdn_resources="in_line")
    net.options = _options(len(edges))
    page: str = net.generate_html(notebook=False)
    page = _EXTERNAL.sub("", page).replace("<h1></h1>", "")
    # checked before any data goes in (data are escaped text and cannot add a tag or a URL)
    if _LEFTOVER.search(page) or "popup.innerHTML" in page:
        raise GraphkgError("the map page would load an external resource or render HTML tooltips; "
                           "check the pyvis version (expected 0.3.2)")
    # pyvis writes the data as one JavaScript literal, which Chromium parses several times slower
    # than JSON.parse (2.2 s for 2,000 nodes): ship them as JSON blocks instead.
    for name in ("nodes", "edges"):
        literal = f"{name} = new vis.DataSet([]);"
        if page.count(literal) != 1:
            raise GraphkgError(f"unexpected pyvis template: no {literal!r}; expected pyvis 0.3.2")
        page = page.replace(literal, f"{name} = new vis.DataSet(JSON.parse("
                                     f"document.getElementById('gkg-{name}').textContent));")
    data = (f'<script type="application/json" id="gkg-nodes">{_json_script(nodes)}</script>\n'
            f'<script type="application/json" id="gkg-edges">{_json_script(edges)}</script>\n')
    head = page.rindex("</head>")  # the inlined vis-network code comes before it
    body = page.index("<body>", head) + len("<body>")
    call = page.rindex("drawGraph();") + len("drawGraph();")
    return "".join([page[:head], f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n",
                    page[head:body], "\n", data, _panel(title, nodes, edges, blocs),
                    page[body:call], "\n", CONTROLS_JS, page[call:]])
