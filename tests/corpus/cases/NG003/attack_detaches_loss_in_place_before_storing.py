# corpus: NG003
"""An iterative attack keeps each step's per-example loss in a preallocated table, to check later
whether the step size should shrink. The loss had a graph for `autograd.grad`, but the step cuts it
in place (`loss.detach_()`, beside the input's own `detach_()`) before it is stored: the table holds
leaves. The mean loss appended before the detach is another matter: it keeps each step's graph."""
import torch
import torch.nn.functional as F


def attack(model, x, labels, steps, alpha=0.01):
    table = torch.zeros(steps, x.size(0))
    trace = []
    for i in range(steps):
        x.requires_grad_()
        loss = F.cross_entropy(model(x), labels, reduction="none")
        grad, = torch.autograd.grad(loss.sum(), x)
        x = x + alpha * grad.sign()
        trace.append(loss.mean())  # expect: NG003
        x.detach_(), loss.detach_()
        table[i] = loss
    return x, table
