# corpus: NG003, NG001
"""A forecasting experiment: validation collects per-batch losses of detached predictions in a
list, then rebinds the name to their NumPy mean and returns that float. The training loop keeps
the returned value per epoch: a number, no graph. It also keeps every training prediction, which
does hold each batch's graph."""
import numpy as np
import torch


class Experiment:
    def __init__(self, model, criterion, optimizer):
        self.model = model
        self.criterion = criterion
        self.optimizer = optimizer
        self.train_predictions = []

    def validate(self, loader):
        self.model.eval()
        losses = []
        for inputs, targets in loader:  # expect: NG001
            prediction = self.model(inputs)
            loss = self.criterion(prediction.detach().cpu(), targets.detach().cpu())
            losses.append(loss)
        losses = np.average(losses)
        self.model.train()
        return losses

    def fit(self, train_loader, val_loader, epochs):
        history = []
        for epoch in range(epochs):
            for inputs, targets in train_loader:
                self.optimizer.zero_grad()
                prediction = self.model(inputs)
                self.train_predictions.append(prediction)  # expect: NG003
                loss = self.criterion(prediction, targets)
                loss.backward()
                self.optimizer.step()
            val_loss = self.validate(val_loader)
            history.append(val_loss)
        return history
