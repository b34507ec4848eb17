# corpus: NG012
"""A course helper that puts a torch model in eval mode for each batch and back in train mode
right after, inside the branch for torch modules; a training loop calls it each epoch. The
model is back in train mode when the helper returns."""
import torch


def evaluate_accuracy(data_iter, net):
    acc_sum, n = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            if isinstance(net, torch.nn.Module):
                net.eval()
                acc_sum += (net(X).argmax(dim=1) == y).float().sum().item()
                net.train()
            else:
                acc_sum += (net(X).argmax(dim=1) == y).float().sum().item()
            n += y.shape[0]
    return acc_sum / n


def train(net, train_iter, test_iter, loss, num_epochs, optimizer):
    for epoch in range(num_epochs):
        for X, y in train_iter:
            l = loss(net(X), y).sum()
            optimizer.zero_grad()
            l.backward()
            optimizer.step()
        test_acc = evaluate_accuracy(test_iter, net)
        print(epoch, test_acc)
