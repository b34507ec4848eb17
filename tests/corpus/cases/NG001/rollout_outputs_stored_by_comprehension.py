# corpus: NG001
# A rollout keeps each step's output by appending through a comprehension run for its side effects;
# the update it hands them to backpropagates through them, so the loop needs its graph.
import torch
from torch import nn

model = nn.Linear(8, 3)
optimizer = torch.optim.Adam(model.parameters())


def update(outputs):
    loss = -sum(o.sum() for o in outputs)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def rollout(states):
    outputs, steps = [], []
    for t, s in enumerate(states):
        out = model(s)
        [store.append(item) for store, item in zip((outputs, steps), (out, t))]
    update(outputs)


if __name__ == "__main__":
    rollout([torch.randn(1, 8) for _ in range(16)])
