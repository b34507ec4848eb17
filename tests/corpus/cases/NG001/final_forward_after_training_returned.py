# corpus: NG001
"""A fine-tuning function switches its model to eval mode after the last step and returns the
outputs of one more forward, tensors and all: the caller may backpropagate through them (a
distillation loss), so the function cannot say the graph is wasted."""
import torch
import torch.nn.functional as F


def finetune_and_predict(model, x, y, probe, steps=100):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for _ in range(steps):
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    model.eval()
    logits = model(probe)
    return logits, loss_history(model)


def loss_history(model):
    return getattr(model, "history", [])
