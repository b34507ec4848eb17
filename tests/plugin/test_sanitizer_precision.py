"""The sanitizer on the patterns real suites contain (issue 12, item 0): it warns only
with evidence, keeps xfail honest, respects fixture scopes, and adds no torch warnings."""
from __future__ import annotations

import pytest

from pytest_nograd.report import JSON_SCHEMA

from .helpers import by_test, dedent, kinds, load_json, outcomes, run

STEP_SUITE = dedent('''
    import torch, torch.nn as nn

    # ---- deliberate steps without gradients: no forward, no backward -> no finding
    def test_scheduler_steps_without_forward():
        model = nn.Linear(4, 2)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10)
        for _ in range(120):
            opt.step()
            sched.step()
        assert opt.param_groups[0]["lr"] < 0.1

    def test_step_without_grads_is_a_no_op():
        p = nn.Parameter(torch.ones(3))
        opt = torch.optim.Adam([p])
        opt.step()
        assert torch.equal(p.detach(), torch.ones(3))

    def test_zero_grad_then_step_after_training():
        model = nn.Linear(4, 2)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        model(torch.randn(3, 4)).sum().backward()
        opt.step()
        opt.zero_grad()
        opt.step()  # gradients did reach the parameters earlier in this test

    def test_fresh_optimizer_stepped_after_an_unrelated_backward():
        model = nn.Linear(4, 2)
        model(torch.randn(3, 4)).sum().backward()
        other = nn.Parameter(torch.zeros(2))
        torch.optim.SGD([other], lr=0.1).step()  # never in any graph: a deliberate no-op step

    # ---- evidence that gradients were lost -> one finding per call site, with a count
    def test_forward_under_no_grad_then_step():
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for _ in range(5):
            with torch.no_grad():
                loss = model(torch.randn(2, 4)).sum()
            opt.step()  # NOGRAD-STEP

    def test_forward_under_inference_mode_then_step():
        model = nn.Linear(4, 1)
        opt = torch.optim.Adam(model.parameters())
        with torch.inference_mode():
            model(torch.randn(2, 4))
        opt.step()  # INFERENCE-STEP

    def test_backward_that_never_reaches_the_parameters():
        backbone, head = nn.Linear(4, 8), nn.Linear(8, 1)
        opt = torch.optim.SGD(backbone.parameters(), lr=0.1)
        feats = backbone(torch.randn(2, 4)).detach()
        head(feats).sum().backward()
        opt.step()  # CUT-STEP

    def test_cut_graph_after_an_earlier_training_step():
        model = nn.Linear(4, 1)
        model(torch.randn(2, 4)).sum().backward()  # a backward has run before
        backbone, head = nn.Linear(4, 8), nn.Linear(8, 1)
        opt = torch.optim.SGD(backbone.parameters(), lr=0.1)
        head(backbone(torch.randn(2, 4)).detach()).sum().backward()
        opt.step()  # LATE-CUT-STEP
''')


def _line(source: str, marker: str) -> int:
    for i, line in enumerate(source.lstrip("\n").splitlines(), start=1):
        if marker in line:
            return i
    raise AssertionError(marker)


