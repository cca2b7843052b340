"""``graphkg analyze``: alliance blocs, centrality and the stance between two actors over time."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import click

__all__ = ["COMMANDS", "analyze"]


def _actor_graph(obj: Any, roll_up: bool, min_confidence: float, since: str | None,
                 until: str | None) -> Any:
    from graphkg.analytics import actor_graph, filter_relations

    store = obj.open()
    try:
        rels = filter_relations(store.relations(), min_confidence=min_confidence, since=since, until=until)
    finally:
        store.close()
    return actor_graph(rels, roll_up=roll_up)


def _common(f: Any) -> Any:
    options = [
        click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True),
        click.option("--roll-up-persons", is_flag=True,
                     help="Attribute what officials do to the state or organisation they represent."),
        click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
                     help="Ignore relations whose confidence is lower."),
        click.option("--since", default=None, help="Only relations dated on or after (YYYY[-MM[-DD]])."),
        click.option("--until", default=None, help="Only relations dated on or before (YYYY[-MM[-DD]])."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _who(g: Any, node: Any) -> dict[str, str]:
    e = g.nodes[node]["entity"]
    return {"id": e.id, "label": e.label, "type": e.type.value}


@click.group(name="analyze")
def analyze() -> None:
    """Alliance analytics on the signed actor graph (cooperative +1, conflictual -1 per article)."""


@analyze.command()
@_common
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the community detection.")
@click.pass_obj
def blocs(obj: Any, fmt: str, roll_up_persons: bool, min_confidence: float, since: str | None,
          until: str | None, seed: int) -> None:
    """Alliance blocs: actors tied by cooperation and not divided by conflict."""
    from graphkg.analytics import signed_blocs, signed_modularity

    g = _actor_graph(obj, roll_up_persons, min_confidence, since, until)
    part = signed_blocs(g, seed=seed)
    members: dict[int, list[Any]] = defaultdict(list)
    for node, b in part.items():
        members[b].append(node)
    rows = []
    for b in sorted(members):
        nodes = members[b]
        inner = g.subgraph(nodes).size(weight="weight")
        rows.append({"bloc": b + 1, "size": len(nodes), "internal_weight": inner,
                     "members": [_who(g, n) for n in nodes]})
    q = signed_modularity(g, part)
    if fmt == "json":
        click.echo(json.dumps({"signed_modularity": q, "blocs": rows}, indent=2, ensure_ascii=False))
        return
    alone = [r for r in rows if r["size"] == 1]
    for r in rows:
        if r["size"] > 1:
            names = ", ".join(m["label"] for m in r["members"])
            click.echo(f"bloc {r['bloc']} ({r['size']} actors, internal weight {r['internal_weight']:+g}): {names}")
    if alone:
        click.echo(f"alone: {', '.join(r['members'][0]['label'] for r in alone)}")
    click.echo(f"signed modularity {q:.3f}")


@analyze.command()
@_common
@click.option("--top", type=click.IntRange(min=0), default=20, show_default=True, help="Rows to show (0: all).")
@click.option("--sort", "key", type=click.Choice(["degree", "strength", "positive", "negative", "betweenness"]),
              default="degree", show_default=True)
@click.pass_obj
def centrality(obj: Any, fmt: str, roll_up_persons: bool, min_confidence: float, since: str | None,
               until: str | None, top: int, key: str) -> None:
    """Who is central: neighbours, signed strength, and betweenness."""
    import dataclasses

    from graphkg.analytics import centrality as run

    g = _actor_graph(obj, roll_up_persons, min_confidence, since, until)
    scores = run(g)
    order = sorted(scores, key=lambda n: (-getattr(scores[n], key), str(n)))
    order = order[:top] if top else order
    rows = [_who(g, n) | dataclasses.asdict(scores[n]) for n in order]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    click.echo(f"{'actor':<32} {'degree':>6} {'strength':>8} {'+':>5} {'-':>5} {'betweenness':>11}")
    for r in rows:
        click.echo(f"{r['label'][:32]:<32} {r['degree']:>6} {r['strength']:>+8g} {r['positive']:>5g} "
                   f"{r['negative']:>5g} {r['betweenness']:>11.3f}")


@analyze.command()
@click.argument("a")
@click.argument("b")
@_common
@click.option("--by", type=click.Choice(["day", "month", "year"]), default="month", show_default=True)
@click.pass_obj
def stance(obj: Any, a: str, b: str, fmt: str, roll_up_persons: bool, min_confidence: float,
           since: str | None, until: str | None, by: str) -> None:
    """How A and B relate over time: relations per period and a running score.

    A and B are names, aliases or ids, matched case-insensitively.
    """
    from graphkg.analytics import resolve_actor
    from graphkg.analytics import stance as run

    g = _actor_graph(obj, roll_up_persons, min_confidence, since, until)
    na, nb = resolve_actor(g, a), resolve_actor(g, b)
    points = run(g, na, nb, by=by)
    la, lb = g.nodes[na]["entity"].label, g.nodes[nb]["entity"].label
    weight = g.edges[na, nb]["weight"] if g.has_edge(na, nb) else 0
    if fmt == "json":
        periods = [{"period": p.period, "score": p.score, "running": p.running,
                    "relations": [{"date": v.date, "subject": g.nodes[v.source]["entity"].label,
                                   "predicate": v.predicate.value, "object": g.nodes[v.target]["entity"].label,
                                   "sign": v.sign, "evidence": v.evidence, "title": v.title, "url": v.url,
                                   "article": v.article_id} for v in p.votes]} for p in points]
        click.echo(json.dumps({"a": _who(g, na), "b": _who(g, nb), "weight": weight, "periods": periods},
                              indent=2, ensure_ascii=False))
        return
    if not points:
        click.echo(f"no cooperative or conflictual relation between {la} and {lb}")
        return
    click.echo(f"{la} – {lb}: overall weight {weight:+d} (independent articles)")
    for p in points:
        click.echo(f"{p.period:<10} score {p.score:+d}  running {p.running:+d}")
        for v in p.votes:
            s, o = g.nodes[v.source]["entity"].label, g.nodes[v.target]["entity"].label
            click.echo(f"    {v.date or '-':<10} {s} {v.predicate.value} {o} ({v.sign:+d}) “{v.evidence}”"
                       + (f" [{v.title}]" if v.title else ""))


COMMANDS = [analyze]
