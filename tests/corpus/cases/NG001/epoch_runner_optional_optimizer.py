# corpus: NG001, NG002
"""An epoch runner trains only when it is handed an optimizer: the validation call leaves it out
and runs the whole validation set with grad on. A second runner switches grad mode itself from
the same test, and a third steps its scheduler only when given one (it always trains): neither
call is an evaluation with gradients on."""
import torch
import torch.nn.functional as F


def run_epoch(net, batches, optimizer=None):
    net.train(optimizer is not None)
    seen, total = 0, 0.0
    for images, labels in batches:
        loss = F.cross_entropy(net(images), labels)
        if optimizer is not None:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        total += loss.item() * len(labels)
        seen += len(labels)
    return total / seen


def run_epoch_switched(net, batches, optimizer=None):
    with torch.set_grad_enabled(optimizer is not None):
        total = 0.0
        for images, labels in batches:
            loss = F.cross_entropy(net(images), labels)
            if optimizer:
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            total += loss.item()
    return total


def fit_epoch(net, batches, optimizer, scheduler=None):
    for images, labels in batches:
        optimizer.zero_grad()
        F.cross_entropy(net(images), labels).backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()


def train(net, train_batches, val_batches, epochs):
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    history = []
    for _ in range(epochs):
        run_epoch(net, train_batches, optimizer)
        history.append(run_epoch(net, val_batches))  # expect: NG001
        run_epoch_switched(net, train_batches, optimizer)
        history.append(run_epoch_switched(net, val_batches))
        fit_epoch(net, train_batches, optimizer)
    return history
