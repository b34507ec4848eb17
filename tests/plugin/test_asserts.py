"""The assertion functions (also what the ``nograd`` fixture offers), in process."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

import pytest_nograd  # noqa: E402
from pytest_nograd import (  # noqa: E402
    assert_frozen,
    assert_grads_flow,
    assert_no_graph,
    assert_requires_grad,
    assert_same_predictions,
    assert_trainable,
)
from pytest_nograd.fixture import Nograd  # noqa: E402

from .helpers import dedent, outcomes, run  # noqa: E402


def _net():
    torch.manual_seed(0)
    net = nn.Sequential()
    net.add_module("backbone", nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 16)))
    net.add_module("head", nn.Linear(16, 2))
    return net


def test_fixture_offers_the_package_functions():
    for name in ["assert_requires_grad", "assert_frozen", "assert_trainable", "assert_no_graph",
                 "assert_grads_flow", "assert_same_predictions", "track", "budget"]:
        assert getattr(Nograd, name) is getattr(pytest_nograd, name)


def test_assert_requires_grad_nested():
    a = torch.zeros(2, requires_grad=True)
    b = torch.zeros(2)
    net = _net()
    assert_requires_grad([a, {"m": net, "t": (a,)}])
    assert_requires_grad({"x": b}, expected=False)
    with pytest.raises(AssertionError) as info:
        assert_requires_grad({"inputs": [a, b], "model": net})
    assert "expected 1 of 8 tensors to require grad: ['inputs'][1]" in str(info.value)
    net.head.weight.requires_grad_(False)
    with pytest.raises(AssertionError, match=r"\['model'\]\.head\.weight"):
        assert_requires_grad({"model": net})
    with pytest.raises(AssertionError, match="to be frozen.*backbone.0.weight"):
        assert_requires_grad(net, expected=False)
    with pytest.raises(TypeError, match="got str"):
        assert_requires_grad(["nope"])


def test_assert_frozen_and_trainable():
    net = _net()
    assert_trainable(net)
    with pytest.raises(AssertionError, match="require grad: backbone.0.weight, backbone.0.bias"):
        assert_frozen(net)
    net.backbone.requires_grad_(False)
    assert_frozen(net, except_=["head"])
    assert_frozen(net, except_="head")
    assert_trainable(net, only=["head"])
    with pytest.raises(AssertionError, match="frozen: backbone.0.weight"):
        assert_trainable(net)
    with pytest.raises(AssertionError, match="require grad: head.weight, head.bias"):
        assert_frozen(net)
    with pytest.raises(AssertionError, match=r"expected trainable \(listed in except_\), but frozen: backbone.2.weight"):
        assert_frozen(net, except_=["head", "backbone.2.weight"])
    with pytest.raises(AssertionError, match="expected trainable, but frozen: backbone.0.weight"):
        assert_trainable(net, only=["head", "backbone.0"])
    net.backbone[2].requires_grad_(True)
    with pytest.raises(AssertionError, match=r"not in only=\), but these require grad: backbone.2.weight, backbone.2.bias"):
        assert_trainable(net, only=["head"])
    with pytest.raises(ValueError, match="no parameter or submodule named 'heda'"):
        assert_frozen(net, except_=["heda"])


def test_assert_no_graph():
    net = _net()
    x = torch.randn(3, 8)
    with torch.no_grad():
        assert_no_graph({"out": net(x), "x": x})
    out = net(x)
    with pytest.raises(AssertionError, match=r"\['out'\] \(grad_fn=AddmmBackward0\)"):
        assert_no_graph({"out": out})
    with pytest.raises(AssertionError, match=r"tensor \(requires_grad=True\)"):
        assert_no_graph(torch.zeros(1, requires_grad=True))


def test_assert_grads_flow():
    net = _net()
    x = torch.randn(4, 8)
    assert_grads_flow(net(x).sum(), net)

    # A stray detach() severs the backbone from the loss.
    feats = net.backbone(x).detach()
    with pytest.raises(AssertionError) as info:
        assert_grads_flow(net.head(feats).sum(), net)
    msg = str(info.value)
    assert "no gradient reached 4 of 6 trainable parameters: backbone.0.weight, backbone.0.bias, backbone.2.weight, backbone.2.bias" in msg
    assert "severed graph" in msg

    # .data: same thing.
    with pytest.raises(AssertionError, match="no gradient reached 4 of 6"):
        assert_grads_flow(net.head(net.backbone(x).data).sum(), net)

    # The whole forward under no_grad: the loss has no grad_fn at all.
    with torch.no_grad():
        loss = net(x).sum()
    with pytest.raises(AssertionError, match="loss has no grad_fn"):
        assert_grads_flow(loss, net)

    # Non-finite gradients are named too.
    with pytest.raises(AssertionError, match="non-finite gradients in: weight, bias$"):
        assert_grads_flow(net.head(torch.randn(4, 16)).sum() * float("nan"), net.head)


def test_assert_same_predictions():
    net = _net().eval()
    x = torch.randn(64, 8)
    cmp = assert_same_predictions(net, x)
    assert [r.mode for r in cmp.runs] == ["grad", "no_grad", "inference_mode"]
    # The grad-enabled run keeps activations alive for backward; the others do not.
    assert cmp.grad.peak > cmp.no_grad.peak
    assert cmp.no_grad.peak == cmp.inference_mode.peak
    assert all(r.seconds >= 0 for r in cmp.runs)
    assert "no_grad" in str(cmp)
    assert not torch.is_inference_mode_enabled() and torch.is_grad_enabled()


def test_assert_same_predictions_same_rng_for_dropout():
    net = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.5)).train()
    assert_same_predictions(net, torch.randn(16, 8))


def test_assert_same_predictions_detects_mode_dependent_output():
    def fn(x):
        return x * (2.0 if torch.is_grad_enabled() else 1.0)

    with pytest.raises(AssertionError, match="output under no_grad differs from the grad-enabled output"):
        assert_same_predictions(fn, torch.ones(3))


# ---- compare_modes: relations that hold by construction, never wall-clock figures

class _Clock:
    """A fake timer the model advances: the time of each call is known by construction."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class _Costed(nn.Module):
    """Saves activations for backward; with the fake clock, a grad-enabled call "takes"
    4 units and a no_grad / inference_mode call 1, the very first call 100 (warm-up).
    Records the mode and whether a meter (dispatch mode) was on for every call."""

    def __init__(self, clock):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
        self.clock = clock
        self.calls = []

    def forward(self, x):
        from torch.utils._python_dispatch import _get_current_dispatch_mode_stack

        if torch.is_inference_mode_enabled():
            mode = "inference_mode"
        else:
            mode = "grad" if torch.is_grad_enabled() else "no_grad"
        self.calls.append((mode, bool(_get_current_dispatch_mode_stack())))
        self.clock.now += 100.0 if len(self.calls) == 1 else (4.0 if mode == "grad" else 1.0)
        return self.net(x)


