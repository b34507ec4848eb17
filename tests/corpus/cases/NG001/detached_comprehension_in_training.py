# corpus: NG001
"""A flow's fitting function scores the validation split each epoch with a comprehension that
detaches every batch's log-likelihood: the forwards record graphs the comprehension drops at
once, inside a function that trains. Comprehensions whose results feed the loss, or that run
under no_grad, are fine."""
import torch


def log_likelihood(model, x):
    z, logdet = model(x)
    return -0.5 * (z ** 2).sum(-1) + logdet


def fit(model, optimizer, train_loader, valid_loader, epochs):
    history = []
    for _ in range(epochs):
        for x in train_loader:
            loss = -log_likelihood(model, x).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        valid = torch.stack([log_likelihood(model, x).mean().detach() for x in valid_loader])  # expect: NG001
        history.append(valid.mean().item())
    return history


def fit_quietly(model, optimizer, train_loader, valid_loader, epochs):
    history = []
    for _ in range(epochs):
        for x in train_loader:
            loss = -log_likelihood(model, x).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            valid = torch.stack([log_likelihood(model, x).mean() for x in valid_loader])
        history.append(valid.mean().item())
    return history


def fit_on_chunks(model, optimizer, chunks):
    for chunk in chunks:
        loss = -torch.stack([log_likelihood(model, x).mean() for x in chunk]).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
