"""Run-time evidence in --nograd-json (schema version 2): the sanitizer's forward records of
eval-mode modules, located in the user's project, that the linter reads back
(``nogradlint --runtime-evidence``)."""
from __future__ import annotations

import hashlib
import importlib
import sys

import pytest

from pytest_nograd.report import JSON_SCHEMA

from .helpers import dedent, load_json, outcomes, run

# Imported at collection, not inside a test: pytester restores sys.modules after each of
# its tests, and torch cannot be imported a second time in one process once dropped.
torch = pytest.importorskip("torch")

EVALUATE = dedent('''
    import torch


    def evaluate(model, x):
        with torch.no_grad():
            return model(x)  # EVAL-NOGRAD


    def evaluate_inference(model, x):
        with torch.inference_mode():
            return model(x)  # EVAL-INFERENCE


    def predict(model, x):
        return model(x)  # PREDICT


    def score(model, batches):
        return [evaluate(model, x) for x in batches]  # SCORE (a comprehension: its own frame before Python 3.12)
''')

# An installed library that evaluates the model itself (the sanitizer classifies files
# under site-packages as library code, wherever they are).
EVALLIB = dedent('''
    def run_model(model, x):
        return model(x)  # LIB-FORWARD
''')

EVIDENCE_SUITE = dedent('''
    import sys, pathlib
    sys.path.insert(0, str(pathlib.Path(__file__).parent / "vendor" / "site-packages"))
    import torch, torch.nn as nn
    from evallib import run_model
    from pkg.evaluate import evaluate, evaluate_inference, predict, score


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))

        def forward(self, x):
            return self.body(x)


    def test_helper_in_a_loop():
        model = Net().eval()
        for _ in range(50):
            evaluate(model, torch.randn(3, 4))  # LOOP-CALL


    def test_grad_modes():
        model = Net().eval()
        evaluate(model, torch.randn(3, 4))  # NOGRAD-CALL
        evaluate_inference(model, torch.randn(3, 4))  # INFERENCE-CALL
        out = predict(model, torch.randn(3, 4))  # ENABLED-CALL
        assert out.requires_grad


    def test_backpropagated_eval_is_no_unused_graph():
        model = Net().eval()
        x = torch.randn(3, 4, requires_grad=True)
        predict(model, x).sum().backward()  # USED-CALL
        assert x.grad is not None


    def test_two_test_lines_one_helper_line():
        model = Net().eval()
        for _ in range(3):
            evaluate(model, torch.randn(3, 4))  # FIRST-LINE
            evaluate(model, torch.randn(3, 4))  # SECOND-LINE
        score(model, [torch.randn(3, 4) for _ in range(4)])  # NESTED-HELPER


    def test_forward_inside_a_library():
        model = Net().eval()
        with torch.no_grad():
            run_model(model, torch.randn(3, 4))  # LIB-CALL


    def test_training_mode_is_not_recorded():
        model = Net()
        with torch.no_grad():
            model(torch.randn(3, 4))
''')


def _line(source: str, marker: str) -> int:
    # Files are written without the sources' leading newline (as makepyfile does).
    (n,) = [i for i, text in enumerate(source.lstrip("\n").splitlines(), 1) if marker in text]
    return n


def _frame(file: str, source: str, marker: str, function: str) -> dict:
    return {"file": file, "line": _line(source, marker), "function": function}


def _make_project(suite: pytest.Pytester) -> None:
    pkg = suite.path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "evaluate.py").write_text(EVALUATE.lstrip("\n"))
    lib = suite.path / "vendor" / "site-packages" / "evallib"
    lib.mkdir(parents=True)
    (lib / "__init__.py").write_text(EVALLIB.lstrip("\n"))
    suite.makepyfile(test_evidence=EVIDENCE_SUITE)


def _records(data: dict, test: str) -> list:
    return [r for r in data["forwards"] if r["tests"] == [f"test_evidence.py::{test}"]]