def test_step_without_grad_needs_evidence(suite):
    suite.makepyfile(test_steps=STEP_SUITE)
    result = run(suite, "--nograd-check", "--nograd-json=report.json")
    out = outcomes(result)
    tests = by_test(load_json(suite.path / "report.json"))
    assert set(out.values()) == {"PASSED"}, out
    for quiet in ["test_scheduler_steps_without_forward", "test_step_without_grads_is_a_no_op",
                  "test_zero_grad_then_step_after_training",
                  "test_fresh_optimizer_stepped_after_an_unrelated_backward"]:
        assert tests[quiet]["findings"] == [], tests[quiet]
    nograd = tests["test_forward_under_no_grad_then_step"]["findings"]
    assert kinds({"findings": nograd}) == ["step-without-grad"]
    assert nograd[0]["lineno"] == _line(STEP_SUITE, "# NOGRAD-STEP")
    assert "Sequential's forward over 4 of them ran without building a graph" in nograd[0]["message"]
    assert nograd[0]["message"].endswith("(5 calls here)")
    inference = tests["test_forward_under_inference_mode_then_step"]["findings"]
    assert [f["lineno"] for f in inference] == [_line(STEP_SUITE, "# INFERENCE-STEP")]
    cut = tests["test_backward_that_never_reaches_the_parameters"]["findings"]
    assert [f["lineno"] for f in cut] == [_line(STEP_SUITE, "# CUT-STEP")]
    assert ("Linear's forward over 2 of them built a graph and a backward pass ran in this test, but no "
            "gradient reached them") in cut[0]["message"]
    late = tests["test_cut_graph_after_an_earlier_training_step"]["findings"]
    assert [f["lineno"] for f in late] == [_line(STEP_SUITE, "# LATE-CUT-STEP")]
    # One warning per call site, not one per step() call.
    assert result.stdout.str().count("GradModeWarning: step-without-grad") == 4


XFAIL_SUITE = dedent('''
    import pytest, torch, torch.nn as nn

    @pytest.mark.xfail(reason="tracked elsewhere")
    def test_xfail_body_passes_but_finding():
        nn.Linear(2, 2).eval()(torch.randn(1, 2))

    @pytest.mark.xfail(reason="really broken")
    def test_xfail_body_fails():
        nn.Linear(2, 2).eval()(torch.randn(1, 2))
        assert False

    @pytest.mark.xfail(reason="tracked elsewhere", strict=True)
    def test_xfail_strict_body_passes_but_leak():
        torch.set_grad_enabled(False)

    @pytest.mark.xfail(reason="clean xpass")
    def test_xfail_clean():
        pass
''')


def test_strict_failures_in_xfail_tests_are_reported(suite):
    suite.makepyfile(test_xf=XFAIL_SUITE)
    result = run(suite, "--nograd-check", "--nograd-strict")
    out = outcomes(result)
    assert out == {"test_xfail_body_passes_but_finding": "FAILED", "test_xfail_body_fails": "XFAIL",
                   "test_xfail_strict_body_passes_but_leak": "FAILED", "test_xfail_clean": "XPASS"}, out
    result.stdout.fnmatch_lines(["*eval-builds-graph: Linear in eval mode*",
                                 "*marked xfail: tracked elsewhere, but its body passed; this failure comes "
                                 "from pytest-nograd*"])
    # Without --nograd-check the same suite keeps its xfail outcomes.
    plain = outcomes(run(suite))
    assert plain == {"test_xfail_body_passes_but_finding": "XPASS", "test_xfail_body_fails": "XFAIL",
                     "test_xfail_strict_body_passes_but_leak": "FAILED", "test_xfail_clean": "XPASS"}, plain


SCOPED = {
    "test_a_module_no_grad": '''
        import pytest, torch

        @pytest.fixture(scope="module", autouse=True)
        def module_no_grad():
            with torch.no_grad():
                yield

        def test_first():
            assert not torch.is_grad_enabled()

        def test_second():
            assert not torch.is_grad_enabled()
    ''',
    "test_b_module_anomaly": '''
        import pytest, torch

        @pytest.fixture(scope="module")
        def anomaly():
            torch.autograd.set_detect_anomaly(True)
            yield
            torch.autograd.set_detect_anomaly(False)

        def test_one(anomaly):
            assert torch.is_anomaly_enabled()

        def test_two(anomaly):
            assert torch.is_anomaly_enabled()
    ''',
    "test_c_class_inference": '''
        import pytest, torch

        class TestInference:
            @pytest.fixture(scope="class", autouse=True)
            def inference(self):
                with torch.inference_mode():
                    yield

            def test_x(self):
                assert torch.is_inference_mode_enabled()

            def test_y(self):
                assert torch.ones(1).is_inference()
    ''',
    "test_d_session": '''
        import torch

        def test_session_state(session_no_fwd_grad):
            assert not torch._C._is_fwd_grad_enabled()

        def test_session_state_again(session_no_fwd_grad):
            assert not torch._C._is_fwd_grad_enabled()
    ''',
    "test_e_leaky_module_fixture": '''
        import pytest, torch

        @pytest.fixture(scope="module")
        def leaky():
            torch.set_grad_enabled(False)
            yield

        def test_uses_leaky(leaky):
            assert not torch.is_grad_enabled()

        def test_uses_leaky_again(leaky):
            assert not torch.is_grad_enabled()
    ''',
}

