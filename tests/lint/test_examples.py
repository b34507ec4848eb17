"""examples/: the README's first command lints them; they hold the bugs of every rule of the
catalog (NG001-NG012, NG014-NG017, marked ``# BUG NGxxx``), and the rules that exist find them."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys

import pytest

from nogradlint.registry import all_rules

from .cli_helpers import REPO, run_main

EXAMPLES = os.path.join(REPO, "examples")
# NG013 is reported from run-time evidence only (tests/lint/test_runtime_evidence.py).
CATALOG = [f"NG{i:03d}" for i in (*range(1, 13), 14, 15, 16, 17)]
_BUG = re.compile(r"#\s*BUG (NG\d{3})\b")


def example_files() -> list:
    out = []
    for directory, _, files in os.walk(EXAMPLES):
        out.extend(os.path.join(directory, f) for f in files if f.endswith((".py", ".ipynb")))
    return sorted(out)


def sources(path: str) -> list:
    """The Python text of a file: the file itself, or each code cell of a notebook."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    if path.endswith(".ipynb"):
        nb = json.loads(text)
        return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                for c in nb["cells"] if c["cell_type"] == "code"]
    return [text]


def annotated() -> dict:
    """Rule code -> files (relative to the repository) whose bugs are marked with it."""
    marks: dict = {}
    for path in example_files():
        for src in sources(path):
            for code in _BUG.findall(src):
                marks.setdefault(code, set()).add(os.path.relpath(path, REPO).replace(os.sep, "/"))
    return marks


def test_every_rule_of_the_catalog_has_a_marked_bug_in_the_examples():
    marks = annotated()
    missing = [code for code in CATALOG if code not in marks]
    assert not missing, f"no example holds a bug of {missing}"
    assert set(marks) <= set(CATALOG)


def test_examples_are_valid_python_and_notebooks():
    import nbformat

    for path in example_files():
        if path.endswith(".ipynb"):
            nbformat.validate(nbformat.read(path, as_version=4))
        for src in sources(path):
            masked = "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line for line in src.splitlines())
            ast.parse(masked)
    assert any(p.endswith(".ipynb") for p in example_files())


@pytest.fixture(scope="module")
def report():
    """``nogradlint examples/`` from the repository root (README quick start, command 1), as JSON."""
    import io
    from contextlib import redirect_stdout

    from nogradlint import cli

    cwd = os.getcwd()
    os.chdir(REPO)
    buf = io.StringIO()
    try:
        with redirect_stdout(buf):
            rc = cli.main(["--no-cache", "--output-format", "json", "examples/"])
    finally:
        os.chdir(cwd)
    return rc, json.loads(buf.getvalue())


def test_quick_start_command_finds_bugs_and_exits_1(report):
    rc, findings = report
    assert rc == 1 and findings
    assert not [f for f in findings if f["code"] == "NG900"], "an example does not parse"


@pytest.mark.parametrize("code", CATALOG)
def test_each_existing_rule_finds_its_marked_bugs(report, code):
    if code not in {r.code for r in all_rules()}:
        pytest.skip(f"{code} is not implemented yet")
    expected = annotated().get(code, set())
    found = {f["path"] for f in report[1] if f["code"] == code}
    missed = sorted(expected - found)
    assert not missed, f"{code} misses the marked bug in {missed}"


def marked_lines() -> set:
    """(path, cell, line, code) of every `# BUG NGxxx` mark."""
    marks = set()
    for path in example_files():
        rel = os.path.relpath(path, REPO).replace(os.sep, "/")
        if path.endswith(".ipynb"):
            with open(path, encoding="utf-8") as fh:
                cells = json.load(fh)["cells"]
            units = [(i, "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
                     for i, c in enumerate(cells, start=1) if c["cell_type"] == "code"]
        else:
            units = [(None, sources(path)[0])]
        for cell, src in units:
            for number, line in enumerate(src.splitlines(), start=1):
                for code in _BUG.findall(line):
                    marks.add((rel, cell, number, code))
    return marks


def test_no_findings_outside_the_marked_bugs(report):
    """The correct code around the bugs (EMA under no_grad, fake.detach(), validation_step, weight
    init through .data, loss.item() accumulation, ...) must stay silent: every finding is on a
    line marked with its code."""
    marks = marked_lines()
    unmarked = sorted((f["path"], f.get("cell"), f["line"], f["code"]) for f in report[1]
                      if (f["path"], f.get("cell"), f["line"], f["code"]) not in marks)
    assert not unmarked, f"findings on lines not marked `# BUG <code>`: {unmarked}"


def test_marked_ng006_bugs_exact_lines(report):
    found = sorted((f["path"], f.get("cell"), f["line"]) for f in report[1] if f["code"] == "NG006")
    assert found == [("examples/embedding_server.py", None, 79), ("examples/evaluate_checkpoint.ipynb", 9, 3),
                     ("examples/image_classifier/train.py", None, 53)]


def test_pytest_never_collects_examples(tmp_path):
    with open(os.path.join(REPO, "pyproject.toml"), "rb") as fh:
        import tomllib

        assert tomllib.load(fh)["tool"]["pytest"]["ini_options"]["testpaths"] == ["tests"]
    for path in example_files():
        name = os.path.basename(path)
        assert not (name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"), path
    r = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "examples"],
                       cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 5, r.stdout[-2000:]  # 5: no tests collected
