# corpus: NG004
"""Head pruning: the new layer's weights are written in place while requires_grad is switched off (correct)."""
import torch
from torch import nn


def prune_linear_layer(layer: nn.Linear, index: torch.LongTensor, dim: int = 0) -> nn.Linear:
    index = index.to(layer.weight.device)
    W = layer.weight.index_select(dim, index).detach().clone()
    b = None
    if layer.bias is not None:
        b = layer.bias.detach().clone() if dim == 1 else layer.bias[index].detach().clone()
    new_size = list(layer.weight.size())
    new_size[dim] = len(index)
    new_layer = nn.Linear(new_size[1], new_size[0], bias=layer.bias is not None).to(layer.weight.device)
    new_layer.weight.requires_grad = False
    new_layer.weight.copy_(W.contiguous())
    new_layer.weight.requires_grad = True
    if b is not None:
        new_layer.bias.requires_grad = False
        new_layer.bias.copy_(b.contiguous())
        new_layer.bias.requires_grad = True
    return new_layer


def prune_heads(attention, heads, head_size):
    mask = torch.ones(attention.num_heads, head_size)
    for head in heads:
        mask[head] = 0
    index = torch.arange(len(mask.view(-1)))[mask.view(-1).eq(1)]
    attention.query = prune_linear_layer(attention.query, index)
    attention.key = prune_linear_layer(attention.key, index)
    attention.value = prune_linear_layer(attention.value, index)
    attention.dense = prune_linear_layer(attention.dense, index, dim=1)
    attention.num_heads -= len(heads)
