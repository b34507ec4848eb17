# corpus: NG001
"""Two evaluation paths hidden behind small details. The speculative-decoding trainer reuses the
training step's `plosses` name in its evaluation loop, and the training step reads it inside a list
comprehension: the comprehension runs at once, on the training step's own `plosses`, so the
evaluation loop's forwards still feed nothing that backpropagates. The sequence trainer's `test`
calls the shared `step` helper without its `train` flag, whose default `False` skips the backward
pass: every test batch builds a graph for nothing."""
import torch
import torch.nn.functional as F


def run_epochs(model, draft, train_loader, eval_loader, optimizer, epochs):
    for epoch in range(epochs):
        draft.train()
        for batch in train_loader:
            optimizer.zero_grad()
            plosses, _ = model(batch)
            weights = [0.8 ** i for i in range(len(plosses))]
            loss = sum([weights[i] * plosses[i] for i in range(len(plosses))])
            loss.backward()
            optimizer.step()
        draft.eval()
        eval_losses = []
        for batch in eval_loader:  # expect: NG001
            plosses, _ = model(batch)
            eval_losses.append(plosses[0].item())
    return eval_losses


def step(model, batch, optimizer=None, train=False):
    x, y = batch
    loss = F.cross_entropy(model(x), y)
    if train:
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


def fit(model, batches, optimizer):
    model.train()
    for batch in batches:
        step(model, batch, optimizer, train=True)


def test(model, batches):
    model.eval()
    total = 0.0
    for batch in batches:
        total += step(model, batch)  # expect: NG001
    return total / len(batches)
