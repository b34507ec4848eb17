# corpus: NG012, NG001
"""Language-model pretraining loop with periodic perplexity evaluation."""
import math

import torch


def estimate_loss(model, batches):
    model.eval()
    with torch.no_grad():
        losses = [model(x, targets=y)[1].item() for x, y in batches]
    return math.exp(sum(losses) / len(losses))


def pretrain(model, get_batch, optimizer, max_iters=5000, eval_interval=250):
    for it in range(max_iters):
        x, y = get_batch("train")
        _, loss = model(x, targets=y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if it % eval_interval == 0:
            val_batches = [get_batch("val") for _ in range(20)]
            print(f"iter {it}: val ppl {estimate_loss(model, val_batches):.2f}")  # expect: NG012
