# corpus: NG012, NG001, NG003
"""3D U-Net trainer: the forward pass goes through `_forward_pass`, and `validate()` (which
calls `self.model.eval()`) runs every few hundred iterations inside the training loop."""
import torch


class UNet3DTrainer:
    def __init__(self, model, optimizer, loss_criterion, loaders, validate_after_iters=100):
        self.model = model
        self.optimizer = optimizer
        self.loss_criterion = loss_criterion
        self.loaders = loaders
        self.validate_after_iters = validate_after_iters
        self.num_iterations = 0

    def train(self):
        self.model.train()
        for input, target in self.loaders["train"]:
            output, loss = self._forward_pass(input, target)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            if self.num_iterations % self.validate_after_iters == 0:
                print(self.validate())  # expect: NG012
            self.num_iterations += 1

    def validate(self):
        self.model.eval()
        scores = []
        with torch.no_grad():
            for input, target in self.loaders["val"]:
                output, loss = self._forward_pass(input, target)
                scores.append(loss.item())
        return sum(scores) / len(scores)

    def _forward_pass(self, input, target):
        output = self.model(input)
        return output, self.loss_criterion(output, target)
