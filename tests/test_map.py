"""HTML maps: self-contained, escaped, and drawn by a real headless Chromium."""

from __future__ import annotations

import json
import random
import re
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import make_sample

from graphkg.maps.browser import BrowserError, Session, chromium_path, screenshot
from graphkg.model import Entity, Provenance, Relation
from graphkg.vocab import EntityType, Predicate
from graphkg.maps.render import POLARITY_COLOR, map_data, render_map

EVIL = 'Il a dit </script><script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2">'


def _page(evidence: str = EVIL) -> str:
    _, rels, _ = make_sample()
    rels = [replace(r, provenance=replace(r.provenance, evidence=evidence, title="<b>titre</b>"))
            for r in rels]
    return render_map(rels, title="Carte <test> & co")


def test_no_external_resource_and_vis_inlined() -> None:
    page = _page()
    assert not re.search(r'<(script|link|img|iframe)\b[^>]*(src|href)\s*=\s*["\']?(https?:)?//', page, re.I)
    assert "vis.Network" in page and len(page) > 300_000  # vis-network is embedded


def test_article_text_is_escaped() -> None:
    page = _page()
    assert "<script>window.__pwned" not in page
    assert "<img src=x" not in page
    assert "Carte &lt;test&gt; &amp; co" in page
    assert "\\u003c/script\\u003e" in page  # JSON-escaped inside the data payload


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail("chromium is not installed: run `make system-deps` (scripts/system-deps.sh)")
    return exe


