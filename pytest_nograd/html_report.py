"""The HTML report (``--nograd-html``): one self-contained page rendered from the same
plain data as the JSON report.

``render`` is a pure function (data in, HTML text out), so it is tested without a
browser; the page needs no network to be viewed: its styles, script and charts are all
inline, and a Content-Security-Policy forbids every fetch, so a page that tried one would
show a console error. The charts are inline SVG drawn here (docs/plugin.md says why no
charting library), the tables sort with a few lines of vanilla JavaScript, and every
string from the run (node ids, messages, file names) goes through ``html.escape``.
"""
from __future__ import annotations

import os
from collections import Counter
from html import escape
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .findings import EVAL_GRAPH, KINDS
from .sizes import format_size

MODE_COLOURS = {"grad": "#c0392b", "no_grad": "#1f6fb2", "inference_mode": "#2e8b57"}
KIND_HELP = {
    "grad-mode-leak": "a test or fixture changed global autograd state and did not restore it",
    "eval-builds-graph": "a module in eval mode ran with grad enabled and its graph was never used",
    "step-without-grad": "an optimizer stepped although no parameter had a gradient",
}

# Nothing may be fetched: only the page's own inline style and script run.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"

# A bar chart row: label, value, spread (a whisker of +- spread) or None, colour, the
# value as text.
Row = Tuple[str, float, Optional[float], str, str]

_CSS = """
:root { --fg: #1d2330; --muted: #5b6474; --line: #d8dde6; --bg: #ffffff; --soft: #f4f6f9;
        --ok: #1e7b45; --bad: #b3261e; --warn: #8a5a00; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--fg); background: var(--bg); }
main { max-width: 1180px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 0 0 8px; word-break: break-all; }
h4 { font-size: 14px; margin: 14px 0 6px; }
a { color: #1f5fa8; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 14px 0 4px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; background: var(--soft);
        min-width: 130px; }
.card b { display: block; font-size: 20px; }
.card.bad b { color: var(--bad); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
th button { all: unset; cursor: pointer; }
th button:focus-visible { outline: 2px solid #1f5fa8; }
th[aria-sort] button::after { content: " \\2195"; color: var(--muted); }
th[aria-sort="ascending"] button::after { content: " \\2191"; color: var(--fg); }
th[aria-sort="descending"] button::after { content: " \\2193"; color: var(--fg); }
td.msg { max-width: 560px; }
.outcome { font-weight: 600; }
.outcome.passed { color: var(--ok); }
.outcome.failed, .outcome.error { color: var(--bad); }
.outcome.skipped { color: var(--muted); }
.kind { display: inline-block; border-radius: 4px; padding: 0 6px; background: #fdecea; color: var(--bad);
        font-size: 12.5px; white-space: nowrap; }
section.test { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 14px 0; }
section.test:target { box-shadow: 0 0 0 3px #9cc3f0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 8px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
ul.findings { margin: 6px 0; padding-left: 18px; }
ul.findings li { margin: 4px 0; }
figure.chart-group { margin: 12px 0; padding: 10px 12px; background: var(--soft); border-radius: 6px; }
figure.chart-group figcaption { font-weight: 600; margin-bottom: 6px; }
.charts { display: flex; flex-wrap: wrap; gap: 8px 12px; }
svg.chart { background: var(--bg); border: 1px solid var(--line); border-radius: 4px; }
svg.chart text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; fill: var(--fg); }
svg.chart text.title { font-weight: 600; }
svg.chart .axis { stroke: var(--line); }
svg.chart .whisker { stroke: var(--fg); stroke-width: 1.2; }
.verdict { margin: 8px 0 0; font-weight: 600; }
.verdict.ok { color: var(--ok); }
.verdict.bad { color: var(--bad); }
.verdict.na { color: var(--muted); font-weight: normal; }
.warning { color: var(--warn); }
.note { color: var(--muted); margin: 6px 0 0; }
footer { margin-top: 36px; color: var(--muted); font-size: 12.5px; }
"""

