# corpus: NG016
"""A multi-task network keeps one dropout per task in a plain list. `nn.Module` does not register
what a list holds, so `model.eval()` leaves those dropouts in training mode and predictions keep
dropping out. The heads, in an `nn.ModuleList`, are fine; so are the task norms, wrapped in a
`ModuleList` once built."""
import torch.nn as nn


class MultiTask(nn.Module):
    def __init__(self, width, labels, p=0.1):
        super().__init__()
        self.encoder = nn.Linear(width, width)
        self.task_drops = []  # expect: NG016
        self.heads = nn.ModuleList()
        norms = []
        for n in labels:
            self.task_drops.append(nn.Dropout(p))
            self.heads.append(nn.Linear(width, n))
            norms.append(nn.BatchNorm1d(width))
        self.norms = [nn.BatchNorm1d(width) for _ in labels]
        self.norms = nn.ModuleList(self.norms)

    def forward(self, x, task):
        h = self.norms[task](self.encoder(x))
        return self.heads[task](self.task_drops[task](h))
