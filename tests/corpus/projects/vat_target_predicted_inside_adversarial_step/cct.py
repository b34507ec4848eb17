# corpus: NG017
"""Virtual adversarial training: a helper predicts the clean target under `no_grad`, then takes a
few gradient steps on a random perturbation against it. The auxiliary decoder's `forward` calls it
while the network trains, so the decoder is in training mode on purpose: the helper is part of the
training step, and its target prediction is no evaluation."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from decoders import Decoder


def adversarial_perturbation(x, decoder, steps=1, xi=0.1, eps=10.0):
    with torch.no_grad():
        target = F.softmax(decoder(x), dim=1)
    d = torch.rand_like(x) - 0.5
    for _ in range(steps):
        d.requires_grad_()
        distance = F.kl_div(F.log_softmax(decoder(x + xi * d), dim=1), target, reduction="batchmean")
        distance.backward()
        d = d.grad / (d.grad.norm() + 1e-8)
        decoder.zero_grad()
    return x + eps * d


class AuxiliaryDecoder(nn.Module):
    def __init__(self, width, classes, perturbation="vat"):
        super().__init__()
        self.decoder = Decoder(width, classes)
        self.perturbation = perturbation

    def forward(self, x):
        if self.perturbation == "vat":
            x = adversarial_perturbation(x, self.decoder)
        return self.decoder(x)