SESSION_CONFTEST = '''
import pytest, torch
from nghelpers import plugin_hooks_present


@pytest.fixture(autouse=True)
def _no_leftover_plugin_hooks():
    assert plugin_hooks_present() == []
    yield


@pytest.fixture(scope="session")
def session_no_fwd_grad():
    torch._C._set_fwd_grad_enabled(False)
    yield
    torch._C._set_fwd_grad_enabled(True)
'''


def test_leak_guard_understands_fixture_scopes(suite):
    suite.makeconftest(SESSION_CONFTEST)
    suite.makepyfile(**{name: dedent(src) for name, src in SCOPED.items()})
    pkg = suite.mkpydir("pkg_scoped")
    (pkg / "conftest.py").write_text(dedent('''
        import pytest, torch

        @pytest.fixture(scope="package", autouse=True)
        def package_anomaly():
            with torch.autograd.set_detect_anomaly(True):
                yield
    '''))
    (pkg / "test_in_package.py").write_text(dedent('''
        import torch

        def test_pkg_one():
            assert torch.is_anomaly_enabled()

        def test_pkg_two():
            assert torch.is_anomaly_enabled()
    '''))
    plain = outcomes(run(suite))
    result = run(suite, "--nograd-check", "--nograd-json=report.json")
    checked = outcomes(result)
    correct = [n for n in plain if n.startswith("test_") and "leaky" not in n]  # module/class/session/package
    assert len(correct) == 10, plain
    for name in correct:
        assert plain[name] == checked[name] == "PASSED", (name, plain, checked)
    # A module fixture that never restores: its tests run with its state (no change
    # mid-scope), and the leak is an error when the fixture is finalised.
    assert plain["test_uses_leaky"] == checked["test_uses_leaky"] == "PASSED"
    assert checked["test_uses_leaky_again"] == "PASSED+ERROR"
    result.stdout.fnmatch_lines(["*fixture 'leaky' (module scope) left global autograd state changed when it "
                                 "was finalised: grad_enabled: True -> False*"])
    data = load_json(suite.path / "report.json")
    leaks = [f for f in data["findings"] if f["kind"] == "grad-mode-leak"]
    assert [f["nodeid"] for f in leaks] == ["test_e_leaky_module_fixture.py::test_uses_leaky_again"]
    pytest.importorskip("jsonschema").validate(data, JSON_SCHEMA)


COMPILE_SUITE = dedent('''
    import pytest, torch, torch.nn as nn

    def test_compiled_module_runs_warning_free():
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU())
        compiled = torch.compile(model, backend="eager")
        with torch.no_grad():
            out = compiled(torch.randn(2, 4))
        out = compiled(torch.randn(2, 4))
        out.sum().backward()
        assert out.shape == (2, 8)

    def test_users_own_global_hook_still_gets_torchs_warning():
        handle = torch.nn.modules.module.register_module_forward_hook(lambda m, a, o: None)
        try:
            compiled = torch.compile(nn.Linear(2, 2), backend="eager")
            with pytest.warns(UserWarning, match="global hooks"):
                compiled(torch.randn(1, 2))
        finally:
            handle.remove()
''')

ERROR_INI = """
[pytest]
filterwarnings =
    error
    ignore:Failed to initialize NumPy:UserWarning
"""


