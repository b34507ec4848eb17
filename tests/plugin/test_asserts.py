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