@pytest.mark.browser
def test_map_draws_offline_in_headless_chromium(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    probe = _page().replace(
        "</body>",
        "<script>window.addEventListener('load', () => setTimeout(() => {"
        "const ok = typeof network !== 'undefined' && network.body.data.nodes.length;"
        "document.title = 'nodes=' + ok + ' edges=' + network.body.data.edges.length"
        " + ' canvas=' + document.querySelectorAll('#mynetwork canvas').length"
        " + ' pwned=' + (window.__pwned || 0);}, 300));</script></body>")
    out.write_text(probe, encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run(
            [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND",
             "--virtual-time-budget=5000", "--dump-dom", out.as_uri()],
            capture_output=True, text=True, timeout=120, check=False)
    m = re.search(r"<title>([^<]*)</title>", proc.stdout)
    assert m, proc.stderr[-2000:]
    assert m.group(1) == "nodes=3 edges=3 canvas=1 pwned=0", m.group(1)


# --- maps from data built inline: structure, CLI, and a real browser driving the controls ----------

HOSTILE = "Evil <script>window.__pwned=3</script> <img src=x onerror=\"window.__pwned=4\"> 'q' & co"
_PREDS = [Predicate.SUPPORTS, Predicate.OPPOSES, Predicate.MEETS, Predicate.COOPERATES_WITH,
          Predicate.SANCTIONS, Predicate.AIDS]
_TYPES = [EntityType.COUNTRY, EntityType.ORGANIZATION, EntityType.PERSON, EntityType.COUNTRY]


def synthetic(n: int, *, per_node: int = 2, seed: int = 1) -> list[Relation]:
    """``n`` actors of three types, ``per_node * n`` relations, dates 2023–2025, some undated."""
    rng = random.Random(seed)
    ents = [Entity(f"x/{i}", f"Actor {i}", _TYPES[i % 4], (f"A{i}",)) for i in range(n)]
    rels = []
    for k in range(n * per_node):
        s, o = rng.sample(ents, 2)
        when = None if k % 10 == 0 else f"{rng.choice((2023, 2024, 2025))}-{rng.randint(1, 12):02d}-10"
        pv = Provenance(f"art{k}", f"Sentence {k} about {s.label} and {o.label}.", 0, 9, "test/1", 0.9,
                        url=f"https://example.org/{k}", title=f"Article {k}", published=None)
        rels.append(Relation(s, rng.choice(_PREDS), o, pv, (), when))
    return rels


def _hostile() -> list[Relation]:
    evil = Entity("wd:Q1", HOSTILE, EntityType.COUNTRY, ("<b>alias</b>",))
    ma = Entity("wd:Q1028", "Morocco", EntityType.COUNTRY)
    pv = Provenance("a1", EVIL, 0, 9, "test/1", 0.9, url="javascript:window.__pwned=5", title=HOSTILE,
                    published=date(2025, 1, 2))
    pv2 = replace(pv, article_id="a2", url="https://example.org/ok?a=1&b=\"2\"", title="T & \"quoted\"")
    return [Relation(evil, Predicate.SUPPORTS, ma, pv), Relation(evil, Predicate.SUPPORTS, ma, pv2),
            Relation(ma, Predicate.OPPOSES, evil, pv2, (), "2024-05")]


def test_map_data_groups_styles_and_directions() -> None:
    nodes, edges, blocs = map_data(_hostile())
    assert len(nodes) == 2 and len(edges) == 2
    sup = next(e for e in edges if e["pred"] == "SUPPORTS")
    opp = next(e for e in edges if e["pred"] == "OPPOSES")
    assert sup["n"] == 2 and sup["width"] > opp["width"] and len(sup["ev"]) == 2
    assert sup["color"]["color"] != opp["color"]["color"] and opp["color"]["color"] in POLARITY_COLOR.values()
    assert sup["arrows"]["to"]["enabled"] and "smooth" in opp  # parallel edge is curved
    assert [ev["u"] for ev in sup["ev"]].count(None) == 1  # javascript: URL dropped
    assert sup["dates"] == ["2025-01-02"] and opp["dates"] == ["2024-05"]
    assert not map_data([replace(_hostile()[0], predicate=Predicate.MEETS)])[1][0]["arrows"]["to"]["enabled"]


def test_blocs_are_node_borders_and_legend_rows() -> None:
    a, b, c, d = (Entity(f"wd:{x}", x, EntityType.COUNTRY) for x in "ABCD")
    _, sample, _ = make_sample()
    pv = sample[0].provenance
    rels = [Relation(a, Predicate.COOPERATES_WITH, b, replace(pv, article_id="1", evidence="1")),
            Relation(c, Predicate.COOPERATES_WITH, d, replace(pv, article_id="2", evidence="2")),
            Relation(a, Predicate.THREATENS, c, replace(pv, article_id="3", evidence="3"))]
    nodes, _, blocs = map_data(rels)
    border = {n["id"]: n["color"]["border"] for n in nodes}
    assert blocs["wd:A"] == blocs["wd:B"] != blocs["wd:C"] == blocs["wd:D"]
    assert border["wd:A"] == border["wd:B"] != border["wd:C"] == border["wd:D"]
    page = render_map(rels)
    assert "bloc 1: A, B" in page and "bloc 2: C, D" in page


def test_node_titles_never_switch_pyvis_to_html_popups() -> None:
    e = Entity("wd:Q2", 'x <a href="javascript:1">y</a>', EntityType.COUNTRY)
    r = replace(_hostile()[0], subject=e)
    page = render_map([r])
    assert "popup.innerHTML" not in page and "div.popup" not in page
    assert any(n["title"].startswith(e.label) for n in map_data([r])[0])  # kept as text, unaltered


def _seed_store(home: Path, rels: list[Relation]) -> None:
    from graphkg.model import Article
    from graphkg.stores.oxigraph import OxigraphStore

    store = OxigraphStore.open(home=home)
    try:
        for r in rels:
            pv = r.provenance
            art = Article(pv.article_id, "", "inline", pv.url, pv.title, pv.published)
            store.write([(art, [r], [r.subject, r.object])])
    finally:
        store.close()


def _meta(page: str) -> dict[str, Any]:
    raw = re.search(r'id="gkg-config">(.*?)</script>', page, re.S)
    assert raw
    return dict(json.loads(raw.group(1)))


def test_cli_map_options(tmp_path: Path) -> None:
    from graphkg.cli import cli

    bourita = Entity.minted("Nasser Bourita", EntityType.PERSON)
    _, sample, _ = make_sample()
    rels = synthetic(12) + sample + [replace(sample[1], subject=bourita, object=sample[0].object, key="")]
    _seed_store(tmp_path / "h", rels)
    run = CliRunner().invoke
    base = ["--home", str(tmp_path / "h"), "map", "--force", "-o"]  # the same file each time
    out = tmp_path / "m.html"
    res = run(cli, [*base, str(out), "--title", "<i>T</i> & co", "--predicate", "supports",
                    "--predicate", "OPPOSES"])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert _meta(page)["predicates"] == ["OPPOSES", "SUPPORTS"] and "&lt;i&gt;T&lt;/i&gt; &amp; co" in page
    res = run(cli, [*base, str(out), "--focus", "maroc", "--depth", "1", "--since", "2025-01", "--until", "2025"])
    assert res.exit_code == 0, res.output
    assert {n["label"] for n in _nodes(out)} == {"France", "Morocco", "Nasser Bourita"}
    res = run(cli, [*base, str(out), "--roll-up-persons"])
    labels = {n["label"] for n in _nodes(out)}
    assert "Jean Dupont" not in labels and "Nasser Bourita" not in labels and "France" in labels
    res = run(cli, [*base, str(out), "--focus", "Marocco"])
    assert res.exit_code == 1 and "did you mean 'Morocco'" in res.output
    res = run(cli, [*base, str(out), "--predicate", "SUPORTS"])
    assert res.exit_code == 2 and "did you mean 'SUPPORTS'" in res.output  # a usage error


def _nodes(path: Path) -> list[dict[str, Any]]:
    m = re.search(r'<script type="application/json" id="gkg-nodes">(.*?)</script>', path.read_text(encoding="utf-8"))
    assert m
    return list(json.loads(m.group(1)))


# --- real headless Chromium, driven over the DevTools protocol --------------------------------------

@pytest.fixture(scope="module")
def browser() -> Iterator[Session]:
    try:
        chromium_path()
    except BrowserError as err:
        pytest.fail(f"{err}: run `make system-deps` (scripts/system-deps.sh)")
    with Session(width=1400, height=900) as s:  # stopped on exit, also when a test fails
        yield s


def _load(b: Session, page: str, path: Path) -> None:
    path.write_text(page, encoding="utf-8")
    b.errors.clear()
    b.requests.clear()
    b.open(path.as_uri())
    b.eval("new Promise((ok, ko) => { const t0 = Date.now(); (function w() {"
           " if (window.__gkg && __gkg.firstDraw !== null) ok(true);"
           " else if (Date.now() - t0 > 30000) ko(new Error('never drawn')); else setTimeout(w, 20); })(); })")


def _drawn(b: Session) -> tuple[int, int]:
    n, e = b.eval("[network.body.nodeIndices.length, network.body.edgeIndices.length]")
    return int(n), int(e)


def _expected(rels: list[Relation]) -> tuple[int, int]:
    ents = {e.id for r in rels for e in (r.subject, r.object)}
    return len(ents), len({(r.subject.id, r.predicate, r.object.id) for r in rels})


@pytest.mark.browser
@pytest.mark.parametrize("name", ["sample", "hostile", "synthetic"])
def test_browser_draws_every_node_and_edge_offline(browser: Session, tmp_path: Path, name: str) -> None:
    rels = {"sample": lambda: make_sample()[1], "hostile": _hostile, "synthetic": lambda: synthetic(60)}[name]()
    _load(browser, render_map(rels, title=name), tmp_path / "map.html")
    assert _drawn(browser) == _expected(rels)
    assert browser.eval("document.getElementById('gkg-count').dataset.edges") == str(_expected(rels)[1])
    inked = browser.eval("(() => { const c = document.querySelector('#mynetwork canvas');"
                         " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                         " let k = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] && d[i] < 200) k++;"
                         " return k; })()")
    assert inked > 100  # something is painted, not just an empty canvas
    assert all(u.startswith(("file:", "data:")) for u in browser.requests), browser.requests
    assert browser.eval("performance.getEntriesByType('resource')"
                        ".filter(e => /^(https?|wss?):/.test(e.name)).length") == 0
    assert browser.errors == []


