"""The --nograd-check sanitizer, run the way users run it (subprocess pytest)."""
from __future__ import annotations

import pytest

from pytest_nograd.report import JSON_SCHEMA

from .helpers import by_test, dedent, kinds, load_json, outcomes, run

SANITIZER_SUITE = dedent('''
    import pytest, torch, torch.nn as nn
    from torch.overrides import TorchFunctionMode
    from torch.utils._python_dispatch import TorchDispatchMode
    from nghelpers import clean_state

    # ---- leak guard: each leak is followed by a test that needs a clean state
    def test_leak_grad_mode():
        torch.set_grad_enabled(False)

    def test_after_grad_mode():
        clean_state()

    def test_leak_raises_inside_no_grad():
        torch.set_grad_enabled(False)
        raise ValueError("boom inside no_grad")

    def test_after_raise():
        clean_state()

    KEEP = []
    def test_leak_inference_mode_kept():
        ctx = torch.inference_mode()
        ctx.__enter__()
        KEEP.append(ctx)

    def test_after_inference_mode():
        clean_state()
        assert not torch.ones(1).is_inference()

    def test_leak_anomaly():
        torch.autograd.set_detect_anomaly(True)

    def test_after_anomaly():
        clean_state()

    class Mode(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            return func(*args, **(kwargs or {}))

    def test_leak_function_mode():
        Mode().__enter__()

    def test_after_function_mode():
        clean_state()

    class DMode(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            return func(*args, **(kwargs or {}))

    def test_leak_dispatch_mode():
        DMode().__enter__()

    def test_after_dispatch_mode():
        clean_state()

    def test_leak_saved_tensors_hooks():
        torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t).__enter__()

    def test_after_saved_tensors_hooks():
        clean_state()

    def test_leak_dual_level():
        torch.autograd.forward_ad.dual_level().__enter__()

    def test_after_dual_level():
        clean_state()

    def test_leak_fwd_grad():
        torch._C._set_fwd_grad_enabled(False)

    def test_after_fwd_grad():
        clean_state()

    @pytest.mark.allow_grad_mode_change
    def test_allowed_change():
        torch.set_grad_enabled(False)

    def test_after_allowed():
        clean_state()

    @pytest.fixture
    def leaky_fixture():
        torch.set_grad_enabled(False)
        yield

    def test_fixture_leak(leaky_fixture):
        pass

    def test_after_fixture_leak():
        clean_state()

    def test_restoring_is_fine():
        torch.set_grad_enabled(False)
        torch.set_grad_enabled(True)
        with torch.no_grad(), torch.inference_mode():
            pass

    # ---- evaluation that builds a graph
    def test_eval_builds_graph():
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)).eval()
        for _ in range(3):  # one finding per call site, naming the model, not its layers
            out = model(torch.randn(3, 4))  # EVAL-LINE
        assert out.shape == (3, 2)

    def test_eval_under_no_grad():
        model = nn.Linear(4, 2).eval()
        with torch.no_grad():
            model(torch.randn(3, 4))
        with torch.inference_mode():
            model(torch.randn(3, 4))

    def test_eval_then_backward():
        model = nn.Linear(4, 2).eval()
        model(torch.randn(3, 4)).sum().backward()

    class Decorated(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(4, 2)

        @torch.no_grad()
        def forward(self, x):
            return self.lin(x)

    def test_decorated_no_grad_forward():
        Decorated().eval()(torch.randn(3, 4))

    def test_train_mode_forward():
        nn.Linear(4, 2).train()(torch.randn(3, 4))

    def test_own_measurement_quiet(nograd):
        model = nn.Linear(4, 2).eval()
        nograd.assert_same_predictions(model, torch.randn(3, 4))

    # ---- training without gradients
    def test_step_without_grad():
        model = nn.Linear(4, 2)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        with torch.no_grad():
            loss = model(torch.randn(3, 4)).sum()
        opt.step()  # STEP-LINE

    def test_step_with_grad():
        model = nn.Linear(4, 2)
        opt = torch.optim.Adam(model.parameters())
        model(torch.randn(3, 4)).sum().backward()
        opt.step()

    def test_lbfgs_closure():
        model = nn.Linear(4, 2)
        opt = torch.optim.LBFGS(model.parameters(), max_iter=2)
        x = torch.randn(3, 4)
        def closure():
            opt.zero_grad()
            loss = model(x).pow(2).sum()
            loss.backward()
            return loss
        opt.step(closure)

    # ---- hooks must not break compiled code
    def test_compile_fullgraph():
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU()).eval()
        compiled = torch.compile(model, backend="eager", fullgraph=True)
        with torch.no_grad():
            out = compiled(torch.randn(2, 4))
        assert out.shape == (2, 8)

    # ---- plugin's own hooks are gone after failing / skipped / erroring tests
    def test_fails_with_eval_graph():
        nn.Linear(2, 2).eval()(torch.randn(1, 2))
        assert False, "plain failure"

    def test_after_failure():
        clean_state()

    def test_skipped():
        pytest.skip("skipping on purpose")

    @pytest.fixture
    def broken():
        raise RuntimeError("fixture error")

    def test_setup_error(broken):
        pass

    def test_zz_last_clean():
        clean_state()
''')