_JS = """
(function () {
  "use strict";
  function key(row, col, numeric) {
    var cell = row.cells[col];
    var raw = !cell ? "" : (cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent);
    if (!numeric) return raw.trim().toLowerCase();
    var n = parseFloat(raw);
    return isNaN(n) ? null : n;
  }
  function sortTable(table, col, descending) {
    var head = table.tHead.rows[0].cells;
    var numeric = head[col].getAttribute("data-type") === "number";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, col, numeric), y = key(b, col, numeric);
      if (x === y) return 0;
      if (x === null) return 1;  // a missing value sorts last either way
      if (y === null) return -1;
      return (x < y ? -1 : 1) * (descending ? -1 : 1);
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(head, function (th) {
      if (th.hasAttribute("aria-sort")) th.setAttribute("aria-sort", "none");
    });
    head[col].setAttribute("aria-sort", descending ? "descending" : "ascending");
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var state = th.getAttribute("aria-sort");
        // Numbers sort largest first on the first click: "which test is biggest" is the usual question.
        var descending = state === "none" ? th.getAttribute("data-type") === "number" : state === "ascending";
        sortTable(table, col, descending);
      });
    });
  });
  window.nogradSortTable = sortTable;
})();
"""


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f} ms"


def _where(record: Dict[str, Any]) -> str:
    if record.get("filename") and record.get("lineno"):
        return f"{record['filename']}:{record['lineno']}"
    return record.get("filename") or ""


# ------------------------------------------------------------------------------- charts


