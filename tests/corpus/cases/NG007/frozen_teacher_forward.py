# corpus: NG007, NG008
"""A distillation teacher: frozen, its forward runs under no_grad, so .data there is harmless."""
import torch
from torch import nn
import torch.nn.functional as F


class Teacher(nn.Module):
    def __init__(self, net: nn.Module, temperature: float = 4.0):
        super().__init__()
        self.net = net
        self.temperature = temperature
        self.net.requires_grad_(False)

    @torch.no_grad()
    def forward(self, x):
        return F.softmax(self.net(x).data / self.temperature, dim=-1)


def distill_loss(student_logits, teacher_probs, T=4.0):
    return F.kl_div(F.log_softmax(student_logits / T, dim=-1), teacher_probs, reduction="batchmean") * T * T
