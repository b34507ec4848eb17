# corpus: NG001
"""Call-site evaluations whose loops reach a gradient through a helper: a robustness check hands
the eval-mode model to a helper that moves each batch along the input gradient, and a runner
whose epoch function moves the same way even when its training flag is off. Wrapping either
call in no_grad would make the move's backward raise. The plain accuracy helper below
is an evaluation with gradients on."""
import torch


def nudge(net, x):
    x = x.clone().requires_grad_(True)
    net(x).sum().backward()
    return x + 0.01 * x.grad.sign()


def robust_hits(loader, model):
    hits = 0
    for x, y in loader:
        hits += (model(nudge(model, x)).argmax(1) == y).sum().item()
    return hits


def clean_hits(loader, model):
    hits = 0
    for x, y in loader:  # expect: NG001
        hits += (model(x).argmax(1) == y).sum().item()
    return hits


class Runner:
    def __init__(self, model, criterion, optimizer):
        self.model, self.criterion, self.optimizer = model, criterion, optimizer

    def epoch(self, loader, train=True):
        for x, y in loader:
            loss = self.criterion(self.model(nudge(self.model, x)), y)
            if train:
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()

    def check(self, loader):
        self.epoch(loader, train=False)


model = torch.nn.Linear(4, 3)
loader = [(torch.randn(2, 4), torch.zeros(2, dtype=torch.long))]
model.eval()
robust = robust_hits(loader, model)
clean = clean_hits(loader, model)  # expect: NG001
