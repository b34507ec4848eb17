"""The HTML report (issue 12, item 3): mode comparisons recorded per test, a
self-contained page rendered from the report data, its options, and the page checked
in a real headless Chromium."""
from __future__ import annotations

import os
import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Dict, List

import pytest

from pytest_nograd.html_report import bar_chart, render, write_html
from pytest_nograd.report import JSON_SCHEMA

from .browser import Chromium, find_chromium
from .helpers import by_test, dedent, load_json, outcomes, run

# A small suite with everything the report shows: an eval-builds-graph finding, budgets
# (peak memory, bytes saved for backward), a mode comparison that matches and one that
# does not, a failing test and a node id full of HTML.
SUITE = dedent('''
    import pytest, torch, torch.nn as nn
    from pytest_nograd import assert_same_predictions, compare_modes


    def classifier():
        torch.manual_seed(0)
        return nn.Sequential(nn.Linear(128, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                             nn.Linear(512, 10)).eval()


    class Gated(nn.Module):
        """Branches on the grad mode: its predictions differ under no_grad."""
        def __init__(self):
            super().__init__()
            self.body = nn.Linear(64, 64)

        def forward(self, x):
            y = self.body(x)
            return y if torch.is_grad_enabled() else y * 2


    def test_eval_without_no_grad():
        model = classifier()
        model(torch.randn(64, 128))


    @pytest.mark.memory_budget("64 MiB")
    def test_same_predictions():
        assert_same_predictions(classifier(), torch.randn(64, 128))


    @pytest.mark.autograd_budget("16 MiB")
    def test_training_step():
        model = classifier().train()
        model(torch.randn(64, 128)).sum().backward()


    def test_mode_dependent_model():
        torch.manual_seed(0)
        cmp = compare_modes(Gated().eval(), torch.randn(8, 64))
        assert not cmp.same_predictions


    @pytest.mark.memory_budget("64 MiB")
    @pytest.mark.parametrize("tag", ["<b>bold</b>&amp;"])
    def test_allocates(tag):
        torch.empty(1 << 18)


    def test_fails():
        assert 1 + 1 == 3
''')


def _cmp(name: str = "Net", same: bool = True, **extra: Any) -> Dict[str, Any]:
    modes = [{"mode": m, "seconds": s, "spread": s / 10, "ratio": s / 0.004,
              "peak_bytes": {"cpu": p}, "saved_bytes": sv, "matches": same or m == "grad"}
             for m, s, p, sv in (("grad", 0.004, 3000, 2000), ("no_grad", 0.002, 1000, 0),
                                 ("inference_mode", 0.001, 1000, 0))]
    return dict({"name": name, "repeats": 5, "warmup": 1, "cuda_synchronized": False, "same_predictions": same,
                 "mode_dependent": None if same else "Net.gate (Linear)", "training": [], "warnings": [],
                 "filename": "t.py", "lineno": 9, "modes": modes}, **extra)


def _data(tests: List[Dict[str, Any]]) -> Dict[str, Any]:
    for t in tests:
        t.setdefault("measurements", {})
        t.setdefault("findings", [])
        t.setdefault("comparisons", [])
        t.setdefault("outcome", "passed")
    return {"version": 1, "tests": tests, "findings": [f for t in tests for f in t["findings"]], "crashed": []}


def _eval_finding(nodeid: str, graph_bytes: Any = 4096) -> Dict[str, Any]:
    return {"kind": "eval-builds-graph", "message": "Net in eval mode ran with grad enabled", "filename": "t.py",
            "lineno": 4, "nodeid": nodeid, "module": "Net", "graph_bytes": graph_bytes, "test_line": 4}


