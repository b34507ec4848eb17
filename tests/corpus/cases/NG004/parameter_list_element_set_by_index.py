# corpus: NG004
"""A one-shot architecture search fixes the architecture weights of a sampled path by writing into
each edge's parameter, an element of an `nn.ParameterList`, outside `no_grad`: the in-place write
on a leaf that requires grad raises at the first call. Resetting them is done right, under
`no_grad`."""
import torch
import torch.nn as nn


class OneShotSearch:
    def __init__(self, edges, ops):
        self.alphas = nn.ParameterList([nn.Parameter(1e-3 * torch.randn(ops)) for _ in range(edges)])
        self.optimizer = torch.optim.Adam(self.alphas.parameters(), lr=3e-4)

    def set_path(self, path):
        for edge, op in enumerate(path):
            alpha = self.alphas[edge]
            alpha[:] = -1e3  # expect: NG004
            self.alphas[edge][op] = 1e3  # expect: NG004

    def reset(self):
        with torch.no_grad():
            for edge in range(len(self.alphas)):
                self.alphas[edge][:] = 0.0
