# corpus: NG012
"""A search agent (a plain object, no nn.Module) with its own `eval()` routine: calling it in the
training loop changes no module's mode. The network it trains is put in eval mode by the
second loop and never back."""
import torch
import torch.nn.functional as F


class SearchAgent:
    def __init__(self):
        self.net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Dropout(0.2), torch.nn.Linear(8, 1))
        self.opt = torch.optim.SGD(self.net.parameters(), lr=0.1)

    def eval(self):
        with torch.no_grad():
            return self.net(torch.randn(16, 4)).mean().item()

    def learn(self, rounds):
        for _ in range(rounds):
            loss = F.mse_loss(self.net(torch.randn(8, 4)), torch.zeros(8, 1))
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            self.eval()

    def learn_and_check(self, rounds):
        for _ in range(rounds):
            loss = F.mse_loss(self.net(torch.randn(8, 4)), torch.zeros(8, 1))
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            self.net.eval()  # expect: NG012
