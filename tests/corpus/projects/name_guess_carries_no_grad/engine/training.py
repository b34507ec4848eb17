# corpus: NG002
# The training loop: every real caller runs it with grad on.
import torch


def train(model, batches, lr=1e-3):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for x, y in batches:
        loss = torch.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
