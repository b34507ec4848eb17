# corpus: NG003
# One optimizer step over a few micro-batches: each loss is backpropagated at once (its tensors
# freed), summed for the log, and the optimizer steps after the loop. The sum is one step's.
import torch


class Painter:
    def __init__(self, model, optimizer, accumulate=4):
        self.model, self.optimizer, self.accumulate = model, optimizer, accumulate

    def step(self, prompt):
        total = 0
        for _ in range(self.accumulate):
            image, loss = self.model(prompt)
            loss = loss / self.accumulate
            total += loss
            loss.backward()
        self.optimizer.step()
        self.optimizer.zero_grad()
        return image, total
