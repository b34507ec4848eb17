# corpus: NG001
"""The script puts its global model in eval mode for a first check, then `fine_tune` trains it
and calls `preview` between epochs: when `preview` runs, the model is not known to be in eval
mode, and its output goes back to the caller, who may train on it. Nothing to report."""
import torch
import torch.nn.functional as F

model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1))
model.eval()


def preview(x):
    return model(x)


def fine_tune(batches, epochs=2):
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    model.train()
    for _ in range(epochs):
        for x, y in batches:
            loss = F.mse_loss(preview(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
