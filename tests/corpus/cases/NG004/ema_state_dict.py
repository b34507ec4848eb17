# corpus: NG004, NG007
"""Exponential moving average of the weights, as kept by many training repos."""
import copy
import torch


class ModelEma:
    def __init__(self, model, decay=0.9999):
        self.module = copy.deepcopy(model).eval()
        self.decay = decay
        for p in self.module.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, model):
        msd = model.state_dict()
        for k, ema_v in self.module.state_dict().items():
            model_v = msd[k].detach()
            ema_v.copy_(ema_v * self.decay + (1.0 - self.decay) * model_v)

    def update_unprotected(self, model):
        # state_dict() tensors are detached: in-place updates need no no_grad here.
        for ema_v, model_v in zip(self.module.state_dict().values(), model.state_dict().values()):
            if ema_v.dtype.is_floating_point:
                ema_v.mul_(self.decay).add_(model_v, alpha=1.0 - self.decay)

    def swap(self, model):
        for ema_p, p in zip(self.module.parameters(), model.parameters()):
            ema_p.data, p.data = p.data.clone(), ema_p.data.clone()