def test_forward_records_locate_eval_calls_in_the_project(suite):
    _make_project(suite)
    result = run(suite, "--nograd-check", "--nograd-json=report.json")
    assert set(outcomes(result).values()) == {"PASSED"}, result.stdout.str()
    data = load_json(suite.path / "report.json")
    pytest.importorskip("jsonschema").validate(data, JSON_SCHEMA)
    assert data["version"] == 2
    assert data["root"] == str(suite.path)
    t = "test_evidence.py"
    helper = _frame("pkg/evaluate.py", EVALUATE, "# EVAL-NOGRAD", "evaluate")

    # A helper called 50 times from one test line: one record, every call counted.
    (loop,) = _records(data, "test_helper_in_a_loop")
    assert loop["chain"] == [helper, _frame(t, EVIDENCE_SUITE, "# LOOP-CALL", "test_helper_in_a_loop")]
    assert loop["module"] == "Net"  # the outermost module, not its layers
    assert (loop["grad"], loop["unused_graph"], loop["graph_bytes"], loop["library"]) == ("no_grad", False, None, None)
    assert loop["calls"] == 50

    # The three grad modes, each from its own helper line.
    modes = {r["grad"]: r for r in _records(data, "test_grad_modes")}
    assert set(modes) == {"no_grad", "inference_mode", "enabled"}
    assert modes["no_grad"]["chain"] == [helper, _frame(t, EVIDENCE_SUITE, "# NOGRAD-CALL", "test_grad_modes")]
    assert modes["inference_mode"]["chain"] == [
        _frame("pkg/evaluate.py", EVALUATE, "# EVAL-INFERENCE", "evaluate_inference"),
        _frame(t, EVIDENCE_SUITE, "# INFERENCE-CALL", "test_grad_modes")]
    enabled = modes["enabled"]
    assert enabled["chain"] == [_frame("pkg/evaluate.py", EVALUATE, "# PREDICT", "predict"),
                                _frame(t, EVIDENCE_SUITE, "# ENABLED-CALL", "test_grad_modes")]
    # Built a graph nobody backpropagated: the same evidence as the eval-builds-graph finding.
    assert enabled["unused_graph"] is True and enabled["graph_bytes"] > 0 and enabled["calls"] == 1
    (finding,) = [f for f in data["findings"] if f["nodeid"] == f"{t}::test_grad_modes"]
    assert finding["kind"] == "eval-builds-graph"
    assert (finding["chain"], finding["library"], finding["count"]) == (enabled["chain"], None, 1)
    assert finding["graph_bytes"] == enabled["graph_bytes"]

    (used,) = _records(data, "test_backpropagated_eval_is_no_unused_graph")
    assert (used["grad"], used["unused_graph"], used["graph_bytes"]) == ("enabled", False, None)
    assert used["chain"][-1] == _frame(t, EVIDENCE_SUITE, "# USED-CALL", "test_backpropagated_eval_is_no_unused_graph")

    # The per-call-site cache never merges calls that came through different lines.
    two = {tuple(f["line"] for f in r["chain"]): r["calls"] for r in _records(data, "test_two_test_lines_one_helper_line")}
    assert two == {
        (helper["line"], _line(EVIDENCE_SUITE, "# FIRST-LINE")): 3,
        (helper["line"], _line(EVIDENCE_SUITE, "# SECOND-LINE")): 3,
        (helper["line"], _line(EVALUATE, "# SCORE"), _line(EVIDENCE_SUITE, "# NESTED-HELPER")): 4,
    }

    (lib,) = _records(data, "test_forward_inside_a_library")
    assert lib["chain"] == [_frame(t, EVIDENCE_SUITE, "# LIB-CALL", "test_forward_inside_a_library")]
    assert lib["library"] == _frame("vendor/site-packages/evallib/__init__.py", EVALLIB, "# LIB-FORWARD", "run_model")
    assert lib["grad"] == "no_grad"

    assert _records(data, "test_training_mode_is_not_recorded") == []

    # Every project file a chain names, with the digest of its bytes; library files are not chains.
    assert sorted(data["files"]) == ["pkg/evaluate.py", t]
    for name, digest in data["files"].items():
        assert digest == hashlib.sha256((suite.path / name).read_bytes()).hexdigest()
    # Sorted by chain (then module, grad): the file does not depend on test order.
    keys = [([(f["file"], f["line"], f["function"]) for f in r["chain"]], r["module"], r["grad"]) for r in data["forwards"]]
    assert keys == sorted(keys)


def test_no_forward_records_without_check(suite):
    _make_project(suite)
    run(suite, "--nograd-json=report.json")
    data = load_json(suite.path / "report.json")
    pytest.importorskip("jsonschema").validate(data, JSON_SCHEMA)
    assert (data["version"], data["forwards"], data["files"]) == (2, [], {})


STEP_SUITE = dedent('''
    import torch, torch.nn as nn
    from pkg.train import train_step


    def test_step_after_no_grad_forward():
        model = nn.Linear(4, 2)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for _ in range(3):
            train_step(model, opt, torch.randn(2, 4))  # STEP-CALL
''')

TRAIN = dedent('''
    import torch


    def train_step(model, opt, x):
        with torch.no_grad():
            model(x).sum()
        opt.step()  # STEP-LINE
''')


