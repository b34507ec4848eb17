# corpus: NG001
# A trainer's epoch loop hands each batch's loss to the step its caller chose (`backprop`: plain
# or mixed precision). The prediction helper it calls per batch feeds that loss: training code
# calls it, so its per-slice encoder loop is no inference loop. `predict_volume`, called only by
# the file's evaluation, is one.
import torch


class Trainer:
    def predict_with_dropout(self, model, x):
        features = torch.stack([model.encoder(x[:, :, i]) for i in range(x.shape[2])], dim=2)
        return model.decoder(features * torch.bernoulli(torch.full_like(features, 0.5)) * 2)

    def predict_volume(self, model, x):
        return torch.stack([model(x[:, :, i]) for i in range(x.shape[2])], dim=2)  # expect: NG001

    def _train_epoch_unsupervised(self, loader, backprop):
        self.model.train()
        for x, y in loader:
            pred = self.predict_with_dropout(self.model, x)
            loss = self.loss(pred, y)
            backprop(loss)

    def _backprop(self, loss):
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()

    def fit(self, loader, epochs):
        for _ in range(epochs):
            self._train_epoch_unsupervised(loader, self._backprop)

    def evaluate(self, volumes):
        self.model.eval()
        return [self.predict_volume(self.model, v).argmax(1) for v in volumes]
