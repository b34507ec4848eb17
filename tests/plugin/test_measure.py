"""Meters, in process: accuracy against analytic byte counts (a correctness property)."""
from __future__ import annotations

import gc
import weakref

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from pytest_nograd import MemoryBudgetExceeded, budget, track  # noqa: E402

KiB = 1024


def close(measured: int, analytic: int) -> bool:
    """The documented accuracy claim: within 1 % or 64 KiB of the analytic bytes."""
    return abs(measured - analytic) <= max(0.01 * analytic, 64 * KiB)


@pytest.mark.parametrize("shape, dtype", [
    ((1024, 1024), torch.float32), ((3, 5, 7), torch.float64), ((1000,), torch.int8),
    ((999,), torch.bool), ((10, 10), torch.complex64), ((0,), torch.float32), ((4096, 513), torch.bfloat16),
])
def test_exact_size_allocation(shape, dtype):
    with track() as m:
        t = torch.empty(shape, dtype=dtype)
    analytic = t.numel() * t.element_size()
    assert m.peak_bytes == {"cpu": analytic}


def test_views_inplace_and_preexisting_storages_are_not_counted():
    big = torch.zeros(1024, 1024)
    with track() as m:
        big.add_(1)
        v = big[10:20].view(-1)
        big.mul_(2)
        w = big.reshape(-1)  # contiguous reshape is a view
    assert m.peak_bytes == {"cpu": 0}
    del v, w


def test_freed_memory_is_subtracted_and_peak_kept():
    with track() as m:
        a = torch.empty(256 * KiB)  # 1 MiB
        b = torch.empty(512 * KiB)  # 2 MiB
        del a, b
        c = torch.empty(128 * KiB)  # 0.5 MiB
    assert m.peak_bytes == {"cpu": 3 * 1024 * KiB}
    del c


B, IN, HID, OUT = 256, 512, 1024, 256


def _mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(IN, HID), nn.ReLU(), nn.Linear(HID, OUT))


def test_mlp_forward_no_grad():
    model, x = _mlp(), torch.randn(B, IN)
    with track() as m:
        with torch.no_grad():
            y = model(x)
    # Linear output and ReLU output are live together; then ReLU output + y.
    analytic = 2 * B * HID * 4
    assert close(m.peak_bytes["cpu"], analytic), (m.peak_bytes, analytic)
    assert m.saved_bytes == 0 and m.graph_ops == 0
    del y


def test_mlp_forward_with_grad_keeps_saved_activations():
    model, x = _mlp(), torch.randn(B, IN)
    with track() as m:
        y = model(x)
    # During the ReLU its input and output are live (2 x B x HID); the ReLU output is then
    # kept for backward while the second Linear writes y (B x HID + B x OUT).
    analytic = max(2 * B * HID * 4, B * HID * 4 + B * OUT * 4)
    assert close(m.peak_bytes["cpu"], analytic), (m.peak_bytes, analytic)
    # Saved: x (for the first Linear's weight gradient) and the ReLU output; parameters not counted.
    assert m.saved_bytes == B * IN * 4 + B * HID * 4
    assert m.graph_ops == 3
    assert m.first_graph_op == "torch.nn.functional.linear"
    assert m.first_graph_op_location[0] == __file__
    del y


def test_mlp_forward_backward():
    model, x = _mlp(), torch.randn(B, IN)
    with track() as m:
        y = model(x)
        y.sum().backward()
    # At the first Linear's weight gradient: y, grads of W2 and b2, the ReLU's input
    # gradient, and the grads of W1 and b1 are live (+ two 4-byte scalars).
    analytic = 4 * (B * OUT + OUT * HID + OUT + B * HID + HID * IN + HID) + 8
    assert close(m.peak_bytes["cpu"], analytic), (m.peak_bytes, analytic)
    del y


def test_saved_tensors_are_not_kept_alive():
    # The pack hook returns a detached tensor; returning the tensor itself would keep a
    # cycle output -> grad_fn -> output alive after the test drops the output.
    x = torch.randn(64, 64, requires_grad=True)
    with track() as m:
        y = torch.relu(x @ x)  # relu saves its own output
        ref = weakref.ref(y.untyped_storage())
    assert m.saved_bytes == 2 * 64 * 64 * 4  # x (once, unique storage) and relu's output
    del y
    gc.collect()
    assert ref() is None