def bar_chart(title: str, rows: Sequence[Row], width: int = 340) -> str:
    """A horizontal bar chart as inline SVG: one bar per row, an optional +-spread
    whisker, the value written after the bar. Bars share one linear scale from 0."""
    label_w, text_w, row_h, top = 96, 108, 26, 30
    bar_max = width - label_w - text_w - 12
    height = top + row_h * len(rows) + 10
    peak = max((v + (s or 0.0) for _, v, s, _, _ in rows), default=0.0)
    scale = bar_max / peak if peak > 0 else 0.0
    x0 = label_w + 6
    parts = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">',
             f'<text class="title" x="10" y="19">{_e(title)}</text>',
             f'<line class="axis" x1="{x0}" y1="{top - 4}" x2="{x0}" y2="{height - 6}"/>']
    for i, (label, value, spread, colour, text) in enumerate(rows):
        y = top + i * row_h
        w = value * scale
        parts.append(f'<text x="{label_w}" y="{y + 15}" text-anchor="end">{_e(label)}</text>')
        parts.append(f'<rect class="bar" x="{x0}" y="{y + 3}" width="{w:.2f}" height="{row_h - 8}" '
                     f'fill="{colour}" rx="2"><title>{_e(label)}: {_e(text)}</title></rect>')
        end = w
        if spread:
            lo, hi = max(0.0, (value - spread) * scale), (value + spread) * scale
            mid = y + 3 + (row_h - 8) / 2
            parts.append(f'<path class="whisker" d="M{x0 + lo:.2f} {mid}H{x0 + hi:.2f}'
                         f'M{x0 + lo:.2f} {mid - 4}v8M{x0 + hi:.2f} {mid - 4}v8" fill="none"/>')
            end = max(end, hi)
        parts.append(f'<text x="{x0 + end + 6:.2f}" y="{y + 15}">{_e(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _label(mode: str) -> str:
    return "grad enabled" if mode == "grad" else mode


def comparison_figure(cmp: Dict[str, Any]) -> str:
    """Time, peak memory and bytes saved for backward per mode, and whether the
    predictions matched, for one compare_modes / assert_same_predictions call."""
    modes = cmp["modes"]
    colour = {m["mode"]: MODE_COLOURS.get(m["mode"], "#777") for m in modes}
    time_rows: List[Row] = []
    for m in modes:
        ratio = f", {m['ratio']:.2f}x" if m.get("ratio") is not None and m["mode"] != "grad" else ""
        time_rows.append((_label(m["mode"]), m["seconds"], m["spread"], colour[m["mode"]],
                          f"{_ms(m['seconds'])}{ratio}"))
    charts = [bar_chart(f"time, median of {cmp.get('repeats', '?')} (± spread)", time_rows)]
    devices = sorted({d for m in modes for d in m["peak_bytes"]})
    for device in devices or ["cpu"]:
        rows = [(_label(m["mode"]), float(m["peak_bytes"].get(device, 0)), None, colour[m["mode"]],
                 format_size(m["peak_bytes"].get(device, 0))) for m in modes]
        charts.append(bar_chart(f"peak memory ({device})", rows))
    if any(m.get("saved_bytes") is not None for m in modes):
        rows = [(_label(m["mode"]), float(m.get("saved_bytes") or 0), None, colour[m["mode"]],
                 "not measured" if m.get("saved_bytes") is None else format_size(m["saved_bytes"]))
                for m in modes]
        charts.append(bar_chart("saved for backward", rows))
    if cmp["same_predictions"]:
        verdict = ('<p class="verdict ok">Predictions matched: no_grad and inference_mode give the '
                   'grad-enabled output.</p>')
    else:
        bad = ", ".join(m["mode"] for m in modes if not m["matches"])
        origin = f" (output first depends on the grad mode in {_e(cmp['mode_dependent'])})" \
            if cmp.get("mode_dependent") else ""
        verdict = f'<p class="verdict bad">Predictions DIFFER under {_e(bad)}{origin}.</p>'
    where = _where(cmp)
    head = (f'Mode comparison of <code>{_e(cmp["name"])}</code>'
            + (f' <span class="muted mono">at {_e(where)}</span>' if where else ""))
    note = (f'<p class="note">{cmp.get("repeats", "?")} timed runs per mode, alternating, after '
            f'{cmp.get("warmup", "?")} warm-up round(s)'
            + (", CUDA synchronized" if cmp.get("cuda_synchronized") else "") + ".</p>")
    warnings = "".join(f'<p class="warning">Warning: {_e(w)}</p>' for w in cmp.get("warnings", []))
    return (f'<figure class="chart-group comparison"><figcaption>{head}</figcaption>'
            f'<div class="charts">{"".join(charts)}</div>{verdict}{warnings}{note}</figure>')


def eval_graph_figure(finding: Dict[str, Any], compared: bool) -> str:
    """The memory an eval-builds-graph finding's unused graph kept alive, against the
    none a no_grad call keeps. Only what the sanitizer measured: it does not time the
    call or compare outputs, and the figure says so rather than inventing figures."""
    module = finding.get("module") or "the module"
    nbytes = finding.get("graph_bytes")
    head = f'<code>{_e(module)}</code> in eval mode with and without no_grad'
    if nbytes is None:
        chart = '<p class="note">The size of the graph could not be read, so there is no memory chart.</p>'
    else:
        chart = '<div class="charts">' + bar_chart("memory held by the unused graph", [
            ("grad enabled", float(nbytes), None, MODE_COLOURS["grad"], f"{format_size(nbytes)} (as run)"),
            ("under no_grad", 0.0, None, MODE_COLOURS["no_grad"], "0 B: no graph"),
        ]) + "</div>"
    timing = ("this test's mode comparison of it (below) has the timings and the prediction check."
              if compared else "compare_modes / assert_same_predictions on this model would measure them.")
    note = ('<p class="note">Graph memory is the saved tensors and outputs the graph kept alive, '
            'parameters excluded; under no_grad no graph is built. Time: not measured by the '
            'sanitizer. Predictions: not compared by the sanitizer; ' + _e(timing) + "</p>")
    verdict = '<p class="verdict na">Predictions matched: not checked for this finding.</p>'
    return (f'<figure class="chart-group eval-graph"><figcaption>{head}</figcaption>'
            f'{chart}{verdict}{note}</figure>')


# ------------------------------------------------------------------------------- tables


def _th(text: str, numeric: bool = False) -> str:
    kind = ' data-type="number" class="num"' if numeric else ""
    return f'<th aria-sort="none"{kind}><button type="button">{_e(text)}</button></th>'


def _num_td(value: Optional[int], text: Optional[str] = None) -> str:
    if value is None:
        return '<td class="num" data-sort="">-</td>'
    return f'<td class="num" data-sort="{value}">{_e(text if text is not None else value)}</td>'


def _has_details(test: Dict[str, Any]) -> bool:
    return bool(test["findings"] or test.get("comparisons") or test["measurements"])


def _tests_table(tests: List[Dict[str, Any]], anchors: Dict[str, str]) -> str:
    devices = sorted({d for t in tests for d in (t["measurements"].get("peak_bytes") or {})})
    head = ([_th("test"), _th("outcome")] + [_th(f"peak {d}", True) for d in devices]
            + [_th("saved for backward", True), _th("findings", True), _th("mode comparisons", True)])
    rows = []
    for t in tests:
        m = t["measurements"]
        nodeid = _e(t["nodeid"])
        name = f'<a href="#{anchors[t["nodeid"]]}">{nodeid}</a>' if t["nodeid"] in anchors else nodeid
        peaks = m.get("peak_bytes") or {}
        cells = [f'<td class="mono">{name}</td>',
                 f'<td class="outcome {_e(t["outcome"])}">{_e(t["outcome"])}</td>']
        cells += [_num_td(peaks.get(d), format_size(peaks[d]) if d in peaks else None) for d in devices]
        saved = m.get("saved_bytes")
        cells.append(_num_td(saved, format_size(saved) if saved is not None else None))
        cells.append(_num_td(len(t["findings"])))
        cells.append(_num_td(len(t.get("comparisons", []))))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="sortable" id="tests-table"><thead><tr>{"".join(head)}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _findings_table(findings: List[Dict[str, Any]], anchors: Dict[str, str]) -> str:
    head = [_th("kind"), _th("test"), _th("where"), _th("graph kept alive", True), _th("message")]
    rows = []
    for f in findings:
        nodeid = _e(f["nodeid"])
        link = f'<a href="#{anchors[f["nodeid"]]}">{nodeid}</a>' if f["nodeid"] in anchors else nodeid
        graph = f.get("graph_bytes")
        rows.append(f'<tr><td><span class="kind">{_e(f["kind"])}</span></td><td class="mono">{link}</td>'
                    f'<td class="mono">{_e(_where(f))}</td>'
                    + _num_td(graph, format_size(graph) if graph is not None else None)
                    + f'<td class="msg">{_e(f["message"])}</td></tr>')
    return (f'<table class="sortable" id="findings-table"><thead><tr>{"".join(head)}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _test_section(test: Dict[str, Any], anchor: str) -> str:
    m = test["measurements"]
    facts = [("outcome", f'<span class="outcome {_e(test["outcome"])}">{_e(test["outcome"])}</span>')]
    for device, nbytes in sorted((m.get("peak_bytes") or {}).items()):
        size = f'{_e(format_size(nbytes))} <span class="muted">({nbytes} bytes)</span>'
        facts.append((f"peak memory ({_e(device)})", size))
    if m.get("saved_bytes") is not None:
        facts.append(("saved for backward", _e(format_size(m["saved_bytes"]))))
    if m.get("graph_ops"):
        facts.append(("graph-building ops", _e(m["graph_ops"])))
    parts = [f'<section class="test" id="{anchor}"><h3 class="mono">{_e(test["nodeid"])}</h3>',
             '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>"]
    allocations = m.get("largest_allocations") or []
    if allocations:
        rows = "".join(f'<tr><td class="num">{_e(format_size(a["bytes"]))}</td><td>{_e(a.get("device", ""))}</td>'
                       f'<td class="mono">{_e(a.get("op", ""))}</td><td class="mono">{_e(_where(a))}</td></tr>'
                       for a in allocations)
        parts.append('<h4>largest allocations alive at the peak</h4><table><thead><tr><th class="num">size</th>'
                     f'<th>device</th><th>op</th><th>where</th></tr></thead><tbody>{rows}</tbody></table>')
    if test["findings"]:
        items = "".join(f'<li><span class="kind">{_e(f["kind"])}</span> '
                        + (f'<span class="mono">{_e(_where(f))}</span> ' if _where(f) else "")
                        + f'{_e(f["message"])}</li>' for f in test["findings"])
        parts.append(f'<h4>findings</h4><ul class="findings">{items}</ul>')
    compared = {c["name"] for c in test.get("comparisons", [])}
    for f in test["findings"]:
        if f["kind"] == EVAL_GRAPH:
            parts.append(eval_graph_figure(f, f.get("module") in compared))
    for cmp in test.get("comparisons", []):
        parts.append(comparison_figure(cmp))
    parts.append("</section>")
    return "".join(parts)


# --------------------------------------------------------------------------------- page


def render(data: Dict[str, Any], title: str = "pytest-nograd report", generated: Optional[str] = None) -> str:
    """The whole page for the JSON report's data (``SessionResults.to_json()``)."""
    tests: List[Dict[str, Any]] = data.get("tests", [])
    # Each finding links to the test whose report carried it.
    findings = [dict(f, nodeid=t["nodeid"]) for t in tests for f in t["findings"]]
    anchors = {t["nodeid"]: f"t{i}" for i, t in enumerate(tests) if _has_details(t)}
    outcomes = Counter(t["outcome"] for t in tests)
    by_kind = Counter(f["kind"] for f in findings)
    comparisons = sum(len(t.get("comparisons", [])) for t in tests)
    cards = [(len(tests), "tests", False)]
    cards += [(n, o, o in ("failed", "error")) for o, n in sorted(outcomes.items())]
    cards += [(len(findings), "findings", bool(findings)), (comparisons, "mode comparisons", False)]
    card_html = "".join(f'<div class="card{" bad" if bad else ""}"><b>{n}</b>{_e(what)}</div>'
                        for n, what, bad in cards)
    if findings:
        kinds = [k for k in KINDS if by_kind[k]] + sorted(k for k in by_kind if k not in KINDS)
        summary_rows = "".join(
            f'<tr><td><span class="kind">{_e(k)}</span></td><td class="num">{by_kind[k]}</td>'
            f'<td class="muted">{_e(KIND_HELP.get(k, ""))}</td><td>'
            + ", ".join(f'<a class="mono" href="#{anchors[n]}">{_e(n)}</a>'
                        for n in sorted({f["nodeid"] for f in findings if f["kind"] == k}))
            + "</td></tr>" for k in kinds)
        summary = ('<table id="kinds-table"><thead><tr><th>kind</th><th class="num">findings</th><th>meaning</th>'
                   f'<th>tests</th></tr></thead><tbody>{summary_rows}</tbody></table>'
                   '<h4>every finding</h4>' + _findings_table(findings, anchors))
    else:
        summary = '<p class="muted">No findings.</p>'
    details = "".join(_test_section(t, anchors[t["nodeid"]]) for t in tests if t["nodeid"] in anchors)
    crashed = data.get("crashed") or []
    crashed_html = ("<h2>Crashed (no measurements)</h2><ul>"
                    + "".join(f'<li class="mono">{_e(n)}</li>' for n in crashed) + "</ul>") if crashed else ""
    stamp = f' <span class="muted">generated {_e(generated)}</span>' if generated else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<h1>{_e(title)}</h1>{stamp}
<div class="cards">{card_html}</div>
<h2 id="findings">Findings by kind</h2>
{summary}
<h2 id="tests">Tests</h2>
<p class="muted">Click a column header to sort. Peak memory and bytes saved for backward are measured for tests
with a memory_budget or autograd_budget marker (or a default budget).</p>
{_tests_table(tests, anchors)}
<h2 id="details">Per test</h2>
{details or '<p class="muted">No test has findings, measurements or mode comparisons.</p>'}
{crashed_html}
<footer>pytest-nograd. Charts are inline SVG; this page loads nothing from the network.</footer>
</main>
<script>{_JS}</script>
</body>
</html>
"""


def write_html(path: str, data: Dict[str, Any], generated: Optional[str] = None) -> None:
    """Render and write atomically: a reader never sees a half-written page."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(render(data, generated=generated))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