class _Elements(HTMLParser):
    """Tags (with attributes) of a page, to check structure without a browser."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: List[tuple] = []

    def handle_starttag(self, tag: str, attrs: List[tuple]) -> None:
        self.tags.append((tag, dict(attrs)))


def _elements(page: str) -> List[tuple]:
    parser = _Elements()
    parser.feed(page)
    return parser.tags


# ----------------------------------------------------------------------- the renderer


def test_every_user_string_is_escaped():
    evil = '</script><script>alert("x")</script><img src=x onerror=alert(1)>'
    finding = dict(_eval_finding(f"t.py::test_a[{evil}]"), message=f"boom {evil}", filename=f"{evil}.py")
    page = render(_data([{"nodeid": f"t.py::test_a[{evil}]", "findings": [finding],
                          "comparisons": [_cmp(name=evil)]}]))
    assert evil not in page
    # node id (tests table, section, findings), message, file name, model name
    assert page.count(escape(evil, quote=True)) >= 4
    tags = _elements(page)
    assert [t for t, _ in tags].count("script") == 1  # only the page's own
    assert not [a for _, a in tags if "onerror" in a]


def test_page_needs_no_network():
    page = render(_data([{"nodeid": "t.py::test_a", "findings": [_eval_finding("t.py::test_a")],
                          "comparisons": [_cmp()]}]))
    tags = _elements(page)
    # Nothing fetched: no external script, style sheet, image or font, and a CSP that forbids it.
    assert not [(t, a) for t, a in tags if "src" in a or (t == "link")]
    assert not re.search(r"url\(|@import|https?://(?!www\.w3\.org/2000/svg)", page)
    csp = [a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and csp[0].startswith("default-src 'none'")


def test_findings_summary_links_to_each_test_section():
    data = _data([{"nodeid": "t.py::test_a", "findings": [_eval_finding("t.py::test_a")]},
                  {"nodeid": "t.py::test_b", "findings": [dict(_eval_finding("t.py::test_b"), kind="step-without-grad",
                                                               graph_bytes=None)]},
                  {"nodeid": "t.py::test_quiet"}])
    page = render(data)
    tags = _elements(page)
    ids = {a["id"] for _, a in tags if "id" in a}
    sections = {a["id"] for t, a in tags if t == "section"}
    links = [a["href"][1:] for t, a in tags if t == "a" and a.get("href", "").startswith("#")]
    assert len(sections) == 2  # the quiet test has nothing to show beyond its table row
    assert set(links) == sections and all(link in ids for link in links)
    kinds = re.search(r'<table id="kinds-table">.*?</table>', page, re.S).group(0)
    assert ">eval-builds-graph<" in kinds and ">step-without-grad<" in kinds
    assert "grad-mode-leak" not in kinds  # only kinds that were found


def test_a_chart_per_comparison_and_per_eval_graph_finding():
    data = _data([{"nodeid": "t.py::test_a", "findings": [_eval_finding("t.py::test_a"),
                                                          _eval_finding("t.py::test_a", graph_bytes=None)],
                   "comparisons": [_cmp(), _cmp(name="Other", same=False)]}])
    page = render(data)
    assert page.count('<figure class="chart-group comparison">') == 2
    assert page.count('<figure class="chart-group eval-graph">') == 2
    # Three charts per comparison (time, peak memory, saved for backward), one for the
    # finding whose graph size is known; the other says why it has none.
    assert page.count('<svg class="chart"') == 3 * 2 + 1
    assert "The size of the graph could not be read" in page
    assert "Predictions matched: no_grad and inference_mode give the grad-enabled output." in page
    assert "Predictions DIFFER under no_grad, inference_mode (output first depends on the grad mode in " \
           "Net.gate (Linear))" in page
    # The eval-graph figure has no time figures and says so; it points at the comparison
    # of the same model class in this test.
    figure = re.search(r'<figure class="chart-group eval-graph">.*?</figure>', page, re.S).group(0)
    assert " ms" not in figure and "Time: not measured by the sanitizer" in figure
    assert "this test&#x27;s mode comparison of it (below) has the timings" in figure


def _bar_widths(svg: str) -> List[float]:
    return [float(w) for w in re.findall(r'<rect class="bar"[^>]* width="([0-9.]+)"', svg)]


def test_bar_chart_is_to_scale():
    svg = bar_chart("t", [("a", 100.0, None, "#000", "100"), ("b", 50.0, None, "#000", "50"),
                          ("c", 0.0, None, "#000", "0")])
    a, b, c = _bar_widths(svg)
    assert a > 0 and b == pytest.approx(a / 2) and c == 0
    # A whisker of +-spread widens the scale so it fits; all zeros draw zero-width bars.
    with_spread = bar_chart("t", [("a", 100.0, 100.0, "#000", "100")])
    assert _bar_widths(with_spread)[0] == pytest.approx(_bar_widths(svg)[0] / 2)
    assert _bar_widths(bar_chart("t", [("a", 0.0, None, "#000", "0")])) == [0.0]


def test_tests_table_has_a_numeric_sort_key_per_device():
    page = render(_data([{"nodeid": "t.py::test_a", "measurements": {"peak_bytes": {"cpu": 2048, "cuda": 5},
                                                                     "saved_bytes": 7}},
                         {"nodeid": "t.py::test_b", "measurements": {"peak_bytes": {"cpu": 10}}}]))
    table = re.search(r'<table class="sortable" id="tests-table">.*?</table>', page, re.S).group(0)
    heads = re.findall(r"<button type=\"button\">([^<]*)</button>", table)
    assert heads == ["test", "outcome", "peak cpu", "peak cuda", "saved for backward", "findings",
                     "mode comparisons"]
    assert '<td class="num" data-sort="2048">2.0 KiB</td>' in table
    assert table.count('data-sort=""') == 2  # test_b: no cuda peak, no saved bytes


def test_write_html_is_atomic(tmp_path):
    path = tmp_path / "deep" / "er" / "r.html"
    write_html(str(path), _data([{"nodeid": "t.py::test_a"}]), generated="now")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert os.listdir(path.parent) == ["r.html"]  # no temporary file left behind


# ---------------------------------------------------------------- real pytest runs


def test_comparisons_are_recorded_and_reported_under_xdist(suite):
    suite.makepyfile(test_suite=SUITE)
    result = run(suite, "-n", "2", "--nograd-check", "--nograd-json=out/r.json", "--nograd-html=out/r.html")
    assert outcomes(result)["test_fails"] == "FAILED"
    result.stdout.fnmatch_lines(["nograd: sanitizer on *JSON report to out/r.json, HTML report to out/r.html"])
    data = load_json(suite.path / "out" / "r.json")
    pytest.importorskip("jsonschema").validate(data, JSON_SCHEMA)
    tests = by_test(data)
    (same,) = tests["test_same_predictions"]["comparisons"]
    assert same["name"] == "Sequential" and same["same_predictions"] is True
    assert (same["filename"], same["lineno"]) == ("test_suite.py", SUITE.lstrip("\n").splitlines().index(
        "    assert_same_predictions(classifier(), torch.randn(64, 128))") + 1)
    by_mode = {m["mode"]: m for m in same["modes"]}
    assert by_mode["grad"]["saved_bytes"] > 0 and by_mode["no_grad"]["saved_bytes"] == 0
    (differs,) = tests["test_mode_dependent_model"]["comparisons"]
    assert differs["same_predictions"] is False and differs["mode_dependent"].startswith("Gated")
    assert not tests["test_eval_without_no_grad"]["comparisons"]
    (alloc, *_) = tests["test_allocates[<b>bold</b>&amp;]"]["measurements"]["largest_allocations"]
    assert alloc["filename"] == "test_suite.py"  # relative to the root directory, like findings
    page = (suite.path / "out" / "r.html").read_text(encoding="utf-8")
    assert page.count('<figure class="chart-group comparison">') == 2
    assert page.count('<figure class="chart-group eval-graph">') == 1
    for name in tests:
        assert name.split("[")[0] in page
    assert "test_allocates[&lt;b&gt;bold&lt;/b&gt;&amp;amp;]" in page


def test_comparisons_are_recorded_without_the_sanitizer_or_markers(suite):
    suite.makepyfile(test_plain=dedent('''
        import torch, torch.nn as nn
        from pytest_nograd import compare_modes

        def test_two_comparisons(nograd):
            model = nn.Linear(8, 8).eval()
            compare_modes(model, torch.randn(4, 8), repeats=2)
            nograd.compare_modes(model.forward, torch.randn(4, 8), repeats=3)

        def test_none():
            pass
    '''))
    run(suite, "-p", "no:randomly", "--nograd-json=r.json").assert_outcomes(passed=2)
    data = load_json(suite.path / "r.json")
    pytest.importorskip("jsonschema").validate(data, JSON_SCHEMA)
    tests = by_test(data)
    assert [(c["name"], c["repeats"]) for c in tests["test_two_comparisons"]["comparisons"]] == [
        ("Linear", 2), ("Linear", 3)]
    assert tests["test_none"]["comparisons"] == []


def test_ini_key_writes_the_report_relative_to_the_ini_file(suite, monkeypatch):
    suite.makeini("[pytest]\nnograd_html = reports/nograd.html\n")
    suite.makepyfile(test_x="def test_x():\n    pass\n")
    monkeypatch.chdir(suite.mkdir("elsewhere"))  # run from another directory
    run(suite, "../test_x.py").assert_outcomes(passed=1)
    page = (suite.path / "reports" / "nograd.html").read_text(encoding="utf-8")
    assert "test_x.py::test_x" in page
    assert not (suite.path / "elsewhere" / "reports").exists()


@pytest.mark.parametrize("where", ["directory", "under a file"])
def test_bad_report_path_is_one_line_error(suite, where):
    suite.makepyfile(test_x="def test_x():\n    pass\n")
    if where == "directory":
        (suite.path / "taken").mkdir()
        path, reason = "taken", "it is a directory"
    else:
        (suite.path / "plain").write_text("a file")
        path, reason = "plain/r.html", "cannot create its directory"
    result = run(suite, f"--nograd-html={path}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    text = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in text and "INTERNALERROR" not in text
    (line,) = [ln for ln in text.splitlines() if "pytest-nograd" in ln]
    assert f"cannot write the HTML report to {path}: {reason}" in line


# ------------------------------------------------------------- in a real browser

CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium executable on PATH (Debian: apt-get install chromium; "
                             "or set NOGRAD_CHROMIUM to one)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = Chromium(CHROMIUM, tmp_path_factory.mktemp("chromium-profile"), width=1280, height=900)
    yield chromium
    chromium.close()


@needs_chromium
def test_browser_check_catches_page_errors(browser, tmp_path):
    """The console check is real: each kind of broken page is caught, a clean one is not."""
    csp = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'unsafe-inline\'">'
    pages = {
        "clean": "<p>fine</p><script>document.title = 'ok';</script>",
        "exception": "<script>notDefinedAnywhere();</script>",
        "console": "<script>console.error('deliberately broken');</script>",
        "fetch blocked by CSP": f"{csp}<script>fetch('http://example.invalid/data.json').catch(() => {{}});</script>",
        "network image": '<img src="http://example.invalid/x.png" alt="">',
    }
    found = {}
    for name, body in pages.items():
        path = tmp_path / f"{name.replace(' ', '_')}.html"
        path.write_text(f"<!DOCTYPE html><html><head>{body}</head><body></body></html>", encoding="utf-8")
        browser.open(path)
        found[name] = browser.console_errors()
    assert found.pop("clean") == []
    assert any("ReferenceError: notDefinedAnywhere is not defined" in e for e in found["exception"]), found
    assert any("deliberately broken" in e for e in found["console"]), found
    assert any("Content Security Policy" in e for e in found["fetch blocked by CSP"]), found
    assert any("Failed to load resource" in e for e in found["network image"]), found


def _png_size(path: Path) -> tuple:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


CHARTS_JS = """Array.from(document.querySelectorAll('svg.chart')).map(svg => {
    const box = svg.getBoundingClientRect();
    const bars = Array.from(svg.querySelectorAll('rect.bar')).map(r => r.getBoundingClientRect().width);
    return {title: svg.getAttribute('aria-label'), width: box.width, height: box.height, bars: bars,
            figure: svg.closest('figure').className};
})"""

COLUMN_JS = """(() => {
    const table = document.getElementById('tests-table');
    const col = Array.from(table.tHead.rows[0].cells).findIndex(th => th.textContent.trim().startsWith(%r));
    %s
    return Array.from(table.tBodies[0].rows).map(r => [r.cells[0].textContent, r.cells[col].getAttribute('data-sort')]);
})()"""


def _column(browser, header: str, clicks: int) -> List[tuple]:
    click = "table.tHead.rows[0].cells[col].querySelector('button').click();" * clicks
    return [tuple(r) for r in browser.evaluate(COLUMN_JS % (header, click))]


@needs_chromium
def test_report_in_headless_chromium(suite, browser, tmp_path):
    suite.makepyfile(test_suite=SUITE)
    run(suite, "--nograd-check", "--nograd-html=report.html")
    browser.open(suite.path / "report.html")
    assert browser.console_errors() == []

    charts = browser.evaluate(CHARTS_JS)
    # One chart for the eval-builds-graph finding, three (time, peak memory, saved for
    # backward) for each of the two mode comparisons; every one drawn with a visible bar.
    assert sorted(c["figure"] for c in charts) == ["chart-group comparison"] * 6 + ["chart-group eval-graph"]
    for chart in charts:
        assert chart["width"] > 100 and chart["height"] > 50, chart
        assert max(chart["bars"]) > 10, chart
    (graph,) = [c for c in charts if c["figure"] == "chart-group eval-graph"]
    assert graph["bars"][0] > 10 and graph["bars"][1] == 0  # with grad vs under no_grad

    # Sorting by clicking the header buttons: numbers largest first, then smallest first,
    # tests without a measurement last either way; names alphabetically.
    for descending in (True, False):  # one click each
        rows = _column(browser, "peak cpu", 1)
        values = [float(v) for _, v in rows if v]
        assert len(values) == 2 and values == sorted(values, reverse=descending), rows
        assert all(v == "" for _, v in rows[len(values):]), rows
    names = [n for n, _ in _column(browser, "test", 1)]
    assert names == sorted(names, key=str.lower) and len(names) == 6
    assert "test_suite.py::test_allocates[<b>bold</b>&amp;]" in names  # shown as text, not markup

    shot = tmp_path / "report.png"
    browser.evaluate("window.scrollTo(0, 0)")
    _column(browser, "peak cpu", 1)  # the screenshot shows a sorted table
    browser.screenshot(shot)
    width, height = _png_size(shot)
    assert width >= 1200 and height > 1500
    keep = os.environ.get("NOGRAD_SCREENSHOT")  # docs/images/nograd-report.png is made this way
    if keep:
        browser.screenshot(Path(keep), max_height=1960)


def test_report_that_cannot_be_written_at_the_end_is_one_line_and_fails_the_run(suite):
    suite.makepyfile(test_x=dedent('''
        import os

        def test_puts_a_file_where_the_report_goes():
            os.rmdir("out")  # created at start-up, when the path was checked
            open("out", "w").close()
    '''))
    result = run(suite, "--nograd-html=out/r.html")
    assert outcomes(result) == {"test_puts_a_file_where_the_report_goes": "PASSED"}
    assert result.ret == pytest.ExitCode.USAGE_ERROR  # the report asked for was not written
    text = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in text and "INTERNALERROR" not in text
    (line,) = [ln for ln in text.splitlines() if "pytest-nograd" in ln]
    assert line == (f"pytest-nograd: cannot write the HTML report to out/r.html: cannot create its directory "
                    f"{suite.path / 'out'}: {suite.path / 'out'} is a file")
