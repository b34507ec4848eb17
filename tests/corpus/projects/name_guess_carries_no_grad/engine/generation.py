# corpus: NG002
# Generation runs under no_grad; it decodes with the pandas helper.
import torch

from .decoding import fill_unknown


@torch.no_grad()
def generate(model, frame, codes):
    out = model(torch.as_tensor(frame.values))
    return fill_unknown(frame.iloc[:, 0], codes, int(out.shape[0]))
