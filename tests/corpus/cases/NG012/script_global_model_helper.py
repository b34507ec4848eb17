# corpus: NG012
"""A training script whose model is a module-level global. The periodic check `validate()` takes
no arguments and puts that global model in eval mode; the training loop never switches it back.
`report()` restores train mode itself."""
import torch
import torch.nn.functional as F

model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Dropout(0.1), torch.nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)


def batch(n):
    x = torch.randn(n, 2)
    return x, x.sum(1, keepdim=True)


def validate():
    model.eval()
    with torch.no_grad():
        x, y = batch(256)
        return F.mse_loss(model(x), y).item()


def report():
    model.eval()
    with torch.no_grad():
        x, y = batch(64)
        error = F.mse_loss(model(x), y).item()
    model.train()
    return error


def train(steps):
    model.train()
    for step in range(steps):
        x, y = batch(32)
        optimizer.zero_grad()
        F.mse_loss(model(x), y).backward()
        optimizer.step()
        if step % 500 == 0:
            print(validate())  # expect: NG012
    print(report())


if __name__ == "__main__":
    train(1000)
