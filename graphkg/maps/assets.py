"""Static CSS and JavaScript embedded in every map (no data inside: data travel as escaped JSON).

The controls script reads the pyvis globals ``network``, ``nodes`` and ``edges`` and the JSON
config in ``#gkg-config``. Everything taken from the data is written with ``textContent`` or
DOM properties, never ``innerHTML``; links are made only for http(s) URLs.
"""

from __future__ import annotations

__all__ = ["CSS", "CONTROLS_JS"]

CSS = """
body { margin: 0; font-family: system-ui, sans-serif; font-size: 13px; }
.card { border: 0 !important; }
#mynetwork { border: 0 !important; }
#gkg-panel { position: fixed; top: 0; right: 0; width: 340px; height: 100vh; overflow-y: auto;
  box-sizing: border-box; padding: 8px 10px; border-left: 1px solid #ccc; background: #fafafa; }
#gkg-panel h1 { font-size: 1.25em; margin: 0 0 6px 0; overflow-wrap: anywhere; }
#gkg-panel h2 { font-size: 1em; margin: 10px 0 4px 0; }
#gkg-panel fieldset { border: 1px solid #ddd; margin: 6px 0; padding: 4px 6px; }
#gkg-panel label { display: inline-block; margin-right: 8px; white-space: nowrap; }
#gkg-panel input[type=search] { width: 100%; box-sizing: border-box; }
#gkg-count, #gkg-status { color: #444; margin: 4px 0; }
#gkg-detail { border-top: 1px solid #ccc; margin-top: 8px; padding-top: 4px; }
#gkg-detail ol { padding-left: 18px; }
#gkg-detail li { margin-bottom: 8px; }
#gkg-detail q { display: block; font-style: italic; }
#gkg-detail .meta { color: #555; font-size: 0.92em; }
#gkg-detail button { font-size: 0.92em; text-align: left; margin: 1px 0; }
.gkg-sw { display: inline-block; width: 10px; height: 10px; margin-right: 3px; vertical-align: middle; }
.gkg-line { display: inline-block; width: 18px; height: 3px; margin-right: 3px; vertical-align: middle; }
.vis-tooltip { white-space: pre-wrap !important; max-width: 460px; font-size: 12px !important; }
"""

