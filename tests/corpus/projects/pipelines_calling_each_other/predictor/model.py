# corpus: NG001
"""A predictor whose scoring helper is called under `set_grad_enabled(False)` for validation, but
with gradients on for the final test and for `predict`: the helper's loop is evaluation."""
import torch


class Predictor:
    def __init__(self, net, device="cpu"):
        self.net = net
        self.device = device

    def score_(self, loader):
        self.net.eval()
        preds = []
        for x in loader:  # expect: NG001
            out = self.net(x.to(self.device))
            preds.extend(out.detach().cpu().tolist())
        self.net.train()
        return preds

    def fit(self, train_loader, val_loader, test_loader, epochs=3):
        opt = torch.optim.Adam(self.net.parameters())
        for _ in range(epochs):
            for x, y in train_loader:
                loss = torch.nn.functional.mse_loss(self.net(x), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
            with torch.set_grad_enabled(False):
                print("val", self.score_(val_loader))
        return self.score_(test_loader)

    def predict(self, loader):
        return self.score_(loader)
