# corpus: NG001
# A helper that needs gradients only under its flag (a gradient penalty). The training step calls
# it with the flag off, but subtracts what it returns from the loss it backpropagates: the call's
# graph is the step's, so `no_grad` around it would cut the adversary out of training.
import torch
from torch import nn
from trainkit.plans import Plan


class AdversarialPlan(Plan):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Linear(8, 4)
        self.classifiers = nn.ModuleDict({"batch": nn.Linear(4, 2), "dose": nn.Linear(4, 2)})

    def critic_terms(self, labels, codes, with_penalty=True):
        if with_penalty:
            codes = codes.requires_grad_(True)
        scores = {}
        for h in self.classifiers.keys():
            scores[h] = self.classifiers[h](codes)
        terms = {}
        for h in self.classifiers.keys():
            terms[f"ce_{h}"] = nn.functional.cross_entropy(scores[h], labels)
        terms["critic"] = sum([terms[f"ce_{h}"] for h in self.classifiers.keys()])
        if with_penalty:
            for h in self.classifiers.keys():
                terms[f"gp_{h}"] = torch.autograd.grad(scores[h].sum(), codes, create_graph=True)[0].pow(2).mean()
        return terms

    def fit_step(self, batch, labels, opt):
        codes = self.encoder(batch)
        terms = self.critic_terms(labels, codes, with_penalty=False)
        loss = codes.pow(2).mean() - terms["critic"]
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    def report(self, loader):
        # The same helper with the flag off for a report: nothing backpropagates its result.
        seen = []
        for batch, labels in loader:
            out = self.critic_terms(labels, self.encoder(batch), with_penalty=False)  # expect: NG001
            seen.append(out["critic"].item())
        return seen
