# corpus: NG016
"""An MLX model (no torch in this file): `mlx.nn.Module` registers the modules held in a plain list
as children, so `eval()` reaches the dropout of every block."""
import mlx.core as mx
import mlx.nn as nn


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.ff = nn.Linear(dim, dim)
        self.dropout = nn.Dropout(0.1)

    def __call__(self, x):
        return self.dropout(mx.maximum(self.ff(x), 0.0))


class Net(nn.Module):
    def __init__(self, dim, depth):
        super().__init__()
        self.blocks = []
        for _ in range(depth):
            self.blocks.append(Block(dim))

    def __call__(self, x):
        for block in self.blocks:
            x = block(x)
        return x
