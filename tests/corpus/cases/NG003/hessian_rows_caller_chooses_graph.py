# corpus: NG003
"""Hessian rows, one autograd.grad call per output: the caller decides through
`create_graph` whether the rows keep a graph (when it trains on second derivatives)."""
import torch


def hessian_blocks(energy_parts, coords, create_graph=False):
    blocks = []
    for part in energy_parts:
        flat = part.view(-1)
        rows = []
        for i in range(flat.shape[0]):
            row = torch.autograd.grad(flat[i], coords, torch.ones_like(flat[i]),
                                      create_graph=create_graph, retain_graph=True)[0]
            rows.append(row.reshape(-1))
        blocks.append(torch.stack(rows))
    return blocks
