# corpus: NG014
"""A decoder that keeps its last loss on the module: `forward` sets `self.loss` from this call's
cross-entropy, scales it, and may blend in a label-smoothing term before returning it. The blend
reads the value this same call just computed, not one left by an earlier call: no running
statistic. The second module's blend reads what the previous call left."""
import torch
from torch import nn
from torch.nn import functional as F


class AttentionDecoder(nn.Module):
    def __init__(self, vocab, hidden, smoothing=0.0):
        super().__init__()
        self.out = nn.Linear(hidden, vocab)
        self.smoothing = smoothing
        self.loss = None

    def forward(self, states, targets):
        logits = self.out(states)
        self.loss = F.cross_entropy(logits, targets)
        self.loss *= targets.shape[0]
        if self.smoothing:
            uniform = -F.log_softmax(logits, dim=-1).mean()
            self.loss = (1.0 - self.smoothing) * self.loss + self.smoothing * uniform
        return self.loss


class SmoothedLossTracker(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.out = nn.Linear(hidden, vocab)
        self.register_buffer("smoothed", torch.zeros(()))

    def forward(self, states, targets):
        loss = F.cross_entropy(self.out(states), targets)
        self.smoothed = 0.9 * self.smoothed + 0.1 * loss  # expect: NG014
        return loss
