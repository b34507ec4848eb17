# corpus: NG001, NG002
"""One epoch function trains or evaluates by a flag its callers must pass (no default): the
validation call passes False, and the loop runs the network with grad on. A second version runs
the validation forward under no_grad in its own branch; its evaluation call is fine."""
import torch


def run_epoch(net, loader, optimizer, train_model):
    net.train(mode=train_model)
    total = 0.0
    for x, y in loader:
        out = net(x)
        loss = torch.nn.functional.mse_loss(out, y)
        if train_model:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        total += loss.item()
    return total


def run_epoch_split(net, loader, optimizer, is_train):
    total = 0.0
    for x, y in loader:
        if is_train:
            out = net(x)
            loss = torch.nn.functional.mse_loss(out, y)
        else:
            with torch.no_grad():
                out = net(x)
                loss = torch.nn.functional.mse_loss(out, y)
        if is_train:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        total += loss.item()
    return total


def fit(net, train_loader, val_loader, optimizer, epochs):
    for _ in range(epochs):
        run_epoch(net, train_loader, optimizer, True)
        print(run_epoch(net, val_loader, optimizer, False))  # expect: NG001
        run_epoch_split(net, train_loader, optimizer, True)
        print(run_epoch_split(net, val_loader, optimizer, False))
