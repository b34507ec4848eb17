"""Plain functions behind the hooks: sizes, settings, marker parsing, the report."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_nograd import options
from pytest_nograd.markers import MarkerError, MemoryBudget, MarkerSpec, spec_for
from pytest_nograd.report import JSON_SCHEMA, SessionResults
from pytest_nograd.sizes import format_size, parse_size


@pytest.mark.parametrize("value, expected", [
    (0, 0), (1234, 1234), ("1234", 1234), ("1B", 1), ("2 kB", 2000), ("2KB", 2000), ("3 MB", 3_000_000),
    ("1GB", 10**9), ("1 KiB", 1024), ("1.5MiB", 1536 * 1024), ("2 GiB", 2 * 1024**3), (" 7 B ", 7),
    (".5 KiB", 512), (2.4, 2),
])
def test_parse_size(value, expected):
    assert parse_size(value) == expected


@pytest.mark.parametrize("value, reason", [
    (-1, "must not be negative"), ("-1 KiB", "must not be negative"), ("1 XB", "unknown unit 'XB'"),
    ("1 kib", "unknown unit 'kib'"), ("lots", "cannot parse size"), ("1 2 MB", "cannot parse size"),
    (True, "not a size"), (None, "must be an int"), ([1], "must be an int"), (float("nan"), "finite"),
    (float("inf"), "finite"), ("", "cannot parse size"),
])
def test_parse_size_rejects(value, reason):
    with pytest.raises(ValueError, match=".*" + reason.replace("(", r"\(")):
        parse_size(value)


def test_format_size():
    assert format_size(1023) == "1023 B"
    assert format_size(1024) == "1.0 KiB"
    assert format_size(3 * 1024**2) == "3.0 MiB"
    assert format_size(5 * 1024**3) == "5.0 GiB"


class _Node:
    def __init__(self, *marks):
        self.marks = {m.mark.name: m.mark for m in marks}

    def get_closest_marker(self, name):
        return self.marks.get(name)


def test_spec_for_parses_every_marker():
    node = _Node(pytest.mark.no_graph, pytest.mark.memory_budget("2 MiB", device="cpu"),
                 pytest.mark.autograd_budget(limit="1 kB"), pytest.mark.allow_grad_mode_change)
    spec = spec_for(node)
    assert spec == MarkerSpec(no_graph=True, memory=MemoryBudget(2 * 1024**2, "cpu"), autograd_limit=1000,
                              allow_grad_mode_change=True)
    assert spec.uses_torch
    assert spec_for(_Node()) == MarkerSpec()
    assert not spec_for(_Node(pytest.mark.allow_grad_mode_change)).uses_torch
    assert spec_for(_Node(pytest.mark.memory_budget(None))).memory == MemoryBudget(None, "auto")


@pytest.mark.parametrize("mark, reason", [
    (pytest.mark.memory_budget("1 MiB", device="gpu"), "unknown device 'gpu'"),
    (pytest.mark.memory_budget("1 MiB", "cpu"), "exactly one limit"),
    (pytest.mark.memory_budget(1, limit=2), "limit given twice"),
    (pytest.mark.memory_budget(limit="1 MiB", bogus=1), "unknown keyword argument(s) ['bogus']"),
    (pytest.mark.autograd_budget(None), "bad limit None"),
    (pytest.mark.no_graph("yes"), "takes no arguments"),
])
def test_spec_for_rejects(mark, reason):
    with pytest.raises(MarkerError) as info:
        spec_for(_Node(mark))
    assert reason in str(info.value)


class _Config:
    def __init__(self, ini, inipath=None, **cli):
        self.ini = {"nograd_check": "false", "nograd_strict": "false", "nograd_memory_budget": "none",
                    "nograd_html": "", **ini}
        self.cli = {"nograd_check": None, "nograd_strict": None, "nograd_memory_budget": None,
                    "nograd_json": None, "nograd_html": None, **cli}
        self.inipath = inipath
        self.rootpath = Path("/root/dir")

    def getini(self, key):
        return self.ini[key]

    def getoption(self, key):
        return self.cli[key]


def test_resolve_precedence():
    assert options.resolve(_Config({})) == options.Settings()
    s = options.resolve(_Config({"nograd_check": "True", "nograd_strict": "1", "nograd_memory_budget": "1 MiB"}))
    assert s == options.Settings(check=True, strict=True, memory_budget=1024**2)
    s = options.resolve(_Config({"nograd_check": "yes", "nograd_memory_budget": "1 MiB"},
                                nograd_check=False, nograd_memory_budget="2MiB", nograd_json="x.json"))
    assert s == options.Settings(check=False, memory_budget=2 * 1024**2, json_path="x.json")
    assert options.resolve(_Config({"nograd_memory_budget": "1 MiB"}, nograd_memory_budget="0")).memory_budget is None


def test_resolve_html_path_ini_relative_to_ini_file_and_cli_wins():
    ini = {"nograd_html": "reports/nograd.html"}
    assert options.resolve(_Config({})).html_path is None
    assert options.resolve(_Config(ini, inipath=Path("/proj/setup.cfg"))).html_path == "/proj/reports/nograd.html"
    assert options.resolve(_Config(ini)).html_path == "/root/dir/reports/nograd.html"  # no ini file: rootdir
    assert options.resolve(_Config(ini, nograd_html="cli.html")).html_path == "cli.html"
    assert options.resolve(_Config(ini, nograd_html="")).html_path is None  # an empty PATH turns it off


def test_resolve_bad_ini_names_key():
    with pytest.raises(pytest.UsageError, match="ini option nograd_check = 'sometimes'"):
        options.resolve(_Config({"nograd_check": "sometimes"}))


class _Report:
    def __init__(self, nodeid, when, outcome, nograd=None):
        self.nodeid, self.when, self.outcome = nodeid, when, outcome
        self.failed, self.skipped = outcome == "failed", outcome == "skipped"
        if nograd is not None:
            self.nograd = nograd


def _finding(kind, nodeid):
    return {"kind": kind, "message": "m", "filename": "t.py", "lineno": 3, "nodeid": nodeid}


def test_session_results_summary_and_json(tmp_path):
    r = SessionResults()
    for i in range(7):
        r.add(_Report(f"t.py::test_{i}", "call", "passed",
                      {"measurements": {"peak_bytes": {"cpu": i * 1024}, "saved_bytes": 10 * i}, "findings": []}))
    r.add(_Report("t.py::test_leak", "call", "failed", {"measurements": {}, "findings": [_finding("grad-mode-leak", "t.py::test_leak")]}))
    r.add(_Report("t.py::test_leak", "teardown", "failed", {"measurements": {}, "findings": [_finding("grad-mode-leak", "t.py::test_leak")]}))
    r.add(_Report("t.py::test_plain", "call", "passed"))
    r.crashed.append("t.py::test_crash")
    lines = r.summary_lines()
    assert lines[0] == "grad-mode-leak: 2"
    i = lines.index("top 5 tests by peak tensor memory:")
    assert [ln.split()[-1] for ln in lines[i + 1:i + 6]] == [f"t.py::test_{k}" for k in (6, 5, 4, 3, 2)]
    j = lines.index("top 5 tests by bytes saved for backward:")
    assert lines[j + 1].split()[-1] == "t.py::test_6"
    assert lines[-2:] == ["crashed (no measurements): 1", "  t.py::test_crash"]
    path = tmp_path / "sub" / "r.json"
    r.write_json(str(path))
    data = json.loads(path.read_text())
    pytest.importorskip("jsonschema").validate(data, JSON_SCHEMA)
    tests = {t["nodeid"]: t for t in data["tests"]}
    assert tests["t.py::test_leak"]["outcome"] == "error"
    assert len(tests["t.py::test_leak"]["findings"]) == 2
    assert tests["t.py::test_plain"] == {"nodeid": "t.py::test_plain", "outcome": "passed",
                                         "measurements": {}, "findings": [], "comparisons": []}  # every test is listed
    assert data["crashed"] == ["t.py::test_crash"]


def test_json_schema_rejects_bad_kind():
    bad = {"version": 2, "root": "/r", "forwards": [], "files": {}, "tests": [], "crashed": [], "findings": [{"kind": "nope", "message": "", "nodeid": "x"}]}
    jsonschema = pytest.importorskip("jsonschema")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, JSON_SCHEMA)
