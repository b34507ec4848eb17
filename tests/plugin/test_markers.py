"""Markers, run the way users run them (subprocess pytest), serial and under -n 2."""
from __future__ import annotations

import pytest

from pytest_nograd.report import JSON_SCHEMA

from .helpers import by_test, dedent, load_json, outcomes, run

MARKERS_SUITE = dedent('''
    import pytest, torch, torch.nn as nn
    from nghelpers import clean_state

    B = 512

    def mlp():
        return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))

    # ---- no_graph
    @pytest.mark.no_graph
    def test_no_graph_ok():
        model = mlp()
        with torch.no_grad():
            model(torch.randn(8, 64))
        torch.randn(3, requires_grad=True)  # a leaf is not a graph

    @pytest.mark.no_graph
    def test_no_graph_fails():
        model = mlp()
        x = torch.randn(8, 64)
        y = model(x)  # GRAPH-LINE
        z = y * 2

    @pytest.mark.no_graph
    def test_no_graph_under_vmap():
        w = torch.randn(4, 4, requires_grad=True)
        torch.func.vmap(lambda r: r @ w)(torch.randn(3, 4))  # VMAP-LINE

    @pytest.mark.no_graph
    def test_no_graph_vmap_ok():
        w = torch.randn(4, 4)
        torch.func.vmap(lambda r: r @ w)(torch.randn(3, 4))

    @pytest.mark.no_graph
    def test_no_graph_own_measurement(nograd):
        # the grad-enabled run inside assert_same_predictions is the plugin's own
        nograd.assert_same_predictions(mlp().eval(), torch.randn(4, 64))

    # ---- memory_budget
    @pytest.mark.memory_budget("5 MiB")
    def test_mem_ok():
        a = torch.empty(1024, 1024)  # 4 MiB

    @pytest.mark.memory_budget(4 * 1024 * 1024)
    def test_mem_exact_int():
        a = torch.empty(1024, 1024)

    @pytest.mark.memory_budget("4000 kB")
    def test_mem_fails_decimal_unit():
        a = torch.empty(1024, 1024)  # ALLOC-LINE

    @pytest.mark.memory_budget(" 4 MiB ", device="cpu")
    def test_mem_cpu_device():
        a = torch.empty(1024, 1024)

    @pytest.mark.memory_budget("1 MiB", device="cuda")
    def test_mem_cuda_needs_cuda():
        pass

    @pytest.mark.memory_budget("1.5MiB")
    def test_mem_freed_is_subtracted():
        for _ in range(10):
            x = torch.empty(256 * 1024)  # 1 MiB
            del x

    @pytest.fixture
    def big():
        return torch.zeros(4 * 1024 * 1024)  # 16 MiB, live before the body starts

    @pytest.mark.memory_budget("1 KiB")
    def test_mem_baseline_not_counted(big):
        big.add_(1)
        view = big[:100]
        big.mul_(2)

    @pytest.mark.memory_budget("2 MiB")
    def test_mem_mlp_forward():
        model = mlp()
        x = torch.randn(B, 64)
        with torch.no_grad():
            model(x)

    # ---- autograd_budget: Linear(64,128) saves x (B*64*4), ReLU saves its output (B*128*4)
    @pytest.mark.autograd_budget("384 KiB")
    def test_autograd_exact():
        model = mlp()
        model(torch.randn(B, 64)).sum().backward()

    @pytest.mark.autograd_budget("383 KiB")
    def test_autograd_fails():
        model = mlp()
        model(torch.randn(B, 64)).sum().backward()

    @pytest.mark.autograd_budget(0)
    def test_autograd_no_grad_is_zero():
        model = mlp()
        with torch.no_grad():
            model(torch.randn(B, 64))

    @pytest.mark.autograd_budget("1 MiB")
    @pytest.mark.memory_budget("64 MiB")
    @pytest.mark.no_graph
    def test_all_markers_failing_body_cleans_up():
        model = mlp()
        model(torch.randn(B, 64))
        raise RuntimeError("body failed")

    def test_zz_clean():
        clean_state()
''')


def _line_of(marker: str) -> int:
    for i, line in enumerate(MARKERS_SUITE.lstrip("\n").splitlines(), start=1):
        if marker in line:
            return i
    raise AssertionError(marker)


