# corpus: NG009, NG003
"""Prototypical network whose class prototypes are computed under inference_mode, then trained against."""
import torch
import torch.nn.functional as F


class PrototypeHead:
    def __init__(self, encoder):
        self.encoder = encoder
        self.prototypes = None

    def set_support(self, support_x, support_y, n_classes):
        with torch.inference_mode():
            feats = self.encoder(support_x)
            protos = torch.stack([feats[support_y == c].mean(0) for c in range(n_classes)])
            self.prototypes = F.normalize(protos, dim=-1)  # expect: NG009

    def loss(self, query_x, query_y):
        q = F.normalize(self.encoder(query_x), dim=-1)
        return F.cross_entropy(q @ self.prototypes.t() * 10.0, query_y)
