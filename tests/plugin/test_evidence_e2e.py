"""End to end: `pytest --nograd-check --nograd-json` writes the run-time evidence from a real
test run, and `nogradlint --runtime-evidence` reads it back to confirm and qualify its
static findings (tests/lint/test_runtime_evidence.py pins the linter's side down case by case)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from pytest_nograd.report import JSON_SCHEMA

from .helpers import dedent, load_json, outcomes, run

torch = pytest.importorskip("torch")

EVALUATE = dedent('''
    import torch


    def evaluate(model, batches):
        model.eval()
        total = 0.0
        for x in batches:  # LEAKY-LOOP
            out = model(x)  # LEAKY-FORWARD
            total += out.sum().item()
        return total


    def protected_eval(model, batches):
        model.eval()
        preds = []
        for x in batches:  # PROTECTED-LOOP
            preds.append(model(x).argmax(1))
        return preds
''').lstrip("\n")

TESTS = dedent('''
    import torch, torch.nn as nn
    from pkg.evaluate import evaluate, protected_eval


    def test_evaluate():
        model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 4))
        evaluate(model, [torch.randn(8, 16) for _ in range(3)])  # EVALUATE-CALL


    def test_protected():
        model = nn.Linear(16, 4)
        with torch.no_grad():
            protected_eval(model, [torch.randn(8, 16) for _ in range(2)])
''')


def _line(source: str, marker: str) -> int:
    (n,) = [i for i, text in enumerate(source.lstrip("\n").splitlines(), 1) if marker in text]
    return n


def _lint(cwd, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nogradlint", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=240)


def test_the_linter_reads_what_the_tests_recorded(suite):
    (suite.path / "pkg").mkdir()
    (suite.path / "pkg" / "__init__.py").write_text("")
    (suite.path / "pkg" / "evaluate.py").write_text(EVALUATE)
    (suite.path / "tests").mkdir()
    (suite.path / "tests" / "test_e.py").write_text(TESTS.lstrip("\n"))
    result = run(suite, "--nograd-check", "--nograd-json=nograd.json", "tests")
    assert outcomes(result) == {"test_evaluate": "PASSED", "test_protected": "PASSED"}, result.stdout.str()
    data = load_json(suite.path / "nograd.json")
    pytest.importorskip("jsonschema").validate(data, JSON_SCHEMA)
    leaky = [r for r in data["forwards"] if r["unused_graph"]]
    assert [(r["chain"][0]["line"], r["chain"][1]["file"], r["calls"]) for r in leaky] == [
        (_line(EVALUATE, "# LEAKY-FORWARD"), "tests/test_e.py", 3)]
    assert leaky[0]["module"] == "Sequential" and leaky[0]["graph_bytes"] > 0

    plain = _lint(suite.path, "pkg")
    flagged = sorted(int(line.split(":")[1]) for line in plain.stdout.splitlines()
                     if line.startswith("pkg/evaluate.py:") and " NG001 " in line)
    assert flagged == [_line(EVALUATE, "# LEAKY-LOOP"), _line(EVALUATE, "# PROTECTED-LOOP")], plain.stdout

    joined = _lint(suite.path, "pkg", "--runtime-evidence", "nograd.json")
    assert joined.returncode == 1 and joined.stderr == "", joined.stderr
    by_line = {int(line.split(":")[1]): line for line in joined.stdout.splitlines()
               if line.startswith("pkg/evaluate.py:")}
    assert "confirmed by tests/test_e.py::test_evaluate" in by_line[_line(EVALUATE, "# LEAKY-LOOP")]
    assert "kept by a graph never used" in by_line[_line(EVALUATE, "# LEAKY-LOOP")]
    assert "ran only under no_grad in 1 test" in by_line[_line(EVALUATE, "# PROTECTED-LOOP")]

    # Editing a file the tests ran makes its evidence stale: the linter no longer uses it.
    (suite.path / "pkg" / "evaluate.py").write_text(EVALUATE + "\n# edited\n")
    stale = _lint(suite.path, "pkg", "--runtime-evidence", "nograd.json")
    assert "confirmed by" not in stale.stdout
