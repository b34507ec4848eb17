# corpus: NG007
# A Bayesian layer's KL term is read through `.data` before it joins the loss, and the backward pass
# goes through `loss.mean()`: the KL term is a constant, so the posterior's spread is never trained.
import torch


def train_epoch(model, loader, criterion, optimizer, batch_size):
    model.train()
    for images, target in loader:
        output, kl = model(images)
        nll = criterion(output, target)
        kl_term = kl.data / batch_size  # expect: NG007
        loss = nll + kl_term
        optimizer.zero_grad()
        loss.mean().backward()
        optimizer.step()
