# corpus: NG001
# Plain helpers: a tokenizer function whose name mentions the model family.
import torch


def bert_encode(texts, max_len=32):
    ids = [[min(ord(c), 255) for c in t[:max_len]] for t in texts]
    return torch.tensor([row + [0] * (max_len - len(row)) for row in ids])
