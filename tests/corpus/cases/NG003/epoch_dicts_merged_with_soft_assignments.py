# corpus: NG003
"""A deep clustering model keeps every epoch's soft assignment and target distribution, to pick the
best epoch at the end, by merging a one-key dict into a new one (`P = {**P, **p_}`). The assignments
come from the full-graph forward with their history: every epoch's graph stays alive until `fit`
ends. The scores kept the same way are floats; the embeddings are detached first."""
import torch
import torch.nn.functional as F


def fit(model, graph, features, optimizer, epochs):
    P, Q, scores, embeddings = {}, {}, {}, {}
    for epoch in range(epochs):
        z, q = model(graph, features)
        p = (q ** 2 / q.sum(0)) / (q ** 2 / q.sum(0)).sum(1, keepdim=True)
        p_ = {f"epoch{epoch}": p}
        P = {**P, **p_}  # expect: NG003
        Q = {**Q, f"epoch{epoch}": q}  # expect: NG003
        loss = F.kl_div(q.log(), p.detach(), reduction="batchmean")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scores = {**scores, f"epoch{epoch}": loss.item()}
        embeddings = {**embeddings, f"epoch{epoch}": z.detach().cpu()}
    best = max(scores, key=scores.get)
    return Q[best].argmax(1), embeddings[best], len(P)
