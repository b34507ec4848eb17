# corpus: NG001
"""Greedy decoding for a small encoder-decoder translation model."""
import torch


def predict(model, src, bos_id, eos_id, max_len=64):
    memory = model.encode(src)
    ys = torch.full((src.size(0), 1), bos_id, dtype=torch.long, device=src.device)
    finished = torch.zeros(src.size(0), dtype=torch.bool, device=src.device)
    step = 0
    while step < max_len and not finished.all():  # expect: NG001
        logits = model.decode(ys, memory)
        next_token = logits[:, -1].argmax(-1)
        next_token = torch.where(finished, torch.full_like(next_token, eos_id), next_token)
        ys = torch.cat([ys, next_token[:, None]], dim=1)
        finished |= next_token == eos_id
        step += 1
    return ys
