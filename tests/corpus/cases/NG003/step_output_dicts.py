# corpus: NG003
"""A trainer loop that keeps each step's output dict; the dict holds the backpropagated loss."""
import torch


class LoopTrainer:
    def __init__(self, module, optimizer):
        self.module = module
        self.optimizer = optimizer

    def train_epoch(self, dataloader):
        self.module.train()
        outputs = []
        for i, batch in enumerate(dataloader):
            self.optimizer.zero_grad()
            output = self.module.training_step(batch, i)
            output["loss"].backward()
            self.optimizer.step()
            outputs.append(output)  # expect: NG003
        return self.module.training_epoch_end(outputs)

    def train_epoch_detached(self, dataloader):
        self.module.train()
        outputs, logs = [], []
        for i, batch in enumerate(dataloader):
            self.optimizer.zero_grad()
            output = self.module.training_step(batch, i)
            output["loss"].backward()
            self.optimizer.step()
            logs.append(output["log"])
            output = {k: v.detach() if torch.is_tensor(v) else v for k, v in output.items()}
            outputs.append(output)
        return self.module.training_epoch_end(outputs), logs
