# corpus: NG001
# Hit ratio and NDCG of a recommender: the loop scores each user's candidate items and keeps only
# the top-k item ids as Python lists. Nothing needs the graph; the function is not named like
# evaluation.
import numpy as np
import torch


def hit(target, ranked):
    return int(target in ranked)


def ndcg(target, ranked):
    if target in ranked:
        return 1.0 / np.log2(ranked.index(target) + 2)
    return 0.0


def metrics(model, loader, top_k):
    hits, gains = [], []
    for user, item, label in loader:  # expect: NG001
        scores = model(user, item)
        _, order = torch.topk(scores, top_k)
        ranked = torch.take(item, order).cpu().numpy().tolist()
        target = item[0].item()
        hits.append(hit(target, ranked))
        gains.append(ndcg(target, ranked))
    return np.mean(hits), np.mean(gains)


def popularity(counts, loader, top_k):
    hits = []
    for user, item, label in loader:
        scores = counts[item]
        _, order = torch.topk(scores, top_k)
        hits.append(hit(item[0].item(), torch.take(item, order).tolist()))
    return np.mean(hits)
