# corpus: NG012
# Each epoch trains through one of two helpers, both of which start with `model.train()`: the
# evaluation at the end of the epoch is undone on every path. With a helper under an `if` that
# has no `else`, the epochs that skip it train in eval mode.
import torch


def warm_up(model, loader, opt):
    model.train()
    for x, y in loader:
        opt.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        opt.step()


def co_train(model, loader, opt):
    model.train()
    for x, y in loader:
        opt.zero_grad()
        (2 * torch.nn.functional.mse_loss(model(x), y)).backward()
        opt.step()


def plain_step(model, loader, opt):
    for x, y in loader:
        opt.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        opt.step()


def score(model, loader):
    model.eval()
    with torch.no_grad():
        return sum(torch.nn.functional.mse_loss(model(x), y).item() for x, y in loader)


def fit(model, loader, opt, epochs, warm_epochs):
    for epoch in range(epochs):
        if epoch < warm_epochs:
            warm_up(model, loader, opt)
        elif epoch % 2:
            co_train(model, loader, opt)
        else:
            warm_up(model, loader, opt)
        score(model, loader)


def fit_sometimes_restored(model, loader, opt, epochs):
    for epoch in range(epochs):
        if epoch == 0:
            warm_up(model, loader, opt)
        plain_step(model, loader, opt)
        score(model, loader)  # expect: NG012
