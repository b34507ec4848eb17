# corpus: NG001
"""A recommender whose `rank_predict` runs only from the evaluator, which picks its batch function by
reference under no_grad: not an evaluation loop run with grad on. `greedy_predict` is called by a
script with grad on."""
import torch
from torch import nn


class GraphRecommender(nn.Module):
    def __init__(self, n_items, dims, hops):
        super().__init__()
        self.items = nn.Embedding(n_items, dims)
        self.relations = nn.Embedding(n_items, dims)
        self.hops = hops

    def rank_predict(self, users, neighbours):
        scores = users
        for hop in range(self.hops):
            scores = scores + self.items(neighbours[hop]).sum(1)
        return scores

    def greedy_predict(self, users, steps):
        picked = []
        state = users
        for _ in range(steps):  # expect: NG001
            state = state + self.items(state.argmax(-1))
            picked.append(state.argmax(-1))
        return picked
