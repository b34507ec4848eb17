# corpus: NG001
"""A translation model's beam search keeps only floats and token ids, and retries itself with a
smaller length ratio when no hypothesis ends. Its only outside caller, `decode.py`, runs it under
`no_grad` through a model of unknown class (`model.translate(...)`): the recursive retry is no
caller with gradients on."""
import torch
from torch import nn


class Translator(nn.Module):
    def __init__(self, vocab, dim, eos):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.out = nn.Linear(dim, vocab)
        self.eos = eos

    def forward(self, ys):
        return self.out(self.embed(ys).mean(1))

    def translate(self, src, maxlen, minlen=1):
        hyps = [{"score": 0.0, "yseq": [0]}]
        ended = []
        for i in range(maxlen):
            kept = []
            for hyp in hyps:
                scores = torch.log_softmax(self(torch.tensor([hyp["yseq"]])), -1)
                best, ids = torch.topk(scores[0], 2)
                for s, t in zip(best, ids):
                    kept.append({"score": hyp["score"] + float(s), "yseq": hyp["yseq"] + [int(t)]})
            hyps = sorted(kept, key=lambda h: h["score"], reverse=True)[:2]
            ended += [h for h in hyps if h["yseq"][-1] == self.eos and len(h["yseq"]) > minlen]
        if not ended:
            return self.translate(src, maxlen, max(0, minlen - 1))
        return sorted(ended, key=lambda h: h["score"], reverse=True)
