# corpus: NG001
# A recurrent encoder whose eval-mode path steps through time in a helper: part of the forward,
# whose caller chooses the grad mode.
import torch
from torch import nn


class StepEncoder(nn.Module):
    def __init__(self, dim, depth=2):
        super().__init__()
        self.cells = nn.ModuleList([nn.GRUCell(dim, dim) for _ in range(depth)])

    def forward(self, frames):
        if self.training:
            return self.parallel_infer(frames)
        return self.stepwise_infer(frames)

    def parallel_infer(self, frames):
        return frames.cumsum(dim=1)

    def stepwise_infer(self, frames):
        state = frames.new_zeros(frames.shape[0], frames.shape[2])
        outputs = []
        for t in range(frames.shape[1]):
            for cell in self.cells:
                state = cell(frames[:, t], state)
            outputs.append(state)
        return torch.stack(outputs, dim=1)
