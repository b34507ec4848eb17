"""Output formats: text, full, concise, JSON (field by field), SARIF 2.1.0 (validated against the
official schema), GitHub workflow commands, statistics; and the exit codes."""

from __future__ import annotations

import json
import os

import jsonschema
import pytest

from nogradlint import __version__
from nogradlint.registry import all_rules
from nogradlint.report import github as github_format

from .cli_helpers import REPO, extra_rule, run_cli, run_main, write  # noqa: F401

# The file is written so that every position is known by hand.
SOURCE = (
    "import torch\n"                  # 1
    "\n"                              # 2
    "def evaluate(model, x):\n"       # 3
    "    torch.no_grad()\n"           # 4  cols 5..20
    "    with torch.no_grad:\n"       # 5  cols 10..23 (fix: insert "()")
    "        return model(x)\n"       # 6
    "caf\u00e9 = 1; torch.enable_grad()\n"  # 7  non-ASCII before the finding: columns count characters
)

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": ["%matplotlib inline\n", "import torch\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": ["x = 1\n", "with torch.no_grad:\n", "    y = x\n"]},
    ],
    "metadata": {"language_info": {"name": "python"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.fixture
def proj(tmp_path, monkeypatch):
    write(tmp_path / "src" / "m.py", SOURCE)
    write(tmp_path / "nb" / "eval.ipynb", json.dumps(NOTEBOOK, indent=1))
    write(tmp_path / "bad.py", "def f(:\n")
    # Only the engine's rules: rules added later must not change these hand-checked reports.
    write(tmp_path / "pyproject.toml", '[tool.nogradlint]\nselect = ["NG006", "NG900"]\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def sarif_schema() -> dict:
    """The official schema from ../shared (the CI checkout has it beside the repository), else
    the copy vendored in tests/data."""
    for path in (os.path.join(REPO, "..", "shared", "schemas", "sarif-schema-2.1.0.json"),
                 os.path.join(REPO, "tests", "data", "sarif-schema-2.1.0.json")):
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                return json.load(fh)
    raise AssertionError("no SARIF schema found")  # pragma: no cover - tests/data is in the repository


def test_vendored_schema_is_the_official_one():
    with open(os.path.join(REPO, "tests", "data", "sarif-schema-2.1.0.json"), encoding="utf-8") as fh:
        vendored = json.load(fh)
    assert vendored["id"].endswith("/sarif-schema-2.1.0.json") and vendored["properties"]["version"]["enum"] == ["2.1.0"]
    assert sarif_schema() == vendored


# -- JSON ----------------------------------------------------------------------------------

def test_json_fields(proj, capsys):
    r = run_main(capsys, "--no-cache", "--output-format", "json", "src/m.py", "nb/eval.ipynb", "bad.py")
    assert r.rc == 1
    data = json.loads(r.out)
    assert [set(d) for d in data] == [
        {"code", "name", "message", "path", "line", "column", "end_line", "end_column", "fix"},
        {"code", "name", "message", "path", "line", "column", "end_line", "end_column", "fix", "cell"},
        {"code", "name", "message", "path", "line", "column", "end_line", "end_column", "fix"},
        {"code", "name", "message", "path", "line", "column", "end_line", "end_column", "fix"},
        {"code", "name", "message", "path", "line", "column", "end_line", "end_column", "fix"},
    ]
    bad, nb, first, second, third = data
    assert bad == {
        "code": "NG900", "name": "unreadable-file", "path": "bad.py", "line": 1, "column": 7, "end_line": 1,
        "end_column": 7, "fix": None, "message": "syntax error at line 1, column 7: invalid syntax",
    }
    assert nb["path"] == "nb/eval.ipynb" and nb["cell"] == 3
    assert (nb["line"], nb["column"], nb["end_line"], nb["end_column"]) == (2, 6, 2, 19)  # inside the cell
    assert nb["fix"]["edits"] == [
        {"location": {"line": 2, "column": 6}, "end_location": {"line": 2, "column": 19}, "content": "torch.no_grad()"}
    ]
    assert first == {
        "code": "NG006", "name": "no-op-grad-call", "path": "src/m.py", "line": 4, "column": 5, "end_line": 4,
        "end_column": 20, "fix": None,
        "message": "`torch.no_grad()` as a statement does nothing; use `with torch.no_grad():` around the code "
                   "or decorate the function",
    }
    assert (second["line"], second["column"], second["end_line"], second["end_column"]) == (5, 10, 5, 23)
    assert second["fix"] == {
        "applicability": "safe",
        "message": "Call `torch.no_grad()`",
        "edits": [{"location": {"line": 5, "column": 10}, "end_location": {"line": 5, "column": 23},
                   "content": "torch.no_grad()"}],
    }
    assert (third["line"], third["column"], third["end_column"]) == (7, 11, 30)
    line7 = SOURCE.splitlines()[6]
    assert line7[third["column"] - 1:third["end_column"] - 1] == "torch.enable_grad()"


def test_json_paths_stay_as_given(proj, capsys):
    rel = json.loads(run_main(capsys, "--no-cache", "--output-format", "json", "./src/../src/m.py").out)
    assert {d["path"] for d in rel} == {"src/m.py"}
    absolute = json.loads(run_main(capsys, "--no-cache", "--output-format", "json", str(proj / "src")).out)
    assert {d["path"] for d in absolute} == {str(proj / "src" / "m.py")}


def test_json_empty_is_an_empty_array(proj, capsys):
    r = run_main(capsys, "--no-cache", "--output-format", "json", "--select", "NG900", "src")
    assert (r.rc, json.loads(r.out)) == (0, [])


# -- SARIF ---------------------------------------------------------------------------------

def sarif_of(capsys, *args) -> dict:
    r = run_main(capsys, "--no-cache", "--output-format", "sarif", *args)
    log = json.loads(r.out)
    jsonschema.validate(log, sarif_schema())
    return log


def test_sarif_validates_and_carries_everything(proj, capsys):
    log = sarif_of(capsys, "src/m.py", "nb/eval.ipynb", "bad.py")
    assert log["version"] == "2.1.0" and log["$schema"]
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "nogradlint" and driver["version"] == __version__
    assert [r["id"] for r in driver["rules"]] == [r.code for r in all_rules()]
    for descriptor, rule in zip(driver["rules"], all_rules()):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.message
        assert descriptor["fullDescription"]["text"] == rule.docs.what
        assert descriptor["helpUri"].endswith(f"/docs/rules/{rule.code}.md")
        assert rule.docs.why in descriptor["help"]["text"] and "## Why is this bad?" in descriptor["help"]["markdown"]
    results = run["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results] == [
        ("NG900", "bad.py"), ("NG006", "nb/eval.ipynb"), ("NG006", "src/m.py"), ("NG006", "src/m.py"),
        ("NG006", "src/m.py"),
    ]
    for r in results:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    assert results[0]["level"] == "error" and results[2]["level"] == "warning"
    assert results[2]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 4, "startColumn": 5, "endLine": 4, "endColumn": 20,
    }
    assert results[1]["properties"] == {"cell": 3}
    fix = results[3]["fixes"][0]
    assert fix["description"]["text"] == "Call `torch.no_grad()`"
    assert fix["artifactChanges"][0]["replacements"] == [{
        "deletedRegion": {"startLine": 5, "startColumn": 10, "endLine": 5, "endColumn": 23},
        "insertedContent": {"text": "torch.no_grad()"},
    }]
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_without_findings_still_describes_the_rules(proj, capsys):
    log = sarif_of(capsys, "--select", "NG900", "src")
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"]


def test_sarif_uris(tmp_path, capsys, monkeypatch):
    write(tmp_path / "my dir" / "a#1.py", "import torch\ntorch.no_grad()\n")
    monkeypatch.chdir(tmp_path)
    log = sarif_of(capsys, ".")
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "my%20dir/a%231.py"
    log = sarif_of(capsys, str(tmp_path))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == (tmp_path / "my dir" / "a#1.py").as_uri()


def test_sarif_real_command_to_file(proj):
    r = run_cli("--no-cache", "--output-format", "sarif", "-o", "out.sarif", "src", cwd=proj)
    assert (r.rc, r.out) == (1, "")
    with open(proj / "out.sarif", encoding="utf-8") as fh:
        jsonschema.validate(json.load(fh), sarif_schema())


# -- GitHub --------------------------------------------------------------------------------

def test_github_workflow_commands(proj, capsys):
    r = run_main(capsys, "--no-cache", "--output-format", "github", "src/m.py", "nb/eval.ipynb")
    assert r.rc == 1
    lines = r.out.splitlines()
    assert lines[0] == (
        "::warning title=NG006,file=nb/eval.ipynb,line=2,col=6,endLine=2,endColumn=19::cell 3, NG006 "
        "`with torch.no_grad:` lacks the call and raises TypeError at run time; write `with torch.no_grad():`"
    )
    assert lines[1] == (
        "::warning title=NG006,file=src/m.py,line=4,col=5,endLine=4,endColumn=20::NG006 `torch.no_grad()` as a "
        "statement does nothing; use `with torch.no_grad():` around the code or decorate the function"
    )
    assert len(lines) == 4 and all(line.startswith("::warning ") for line in lines)


def test_github_escaping():
    from nogradlint.rules.base import Finding

    f = Finding("NG006", "n", "100% wrong\nsecond line", "dir,x/a:b.py", 1, 2, 3, 4)
    assert github_format.render([f]) == (
        "::warning title=NG006,file=dir%2Cx/a%3Ab.py,line=1,col=2,endLine=3,endColumn=4::NG006 100%25 wrong%0Asecond line\n"
    )


# -- text ----------------------------------------------------------------------------------

def test_text_and_full_with_notebook_cells(proj, capsys):
    r = run_main(capsys, "--no-cache", "nb/eval.ipynb")
    assert r.out.splitlines()[0].startswith("nb/eval.ipynb:cell 3:2:6: NG006 [*] `with torch.no_grad:`")
    r = run_main(capsys, "--no-cache", "--output-format", "full", "nb/eval.ipynb")
    assert "  2 | with torch.no_grad:\n    |      ^^^^^^^^^^^^^\n" in r.out


def test_full_multiline_finding_underlines_to_the_end_of_the_first_line(tmp_path, capsys, monkeypatch):
    write(tmp_path / "m.py", "import torch\ntorch.no_grad(\n)\n")
    monkeypatch.chdir(tmp_path)
    r = run_main(capsys, "--no-cache", "--output-format", "full", "m.py")
    assert "  2 | torch.no_grad(\n    | ^^^^^^^^^^^^^^\n" in r.out


def test_summary_lines(proj, capsys, extra_rule):
    write(proj / "p.py", "print(1)\n")
    r = run_main(capsys, "--no-cache", "--extend-select", "TST", "src/m.py", "p.py")
    assert r.out.endswith("Found 4 errors.\n[*] 1 fixable with the `--fix` option.\n"
                          "1 more fixable with the `--fix --unsafe-fixes` options.\n")
    r = run_main(capsys, "--no-cache", "bad.py")
    assert r.out.endswith("Found 1 error.\n")


# -- statistics ----------------------------------------------------------------------------

def test_statistics_counts_per_rule_sorted_by_count(proj, capsys, extra_rule):
    write(proj / "p.py", "print(1)\nprint(2)\nprint(3)\nprint(4)\n")
    r = run_main(capsys, "--no-cache", "--statistics", "--extend-select", "TST", ".")
    # TST001's fixes are all unsafe: marked as in the findings (--fix alone does not apply them)
    assert r.out == ("    4\tNG006\t[*]       no-op-grad-call\n    4\tTST001\t[*unsafe] print-call\n"
                     "    1\tNG900\t          unreadable-file\n")
    r = run_main(capsys, "--no-cache", "--statistics", "--select", "NG900", ".")
    assert (r.rc, r.out) == (1, "    1\tNG900\t    unreadable-file\n")
    r = run_main(capsys, "--no-cache", "--statistics", "--extend-select", "TST", "--output-format", "json", ".")
    assert json.loads(r.out) == [
        {"code": "NG006", "name": "no-op-grad-call", "count": 4, "fixable": True, "fix": "safe"},
        {"code": "TST001", "name": "print-call", "count": 4, "fixable": True, "fix": "unsafe"},
        {"code": "NG900", "name": "unreadable-file", "count": 1, "fixable": False, "fix": None},
    ]


# -- exit codes ----------------------------------------------------------------------------

def test_exit_codes_real_command(proj):
    assert run_cli("--no-cache", "--select", "NG900", "src", cwd=proj).rc == 0
    assert run_cli("--no-cache", "src", cwd=proj).rc == 1
    assert run_cli("--no-cache", "--exit-zero", "src", cwd=proj).rc == 0
    r = run_cli("--no-cache", "--select", "BOGUS1", "src", cwd=proj)
    assert r.rc == 2 and "Traceback" not in r.err


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "concise", "full", "text"])
def test_every_format_reports_the_same_findings(proj, capsys, fmt):
    r = run_main(capsys, "--no-cache", "--output-format", fmt, ".")
    assert r.rc == 1
    count = {"json": lambda o: len(json.loads(o)), "sarif": lambda o: len(json.loads(o)["runs"][0]["results"]),
             "github": lambda o: o.count("::warning "),
             }.get(fmt, lambda o: sum(1 for line in o.splitlines() if ": NG" in line))(r.out)
    assert count == 5


