"""End to end: `pytest --nograd-check --nograd-json` writes the run-time evidence from a real
test run, and `nogradlint --runtime-evidence` reads it back to confirm and qualify its
static findings (tests/lint/test_runtime_evidence.py pins the linter's side down case by case)."""
from __future__ import annotations

import json
import pathlib
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


# -- all three joins, an untyped receiver, -n 2 and the fix ------------------------------------
# A second project: `embed_all` runs an eval-mode model through an untyped receiver
# (`runner.encoder(b)`) and hands its outputs back, so the static rules cannot tell that nothing
# backpropagates through them; only the tests' evidence shows it (NG013); the join is the same under -n 2; fixing NG013 with the evidence wraps the call,
# and the tests then show one unused graph fewer.

# The module the linter's own tests use (tests/lint/test_runtime_evidence.py).
EVALUATE_ALL = (pathlib.Path(__file__).parent.parent / "data" / "evidence" / "evaluate.py").read_text(encoding="utf-8")

TESTS_ALL = '''\
import torch
from torch import nn

from pkg.evaluate import embed_all, evaluate, protected_eval


def net():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 4))


def test_evaluate():
    loader = [(torch.randn(32, 64), torch.randn(32, 4)) for _ in range(3)]
    assert evaluate(net(), loader) > 0


class Runner:
    def __init__(self):
        self.encoder = net()


def test_embed():
    runner = Runner()
    runner.encoder.eval()
    assert len(embed_all(runner, [torch.randn(8, 64) for _ in range(2)])) == 2


def test_protected():
    with torch.no_grad():
        assert len(protected_eval(net(), [torch.randn(8, 64)])) == 1
'''

LOOP, EMBED_CALL, PROTECTED_LOOP = 7, 16, 24  # lines in pkg/evaluate.py


@pytest.fixture
def project(suite):
    pkg = suite.path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "evaluate.py").write_text(EVALUATE_ALL)
    suite.makepyfile(test_evaluation=TESTS_ALL)
    return suite


def lint_isolated(cwd, *args):
    return _lint(cwd, "--isolated", "pkg", *args)


def findings(cwd, *args):
    proc = lint_isolated(cwd, "--output-format", "json", *args)
    assert proc.returncode in (0, 1), proc.stderr
    return {(f["code"], f["line"]): f for f in json.loads(proc.stdout)}, proc.stderr


def check_joined(cwd):
    plain, _ = findings(cwd)
    assert sorted(plain) == [("NG001", LOOP), ("NG001", PROTECTED_LOOP)]
    joined, err = findings(cwd, "--runtime-evidence", "nograd.json")
    assert sorted(joined) == [("NG001", LOOP), ("NG001", PROTECTED_LOOP), ("NG013", EMBED_CALL)], err
    confirmed = joined[("NG001", LOOP)]
    assert confirmed["runtime_evidence"]["status"] == "confirmed"
    assert confirmed["runtime_evidence"]["tests"] == ["test_evaluation.py::test_evaluate"]
    # saved activations of a 32x256 hidden layer and the outputs, at least
    assert confirmed["runtime_evidence"]["graph_bytes"] >= 32 * 256 * 4
    assert "(confirmed by test_evaluation.py::test_evaluate: " in confirmed["message"]
    added = joined[("NG013", EMBED_CALL)]
    assert added["runtime_evidence"]["tests"] == ["test_evaluation.py::test_embed"]
    assert added["runtime_evidence"]["modules"] == ["Sequential"]
    assert added["fix"] is not None and added["fix"]["applicability"] == "unsafe"
    protected = joined[("NG001", PROTECTED_LOOP)]
    assert protected["runtime_evidence"]["status"] == "protected"
    assert protected["message"].endswith("(ran only under no_grad in 1 test: a caller may protect it)")
    dropped, _ = findings(cwd, "--runtime-evidence", "nograd.json", "--runtime-evidence-protected", "drop")
    assert sorted(dropped) == [("NG001", LOOP), ("NG013", EMBED_CALL)]


def evidence_part(path):
    data = json.loads(path.read_text())
    return data["files"], data["forwards"]


def test_tests_confirm_add_and_qualify(project):
    result = run(project, "--nograd-check", "--nograd-json=nograd.json")
    result.assert_outcomes(passed=3, warnings=2)  # the two eval-builds-graph warnings
    check_joined(project.path)

    # Under -n 2 the evidence is the same, so the join is too.
    serial = evidence_part(project.path / "nograd.json")
    pytest.importorskip("xdist")
    result = run(project, "-n", "2", "--nograd-check", "--nograd-json=nograd.json")
    assert result.ret == 0
    assert evidence_part(project.path / "nograd.json") == serial
    check_joined(project.path)

    # An edit that moves the lines: the evidence for that file is ignored, with one note.
    path = project.path / "pkg" / "evaluate.py"
    path.write_text("# moved\n" + EVALUATE_ALL)
    stale, err = findings(project.path, "--runtime-evidence", "nograd.json")
    assert sorted(stale) == [("NG001", LOOP + 1), ("NG001", PROTECTED_LOOP + 1)]
    assert all("runtime_evidence" not in f for f in stale.values())
    assert err.count("changed since the test run") == 1

    # Fixing NG013 alone with the fresh evidence wraps both forwards the tests saw build an unused
    # graph (with NG001 not selected, evaluate()'s forward is no static finding either), and the
    # tests then pass with no warning.
    path.write_text(EVALUATE_ALL)
    run(project, "--nograd-check", "--nograd-json=nograd.json")
    fixed = lint_isolated(project.path, "--runtime-evidence", "nograd.json", "--select", "NG013", "--fix",
                          "--unsafe-fixes")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    text = path.read_text()
    assert "        with torch.no_grad():\n            f = runner.encoder(b)\n" in text
    assert "        with torch.no_grad():\n            out = model(x)\n" in text
    result = run(project, "--nograd-check", "--nograd-json=nograd.json")
    result.assert_outcomes(passed=3)
    assert "eval-builds-graph" not in result.stdout.str()
