# corpus: NG002
"""k-means on GPU: fit() needs no gradients and is decorated with no_grad on purpose."""
import torch


class KMeans:
    def __init__(self, n_clusters=8, iters=50, seed=0):
        self.n_clusters, self.iters, self.seed = n_clusters, iters, seed
        self.centers = None

    @torch.no_grad()
    def fit(self, x):
        g = torch.Generator(device=x.device).manual_seed(self.seed)
        self.centers = x[torch.randperm(x.size(0), generator=g, device=x.device)[: self.n_clusters]].clone()
        for _ in range(self.iters):
            assign = torch.cdist(x, self.centers).argmin(1)
            for k in range(self.n_clusters):
                members = x[assign == k]
                if len(members):
                    self.centers[k] = members.mean(0)
        return self

    @torch.no_grad()
    def predict(self, x):
        return torch.cdist(x, self.centers).argmin(1)