def check_markers_run(result, data, out):
    assert out["test_no_graph_ok"] == "PASSED"
    assert out["test_no_graph_fails"] == "FAILED"
    result.stdout.fnmatch_lines([
        f"no_graph: the test body built an autograd graph: first op producing a tensor with grad_fn was "
        f"torch.nn.functional.linear at *test_markers_suite.py:{_line_of('# GRAPH-LINE')} (4 graph-building ops in all)"])
    assert out["test_no_graph_under_vmap"] == "FAILED"
    result.stdout.fnmatch_lines([f"no_graph:*first op*at *test_markers_suite.py:{_line_of('# VMAP-LINE')} *"])
    assert out["test_no_graph_vmap_ok"] == "PASSED"
    assert out["test_no_graph_own_measurement"] == "PASSED"

    for name in ["test_mem_ok", "test_mem_exact_int", "test_mem_cpu_device", "test_mem_freed_is_subtracted",
                 "test_mem_baseline_not_counted", "test_mem_mlp_forward", "test_autograd_exact",
                 "test_autograd_no_grad_is_zero", "test_zz_clean"]:
        assert out[name] == "PASSED", (name, out)
    assert out["test_mem_fails_decimal_unit"] == "FAILED"
    result.stdout.fnmatch_lines([
        "memory budget of 3.8 MiB (4000000 bytes) exceeded: peak cpu: 4.0 MiB (4194304 bytes)",
        "largest allocations:",
        f"  4.0 MiB on cpu by aten.empty.memory_format at *test_markers_suite.py:{_line_of('# ALLOC-LINE')}",
    ])
    import torch

    if torch.cuda.is_available():
        assert out["test_mem_cuda_needs_cuda"] == "PASSED"
    else:  # device="cuda" without CUDA is a skip with a reason, never a silent pass
        assert "test_mem_cuda_needs_cuda" not in out
        assert "memory_budget(device='cuda'): CUDA is not available" in out["SKIPPED"]
    assert out["test_autograd_fails"] == "FAILED"
    result.stdout.fnmatch_lines([
        "autograd budget of 383.0 KiB (392192 bytes) exceeded: 384.0 KiB (393216 bytes) saved for backward"])
    assert out["test_all_markers_failing_body_cleans_up"] == "FAILED"
    result.stdout.fnmatch_lines(["*RuntimeError: body failed*"])

    tests = by_test(data)
    m = tests["test_mem_ok"]["measurements"]
    assert m["peak_bytes"] == {"cpu": 4 * 1024 * 1024}
    assert tests["test_autograd_exact"]["measurements"]["saved_bytes"] == 512 * (64 + 128) * 4
    assert tests["test_autograd_no_grad_is_zero"]["measurements"]["saved_bytes"] == 0
    assert tests["test_mem_baseline_not_counted"]["measurements"]["peak_bytes"] == {"cpu": 0}
    # MLP built in the body, forward under no_grad: parameters + input + two live 512x128
    # activations (Linear output and ReLU output).
    params = (64 * 128 + 128 + 128 * 10 + 10) * 4
    assert tests["test_mem_mlp_forward"]["measurements"]["peak_bytes"] == {
        "cpu": params + 512 * 64 * 4 + 2 * 512 * 128 * 4}
    assert tests["test_no_graph_fails"]["measurements"]["graph_ops"] == 4
    pytest.importorskip("jsonschema").validate(data, JSON_SCHEMA)
    # Summary: top tests by peak memory and by bytes saved.
    result.stdout.fnmatch_lines([
        "top 5 tests by peak tensor memory:",
        "  cpu 4.0 MiB * test_markers_suite.py::test_mem_ok",
    ])
    result.stdout.fnmatch_lines([
        "top * tests by bytes saved for backward:",
        "  384.0 KiB * test_markers_suite.py::test_autograd_*",
    ])


def test_markers_end_to_end(suite):
    suite.makepyfile(test_markers_suite=MARKERS_SUITE)
    result = run(suite, "--strict-markers", "--nograd-json=out/report.json")
    check_markers_run(result, load_json(suite.path / "out" / "report.json"), outcomes(result))
    assert "INTERNALERROR" not in result.stdout.str()


# ----------------------------------------------------------------- malformed markers

BAD_MARKERS = {
    "bad_unit": ('@pytest.mark.memory_budget("10 XB")', "unknown unit 'XB'"),
    "negative_int": ("@pytest.mark.memory_budget(-5)", "must not be negative"),
    "negative_str": ('@pytest.mark.memory_budget("-1 MiB")', "must not be negative"),
    "bad_device": ('@pytest.mark.memory_budget("1 MiB", device="tpu")', "unknown device 'tpu'"),
    "unknown_kw": ('@pytest.mark.memory_budget("1 MiB", devcie="cpu")', "unknown keyword argument(s) ['devcie']"),
    "no_limit": ("@pytest.mark.memory_budget", "takes exactly one limit"),
    "two_limits": ("@pytest.mark.memory_budget(1, 2)", "takes exactly one limit"),
    "bool_limit": ("@pytest.mark.autograd_budget(True)", "True is not a size"),
    "garbage": ('@pytest.mark.autograd_budget("lots")', "cannot parse size 'lots'"),
    "ag_kw": ('@pytest.mark.autograd_budget("1 MiB", device="cpu")', "unknown keyword argument(s) ['device']"),
    "ng_args": ("@pytest.mark.no_graph(True)", "takes no arguments"),
    "allow_args": ("@pytest.mark.allow_grad_mode_change(1)", "takes no arguments"),
}


def test_malformed_markers_are_collection_errors(suite):
    for key, (decorator, _) in BAD_MARKERS.items():
        suite.makepyfile(**{f"test_bad_{key}": f"import pytest\n\n{decorator}\ndef test_{key}():\n    pass\n"})
    suite.makepyfile(test_good="import pytest\n\n@pytest.mark.memory_budget('1 GiB')\ndef test_good():\n    pass\n")
    # A marker added after collection (by a hook, or request.applymarker) is validated at setup.
    suite.makepyfile(test_dyn="def test_dyn():\n    pass\n")
    suite.makeconftest(suite.path.joinpath("conftest.py").read_text() + '''
def pytest_collection_modifyitems(items):
    for item in items:
        if item.name == "test_dyn":
            item.add_marker(pytest.mark.memory_budget("12 parsecs"))
''')
    result = run(suite, "--continue-on-collection-errors")
    text = result.stdout.str()
    assert "INTERNALERROR" not in text
    for key, (decorator, reason) in BAD_MARKERS.items():
        result.stdout.fnmatch_lines([f"*ERROR collecting test_bad_{key}.py*"])
        assert f"In test_{key}: " in text and reason in text, (key, text)
    result.stdout.fnmatch_lines(["*In test_dyn: @pytest.mark.memory_budget: bad limit '12 parsecs'*"])
    # 12 collection errors and one setup error; the good test still runs.
    result.assert_outcomes(passed=1, errors=len(BAD_MARKERS) + 1)
