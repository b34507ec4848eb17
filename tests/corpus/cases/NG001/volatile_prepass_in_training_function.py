# corpus: NG001
"""A two-stage decision forest trained with torch before 0.4 in mind: each epoch first runs the
feature layers over the training set with `volatile=True` (no graph, as it then meant) to refit the
leaves in closed form, and only then trains the network. `volatile` has done nothing since 0.4, so
the pre-pass keeps a graph of the feature layers for every batch of the epoch. The training loop
after it needs its gradients."""
import torch
import torch.nn.functional as F
from torch.autograd import Variable


def train(model, optim, loader, epochs):
    for epoch in range(epochs):
        feat_batches = []
        for data, target in loader:  # expect: NG001
            data = Variable(data, volatile=True)
            feats = model.feature_layer(data)
            feat_batches.append(feats.view(feats.size(0), -1))
        for tree in model.forest.trees:
            tree.update_pi(torch.cat([tree(f).data for f in feat_batches]))
        model.train()
        for data, target in loader:
            optim.zero_grad()
            loss = F.nll_loss(torch.log(model(data)), target)
            loss.backward()
            optim.step()
