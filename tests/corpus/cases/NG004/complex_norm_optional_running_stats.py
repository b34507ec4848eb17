# corpus: NG004
"""Complex batch norm whose running statistics exist only when tracked (torch's _NormBase idiom)."""
import torch
import torch.nn as nn


class ComplexBatchNorm(nn.Module):
    def __init__(self, num_features, momentum=0.1, affine=True, track_running_stats=True):
        super().__init__()
        self.momentum = momentum
        self.track_running_stats = track_running_stats
        if affine:
            self.Wr = nn.Parameter(torch.ones(num_features))
            self.Br = nn.Parameter(torch.zeros(num_features))
        else:
            self.register_parameter("Wr", None)
            self.register_parameter("Br", None)
        if track_running_stats:
            self.register_buffer("RMr", torch.zeros(num_features))
            self.register_buffer("RVrr", torch.ones(num_features))
            self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))
        else:
            self.register_parameter("RMr", None)
            self.register_parameter("RVrr", None)
            self.register_parameter("num_batches_tracked", None)
        self.reset_running_stats()

    def reset_running_stats(self):
        if self.track_running_stats:
            self.RMr.zero_()
            self.RVrr.fill_(1)
            self.num_batches_tracked.zero_()

    def forward(self, xr):
        if self.training and self.track_running_stats:
            self.num_batches_tracked += 1
            with torch.no_grad():
                self.RMr.lerp_(xr.mean(0), self.momentum)
                self.RVrr.lerp_(xr.var(0), self.momentum)
        mean = xr.mean(0) if self.training else self.RMr
        out = (xr - mean) / (self.RVrr + 1e-5).sqrt()
        return out * self.Wr + self.Br if self.Wr is not None else out
