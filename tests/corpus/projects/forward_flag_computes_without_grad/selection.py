# corpus: NG003, NG001
"""A selection strategy keeps per-sample gradient embeddings across the loader. The last-layer
gradients come from `torch.autograd.grad` (no graph), and the embedding comes from a forward
called with `freeze=True`, which every model of the project computes under `no_grad`: the kept
rows carry no history. Without the flag the embedding carries the backbone's graph: the loop that
only collects raw embeddings records it for nothing."""
import torch


class GradMatchStrategy:
    def __init__(self, model, loss):
        self.model = model
        self.loss = loss

    def compute_gradients(self, loader):
        g_is = []
        emb_dim = self.model.get_embedding_dim()
        for x, y in loader:
            out, l1 = self.model(x, last=True, freeze=True)
            loss = self.loss(out, y).sum()
            l0_grads = torch.autograd.grad(loss, out)[0]
            l0_expand = torch.repeat_interleave(l0_grads, emb_dim, dim=1)
            l1_grads = l0_expand * l1.repeat(1, l0_grads.shape[1])
            g_is.append(torch.cat((l0_grads, l1_grads), dim=1))
        self.dist_mat = torch.cdist(torch.cat(g_is), torch.cat(g_is)).cpu()

    def raw_embeddings(self, loader):
        rows = []
        for x, _ in loader:  # expect: NG001
            _, e = self.model(x, last=True)
            rows.append(e)
        self.embeddings = torch.cat(rows).cpu().numpy()