CONTROLS_JS = r"""
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("gkg-config").textContent);
  var probe = window.__gkg = { firstDraw: null, draws: 0 }, moved = false;
  network.on("afterDrawing", function () {
    probe.draws += 1;
    if (probe.firstDraw === null) {
      probe.firstDraw = performance.now();
      document.documentElement.setAttribute("data-gkg-drawn", "1");
      // labels are measured while drawing: fit once more so the widest ones are inside the view
      if (!moved) { network.fit({ animation: false }); }
    }
  });
  var $ = function (id) { return document.getElementById(id); };
  var nodeList = nodes.get(), edgeList = edges.get(), byId = {};
  nodeList.forEach(function (n) { byId[n.id] = n; });
  var state = { preds: new Set(cfg.predicates), types: new Set(cfg.types),
                since: "", until: "", undated: true, orphans: true };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } }
  function httpUrl(u) {
    try { var p = new URL(u); return p.protocol === "http:" || p.protocol === "https:"; }
    catch (err) { return false; }
  }
  function checkboxes(boxId, values, set, name) {
    var box = $(boxId);
    values.forEach(function (v) {
      var label = el("label"), cb = el("input");
      cb.type = "checkbox"; cb.checked = true; cb.value = v; cb.name = name;
      cb.addEventListener("change", function () {
        if (cb.checked) { set.add(v); } else { set.delete(v); }
        apply();
      });
      label.appendChild(cb);
      label.appendChild(document.createTextNode(" " + ((cfg.labels && cfg.labels[v]) || v)));
      box.appendChild(label);
    });
  }
  function inRange(dates) {
    if (!state.since && !state.until) { return true; }
    if (!dates || !dates.length) { return state.undated; }
    var lo = state.since || "0000", hi = state.until || "9999-12-31";
    return dates.some(function (d) { return d + "-12-31".slice(d.length - 4) >= lo && d <= hi; });
  }
  function apply() {
    var edgeUpd = [], nodeUpd = [], touched = {}, shownEdges = 0, shownNodes = 0;
    edgeList.forEach(function (e) {
      var show = state.preds.has(e.pred) && inRange(e.dates) &&
                 state.types.has(byId[e.from].etype) && state.types.has(byId[e.to].etype);
      if (show) { touched[e.from] = true; touched[e.to] = true; shownEdges += 1; }
      if (Boolean(e.hidden) === show) { e.hidden = !show; edgeUpd.push({ id: e.id, hidden: !show }); }
    });
    nodeList.forEach(function (n) {
      var show = state.types.has(n.etype) && (!state.orphans || n.deg === 0 || touched[n.id] === true);
      if (show) { shownNodes += 1; }
      if (Boolean(n.hidden) === show) { n.hidden = !show; nodeUpd.push({ id: n.id, hidden: !show }); }
    });
    if (nodeUpd.length) { nodes.update(nodeUpd); }
    if (edgeUpd.length) { edges.update(edgeUpd); }
    var c = $("gkg-count");
    c.textContent = "showing " + shownNodes + " of " + nodeList.length + " actors, " +
                    shownEdges + " of " + edgeList.length + " links";
    c.setAttribute("data-nodes", shownNodes); c.setAttribute("data-edges", shownEdges);
  }
  function evidenceItem(ev) {
    var li = el("li");
    li.appendChild(el("q", ev.t));
    var meta = el("div", null, "meta");
    if (ev.u && httpUrl(ev.u)) {
      var a = el("a", ev.a || ev.u);
      a.href = ev.u; a.target = "_blank"; a.rel = "noopener noreferrer";
      meta.appendChild(a);
    } else { meta.appendChild(el("span", ev.a || ev.s || "")); }
    var rest = [ev.d, ev.p, "confidence " + ev.c].filter(function (x) { return x; });
    meta.appendChild(document.createTextNode(" · " + rest.join(" · ")));
    li.appendChild(meta);
    return li;
  }
  function showEdge(id) {
    var e = edges.get(id), box = $("gkg-detail");
    if (!e) { return; }
    clear(box);
    box.appendChild(el("h2", byId[e.from].label + " " + e.pred + " " + byId[e.to].label));
    var more = e.ev.length < e.n ? ", first " + e.ev.length + " listed" : "";
    box.appendChild(el("div", e.n + " source(s)" + more, "meta"));
    var ol = el("ol");
    e.ev.forEach(function (ev) { ol.appendChild(evidenceItem(ev)); });
    box.appendChild(ol);
  }
  function showNode(id) {
    var n = byId[id], box = $("gkg-detail");
    if (!n) { return; }
    clear(box);
    box.appendChild(el("h2", n.label));
    box.appendChild(el("div", n.etype + " · " + n.id + (n.bloc !== null ? " · bloc " + (n.bloc + 1) : ""), "meta"));
    if (n.aliases && n.aliases.length) { box.appendChild(el("div", "also: " + n.aliases.join(", "), "meta")); }
    var links = network.getConnectedEdges(id).slice(0, 60), ul = el("ul");
    box.appendChild(el("div", network.getConnectedEdges(id).length + " link(s)", "meta"));
    links.forEach(function (eid) {
      var e = edges.get(eid), li = el("li");
      var b = el("button", byId[e.from].label + " " + e.pred + " " + byId[e.to].label + " (" + e.n + ")");
      b.type = "button";
      b.addEventListener("click", function () { network.selectEdges([eid]); showEdge(eid); });
      li.appendChild(b); ul.appendChild(li);
    });
    box.appendChild(ul);
  }
  function find(q) {
    q = q.trim().toLowerCase();
    if (!q) { return null; }
    var exact = nodeList.filter(function (n) {
      return n.label.toLowerCase() === q || String(n.id).toLowerCase() === q ||
             (n.aliases || []).some(function (a) { return a.toLowerCase() === q; });
    });
    if (exact.length) { return exact[0]; }
    var part = nodeList.filter(function (n) { return n.label.toLowerCase().indexOf(q) >= 0; });
    part.sort(function (a, b) { return b.deg - a.deg; });
    return part.length ? part[0] : null;
  }
  function search() {
    var q = $("gkg-search").value, n = find(q), status = $("gkg-status");
    if (!n) { status.textContent = q.trim() ? "no actor matches \u201c" + q + "\u201d" : ""; return; }
    status.textContent = n.hidden ? n.label + " is hidden by the filters" : "";
    network.selectNodes([n.id]);
    network.focus(n.id, { scale: 1.4, animation: false });
    showNode(n.id);
  }
  function reset() {
    state.preds = new Set(cfg.predicates); state.types = new Set(cfg.types);
    state.since = state.until = ""; state.undated = state.orphans = true;
    document.querySelectorAll("#gkg-panel input[type=checkbox]").forEach(function (cb) { cb.checked = true; });
    $("gkg-since").value = ""; $("gkg-until").value = ""; $("gkg-search").value = "";
    $("gkg-status").textContent = "";
    apply();
    network.fit({ animation: false });
  }

  checkboxes("gkg-preds", cfg.predicates, state.preds, "predicate");
  checkboxes("gkg-types", cfg.types, state.types, "type");
  var names = $("gkg-names");
  nodeList.forEach(function (n) { var o = el("option"); o.value = n.label; names.appendChild(o); });
  ["gkg-since", "gkg-until"].forEach(function (id) {
    var input = $(id);
    if (cfg.minDate) { input.min = cfg.minDate; }
    if (cfg.maxDate) { input.max = cfg.maxDate; }
    input.addEventListener("change", function () {
      state.since = $("gkg-since").value; state.until = $("gkg-until").value; apply();
    });
  });
  $("gkg-undated").addEventListener("change", function (ev) { state.undated = ev.target.checked; apply(); });
  $("gkg-orphans").addEventListener("change", function (ev) { state.orphans = ev.target.checked; apply(); });
  $("gkg-search").addEventListener("change", search);
  $("gkg-search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") { search(); } });
  $("gkg-reset").addEventListener("click", reset);
  network.on("click", function (p) {
    if (p.nodes.length) { showNode(p.nodes[0]); }
    else if (p.edges.length) { showEdge(p.edges[0]); }
  });
  // the first fit may run before the canvas has its final size (headless snapshots do): fit again on
  // every resize until the reader moves the view
  ["dragStart", "zoom"].forEach(function (ev) { network.on(ev, function () { moved = true; }); });
  network.on("resize", function () { if (!moved) { network.fit({ animation: false }); } });
  probe.showEdge = showEdge; probe.showNode = showNode; probe.apply = apply;
  apply();
})();
"""
