# corpus: NG007
"""VQ-VAE quantizer: the straight-through `.data` copies gradients to the encoder; the codebook learns from its own loss term (correct)."""
import torch
from torch import nn
import torch.nn.functional as F


class VectorQuantizer(nn.Module):
    def __init__(self, num_codes=512, dim=64, beta=0.25):
        super().__init__()
        self.embedding = nn.Embedding(num_codes, dim)
        self.embedding.weight.data.uniform_(-1.0 / num_codes, 1.0 / num_codes)
        self.beta = beta

    def forward(self, inputs):
        flat = inputs.reshape(-1, inputs.shape[-1])
        distances = torch.cdist(flat, self.embedding.weight)
        indices = distances.argmin(dim=1)
        quantized = self.embedding(indices).view_as(inputs)
        codebook_loss = F.mse_loss(quantized, inputs.detach())
        commitment_loss = F.mse_loss(quantized.detach(), inputs)
        loss = codebook_loss + self.beta * commitment_loss
        quantized = inputs + (quantized - inputs).data
        return quantized, loss, indices
