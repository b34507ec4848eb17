# corpus: NG004, NG003
"""A momentum SGD written as a plain class (not a torch.optim.Optimizer), without no_grad."""
import torch


class MomentumSGD:
    def __init__(self, params, lr=0.1, momentum=0.9, weight_decay=0.0):
        self.params = [p for p in params if p.requires_grad]
        self.lr = lr
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.buffers = [torch.zeros_like(p) for p in self.params]

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    def step(self, params):
        for p, buf in zip(params, self.buffers):
            if p.grad is None:
                continue
            d_p = p.grad + self.weight_decay * p
            buf.mul_(self.momentum).add_(d_p)
            p.add_(buf, alpha=-self.lr)  # expect: NG004


def train(model, loader, loss_fn):
    opt = MomentumSGD(model.parameters(), lr=0.05)
    for x, y in loader:
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step(list(model.parameters()))