def test_step_without_grad_finding_has_chain_and_count(suite):
    (suite.path / "pkg").mkdir()
    (suite.path / "pkg" / "__init__.py").write_text("")
    (suite.path / "pkg" / "train.py").write_text(TRAIN.lstrip("\n"))
    suite.makepyfile(test_step=STEP_SUITE)
    run(suite, "--nograd-check", "--nograd-json=report.json")
    data = load_json(suite.path / "report.json")
    pytest.importorskip("jsonschema").validate(data, JSON_SCHEMA)
    (finding,) = data["findings"]
    assert finding["kind"] == "step-without-grad"
    assert finding["chain"] == [_frame("pkg/train.py", TRAIN, "# STEP-LINE", "train_step"),
                                _frame("test_step.py", STEP_SUITE, "# STEP-CALL", "test_step_after_no_grad_forward")]
    assert (finding["library"], finding["count"]) == (None, 3)
    assert sorted(data["files"]) == ["pkg/train.py", "test_step.py"]


def test_xdist_writes_the_same_evidence_as_a_serial_run(suite):
    pytest.importorskip("xdist")
    _make_project(suite)
    # A second test file, so that both workers run tests that record forwards.
    suite.makepyfile(test_more=EVIDENCE_SUITE.replace("def test_", "def test_more_"))
    run(suite, "-n", "0", "--nograd-check", "--nograd-json=serial.json")
    run(suite, "-n", "2", "--nograd-check", "--nograd-json=parallel.json", timeout=400)
    serial, parallel = load_json(suite.path / "serial.json"), load_json(suite.path / "parallel.json")
    assert len(serial["forwards"]) > 10 and len(serial["files"]) == 3
    assert len({n for r in parallel["forwards"] for n in r["tests"]}) == 10  # 5 tests a file record forwards
    assert parallel["forwards"] == serial["forwards"]
    assert parallel["files"] == serial["files"]
    # The whole file, byte for byte: tests and findings are written by node id.
    assert (suite.path / "parallel.json").read_bytes() == (suite.path / "serial.json").read_bytes()


HELPER_MODULE = '''
import torch


def evaluate(model, x):
    with torch.no_grad():
        return model(x)
'''


def test_a_helper_called_in_a_loop_costs_one_stack_walk(tmp_path, monkeypatch):
    from pytest_nograd.sanitizer import Sanitizer

    (tmp_path / "nograd_loop_helper.py").write_text(HELPER_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    helper = importlib.import_module("nograd_loop_helper")
    model = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.ReLU()).eval()
    sanitizer = Sanitizer(__file__, str(tmp_path))
    sanitizer.install()
    try:
        for _ in range(50):
            helper.evaluate(model, torch.randn(2, 4))
        walks = sanitizer._sites.walks
    finally:
        sanitizer.remove()
        sys.modules.pop("nograd_loop_helper", None)
    sanitizer.collect()
    (record,) = sanitizer.forward_records
    assert record["calls"] == 50 and record["grad"] == "no_grad"
    assert [f["function"] for f in record["chain"]] == [
        "evaluate", "test_a_helper_called_in_a_loop_costs_one_stack_walk"]
    # The first forward walks for the model and for each of its two layers (not yet known
    # to be nested); the 49 calls after it reuse the cached call site.
    assert walks <= 3


DEEP_HELPERS = '''
import torch


def evaluate(model, x):
    with torch.no_grad():
        return model(x)


def run(model, batches):
    return [evaluate(model, x).sum().item() for x in batches]
'''


def test_the_call_site_cache_keeps_no_helper_frame_alive(tmp_path, monkeypatch):
    import gc
    import weakref

    from pytest_nograd.sanitizer import Sanitizer

    (tmp_path / "nograd_deep_helpers.py").write_text(DEEP_HELPERS)
    monkeypatch.syspath_prepend(str(tmp_path))
    helpers = importlib.import_module("nograd_deep_helpers")
    sanitizer = Sanitizer(__file__, str(tmp_path))
    sanitizer.install()
    try:
        model = torch.nn.Linear(4, 4).eval()
        freed = weakref.ref(model)
        helpers.run(model, [torch.randn(2, 4) for _ in range(5)])
        del model
        gc.collect()
        # run()'s frame held the model: the sanitizer must not keep that frame after it returned.
        assert freed() is None
    finally:
        sanitizer.remove()
        sys.modules.pop("nograd_deep_helpers", None)
    sanitizer.collect()
    (record,) = sanitizer.forward_records
    assert record["calls"] == 5
    assert [f["function"] for f in record["chain"]] == [
        "evaluate", "run", "test_the_call_site_cache_keeps_no_helper_frame_alive"]
