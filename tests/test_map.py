"""HTML maps: self-contained, escaped, and drawn by a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import make_sample

from graphkg.viz import render_map

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
