# corpus: NG001
"""A trainer keeps the backbone's batch norm frozen by putting the whole network in eval mode, and
accumulates several mini-batches' losses in a list before one backward pass: the inner loop's
forwards feed that backward pass, so it is no evaluation loop."""
import torch


class Trainer:
    def __init__(self, network, optimizer, loader, iter_size):
        self.network, self.optimizer, self.loader, self.iter_size = network, optimizer, loader, iter_size

    def train(self, steps):
        self.network.eval()  # frozen batch norm statistics
        batches = iter(self.loader)
        for step in range(steps):
            losses = []
            for _ in range(self.iter_size):
                data, target = next(batches)
                loss = self.network(data, target)
                losses.append(loss)
            total = torch.mean(torch.stack(losses))
            self.optimizer.zero_grad()
            total.backward()
            self.optimizer.step()
