# corpus: NG016
"""The scoring network keeps the other file's task dropouts in a plain list: `.eval()` never
reaches them, and prediction keeps dropping out. The plain list of projections does no harm to the
mode (they compute alike in both; that their weights are not registered is another matter)."""
import torch.nn as nn
from wrappers import Project, SharedMaskDropout


class Scorer(nn.Module):
    def __init__(self, width, tasks, p):
        super().__init__()
        self.drops = []  # expect: NG016
        self.projections = []
        for _ in range(tasks):
            drop = SharedMaskDropout(p)
            self.drops.append(drop)
            self.projections.append(Project(width))

    def forward(self, x, task):
        return self.projections[task](self.drops[task](x)).sum(-1)
