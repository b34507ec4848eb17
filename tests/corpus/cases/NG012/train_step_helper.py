# corpus: NG012, NG001, NG003
"""The backward pass lives in `_train_step` and evaluation in `_eval_step`, which puts the model
in eval mode and never back: every epoch after the first validation trains in eval mode."""
import torch


class PretrainTrainer:
    def __init__(self, model, optimizer, loss_fn):
        self.model = model
        self.optimizer = optimizer
        self.loss_fn = loss_fn

    def pretrain(self, train_loader, eval_loader, n_epochs):
        for epoch in range(n_epochs):
            for X in train_loader:
                train_loss = self._train_step(X)
            for X in eval_loader:
                val_loss = self._eval_step(X)  # expect: NG012
            print(epoch, train_loss, val_loss)
        self.model.train()

    def _train_step(self, X):
        self.optimizer.zero_grad()
        loss = self.loss_fn(*self.model(X))
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def _eval_step(self, X):
        self.model.eval()
        with torch.no_grad():
            return self.loss_fn(*self.model(X)).item()


def train_step(net, batch, opt):
    x, y = batch
    loss = torch.nn.functional.mse_loss(net(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()


def main(model, loader, val_x, opt, epochs):
    for epoch in range(epochs):
        for batch in loader:
            train_step(model, batch, opt)
        model.eval()  # expect: NG012
        with torch.no_grad():
            print(epoch, model(val_x).mean().item())
