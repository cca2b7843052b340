"""Map benchmark: synthetic graphs of 500, 2,000 and 5,000 actors (~5 edges per actor) in headless Chromium.

For each size: Python time to build the page (layout included), HTML size, then in a fresh
headless Chromium: time from navigation start to the network's first ``afterDrawing`` event
(measured in the page with ``performance.now()``), the number of nodes/edges drawn, and the time
for one filter click to be redrawn (interactivity). Prints one table and the floors of issue 6:
2,000 actors drawn and interactive in < 10 s, 5,000 open, HTML size linear in the graph.

Run: .venv/bin/python bench/map_bench.py [sizes...]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from graphkg.maps.browser import Session
from graphkg.model import Entity, Provenance, Relation
from graphkg.vocab import EntityType, Predicate
from graphkg.maps.render import render_map

COOP = [Predicate.SUPPORTS, Predicate.COOPERATES_WITH, Predicate.MEETS, Predicate.AIDS, Predicate.AGREES_WITH]
CONF = [Predicate.OPPOSES, Predicate.SANCTIONS, Predicate.THREATENS]
TYPES = [EntityType.COUNTRY, EntityType.ORGANIZATION, EntityType.PERSON]


def synthetic(n: int, per_node: int = 5, seed: int = 1) -> list[Relation]:
    """``n`` actors in blocs of ~40; 80 % of relations inside a bloc (mostly cooperative), the rest across."""
    rng = random.Random(seed)
    ents = [Entity(f"bench/{i}", f"Actor {i}", TYPES[i % 3], (f"A{i}",)) for i in range(n)]
    bloc_size = 40
    rels, day0 = [], date(2023, 1, 1)
    for k in range(n * per_node):
        s = rng.randrange(n)
        if rng.random() < 0.8:
            base = s - s % bloc_size
            o = base + rng.randrange(min(bloc_size, n - base))
            p = rng.choice(COOP) if rng.random() < 0.85 else rng.choice(CONF)
        else:
            o = rng.randrange(n)
            p = rng.choice(CONF) if rng.random() < 0.6 else rng.choice(COOP)
        if o == s:
            o = (s + 1) % n
        when = day0 + timedelta(days=rng.randrange(900))
        pv = Provenance(f"art{k}", f"{ents[s].label} and {ents[o].label}: sentence {k} quoting the article "
                        "that states the relation, as extracted.", 0, 80, "bench/1", 0.9,
                        url=f"https://news.example.org/{k}", title=f"Synthetic article {k}", published=when)
        rels.append(Relation(ents[s], p, ents[o], pv, (), when.isoformat()))
    return rels


FIRST_DRAW = """new Promise((ok, ko) => { const t0 = Date.now(); (function w() {
  if (window.__gkg && __gkg.firstDraw !== null) ok(__gkg.firstDraw);
  else if (Date.now() - t0 > 120000) ko(new Error('no draw in 120 s')); else setTimeout(w, 10); })(); })"""

INTERACT = """new Promise(ok => { const t0 = performance.now();
  network.once('afterDrawing', () => ok(performance.now() - t0));
  document.querySelector('#gkg-preds input').click(); })"""


def measure(n: int, workdir: Path) -> dict[str, float]:
    rels = synthetic(n)
    t = time.perf_counter()
    page = render_map(rels, title=f"bench {n}")
    build = time.perf_counter() - t
    path = workdir / f"map-{n}.html"
    path.write_text(page, encoding="utf-8")
    with Session(width=1400, height=900, timeout=180) as b:
        t = time.perf_counter()
        b.open(path.as_uri())
        first = float(b.eval(FIRST_DRAW, timeout=150))
        wall = time.perf_counter() - t
        nodes, edges = b.eval("[network.body.nodeIndices.length, network.body.edgeIndices.length]")
        click = float(b.eval(INTERACT, timeout=150))
        errors = list(b.errors)
    if errors:
        print(f"  console errors at {n}: {errors[:3]}", file=sys.stderr)
    return {"n": n, "nodes": nodes, "edges": edges, "build_s": build, "bytes": len(page.encode()),
            "first_draw_s": first / 1000, "wall_s": wall, "click_s": click / 1000}


def main(sizes: list[int]) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            rows.append(measure(n, Path(tmp)))
            r = rows[-1]
            print(f"{r['n']:>6} actors {r['edges']:>6} edges drawn ({r['nodes']} nodes) | build {r['build_s']:6.2f} s"
                  f" | html {r['bytes'] / 1e6:6.2f} MB | first draw {r['first_draw_s']:6.2f} s"
                  f" (open→draw wall {r['wall_s']:6.2f} s) | filter click redraw {r['click_s']:5.2f} s", flush=True)
    base = rows[0]
    for r in rows[1:]:
        growth = (r["bytes"] - base["bytes"]) / max(r["edges"] - base["edges"], 1)
        print(f"size growth {base['n']}→{r['n']}: {growth:.0f} bytes per extra edge")
    by_n = {r["n"]: r for r in rows}
    if 2000 in by_n:
        r = by_n[2000]
        total = r["first_draw_s"] + r["click_s"]
        print(f"floor 2000 drawn+interactive < 10 s: {total:.2f} s -> {'PASS' if total < 10 else 'FAIL'}")
    if 5000 in by_n:
        print(f"floor 5000 opens: drawn {by_n[5000]['nodes']} nodes in {by_n[5000]['first_draw_s']:.2f} s -> PASS")


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[500, 2000, 5000], metavar="SIZE",
                    help="actors per synthetic map (default 500 2000 5000)")
    main(ap.parse_args().sizes)
