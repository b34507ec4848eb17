# corpus: NG001
"""A fit function that trains over every risk, then measures the validation loss over every
risk with gradients still on: that loss is only detached and turned into a number, so its graph
(over the whole validation set) is recorded for nothing each epoch. The training loss loop just
above it is backpropagated."""
import torch

from .losses import conditional_loss


def fit(model, x_train, t_train, e_train, x_valid, t_valid, e_valid, epochs, risks):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    history = []
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = 0
        for r in range(risks):
            loss += conditional_loss(model, x_train, t_train, e_train, risk=str(r + 1))
        loss.backward()
        optimizer.step()

        valid_loss = 0
        for r in range(risks):  # expect: NG001
            valid_loss += conditional_loss(model, x_valid, t_valid, e_valid, risk=str(r + 1))
        valid_loss = valid_loss.detach().cpu().numpy()
        history.append(float(valid_loss))
    return model, history


def fit_with_checked_validation(model, x_train, t_train, e_train, x_valid, t_valid, e_valid, epochs):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        optimizer.zero_grad()
        conditional_loss(model, x_train, t_train, e_train).backward()
        optimizer.step()
        with torch.no_grad():
            valid_loss = 0
            for r in range(2):
                valid_loss += conditional_loss(model, x_valid, t_valid, e_valid, risk=str(r + 1))
    return model