# -- gitlab, junit, json-lines ------------------------------------------------------------------

def test_gitlab_code_quality_matches_the_documented_format(proj):
    with open(os.path.join(REPO, "tests", "data", "gitlab-code-quality.schema.json"), encoding="utf-8") as fh:
        schema = json.load(fh)
    r = run_cli("--no-cache", "--output-format", "gitlab", str(proj / "src"), "nb/eval.ipynb", "bad.py", cwd=proj)
    assert r.rc == 1, r
    issues = json.loads(r.out)
    jsonschema.validate(issues, schema)
    issues.sort(key=lambda i: (i["location"]["path"], i["location"]["lines"]["begin"]))
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("NG900", "bad.py", 1), ("NG006", "nb/eval.ipynb", 2), ("NG006", "src/m.py", 4), ("NG006", "src/m.py", 5),
        ("NG006", "src/m.py", 7)]  # an absolute path given is written relative to the repository (here: cwd)
    assert issues[1]["description"].startswith("cell 3, NG006 ")
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    # GitLab pairs issues of two pipelines by fingerprint: lines moving must not change it
    write(proj / "src" / "m.py", "# a new first line\n" + SOURCE)
    moved = json.loads(run_cli("--no-cache", "--output-format", "gitlab", "src", "nb/eval.ipynb", "bad.py",
                               cwd=proj).out)
    moved.sort(key=lambda i: (i["location"]["path"], i["location"]["lines"]["begin"]))
    assert [i["location"]["lines"]["begin"] for i in moved][2:] == [5, 6, 8]
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in issues]
    assert json.loads(run_cli("--no-cache", "--output-format", "gitlab", "nb/eval.ipynb", "--select", "NG001",
                              cwd=proj).out) == []