@pytest.mark.browser
def test_browser_hostile_text_is_shown_as_text(browser: Session, tmp_path: Path) -> None:
    _load(browser, render_map(_hostile(), title=HOSTILE), tmp_path / "evil.html")
    state = browser.eval("({pwned: window.__pwned || 0, imgs: document.querySelectorAll('img').length,"
                         " h1: document.getElementById('gkg-title').textContent, title: document.title,"
                         " label: nodes.get('wd:Q1').label})")
    assert state == {"pwned": 0, "imgs": 0, "h1": HOSTILE, "title": HOSTILE, "label": HOSTILE}
    # search by the hostile name, then read the evidence panel of its SUPPORTS edge
    browser.eval("(() => { const s = document.getElementById('gkg-search'); s.value = 'evil <script>';"
                 " s.dispatchEvent(new Event('change')); })()")
    assert browser.eval("network.getSelectedNodes()") == ["wd:Q1"]
    assert browser.eval("document.querySelector('#gkg-detail h2').textContent") == HOSTILE
    edge = next(e for e in map_data(_hostile())[1] if e["pred"] == "SUPPORTS")["id"]
    panel = browser.eval(f"(() => {{ __gkg.showEdge('{edge}'); const d = document.getElementById('gkg-detail');"
                         " return {q: [...d.querySelectorAll('q')].map(q => q.textContent),"
                         " links: [...d.querySelectorAll('a')].map(a => [a.href, a.textContent]),"
                         " elements: d.querySelectorAll('script, img, b, i').length,"
                         " pwned: window.__pwned || 0}; })()")
    assert panel["q"] == [EVIL, EVIL] and panel["elements"] == 0 and panel["pwned"] == 0
    assert panel["links"] == [["https://example.org/ok?a=1&b=%222%22", 'T & "quoted"']]
    # hover the hostile node: vis-network's tooltip shows the title as text
    x, y = browser.eval("(() => { const r = document.getElementById('mynetwork').getBoundingClientRect();"
                        " const p = network.canvasToDOM(network.getPositions(['wd:Q1'])['wd:Q1']);"
                        " return [r.left + p.x, r.top + p.y]; })()")
    browser.call("Input.dispatchMouseEvent", session=True, type="mouseMoved", x=x + 1, y=y + 1)
    browser.call("Input.dispatchMouseEvent", session=True, type="mouseMoved", x=x, y=y)
    browser.eval("new Promise(ok => setTimeout(ok, 600))")
    tip = browser.eval("(() => { const t = document.querySelector('.vis-tooltip');"
                       " return t ? [t.innerText, t.querySelectorAll(':not(br)').length,"
                       " t.style.visibility] : null; })()")
    assert tip is not None and tip[0].startswith(HOSTILE) and tip[1] == 0 and tip[2] != "hidden", tip
    assert browser.eval("window.__pwned || 0") == 0 and browser.errors == []


