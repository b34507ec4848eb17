# corpus: NG001
"""A reranker whose `predict` scores each candidate column and stacks the scores through a second
comprehension; its `forward` computes the training loss from `predict`, so the graph of those
forwards is what training backpropagates through. The search helper calls `predict` batch after
batch with gradients on and keeps only the top indices."""
from typing import List

import torch


class Reranker(torch.nn.Module):
    def __init__(self, dim=8):
        super().__init__()
        self.scorer = torch.nn.Linear(dim, 1)

    def predict(self, columns: List[torch.Tensor]) -> torch.Tensor:
        outputs = [self.scorer(column) for column in columns]
        scores = [o.squeeze(-1) for o in outputs]
        return torch.stack(scores, dim=1)

    def forward(self, columns: List[torch.Tensor], labels: torch.Tensor):
        return {"loss": torch.nn.functional.cross_entropy(self.predict(columns), labels)}


def rerank(reranker: Reranker, batches, k=3):
    reranker.eval()
    ranked = []
    for columns in batches:  # expect: NG001
        scores = reranker.predict(columns)
        ranked.append(scores.topk(k, dim=1).indices.tolist())
    return ranked
