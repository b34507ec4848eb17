# corpus: NG001
# The evaluation builds each call's arguments as a list and unpacks it into `model.predict`:
# every user's scores keep the encoder's graph until the ranks are taken.
import numpy as np
import torch


def evaluate(model, users, histories, candidates, maxlen=50):
    hits = 0.0
    for u in users:  # expect: NG001
        seq = np.zeros([maxlen], dtype=np.int64)
        seq[-len(histories[u]):] = histories[u][-maxlen:]
        scores = -model.predict(*[np.array(x) for x in [[u], [seq], candidates[u]]])
        rank = scores[0].argsort().argsort()[0].item()
        hits += rank < 10
    torch.cuda.empty_cache()
    return hits / len(users)
