# corpus: NG001
# The helper comes in through a star import; only the model call is a forward, and it runs under no_grad.
import torch

from .tokenization import *


def correct(model, batches):
    model.eval()
    fixed = []
    for texts in batches:
        ids = bert_encode(texts)
        with torch.no_grad():
            logits = model(ids)
        fixed.extend(logits.argmax(-1).tolist())
    return fixed
