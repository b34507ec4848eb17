# corpus: NG001
"""The per-batch step reads its phase from the object and returns before the update unless it
trains. Every caller here sets the phase to "train" first (one of them through a helper record
built with it), so each loop backpropagates: nothing is an evaluation loop."""
import torch
from torch import nn


class State:
    def __init__(self, mode):
        self.mode = mode


class Learner:
    def __init__(self, model: nn.Module):
        self.model = model
        self.opt = torch.optim.SGD(model.parameters(), lr=0.1)
        self.state = State("train")

    def _batch(self, x, y):
        loss = nn.functional.mse_loss(self.model(x), y)
        if self.state.mode != "train":
            return loss.item()
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss.item()

    def fit(self, loader):
        self.state.mode = "train"
        self.model.train()
        for x, y in loader:
            self._batch(x, y)

    def finetune(self, loader):
        self.state = State(mode="train")
        for x, y in loader:
            self._batch(x, y)
