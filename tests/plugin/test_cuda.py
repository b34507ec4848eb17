"""CUDA behaviour of the memory markers (skipped where CUDA is not available; the
CPU-only skip of device="cuda" is tested in test_markers.py)."""
from __future__ import annotations

import pytest

from .helpers import by_test, dedent, load_json, outcomes, run

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")

CUDA_SUITE = dedent('''
    import pytest, torch, torch.nn as nn

    MiB = 1024 * 1024

    @pytest.fixture(scope="module")
    def resident():
        return torch.empty(64 * MiB // 4, device="cuda")  # live before the body: not counted

    @pytest.mark.memory_budget("20 MiB", device="cuda")
    def test_cuda_ok(resident):
        a = torch.empty(16 * MiB // 4, device="cuda")

    @pytest.mark.memory_budget("8 MiB", device="cuda")
    def test_cuda_fails(resident):
        a = torch.empty(16 * MiB // 4, device="cuda")  # CUDA-LINE

    @pytest.mark.memory_budget("1 GiB")
    def test_auto_sees_both():
        a = torch.empty(4 * MiB // 4, device="cuda")
        b = torch.empty(2 * MiB // 4)

    @pytest.mark.memory_budget("3 MiB", device="cpu")
    def test_cpu_only_ignores_cuda():
        a = torch.empty(16 * MiB // 4, device="cuda")
        b = torch.empty(2 * MiB // 4)

    def test_eval_on_cuda_is_found():
        model = nn.Linear(8, 8).cuda().eval()
        model(torch.randn(4, 8, device="cuda"))
''')


def test_cuda_markers(suite):
    suite.makepyfile(test_cuda_suite=CUDA_SUITE)
    result = run(suite, "--nograd-check", "--nograd-json=r.json")
    out = outcomes(result)
    assert out == {"test_cuda_ok": "PASSED", "test_cuda_fails": "FAILED", "test_auto_sees_both": "PASSED",
                   "test_cpu_only_ignores_cuda": "PASSED", "test_eval_on_cuda_is_found": "PASSED"}
    result.stdout.fnmatch_lines(["memory budget of 8.0 MiB (8388608 bytes) exceeded: peak cuda: 16.0 MiB (16777216 bytes)",
                                 "largest allocations:", "  16.0 MiB on cuda by aten.empty.memory_format at *:*"])
    tests = by_test(load_json(suite.path / "r.json"))
    assert tests["test_cuda_ok"]["measurements"]["peak_bytes"] == {"cuda": 16 * 1024 * 1024}
    assert tests["test_auto_sees_both"]["measurements"]["peak_bytes"] == {"cuda": 4 * 1024 * 1024, "cpu": 2 * 1024 * 1024}
    assert tests["test_cpu_only_ignores_cuda"]["measurements"]["peak_bytes"] == {"cpu": 2 * 1024 * 1024}
    assert [f["kind"] for f in tests["test_eval_on_cuda_is_found"]["findings"]] == ["eval-builds-graph"]


def test_compare_modes_on_cuda():
    import pytest_nograd

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(256, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 10)).cuda().eval()
    cmp = pytest_nograd.compare_modes(model, torch.randn(512, 256, device="cuda"), repeats=5)
    assert cmp.cuda_synchronized and cmp.same_predictions
    assert all("cuda" in r.peak_bytes for r in cmp.runs)
    assert cmp.grad.saved_bytes > 0 and cmp.no_grad.saved_bytes == 0 == cmp.inference_mode.saved_bytes
    assert cmp.no_grad.peak_bytes["cuda"] < cmp.grad.peak_bytes["cuda"]
    assert [len(r.times) for r in cmp.runs] == [5, 5, 5]
    print(cmp)
