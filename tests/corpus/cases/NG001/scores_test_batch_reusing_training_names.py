# corpus: NG001
"""Every tenth batch the training loop scores one test batch in eval mode, reusing the names of the
training step (`out`, `loss`): the next batch binds them again before its backward pass reads
them, so the test forward's graph reaches nothing. A loss summed across the test and training
forwards (the last function) does reach the backward pass."""
import torch
import torch.nn.functional as F


def train(net, loader, test_loader, opt, epochs):
    for epoch in range(epochs):
        for i, (x, y) in enumerate(loader):
            net.train()
            opt.zero_grad()
            out = net(x)
            loss = F.cross_entropy(out, y)
            loss.backward()
            opt.step()
            if i % 10 == 0:
                x, y = next(iter(test_loader))
                net.eval()
                out = net(x)  # expect: NG001
                loss = F.cross_entropy(out, y)
                print(epoch, i, loss.item(), (out.argmax(1) == y).float().mean().item())


def train_with_consistency(net, loader, opt):
    for x, y in loader:
        net.eval()
        out = net(x)
        net.train()
        loss = F.cross_entropy(net(x), y) + F.mse_loss(out, out.detach() * 0.5)
        opt.zero_grad()
        loss.backward()
        opt.step()