def test_compare_modes_known_speedup_and_structure():
    torch.manual_seed(0)
    clock = _Clock()
    model = _Costed(clock).eval()
    x = torch.randn(32, 8)
    cmp = pytest_nograd.compare_modes(model, x, repeats=4, warmup=2, timer=clock)
    modes = ["grad", "no_grad", "inference_mode"]
    # warm-up rounds, then one metered run per mode, then alternating timed rounds without a meter
    expected = [(m, False) for m in modes] * 2 + [(m, True) for m in modes] + [(m, False) for m in modes] * 4
    assert model.calls == expected
    assert cmp.order == modes * 4
    assert [len(r.times) for r in cmp.runs] == [4, 4, 4]
    # the warm-up's 100 units never reach the figures: the speed-up is exactly the constructed 4x
    assert cmp.grad.times == [4.0] * 4 and cmp.no_grad.times == [1.0] * 4 and cmp.inference_mode.times == [1.0] * 4
    assert (cmp.grad.seconds, cmp.no_grad.seconds, cmp.grad.spread) == (4.0, 1.0, 0.0)
    assert (cmp.grad.ratio, cmp.no_grad.ratio, cmp.inference_mode.ratio) == (1.0, 0.25, 0.25)
    # memory: activations saved for backward under grad only, and they raise the peak
    with torch.enable_grad(), pytest_nograd.track(graph=False) as direct:
        model(x)
    assert cmp.grad.saved_bytes == direct.saved_bytes > 0
    assert cmp.no_grad.saved_bytes == 0 and cmp.inference_mode.saved_bytes == 0
    assert cmp.no_grad.peak < cmp.grad.peak and cmp.inference_mode.peak <= cmp.grad.peak
    assert cmp.same_predictions and cmp.mode_dependent is None and cmp.training == [] and cmp.warnings == []
    assert not cmp.cuda_synchronized
    text = str(cmp)
    assert "median of 4 alternating runs per mode after 2 warm-up round(s)" in text
    assert "0.25x" in text and "WARNING" not in text
    assert [line.split()[0] for line in text.splitlines()[2:]] == modes


def test_compare_modes_names_grad_mode_dependent_module():
    class Branchy(nn.Module):
        def forward(self, x):
            return x * 2.0 if torch.is_grad_enabled() else x

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 4), nn.Sequential(nn.ReLU(), Branchy()), nn.Linear(4, 2)).eval()
    cmp = pytest_nograd.compare_modes(model, torch.randn(3, 4), repeats=1)
    assert not cmp.same_predictions
    assert [r.matches for r in cmp.runs] == [True, False, False]
    assert cmp.mode_dependent == "Sequential.1.1 (Branchy)"  # not the Linear after it, nor the root
    assert "Sequential.1.1 (Branchy): output depends on the grad mode" in str(cmp)
    assert "DIFFERS" in str(cmp)
    with pytest.raises(AssertionError) as info:
        assert_same_predictions(model, torch.randn(3, 4), repeats=1)
    assert "Sequential.1.1 (Branchy): output depends on the grad mode" in str(info.value)

    # a plain function is named by its own name
    def scale(x):
        return x * (2.0 if torch.is_grad_enabled() else 1.0)

    assert pytest_nograd.compare_modes(scale, torch.ones(3), repeats=1).mode_dependent.endswith("scale")


