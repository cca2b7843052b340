"""Self-contained interactive HTML maps (pyvis), readable offline.

pyvis's defaults are not shipped as they are: vis-network is inlined (``cdn_resources=
"in_line"``), the Bootstrap CDN links are removed, the heading is our own escaped HTML,
node/edge data go through Jinja's ``tojson`` (which escapes ``<``, ``>``, ``&``), tooltips are
plain text, and positions are precomputed so the page does not run physics on load.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from graphkg.model import Entity, Relation
from graphkg.ontology import EntityType, Polarity, Predicate, predicate_info

__all__ = ["TYPE_STYLE", "POLARITY_COLOR", "relation_graph", "render_map"]

TYPE_STYLE: dict[EntityType, tuple[str, str]] = {
    EntityType.COUNTRY: ("dot", "#1f77b4"),
    EntityType.PERSON: ("diamond", "#9467bd"),
    EntityType.ORGANIZATION: ("square", "#17becf"),
    EntityType.TERRITORY: ("triangle", "#8c564b"),
    EntityType.DOCUMENT: ("box", "#bcbd22"),
}
POLARITY_COLOR: dict[Polarity, str] = {
    Polarity.COOPERATIVE: "#2ca02c",
    Polarity.NEUTRAL: "#7f7f7f",
    Polarity.CONFLICTUAL: "#d62728",
}
_EXTERNAL = re.compile(r'<(?:link|script)\b[^>]*\b(?:href|src)\s*=\s*"https?://[^"]*"[^>]*>(?:\s*</script>)?',
                       re.IGNORECASE)


def relation_graph(relations: Iterable[Relation]) -> nx.MultiDiGraph:
    """A multigraph of entities (node attrs: entity) and relations (edge key: relation key)."""
    g = nx.MultiDiGraph()
    for r in relations:
        for e in (r.subject, r.object):
            g.add_node(e.id, entity=e)
        g.add_edge(r.subject.id, r.object.id, key=r.key, relation=r)
    return g


def _tooltip_entity(e: Entity, degree: int) -> str:
    aliases = ", ".join(e.aliases[:8])
    lines = [e.label, f"{e.type.value} · {e.id}", f"{degree} relation(s)"]
    return "\n".join(lines + ([f"also: {aliases}"] if aliases else []))


def _tooltip_edge(group: list[Relation]) -> str:
    r = group[0]
    head = f"{r.subject.label} {r.predicate.value} {r.object.label}"
    lines = [head, f"{len(group)} source(s)"]
    for x in group[:5]:
        pv = x.provenance
        when = x.date or (pv.published.isoformat() if pv.published else "")
        lines.append(f"— “{pv.evidence}”")
        lines.append(f"   {pv.title or pv.source or pv.article_id} {when} (confidence {pv.confidence:.2f})")
    return "\n".join(lines)


def render_map(relations: Iterable[Relation], *, title: str = "graphkg alliance map",
               seed: int = 7) -> str:
    """Return a self-contained HTML page for ``relations``.

    Node shape/colour by entity type, size by degree; edge colour by predicate polarity;
    tooltips carry the evidence sentences and article titles (text, never HTML).
    """
    from pyvis.network import Network

    g = relation_graph(relations)
    net = Network(height="85vh", width="100%", directed=True, cdn_resources="in_line", notebook=False)
    pos = nx.spring_layout(nx.Graph(g), seed=seed, k=None) if g.number_of_nodes() else {}
    scale = 60.0 * max(10.0, g.number_of_nodes() ** 0.5 * 4)
    for node, data in g.nodes(data=True):
        e: Entity = data["entity"]
        shape, color = TYPE_STYLE[e.type]
        deg = g.degree(node)
        x, y = pos.get(node, (0.0, 0.0))
        net.add_node(node, label=e.label, title=_tooltip_entity(e, deg), shape=shape, color=color,
                     size=12 + 4 * min(deg, 10), x=float(x) * scale, y=float(y) * scale,
                     group=e.type.value)
    groups: dict[tuple[str, str, Predicate], list[Relation]] = defaultdict(list)
    for _, _, data in g.edges(data=True):
        r: Relation = data["relation"]
        groups[(r.subject.id, r.object.id, r.predicate)].append(r)
    for (s, o, p), group in sorted(groups.items()):
        info = predicate_info(p)
        net.add_edge(s, o, label=p.value, title=_tooltip_edge(group),
                     color=POLARITY_COLOR[info.polarity], width=1 + min(len(group), 6),
                     arrows="" if info.symmetric else "to")
    net.set_options('{"physics": {"enabled": false}, "edges": {"smooth": false,'
                    ' "font": {"size": 10, "align": "middle"}},'
                    ' "interaction": {"hover": true, "tooltipDelay": 120, "navigationButtons": false}}')
    page = net.generate_html(notebook=False)
    page = _EXTERNAL.sub("", page)
    page = page.replace("<h1></h1>", "", 2)
    return page.replace("<body>", "<body>\n" + _legend(title), 1)


def _legend(title: str) -> str:
    items = "".join(
        f'<span style="margin-right:1em"><span style="color:{c}">■</span> {html.escape(t.value)}</span>'
        for t, (_, c) in TYPE_STYLE.items())
    pols = "".join(
        f'<span style="margin-right:1em"><span style="color:{c}">━</span> {html.escape(p.value)}</span>'
        for p, c in POLARITY_COLOR.items())
    return (f'<div id="graphkg-legend" style="font-family:sans-serif;padding:6px">'
            f'<h1 style="font-size:1.3em;margin:0 0 4px 0">{html.escape(title)}</h1>'
            f'<div>{items}</div><div>{pols}</div></div>')
