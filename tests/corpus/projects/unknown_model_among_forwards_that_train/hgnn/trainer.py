# corpus: NG001
"""A trainer for any of the package's models: which one it gets, nothing here says. Its ranking
evaluation runs the model over every batch with gradients on and keeps numpy scores: an
evaluation loop, whatever model it is. (Because one model's forward uses gradients, a `no_grad`
around the loop is not offered as a fix.)"""
import torch.nn.functional as F


def run(model, batches, test_batches, optimizer, epochs):
    for _ in range(epochs):
        model.train()
        for x, y in batches:
            loss = F.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        ranks = []
        for x, y in test_batches:  # expect: NG001
            scores = model(x).data.cpu().numpy()
            ranks.extend((scores.argmax(1) == y.numpy()).tolist())
        print(sum(ranks) / len(ranks))
