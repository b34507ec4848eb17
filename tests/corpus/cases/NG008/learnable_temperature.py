# corpus: NG008
"""CLIP-style contrastive loss module with a learnable temperature."""
import math

import torch
import torch.nn.functional as F


class ContrastiveLoss(torch.nn.Module):
    def __init__(self, init_temperature=0.07):
        super().__init__()
        self.logit_scale = torch.nn.Parameter(torch.tensor(math.log(1 / init_temperature)))

    @torch.inference_mode()  # expect: NG008
    def forward(self, image_emb, text_emb):
        image_emb = F.normalize(image_emb, dim=-1)
        text_emb = F.normalize(text_emb, dim=-1)
        logits = self.logit_scale.exp() * image_emb @ text_emb.t()
        labels = torch.arange(logits.size(0), device=logits.device)
        return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
