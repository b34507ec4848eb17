# corpus: NG003
"""An inference network's training loop backpropagates its loss, then rebinds the name to a float
(or, when distributed, to an all-reduced tensor made from that float) before keeping it in its
history; a helper that sums each batch's loss as numpy returns numbers, and the caller keeps
those. A loop that keeps the loss before converting it keeps its graph."""
import torch


class InferenceNetwork:
    def _all_reduce(self, loss, world):
        total = torch.tensor(float(loss))
        torch.distributed.all_reduce(total)
        return total / world

    def fit(self, loader, world=1):
        history = []
        for batch in loader:
            self.optimizer.zero_grad()
            loss = self.loss(batch)
            loss.backward()
            self.optimizer.step()
            loss = float(loss)
            if world > 1:
                loss = self._all_reduce(loss, world)
            history.append(loss)
        return history

    def _epoch(self, loader):
        total = 0.0
        for x, y in loader:
            self.optimizer.zero_grad()
            nll = self.criterion(self.model(x), y)
            nll.backward()
            self.optimizer.step()
            nll = nll.detach().cpu().numpy()
            total += nll
        return total / len(loader)

    def train(self, loader, epochs):
        logs = []
        for _ in range(epochs):
            logs.append(self._epoch(loader))
        return logs

    def fit_leaky(self, loader):
        history = []
        for batch in loader:
            self.optimizer.zero_grad()
            loss = self.loss(batch)
            loss.backward()
            self.optimizer.step()
            history.append(loss)  # expect: NG003
            loss = float(loss)
        return history
