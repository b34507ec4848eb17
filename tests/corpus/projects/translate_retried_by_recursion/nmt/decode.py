# corpus: NG001
"""The decoding command: every translation runs under `no_grad`."""
import torch


def decode(model, sources, maxlen=50):
    model.eval()
    results = []
    with torch.no_grad():
        for src in sources:
            results.append(model.translate(src, maxlen)[0]["yseq"])
    return results
