# corpus: NG001
"""A module of the file computes forces with `torch.autograd.grad` in its `forward`; a loop over a
model of unknown class must leave room for it. But `learn` is annotated to take a `Tagger`, and
`model = model.to(device)` is the same instance: its validation loop runs `Tagger.forward`,
which needs no gradients."""
import torch
import torch.nn as nn


class ForceField(nn.Module):
    def __init__(self):
        super().__init__()
        self.energy = nn.Linear(3, 1)

    def forward(self, pos):
        pos = pos.requires_grad_(True)
        energy = self.energy(pos).sum()
        return -torch.autograd.grad(energy, pos, create_graph=self.training)[0]


class Tagger(nn.Module):
    def __init__(self, n_tags):
        super().__init__()
        self.proj = nn.Linear(16, n_tags)

    def forward(self, x):
        return self.proj(x)


def learn(model: Tagger, loader, val_loader, device, epochs=3):
    model = model.to(device)
    optimizer = torch.optim.Adam(model.parameters())
    for _ in range(epochs):
        model.train()
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x.to(device)), y.to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        correct = 0
        for x, y in val_loader:  # expect: NG001
            correct += (model(x.to(device)).argmax(-1) == y.to(device)).sum().item()
        print(correct)


def relax(model, batches):
    model.eval()
    moved = []
    for pos in batches:
        moved.append((pos + 0.01 * model(pos)).detach())
    return moved
