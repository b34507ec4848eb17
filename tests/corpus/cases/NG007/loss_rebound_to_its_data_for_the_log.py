# corpus: NG007
# Old-style logging: after the backward pass, the name is rebound to the loss's value for printing;
# the next iteration binds a fresh loss before its own backward, so `.data` feeds no loss.
import torch
import torch.nn.functional as F


class Regression:
    def __init__(self, model, criterion=F.mse_loss):
        self.model, self.criterion = model, criterion
        self.optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

    def fit(self, batches):
        for x, y in batches:
            prediction = self.model(x)
            loss = self.criterion(prediction.squeeze(), y.squeeze())
            self.optimizer.zero_grad()
            loss.backward()
            loss = loss.data[0]
            self.optimizer.step()
            print(loss)
