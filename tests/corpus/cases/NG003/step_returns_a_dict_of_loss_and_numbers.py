# corpus: NG003
"""A forward step returns a dict: the loss tensor, and statistics already turned into Python
numbers or detached tensors. The training loop backpropagates the loss entry; collecting the
statistics keeps no graph, collecting the loss entry keeps every step's."""
import torch


def forward_step(model, batch):
    x, y = batch
    logits = model(x)
    stats = {"loss": torch.nn.functional.cross_entropy(logits, y),
             "accuracy": (logits.argmax(1) == y).float().mean().item()}
    stats["confidence"] = logits.softmax(-1).max(-1).values.mean().detach()
    return stats


def fit(model, loader, optimizer):
    accuracy, confidence, losses = [], [], []
    for batch in loader:
        out = forward_step(model, batch)
        optimizer.zero_grad()
        out["loss"].backward()
        optimizer.step()
        accuracy.append(out["accuracy"])
        confidence.append(out["confidence"])
        losses.append(out["loss"])  # expect: NG003
    return accuracy, confidence, losses
