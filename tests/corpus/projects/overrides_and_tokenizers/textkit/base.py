# corpus: NG003
import torch


class Trainer:
    def __init__(self, model):
        self.model = model

    def evaluate_model(self, batches):
        """Metric floats, no tensors."""
        hits = 0
        with torch.no_grad():
            for x, y in batches:
                hits += (self.model(x).argmax(1) == y).sum().item()
        return {"accuracy": hits / max(len(batches), 1)}

    def _check_model(self, batches):
        return self.evaluate_model(batches)

    def fit(self, loader, optimizer, batches, history):
        for x, y in loader:
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(self.model(x), y)
            loss.backward()
            optimizer.step()
            report = self._check_model(batches)
            for name in report:
                history[name].append(report[name])