def test_track_under_torch_func():
    w = torch.randn(8, 8)
    with track(saved_for_backward=False) as m:
        g = torch.func.grad(lambda v: (v @ w).sum())(torch.randn(8))
    assert g.shape == (8,)
    assert m.graph_ops >= 1  # torch.func.grad builds its graph internally
    with pytest.raises(RuntimeError):  # saved-tensor hooks and torch.func do not mix
        with track():
            torch.func.grad(lambda v: (v @ w).sum())(torch.randn(8))


def test_budget_context_manager():
    with budget("5 MiB") as m:
        a = torch.empty(1024 * KiB)  # 4 MiB
    assert m.peak == 4 * 1024 * KiB
    with pytest.raises(MemoryBudgetExceeded) as info:
        with budget("1 MiB", device="cpu"):
            b = torch.empty(1024 * KiB)  # BUDGET-LINE
    msg = str(info.value)
    assert msg.startswith("memory budget of 1.0 MiB (1048576 bytes) exceeded: peak cpu: 4.0 MiB (4194304 bytes)")
    assert f"4.0 MiB on cpu by aten.empty.memory_format at {__file__}:" in msg
    with pytest.raises(ValueError, match="unknown unit"):
        with budget("1 MiBs"):
            pass
    del a, b


def test_outputs_nested_in_lists_are_counted_once():
    # The functional fused Adam returns a tuple of lists of new tensors (the meter's slow
    # path); aliases of inputs and outputs already counted must not be counted again.
    n, numel = 3, 10
    params, grads = [torch.randn(numel) for _ in range(n)], [torch.randn(numel) for _ in range(n)]
    exp_avgs, exp_avg_sqs = [torch.zeros(numel) for _ in range(n)], [torch.zeros(numel) for _ in range(n)]
    steps = [torch.zeros(()) for _ in range(n)]
    with track(saved_for_backward=False, graph=False) as m:
        out = torch.ops.aten._fused_adam.default(
            params, grads, exp_avgs, exp_avg_sqs, [], steps, lr=0.1, beta1=0.9, beta2=0.99,
            weight_decay=0.0, eps=1e-8, amsgrad=False, maximize=False)
        same = torch.ops.aten.alias.default(out[0][0])
    assert [len(o) for o in out] == [n, n, n, n, 0]
    assert m.peak_bytes == {"cpu": 4 * n * numel * 4}
    assert m.largest_allocations[0].op == "aten._fused_adam.default"
    assert m.largest_allocations[0].filename == __file__
    del out, same


def test_memory_meter_around_torch_compile():
    # The meter's dispatch mode keeps torch.compile out of its own frames without torch's
    # per-op wrapper; a compiled function called inside track() still runs and is counted.
    def f(x):
        return torch.relu(x) * 2

    compiled = torch.compile(f, backend="eager")
    x = torch.randn(256, 256)
    with track(saved_for_backward=False, graph=False) as m:
        y = compiled(x)
    assert torch.equal(y, f(x))
    # relu's output and the product are live together at the multiplication.
    assert m.peak_bytes == {"cpu": 2 * 256 * 256 * 4}
    del y


def test_extra_meter():
    class Meter:
        name = "npu"

        def start(self):
            self.started = True

        def stop(self):
            return 123 if self.started else None

    with track(meters=[Meter()]) as m:
        pass
    assert m.peak_bytes == {"cpu": 0, "npu": 123} or m.peak_bytes == {"npu": 123}


def test_cuda_device_without_cuda_reports_zero():
    if torch.cuda.is_available():
        pytest.skip("checks the CPU-only build")
    with track(device="cuda") as m:
        torch.empty(1000)
    assert m.peak_bytes == {"cuda": 0}


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_peak_matches_allocation():
    torch.cuda.init()
    keep = torch.empty(1024 * KiB, device="cuda")  # live before: not counted
    with track(device="cuda") as m:
        a = torch.empty(2 * 1024 * KiB, device="cuda")  # 8 MiB
        b = torch.empty(1024 * KiB, device="cuda")  # 4 MiB
        del a
    assert close(m.peak_bytes["cuda"], 12 * 1024 * KiB), m.peak_bytes
    with pytest.raises(MemoryBudgetExceeded):
        with budget("1 MiB", device="cuda"):
            c = torch.empty(1024 * KiB, device="cuda")
    del keep, b, c


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_mlp_forward_no_grad():
    model = _mlp().cuda()
    x = torch.randn(B, IN, device="cuda")
    with torch.no_grad():
        model(x)  # the first matmul allocates cuBLAS's workspace (about 32 MiB) once
    with track(device="cuda") as m:
        with torch.no_grad():
            y = model(x)
    assert close(m.peak_bytes["cuda"], 2 * B * HID * 4), m.peak_bytes
    del y