def _visible(edges: list[dict[str, Any]], nodes: list[dict[str, Any]], preds: set[str], types: set[str],
             since: str = "", until: str = "", undated: bool = True) -> tuple[int, int]:
    etype = {n["id"]: n["etype"] for n in nodes}

    def in_range(dates: list[str]) -> bool:
        if not since and not until:
            return True
        if not dates:
            return undated
        return any(d + "-12-31"[len(d) - 4:] >= (since or "0000") and d <= (until or "9999-12-31") for d in dates)

    shown = [e for e in edges if e["pred"] in preds and in_range(e["dates"])
             and etype[e["from"]] in types and etype[e["to"]] in types]
    touched = {x for e in shown for x in (e["from"], e["to"])}
    return len(touched), len(shown)


@pytest.mark.browser
def test_browser_filters_and_date_range_change_what_is_drawn(browser: Session, tmp_path: Path) -> None:
    rels = synthetic(80, seed=4)
    nodes, edges, _ = map_data(rels)
    _load(browser, render_map(rels), tmp_path / "f.html")
    preds = {e["pred"] for e in edges}
    types = {n["etype"] for n in nodes}
    assert _drawn(browser) == (len(nodes), len(edges))

    def click(selector: str) -> None:
        browser.eval(f"document.querySelector({json.dumps(selector)}).click()")

    click('#gkg-preds input[value="SUPPORTS"]')
    assert _drawn(browser) == _visible(edges, nodes, preds - {"SUPPORTS"}, types)
    click('#gkg-types input[value="Person"]')
    expected = _visible(edges, nodes, preds - {"SUPPORTS"}, types - {"Person"})
    assert _drawn(browser) == expected and expected[1] < len(edges)
    click("#gkg-reset")
    assert _drawn(browser) == (len(nodes), len(edges))

    def dates(since: str, until: str) -> None:
        browser.eval("(() => { for (const [id, v] of [['gkg-since', %s], ['gkg-until', %s]]) {"
                     " const i = document.getElementById(id); i.value = v;"
                     " i.dispatchEvent(new Event('change')); } })()" % (json.dumps(since), json.dumps(until)))

    dates("2024-01-01", "2024-06-30")
    expected = _visible(edges, nodes, preds, types, "2024-01-01", "2024-06-30")
    assert _drawn(browser) == expected and 0 < expected[1] < len(edges)
    click("#gkg-undated")
    expected2 = _visible(edges, nodes, preds, types, "2024-01-01", "2024-06-30", undated=False)
    assert _drawn(browser) == expected2 and expected2[1] < expected[1]
    click("#gkg-orphans")  # show actors whose links are all hidden
    assert _drawn(browser) == (len(nodes), expected2[1])
    assert browser.errors == []