@pytest.mark.parametrize("args", [[], ["--nograd-check"]], ids=["plain", "check"])
def test_torch_compile_under_filterwarnings_error(suite, args):
    suite.makeini(ERROR_INI)
    suite.makepyfile(test_compile=COMPILE_SUITE)
    # pytest-asyncio (installed for the language server's tests) warns at start-up about its own
    # settings; under `filterwarnings = error` that is its error, not torch's or ours.
    out = outcomes(run(suite, "-p", "no:asyncio", *args))
    assert out == {"test_compiled_module_runs_warning_free": "PASSED",
                   "test_users_own_global_hook_still_gets_torchs_warning": "PASSED"}, out


LIBRARY = '''
def attribute(model, x):
    baseline = model(x)  # LIB-LINE: a first forward the library never backpropagates
    x = x.clone().requires_grad_(True)
    model(x).sum().backward()
    return x.grad, baseline
'''

LIB_SUITE = dedent('''
    import sys, pathlib
    sys.path.insert(0, str(pathlib.Path(__file__).parent / "vendor" / "site-packages"))
    import torch, torch.nn as nn
    from attrlib import attribute
    from projhelpers import evaluate

    def test_attribution_in_a_library():
        model = nn.Linear(4, 1).eval()
        attribute(model, torch.randn(2, 4))  # TEST-LINE

    def test_eval_in_a_project_helper():
        evaluate(nn.Linear(4, 1).eval())  # HELPER-CALL
''')

PROJ_HELPERS = '''
import torch


def evaluate(model):
    return model(torch.randn(2, 4))  # HELPER-LINE
'''


def test_findings_inside_libraries_name_both_frames(suite):
    lib = suite.path / "vendor" / "site-packages" / "attrlib"
    lib.mkdir(parents=True)
    (lib / "__init__.py").write_text(LIBRARY.lstrip("\n"))
    suite.makepyfile(projhelpers=PROJ_HELPERS, test_lib=LIB_SUITE)
    result = run(suite, "--nograd-check", "--nograd-json=report.json")
    tests = by_test(load_json(suite.path / "report.json"))
    (lib_f,) = tests["test_attribution_in_a_library"]["findings"]
    assert lib_f["filename"] == "test_lib.py" and lib_f["lineno"] == _line(LIB_SUITE, "# TEST-LINE")
    lib_line = _line(LIBRARY, "# LIB-LINE")
    assert f"inside library code at vendor/site-packages/attrlib/__init__.py:{lib_line}, called from test_lib.py:" in lib_f["message"]
    assert "never backpropagated through" in lib_f["message"] and "the test never" not in lib_f["message"]
    (helper_f,) = tests["test_eval_in_a_project_helper"]["findings"]
    assert helper_f["filename"] == "projhelpers.py" and helper_f["lineno"] == _line(PROJ_HELPERS, "# HELPER-LINE")
    assert f"(test line test_lib.py:{_line(LIB_SUITE, '# HELPER-CALL')})" in helper_f["message"]
    assert "INTERNALERROR" not in result.stdout.str()


GRAPH_COST_SUITE = dedent('''
    import torch, torch.nn as nn

    def test_unused_graph_cost():
        model = nn.Sequential(nn.Linear(256, 512), nn.ReLU()).eval()
        x = torch.randn(64, 256)
        out = model(x)  # COST-LINE
        assert out.shape == (64, 512)

    def test_eval_loop_with_grad():
        model = nn.Linear(8, 8).eval()
        for _ in range(40):
            model(torch.randn(2, 8))  # LOOP-LINE
        # After 16 calls the sanitizer stopped paying for its global forward hook.
        assert not torch.nn.modules.module._global_forward_hooks

    def test_attribution_loop_keeps_watching():
        model = nn.Linear(8, 8).eval()
        for _ in range(40):
            model(torch.randn(2, 8, requires_grad=True)).sum().backward()
        model(torch.randn(2, 8))  # AFTER-LINE
''')


