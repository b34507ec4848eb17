# corpus: NG001
# The same loops after calls that freeze nothing (a count of parameters, a warm start that makes
# every layer trainable again): each records a graph per batch that nothing reads.
import torch

from backbones import build


def probe_features(images, width=32):
    model = build(width)
    model.eval()
    print(model.summary())
    out = []
    for batch in images:  # expect: NG001
        out.append(model(batch)[0].mean(0))
    return torch.stack(out)


def resumed_features(images, path, width=32):
    model = build(width)
    model.warm_start(path)
    model.eval()
    out = []
    for batch in images:  # expect: NG001
        out.append(model(batch)[1].argmax(-1))
    return out
