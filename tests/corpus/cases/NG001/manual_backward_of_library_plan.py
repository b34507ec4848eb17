# corpus: NG001
# A training plan derived from a library's Lightning subclass backpropagates with the inherited
# `self.manual_backward(loss)`. The helper runs with its penalty off, and its result is part of
# that loss: training, not an evaluation.
import torch
import torch.nn.functional as F
from torch import nn
from cellkit.train import LibraryPlan


class DisentanglePlan(LibraryPlan):
    def __init__(self, encoder, n_batches):
        super().__init__()
        self.encoder = encoder
        self.batch_classifiers = nn.ModuleDict({"site": nn.Linear(8, n_batches), "donor": nn.Linear(8, n_batches)})

    def batch_terms(self, codes, batch_ids, with_penalty=True):
        if with_penalty:
            codes = codes.requires_grad_(True)
        logits = {}
        for name in self.batch_classifiers.keys():
            logits[name] = self.batch_classifiers[name](codes)
        terms = {}
        for name in self.batch_classifiers.keys():
            terms[f"ce_{name}"] = F.cross_entropy(logits[name], batch_ids)
            if with_penalty:
                g = torch.autograd.grad(logits[name].sum(), codes, create_graph=True)[0]
                terms[f"gp_{name}"] = g.pow(2).mean()
        terms["total"] = sum(v for k, v in terms.items() if k.startswith("ce"))
        return terms

    def training_step(self, batch, batch_idx):
        opt = self.optimizers()
        codes = self.encoder(batch["x"])
        terms = self.batch_terms(codes, batch["batch"], with_penalty=False)
        loss = codes.pow(2).mean() - terms["total"]
        opt.zero_grad()
        self.manual_backward(loss)
        opt.step()
        for key, value in terms.items():
            terms[key] = value.item()
        return dict(terms)
