/// The console's style sheet and its one script, served from memory (no third-party code,
/// nothing to install).
enum ConsoleAssets {
  static let css = """
    :root { --ink: #1d2330; --muted: #667085; --line: #d8dde6; --bg: #f6f7f9; --ok: #117a43; --bad: #b42318; --warn: #a15c07; --info: #1d4ed8; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
    header.top { display: flex; gap: 24px; align-items: center; padding: 10px 24px; background: #101828; color: #fff; }
    header.top a { color: #d0d5dd; text-decoration: none; }
    header.top .brand { color: #fff; font-weight: 700; }
    header.top nav a { margin-right: 16px; padding: 4px 2px; }
    header.top nav a[aria-current] { color: #fff; border-bottom: 2px solid #60a5fa; }
    header.top .who { margin-left: auto; display: flex; gap: 8px; align-items: center; }
    main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 48px; }
    h1 { font-size: 22px; margin: 8px 0 12px; } h2 { font-size: 16px; margin: 20px 0 8px; } h3 { font-size: 14px; margin: 0 0 6px; }
    a { color: var(--info); }
    .muted { color: var(--muted); } small { font-weight: normal; }
    .crumbs { margin: 0; color: var(--muted); }
    table.grid, table.diff, table.listing { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
    table.grid th, table.grid td, table.diff th, table.diff td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
    table.grid th { background: #eef1f5; font-weight: 600; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; width: 1%; white-space: nowrap; }
    tr.isolated td { background: #fffaeb; } tr.current td { background: #ecfdf3; }
    .badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; border: 1px solid; }
    .badge.ok { color: var(--ok); } .badge.bad { color: var(--bad); } .badge.warn { color: var(--warn); } .badge.info { color: var(--info); }
    .card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 12px 0; }
    .card.narrow { max-width: 420px; } .card.gray { border-color: #93c5fd; } .card.problems { border-color: var(--bad); }
    .flash { background: #ecfdf3; border: 1px solid #abefc6; padding: 8px 12px; border-radius: 6px; }
    .error { background: #fef3f2; border: 1px solid #fecdca; padding: 8px 12px; border-radius: 6px; white-space: pre-wrap; }
    form.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; margin: 8px 0 12px; }
    form.inline { display: inline; }
    label { display: block; margin: 6px 0; } form.filters label { margin: 0; }
    input, select, textarea, button { font: inherit; }
    input, select { padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; }
    textarea { display: block; width: 100%; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; padding: 8px; border: 1px solid var(--line); border-radius: 4px; }
    button { padding: 4px 12px; border: 1px solid #98a2b3; border-radius: 4px; background: #fff; cursor: pointer; }
    button.primary { background: #1d4ed8; color: #fff; border-color: #1d4ed8; } button.danger { color: var(--bad); }
    button.small { padding: 1px 8px; font-size: 12px; } button.link { border: 0; background: none; color: #d0d5dd; padding: 0; }
    pre.content { background: #f8fafc; border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 420px; margin: 6px 0; }
    code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; white-space: pre-wrap; }
    table.diff tr.changed td { background: #fffaeb; } table.diff tr.removed td { background: #fef3f2; } table.diff tr.added td { background: #ecfdf3; }
    table.listing td { padding: 1px 8px; border: 0; } table.listing tr.marked td { background: #fef3f2; }
    .note { color: var(--bad); font-size: 12px; }
    svg.spark polyline { fill: none; stroke: var(--info); stroke-width: 1.5; } svg.spark.bad polyline { stroke: var(--bad); }
    td.chart { white-space: nowrap; }
    svg.spark { background: #f8fafc; border: 1px solid var(--line); vertical-align: middle; }
    svg.graph { background: #fff; border: 1px solid var(--line); max-width: 100%; height: auto; }
    svg.graph rect.node { fill: #eef4ff; stroke: #1d4ed8; } svg.graph text { font-size: 13px; fill: var(--ink); }
    svg.graph line.edge { stroke: #667085; stroke-width: 1.5; } svg.graph line.edge.failing { stroke: var(--bad); }
    svg.graph text.rate { font-size: 11px; fill: var(--muted); } svg.graph marker path { fill: #667085; }
    svg.waterfall { background: #fff; border: 1px solid var(--line); }
    svg.waterfall rect.bar { fill: #93c5fd; } svg.waterfall rect.bar.server { fill: #1d4ed8; } svg.waterfall rect.bar.client { fill: #60a5fa; }
    svg.waterfall rect.bar.failing { fill: var(--bad); } tr.failing td { background: #fef3f2; }
    .columns { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 12px; }
    body.live-updated main { outline: 0; }
    """

  /// Live updates for pages without an editor: when the store changes, the page is read
  /// again and its `<main>` swapped, unless the user is in a field. Pages work without it.
  static let js = """
    "use strict";
    (function () {
      if (!document.body) return;
      var timer = null;
      function busy() {
        var active = document.activeElement;
        return active && (active.tagName === "INPUT" || active.tagName === "TEXTAREA" || active.tagName === "SELECT");
      }
      function refresh() {
        timer = null;
        if (busy()) { timer = setTimeout(refresh, 1000); return; }
        fetch(window.location.href, { credentials: "same-origin" }).then(function (response) {
          return response.ok ? response.text() : null;
        }).then(function (html) {
          if (!html) return;
          var next = new DOMParser().parseFromString(html, "text/html").getElementById("main");
          var main = document.getElementById("main");
          if (next && main) { main.replaceWith(next); document.body.dataset.updated = String(Date.now()); }
        }).catch(function () {});
      }
      var every = Number(document.body.dataset.refresh || 0);
      if (every > 0) setInterval(function () { if (timer === null) refresh(); }, every * 1000);
      if (!document.body.dataset.live || !window.EventSource) return;
      var events = new EventSource("/console/events");
      events.addEventListener("change", function () {
        if (timer === null) timer = setTimeout(refresh, 250);
      });
    })();
    """
}
