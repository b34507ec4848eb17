# corpus: NG003
"""Boosting rounds: each round builds and fits a fresh member and keeps it (a module and a log
object are no tensors: keeping them keeps no graph, and `.detach()` on them would raise). The
per-round losses, though, are kept with their graphs."""
import torch
from torch import nn

from ensemble.members import MemberNet, RoundLog


class StumpModel(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.split = nn.Linear(width, 1)

    def forward(self, x):
        return self.split(x)


def boost(batches, width, rounds, lr=0.1):
    members, stumps, logs, losses = [], [], [], []
    for index in range(rounds):
        member = MemberNet(width)
        stump = StumpModel(width)
        optimizer = torch.optim.SGD([*member.parameters(), *stump.parameters()], lr=lr)
        log = RoundLog(index)
        for x, y in batches:
            optimizer.zero_grad()
            loss = (member(x) + stump(x) - y).pow(2).mean()
            loss.backward()
            optimizer.step()
            log.steps += 1
        members.append(member)
        stumps.append(stump)
        logs.append(log)
        losses.append(loss)  # expect: NG003
    return members, stumps, logs, losses
