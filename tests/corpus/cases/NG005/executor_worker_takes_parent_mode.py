# corpus: NG005
# Grad mode is thread-local: each pool worker sets the caller's mode before running the model.
from concurrent.futures import ThreadPoolExecutor

import torch


def _score_shard(model, shard, grad_enabled):
    torch.set_grad_enabled(grad_enabled)
    return [model(x).argmax(-1) for x in shard]


def score_all(model, shards, workers=4):
    grad_enabled = torch.is_grad_enabled()
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(_score_shard, model, shard, grad_enabled) for shard in shards]
        return [f.result() for f in futures]