def test_compare_modes_flags_training_mode_and_restores_buffers():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Dropout(0.5)).train()
    before = {k: b.clone() for k, b in model.named_buffers()}
    cmp = pytest_nograd.compare_modes(model, torch.randn(8, 4), repeats=2)
    assert cmp.in_training_mode and cmp.training == ["1 (BatchNorm1d)", "2 (Dropout)"]
    assert cmp.same_predictions  # same RNG state per run: dropout draws the same mask
    assert "WARNING: Sequential is in training mode: 1 (BatchNorm1d), 2 (Dropout)" in str(cmp)
    assert all(torch.equal(b, before[k]) for k, b in model.named_buffers())
    model.eval()
    assert not pytest_nograd.compare_modes(model, torch.randn(8, 4), repeats=1).in_training_mode
    # a bound method of a module in training mode is flagged too
    lin = nn.Linear(4, 2).train()
    cmp = pytest_nograd.compare_modes(lin.forward, torch.randn(3, 4), repeats=1)
    assert cmp.training == ["Linear.training=True"] and "has no dropout or batch norm" in str(cmp)


def test_compare_modes_arguments():
    with pytest.raises(ValueError, match="repeats must be >= 1"):
        pytest_nograd.compare_modes(nn.Linear(2, 2), torch.ones(1, 2), repeats=0)
    assert pytest_nograd.compare_modes is Nograd.compare_modes


COMPARE_SUITE = dedent("""
    import torch
    from torch import nn
    from pytest_nograd import compare_modes


    class Branchy(nn.Module):
        def forward(self, x):
            return x * 2.0 if torch.is_grad_enabled() else x


    def model(*extra):
        torch.manual_seed(0)
        return nn.Sequential(nn.Linear(8, 32), nn.ReLU(), *extra, nn.Linear(32, 2))


    def test_same(nograd):
        cmp = nograd.assert_same_predictions(model().eval(), torch.randn(16, 8), repeats=3)
        print(cmp)
        assert cmp.no_grad.saved_bytes == 0 < cmp.grad.saved_bytes

    def test_branchy(nograd):
        nograd.assert_same_predictions(model(Branchy()).eval(), torch.randn(16, 8), repeats=2)  # BRANCH-LINE

    def test_training(nograd):
        cmp = compare_modes(model(nn.Dropout(0.2)), torch.randn(16, 8), repeats=2)
        print(cmp)
        assert cmp.same_predictions
""")


def test_mode_comparison_in_a_real_run(suite):
    """What a user sees: the table, the named module, the training-mode warning, and a
    traceback that ends in the test (no plugin source)."""
    suite.makepyfile(test_modes=COMPARE_SUITE)
    result = run(suite, "-s", "--nograd-check")
    assert outcomes(result) == {"test_same": "PASSED", "test_branchy": "FAILED", "test_training": "PASSED"}
    out = result.stdout.str()
    assert "Sequential: median of 3 alternating runs per mode after 1 warm-up round(s)" in out
    assert "E       AssertionError: output under no_grad differs from the grad-enabled output" in out
    assert "E       Sequential.2 (Branchy): output depends on the grad mode, differs under no_grad, inference_mode" in out
    assert "WARNING: Sequential is in training mode: 2 (Dropout) behave differently from inference" in out
    # __tracebackhide__: the failure's traceback shows the test line, not compare.py / asserts.py
    assert "BRANCH-LINE" in out
    assert "pytest_nograd/" not in out and "def assert_same_predictions" not in out
    assert "INTERNALERROR" not in out


def test_compare_modes_synchronizes_cuda_around_each_timed_run(monkeypatch):
    """With anything on CUDA, every timed run is bracketed by torch.cuda.synchronize()
    (checked on CPU by standing in for CUDA; test_cuda.py runs it on a GPU)."""
    from pytest_nograd import compare

    events = []
    clock = _Clock()

    def timer():
        events.append("clock")
        return clock()

    monkeypatch.setattr(compare, "_on_cuda", lambda objs, module: True)
    monkeypatch.setattr(torch.cuda, "synchronize", lambda *a: events.append("sync"))
    cmp = pytest_nograd.compare_modes(nn.Linear(4, 2).eval(), torch.randn(3, 4), repeats=2, timer=timer)
    assert cmp.cuda_synchronized and "CUDA synchronized" in str(cmp)
    assert events == ["sync", "clock", "sync", "clock"] * 6
