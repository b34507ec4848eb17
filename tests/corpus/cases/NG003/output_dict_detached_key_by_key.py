# corpus: NG003
"""A trainer backpropagates the loss in each step's output dict, then detaches every tensor in the
dict, key by key (other entries may be plain numbers), before keeping it for the epoch summary.
The second trainer keeps the dict with its live loss."""
from torch import Tensor


class Trainer:
    def train_epoch(self, optimizer):
        outputs = []
        for i, batch in enumerate(self.loader):
            optimizer.zero_grad()
            output = self.train_step(batch, i)
            output["train_loss"].backward()
            optimizer.step()
            for key, value in output.items():
                output[key] = value.detach() if isinstance(value, Tensor) else value
            outputs.append(output)
        return outputs

    def train_epoch_leaky(self, optimizer):
        outputs = []
        for i, batch in enumerate(self.loader):
            optimizer.zero_grad()
            output = self.train_step(batch, i)
            output["train_loss"].backward()
            optimizer.step()
            outputs.append(output)  # expect: NG003
        return outputs

    def train_step(self, batch, i):
        """Subclasses compute the losses."""