def test_eval_graph_finding_states_what_the_graph_kept_alive(suite):
    suite.makepyfile(test_cost=GRAPH_COST_SUITE)
    result = run(suite, "--nograd-check", "--nograd-json=report.json")
    (finding,) = by_test(load_json(suite.path / "report.json"))["test_unused_graph_cost"]["findings"]
    # addmm saves its input x (64 x 256 float32); ReLU saves its result, which is also the
    # output (64 x 512 float32); the weight is a parameter and is not counted.
    expected = 64 * 256 * 4 + 64 * 512 * 4
    assert finding["graph_bytes"] == expected
    assert finding["module"] == "Sequential"
    assert finding["test_line"] == _line(GRAPH_COST_SUITE, "# COST-LINE")
    assert f"holding 192.0 KiB ({expected} bytes) of saved tensors and outputs" in finding["message"]
    result.stdout.fnmatch_lines(["*GradModeWarning: eval-builds-graph: Sequential in eval mode * holding 192.0 KiB*"])
    tests = by_test(load_json(suite.path / "report.json"))
    assert outcomes(result)["test_eval_loop_with_grad"] == "PASSED"
    (loop,) = tests["test_eval_loop_with_grad"]["findings"]
    assert loop["lineno"] == _line(GRAPH_COST_SUITE, "# LOOP-LINE")
    assert "(16 calls, then the sanitizer stopped watching this loop)" in loop["message"]
    # Backpropagated calls are no finding, and the hook stays for the call after the loop.
    (after,) = tests["test_attribution_loop_keeps_watching"]["findings"]
    assert after["lineno"] == _line(GRAPH_COST_SUITE, "# AFTER-LINE")


# gpytorch's pattern: one module-level nn.Softplus is the transform of every positive
# constraint, so it is a registered submodule of every model and any model's .eval()
# leaves it in eval mode; reading a constrained hyperparameter calls it, with grad on, as
# an outermost module call. Found on gpytorch 1.15.2's own suite (135 false findings).
SHARED_TRANSFORM_SUITE = dedent('''
    import torch, torch.nn as nn

    SOFTPLUS = nn.Softplus()  # shared by every constraint, as in gpytorch.constraints

    class Positive(nn.Module):
        def __init__(self):
            super().__init__()
            self._transform = SOFTPLUS  # a registered submodule of every model

        def transform(self, raw):
            return self._transform(raw)

    class Regressor(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(3, 1)
            self.raw_noise = nn.Parameter(torch.zeros(1))
            self.noise_constraint = Positive()

        @property
        def noise(self):
            return self.noise_constraint.transform(self.raw_noise)

        def forward(self, x):
            return self.linear(x) + self.noise

    def test_predict_under_no_grad():
        model = Regressor().eval()  # also puts the shared SOFTPLUS in eval mode
        with torch.no_grad():
            model(torch.randn(4, 3))

    def test_initialize_hyperparameter():
        model = Regressor()
        with torch.no_grad():
            model.raw_noise.fill_(2.0)
        # The model was never called in this test, and the shared SOFTPLUS is still in eval mode.
        assert model.noise.item() > 2.0

    def test_eval_forward_with_grad_is_still_found():
        model = Regressor().eval()
        model(torch.randn(4, 3))  # EVAL-LINE
''')


def test_parameterless_transform_in_eval_mode_is_no_finding(suite):
    suite.makepyfile(test_shared=SHARED_TRANSFORM_SUITE)
    result = run(suite, "-p", "no:randomly", "--nograd-check", "--nograd-json=report.json")
    tests = by_test(load_json(suite.path / "report.json"))
    assert tests["test_predict_under_no_grad"]["findings"] == []
    assert tests["test_initialize_hyperparameter"]["findings"] == []
    (found,) = tests["test_eval_forward_with_grad_is_still_found"]["findings"]
    assert found["module"] == "Regressor"
    assert found["lineno"] == _line(SHARED_TRANSFORM_SUITE, "# EVAL-LINE")
    assert set(outcomes(result).values()) == {"PASSED"}
