# corpus: NG005
# pytest's module-level set-up and tear-down: the switch is restored after the module's tests.
import torch


def setup():
    torch.set_grad_enabled(False)


def teardown():
    torch.set_grad_enabled(True)


def test_forward_has_no_graph():
    assert not torch.ones(2, requires_grad=True).mul(2).requires_grad
