# corpus: NG001
"""A sequence generator whose greedy search runs the model token by token with gradients on: the
file never names an evaluation, switches modes or detaches, and nothing backpropagates through the
tokens (`argmax` picks them). The tokens are all the caller gets."""
import torch


class GreedyGenerator:
    def __init__(self, model, eos_id):
        self.model = model
        self.eos_id = eos_id

    def search(self, prompt_ids, max_length):
        ids = prompt_ids
        for _ in range(max_length):  # expect: NG001
            logits = self.model(ids)[:, -1, :]
            next_id = torch.argmax(logits, dim=-1, keepdim=True)
            ids = torch.cat([ids, next_id], dim=-1)
            if (next_id == self.eos_id).all():
                break
        return ids
