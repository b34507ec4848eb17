# corpus: NG003, NG004
"""Large-batch training by accumulating the loss of micro-batches, backpropagated once."""
import torch
import torch.nn.functional as F


def train_step(model, optimizer, batch, micro_batch_size=8):
    optimizer.zero_grad()
    inputs, targets = batch
    chunks = zip(inputs.split(micro_batch_size), targets.split(micro_batch_size))
    accumulated = 0.0
    n = 0
    for x, y in chunks:
        logits = model(x)
        accumulated += F.cross_entropy(logits, y, reduction="sum")
        n += y.numel()
    loss = accumulated / n
    loss.backward()
    optimizer.step()
    return loss.item()


def train(model, optimizer, loader, accum_steps=4):
    model.train()
    step_loss = 0.0
    for step, (x, y) in enumerate(loader):
        loss = F.cross_entropy(model(x), y) / accum_steps
        step_loss = step_loss + loss
        if (step + 1) % accum_steps == 0:
            step_loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            step_loss = 0.0
