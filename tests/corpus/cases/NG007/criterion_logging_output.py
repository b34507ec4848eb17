# corpus: NG007
"""fairseq-style criterion: `.data` copies go only into the logging dict; the loss itself is returned with its graph (correct)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import utils  # utils.item(t) -> t.item()


class LabelSmoothedCrossEntropy(nn.Module):
    def __init__(self, eps=0.1, ignore_index=1):
        super().__init__()
        self.eps, self.ignore_index = eps, ignore_index

    def compute_loss(self, model, net_output, sample):
        lprobs = F.log_softmax(net_output[0], dim=-1).view(-1, net_output[0].size(-1))
        target = sample["target"].view(-1)
        nll_loss = F.nll_loss(lprobs, target, ignore_index=self.ignore_index, reduction="sum")
        smooth_loss = -lprobs.sum()
        return (1.0 - self.eps) * nll_loss + self.eps / lprobs.size(-1) * smooth_loss, nll_loss

    def forward(self, model, sample, reduce=True):
        net_output = model(**sample["net_input"])
        loss, nll_loss = self.compute_loss(model, net_output, sample)
        sample_size = sample["ntokens"]
        logging_output = {
            "loss": utils.item(loss.data) if reduce else loss.data,
            "nll_loss": utils.item(nll_loss.data) if reduce else nll_loss.data,
            "ntokens": sample["ntokens"],
            "sample_size": sample_size,
        }
        return loss, sample_size, logging_output
