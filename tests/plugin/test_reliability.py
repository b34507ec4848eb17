"""Suites that do strange things: timeouts, failing bodies, hundreds of marked tests,
and plugin hooks offered to other plugins."""
from __future__ import annotations

from .helpers import by_test, dedent, load_json, outcomes, run

TIMEOUT_SUITE = dedent('''
    import time
    import pytest, torch
    from nghelpers import clean_state

    @pytest.mark.memory_budget("1 GiB")
    @pytest.mark.autograd_budget("1 GiB")
    @pytest.mark.no_graph
    def test_times_out_inside_no_grad():
        torch.set_grad_enabled(False)
        torch.empty(10)
        time.sleep(60)

    def test_times_out_in_eval_forward():
        model = torch.nn.Linear(2, 2).eval()
        with torch.inference_mode():
            model(torch.randn(1, 2))
            time.sleep(60)

    def test_zz_after():
        clean_state()
''')


def test_timeout_removes_hooks_and_restores_state(suite):
    suite.makepyfile(test_timeouts=TIMEOUT_SUITE)
    result = run(suite, "--nograd-check", "--timeout=3", "--timeout-method=signal")
    out = outcomes(result)
    assert out == {"test_times_out_inside_no_grad": "FAILED", "test_times_out_in_eval_forward": "FAILED",
                   "test_zz_after": "PASSED"}
    result.stdout.fnmatch_lines(["*Timeout*"])
    result.stdout.fnmatch_lines(["*restored global autograd state: grad_enabled: True -> False*"])


GROWTH_SUITE = dedent('''
    import gc
    import pytest, torch, torch.nn as nn

    N = 200
    STATE = {}

    def live(kind):
        return sum(1 for o in gc.get_objects() if issubclass(type(o), kind))

    # One model for all tests keeps the suite fast; every test still makes new inputs,
    # activations, saved tensors, gradients and optimizer state.
    MODEL = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 8))

    @pytest.mark.parametrize("i", range(N))
    @pytest.mark.memory_budget("8 MiB")
    @pytest.mark.autograd_budget("4 MiB")
    def test_marked(i):
        if i == 20:
            gc.collect()
            STATE["tensors"] = live(torch.Tensor)
            STATE["objects"] = len(gc.get_objects())
        MODEL.train()
        MODEL.zero_grad(set_to_none=True)
        MODEL(torch.randn(16, 32)).sum().backward()
        torch.optim.SGD(MODEL.parameters(), lr=0.1).step()
        with torch.no_grad():
            MODEL.eval()(torch.randn(4, 32))

    def test_zz_no_growth():
        gc.collect()
        from pytest_nograd import measure, sanitizer
        assert live(torch.Tensor) == STATE["tensors"]
        for cls in list(measure._classes.values()) + [measure.SavedTensorsMeter]:
            assert live(cls) == 0, cls
        assert live(sanitizer.Sanitizer) == 1  # this test's own
        # pytest keeps every report (about 13 objects per test here); the plugin adds one
        # small plain-data entry per measured test. A leaked graph or meter is far more.
        per_test = (len(gc.get_objects()) - STATE["objects"]) / (N - 20)
        assert per_test < 50, per_test
''')


def test_hundreds_of_marked_tests_do_not_grow_memory(suite):
    suite.makepyfile(test_growth=GROWTH_SUITE)
    result = run(suite, "--nograd-check", "-q")
    result.assert_outcomes(passed=201)


HOOKS_CONFTEST = '''
import pytest


class FakeMeter:
    name = "fake"

    def start(self):
        self.on = True

    def stop(self):
        return 5 * 1024 * 1024 if self.on else None


def pytest_nograd_meters(config):
    return [FakeMeter()]


def pytest_nograd_filter_finding(item, finding):
    if "ignored" in item.name and finding.kind == "eval-builds-graph":
        return False
    return None
'''

HOOKS_SUITE = dedent('''
    import pytest, torch

    def test_eval_reported():
        torch.nn.Linear(2, 2).eval()(torch.randn(1, 2))

    def test_eval_ignored():
        torch.nn.Linear(2, 2).eval()(torch.randn(1, 2))

    @pytest.mark.memory_budget("1 MiB")
    def test_fake_device_budget():
        pass
''')


def test_plugin_hooks_add_meters_and_filter_findings(suite):
    suite.makeconftest(suite.path.joinpath("conftest.py").read_text() + HOOKS_CONFTEST)
    suite.makepyfile(test_hooked=HOOKS_SUITE)
    result = run(suite, "--nograd-check", "--nograd-json=r.json")
    out = outcomes(result)
    assert out == {"test_eval_reported": "PASSED", "test_eval_ignored": "PASSED", "test_fake_device_budget": "FAILED"}
    result.stdout.fnmatch_lines(["memory budget of 1.0 MiB (1048576 bytes) exceeded: peak fake: 5.0 MiB (5242880 bytes)"])
    tests = by_test(load_json(suite.path / "r.json"))
    assert [f["kind"] for f in tests["test_eval_reported"]["findings"]] == ["eval-builds-graph"]
    assert tests["test_eval_ignored"]["findings"] == []  # listed (every test is), finding dropped
    assert tests["test_fake_device_budget"]["measurements"]["peak_bytes"]["fake"] == 5 * 1024 * 1024
