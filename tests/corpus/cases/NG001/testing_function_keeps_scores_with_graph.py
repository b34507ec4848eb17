# corpus: NG001
"""An anomaly detector's `testing` function (named like its `training` sibling) scores every batch
with the two autoencoders, grad on, and keeps each batch's score with its graph in the list it
returns: its caller only detaches and concatenates them, so the test set's graphs pile up."""
import torch


def training(epochs, model, loader, optimizer):
    for _ in range(epochs):
        for [batch] in loader:
            w1 = model.decoder1(model.encoder(batch))
            loss = torch.mean((batch - w1) ** 2)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def testing(model, loader, alpha=0.5, beta=0.5):
    results = []
    for [batch] in loader:  # expect: NG001
        w1 = model.decoder1(model.encoder(batch))
        w2 = model.decoder2(model.encoder(w1))
        results.append(alpha * torch.mean((batch - w1) ** 2, axis=1) + beta * torch.mean((batch - w2) ** 2, axis=1))
    return results


def anomaly_scores(model, loader):
    return torch.cat(testing(model, loader)).detach().cpu().numpy()
