# corpus: NG001
# A Bayesian regressor that predicts with one network per posterior sample. `predict` returns
# tensors with gradients when the object was built with `requires_grad=True` (for sensitivity
# analysis): the input then requires grad and the outputs keep their graph for the caller.
# `spread`, which only reports numbers, has no such setting.
import torch


class SampleNet(torch.nn.Module):
    def __init__(self, weights, head):
        super().__init__()
        self.linear = torch.nn.Linear(weights.shape[1], weights.shape[0])
        self.linear.weight.data = weights
        self.head = head

    def forward(self, x):
        return torch.tanh(self.linear(x))


class PosteriorRegressor:
    def __init__(self, samples, head, requires_grad=False):
        self.samples = samples
        self.head = head
        self.requires_grad = requires_grad

    def predict(self, X):
        X = torch.as_tensor(X, dtype=torch.float32)
        if self.requires_grad:
            X = X.clone().requires_grad_(True)
        means = []
        for i in range(len(self.samples)):
            model = SampleNet(self.samples[i], self.head)
            model.eval()
            model.head.eval()
            pred = model.head(model(X))
            means.append(pred.mean)
        mean = torch.stack(means).mean(0)
        if not self.requires_grad:
            return mean.detach().cpu().numpy()
        return mean

    def spread(self, X):
        X = torch.as_tensor(X, dtype=torch.float32)
        means = []
        for i in range(len(self.samples)):  # expect: NG001
            model = SampleNet(self.samples[i], self.head)
            model.eval()
            model.head.eval()
            pred = model.head(model(X))
            means.append(pred.mean)
        return torch.stack(means).std(0).max().item()