@pytest.mark.browser
def test_browser_click_on_edge_lists_its_evidence(browser: Session, tmp_path: Path) -> None:
    _, rels, _ = make_sample()
    _load(browser, render_map(rels), tmp_path / "c.html")
    target = next(e for e in map_data(rels)[1] if e["pred"] == "REPRESENTS")
    x, y = browser.eval(
        "(() => { const p = network.getPositions(['%s', '%s']), r = document.getElementById('mynetwork')"
        ".getBoundingClientRect(); const a = network.canvasToDOM(p['%s']), b = network.canvasToDOM(p['%s']);"
        " return [r.left + (a.x + b.x) / 2, r.top + (a.y + b.y) / 2]; })()"
        % (target["from"], target["to"], target["from"], target["to"]))
    browser.click(x, y)
    browser.eval("new Promise(ok => setTimeout(ok, 200))")
    assert browser.eval("network.getSelectedEdges()") == [target["id"]]
    panel = browser.eval("(() => { const d = document.getElementById('gkg-detail'); return {"
                         " head: d.querySelector('h2').textContent,"
                         " items: [...d.querySelectorAll('li')].map(li => li.textContent),"
                         " links: [...d.querySelectorAll('a')].map(a => a.href)}; })()")
    assert panel["head"] == "Jean Dupont REPRESENTS France"
    assert len(panel["items"]) == 1 and "Paris soutient Rabat." in panel["items"][0]
    assert "Accord" in panel["items"][0] and panel["links"] == ["https://example.org/a"]


@pytest.mark.browser
def test_png_snapshot(tmp_path: Path) -> None:
    _, rels, _ = make_sample()
    page = tmp_path / "m.html"
    page.write_text(render_map(rels), encoding="utf-8")
    png = tmp_path / "m.png"
    screenshot(page, png, width=800, height=500)
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == (800, 500)
    assert png.stat().st_size > 5000


@pytest.mark.browser
def test_cli_map_png(tmp_path: Path) -> None:
    from graphkg.cli import cli

    _, rels, _ = make_sample()
    _seed_store(tmp_path / "h", rels)
    out, png = tmp_path / "m.html", tmp_path / "m.png"
    res = CliRunner().invoke(cli, ["--home", str(tmp_path / "h"), "map", "-o", str(out), "--png", str(png)])
    assert res.exit_code == 0, res.output
    assert out.exists() and struct.unpack(">II", png.read_bytes()[16:24]) == (1600, 1000)


def _components_graph() -> list[Relation]:
    """~50 actors in 8 components of sizes 20, 8, 6, 4, 3, 3, 2, 2 (stars and paths)."""
    rels, k = [], 0
    for size in (20, 8, 6, 4, 3, 3, 2, 2):
        ents = [Entity(f"c/{k + i}", f"Actor number {k + i}", EntityType.COUNTRY, ()) for i in range(size)]
        for i in range(1, size):
            hub = ents[0] if size > 4 else ents[i - 1]
            pv = Provenance(f"a{k}", "x", 0, 1, "m", 0.9, title="t")
            rels.append(Relation(hub, Predicate.SUPPORTS, ents[i], pv, (), None))
        k += size
    return rels


def test_components_are_packed_into_a_screen_shaped_box() -> None:
    from graphkg.maps.layout import bounding_box

    nodes = map_data(_components_graph())[0]
    pos = {n["id"]: (n["x"], n["y"]) for n in nodes}
    x0, y0, x1, y1 = bounding_box(pos)
    w, h = x1 - x0, y1 - y0
    assert 0.6 < w / h < 2.0, (w, h)
    assert w * h < len(nodes) * 110 ** 2 * 4, (w, h)  # no far-away corner component


@pytest.mark.browser
def test_browser_labels_are_drawn_at_fit_zoom(browser: Session, tmp_path: Path) -> None:
    _load(browser, render_map(_components_graph()), tmp_path / "labels.html")
    scale, threshold, smallest = browser.eval(
        "(() => { const ns = Object.values(network.body.nodes);"
        " return [network.getScale(), ns[0].options.scaling.label.drawThreshold,"
        " Math.min(...ns.map(n => n.options.font.size))]; })()")
    assert smallest * scale >= threshold - 1, (scale, threshold, smallest)  # vis-network draws the labels
    assert smallest * scale >= 8, (scale, smallest)  # and they are readable
