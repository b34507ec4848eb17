# corpus: NG008
"""no_grad forwards on an EMA copy and on a fixed Sobel filter (correct); a reward head that is trained (bug)."""
import copy

import torch
import torch.nn.functional as F
from torch import nn


class EMAWrapper(nn.Module):
    """Holds an exponential moving average of another model; never given to an optimizer."""

    def __init__(self, model, decay=0.999):
        super().__init__()
        self.ema_model = copy.deepcopy(model).eval()
        self.decay = decay

    @torch.no_grad()
    def update(self, model):
        for e, p in zip(self.ema_model.parameters(), model.parameters()):
            e.lerp_(p, 1 - self.decay)

    @torch.no_grad()
    def forward(self, *args, **kwargs):
        return self.ema_model(*args, **kwargs)


class SobelEdges(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, padding=1, bias=False)
        kx = torch.tensor([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
        self.conv.weight.data.copy_(torch.stack([kx, kx.t()]).unsqueeze(1))
        self.conv.weight.requires_grad = False

    @torch.no_grad()
    def forward(self, gray):
        g = self.conv(gray)
        return g.pow(2).sum(1, keepdim=True).sqrt()


class RewardHead(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.v_head = nn.Linear(hidden, 1)

    @torch.inference_mode()  # expect: NG008
    def forward(self, hidden_states, attention_mask):
        last = attention_mask.sum(1) - 1
        return self.v_head(hidden_states[torch.arange(hidden_states.shape[0]), last]).squeeze(-1)


def train_reward(backbone, head, loader, lr=1e-5):
    opt = torch.optim.AdamW(list(backbone.parameters()) + list(head.parameters()), lr=lr)
    for chosen, rejected in loader:
        r_c = head(backbone(**chosen).last_hidden_state, chosen["attention_mask"])
        r_r = head(backbone(**rejected).last_hidden_state, rejected["attention_mask"])
        loss = -F.logsigmoid(r_c - r_r).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
