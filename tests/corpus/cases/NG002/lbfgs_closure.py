# corpus: NG002, NG011
"""Fitting with L-BFGS: the closure recomputes the loss; torch calls it under enable_grad."""
import torch


def fit_lbfgs(model, x, y, max_iter=100):
    optimizer = torch.optim.LBFGS(model.parameters(), lr=1.0, max_iter=max_iter, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        return loss

    optimizer.step(closure)
    with torch.no_grad():
        return torch.nn.functional.mse_loss(model(x), y).item()