LEAKS = ["grad_mode", "raises_inside_no_grad", "inference_mode_kept", "anomaly", "function_mode",
         "dispatch_mode", "saved_tensors_hooks", "dual_level", "fwd_grad"]
STATE_NAMES = {
    "grad_mode": "grad_enabled: True -> False",
    "raises_inside_no_grad": "grad_enabled: True -> False",
    "inference_mode_kept": "inference_mode: False -> True",
    "anomaly": "anomaly_detection: False -> True",
    "function_mode": "torch_function_modes: [] -> [Mode]",
    "dispatch_mode": "torch_dispatch_modes: [] -> [DMode]",
    "saved_tensors_hooks": "saved_tensors_hooks: none ->",
    "dual_level": "forward_ad_level: -1 -> 0",
    "fwd_grad": "forward_grad_enabled: True -> False",
}


def check_sanitizer_run(result, data, out):
    # Every leak fails its own test, names the state with before/after, and the next
    # test (which needs a clean state) passes.
    for leak in LEAKS:
        assert out[f"test_leak_{leak}"] == "FAILED", (leak, out)
        entry = by_test(data)[f"test_leak_{leak}"]
        assert kinds(entry) == ["grad-mode-leak"], (leak, entry)
        assert STATE_NAMES[leak] in entry["findings"][0]["message"], (leak, entry)
    for after in ["after_grad_mode", "after_raise", "after_inference_mode", "after_anomaly",
                  "after_function_mode", "after_dispatch_mode", "after_saved_tensors_hooks",
                  "after_dual_level", "after_fwd_grad", "after_allowed", "after_fixture_leak",
                  "after_failure", "zz_last_clean"]:
        assert out[f"test_{after}"] == "PASSED", (after, out)
    # The original exception is kept, and the report says what was restored.
    result.stdout.fnmatch_lines(["*ValueError: boom inside no_grad*"])
    result.stdout.fnmatch_lines(["*restored global autograd state: grad_enabled: True -> False*"])
    assert out["test_allowed_change"] == "PASSED"
    assert out["test_restoring_is_fine"] == "PASSED"
    assert out["test_fixture_leak"] == "PASSED+ERROR"
    assert "test_allowed_change" not in by_test(data) or not by_test(data)["test_allowed_change"]["findings"]

    tests = by_test(data)
    # Eval graph: a warning naming the module class and the test's line.
    eval_f = tests["test_eval_builds_graph"]["findings"]
    assert [f["kind"] for f in eval_f] == ["eval-builds-graph"]
    assert eval_f[0]["message"].startswith("Sequential in eval mode")
    assert eval_f[0]["filename"] == "test_suite.py"  # relative to the root directory
    assert eval_f[0]["lineno"] == _line_of("# EVAL-LINE")
    step_f = tests["test_step_without_grad"]["findings"]
    assert [f["kind"] for f in step_f] == ["step-without-grad"]
    assert "SGD.step()" in step_f[0]["message"] and "no_grad / inference_mode" in step_f[0]["message"]
    assert step_f[0]["lineno"] == _line_of("# STEP-LINE")
    assert kinds(tests["test_fails_with_eval_graph"]) == ["eval-builds-graph"]
    for quiet in ["test_eval_under_no_grad", "test_eval_then_backward", "test_decorated_no_grad_forward",
                  "test_train_mode_forward", "test_own_measurement_quiet", "test_step_with_grad",
                  "test_lbfgs_closure", "test_compile_fullgraph", "test_restoring_is_fine"]:
        assert tests[quiet]["findings"] == [], (quiet, tests[quiet])
        assert out[quiet] == "PASSED", (quiet, out)
    # Warnings go through pytest's machinery and reach the warnings summary.
    result.stdout.fnmatch_lines(["*GradModeWarning: eval-builds-graph: Sequential in eval mode*"])
    result.stdout.fnmatch_lines(["*GradModeWarning: step-without-grad: SGD.step()*"])
    # End-of-session summary, findings grouped by kind with test ids.
    result.stdout.fnmatch_lines([
        "*= nograd summary =*",
        "grad-mode-leak: 10",
        "*test_suite.py::test_leak_grad_mode*",
    ])
    result.stdout.fnmatch_lines(["eval-builds-graph: 2", "*test_suite.py::test_eval_builds_graph*"])
    result.stdout.fnmatch_lines(["step-without-grad: 1", "*test_suite.py::test_step_without_grad*"])
    assert out["test_skipped"] if "test_skipped" in out else True
    assert out["test_setup_error"] == "ERROR"
    pytest.importorskip("jsonschema").validate(data, JSON_SCHEMA)


def _line_of(marker: str) -> int:
    for i, line in enumerate(SANITIZER_SUITE.lstrip("\n").splitlines(), start=1):
        if marker in line:
            return i
    raise AssertionError(marker)


def test_sanitizer_end_to_end(suite):
    suite.makepyfile(test_suite=SANITIZER_SUITE)
    result = run(suite, "--nograd-check", "--nograd-json=report.json")
    out = outcomes(result)
    data = load_json(suite.path / "report.json")
    check_sanitizer_run(result, data, out)
    assert "INTERNALERROR" not in result.stdout.str()