def test_junit_is_read_by_a_junit_consumer(proj):
    junitparser = pytest.importorskip("junitparser")  # in the test extra
    r = run_cli("--no-cache", "--output-format", "junit", "-o", "report.xml", "src", "bad.py", cwd=proj)
    assert r.rc == 1, r
    xml = junitparser.JUnitXml.fromfile(str(proj / "report.xml"))
    suites = {suite.name: suite for suite in xml}
    assert sorted(suites) == ["bad.py", os.path.join("src", "m.py")]
    cases = [case for case in suites[os.path.join("src", "m.py")]]
    assert [c.name for c in cases] == ["nogradlint.NG006"] * 3
    assert all(not c.is_passed and isinstance(c.result[0], junitparser.Failure) for c in cases)
    assert cases[0].result[0].message.startswith("`torch.no_grad()` as a statement does nothing")
    assert cases[0].result[0].text.startswith(os.path.join("src", "m.py") + ":4:5: NG006 ")
    xml.update_statistics()  # recounted from the cases: the totals written must agree
    assert (xml.tests, xml.failures, xml.errors) == (4, 4, 0)
    with open(proj / "report.xml", encoding="utf-8") as fh:
        assert '<testsuites name="nogradlint" tests="4" failures="4" errors="0">' in fh.read()
    # a clean run is one passing test case, not an empty report
    r = run_cli("--no-cache", "--output-format", "junit", "--select", "NG001", "src", cwd=proj)
    clean = junitparser.JUnitXml.fromstring(r.out.encode("utf-8"))
    cases = [case for suite in clean for case in suite]
    assert r.rc == 0 and len(cases) == 1 and cases[0].is_passed


def test_json_lines_is_the_json_report_one_object_per_line(proj):
    args = ["--no-cache", "src", "nb/eval.ipynb", "bad.py"]
    lines = run_cli("--output-format", "json-lines", *args, cwd=proj).out.splitlines()
    assert len(lines) == 5 and all(line.startswith("{") for line in lines)
    assert [json.loads(line) for line in lines] == json.loads(run_cli("--output-format", "json", *args, cwd=proj).out)
