# corpus: NG002
"""Fine-tuning helpers that need gradients while grad is disabled (bugs)."""
import torch
import torch.nn.functional as F
from torch import autograd


class SklearnStyleNet:
    def __init__(self, module, lr=1e-3, epochs=10):
        self.module_ = module
        self.optimizer_ = torch.optim.Adam(module.parameters(), lr=lr)
        self.epochs = epochs

    @torch.no_grad()  # expect: NG002
    def fit(self, X, y):
        self.module_.train()
        for _ in range(self.epochs):
            loss = F.mse_loss(self.module_(X), y)
            self.optimizer_.zero_grad()
            loss.backward()
            self.optimizer_.step()
        return self

    @torch.no_grad()
    def predict(self, X):
        self.module_.eval()
        return self.module_(X).numpy()


def adapt_on_validation(model, loader, optimizer):
    model.train()
    for x, y in loader:
        with torch.inference_mode():
            logits = model(x)
            loss = F.cross_entropy(logits, y)
        optimizer.zero_grad()
        loss.backward()  # expect: NG002
        optimizer.step()


def input_gradient_norm(model, x, y):
    with torch.set_grad_enabled(False):
        x = x.clone().requires_grad_(True)
        loss = F.cross_entropy(model(x), y)
        (g,) = autograd.grad(loss, x)  # expect: NG002
    return g.flatten(1).norm(dim=1)
