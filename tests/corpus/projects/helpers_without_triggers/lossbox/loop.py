# corpus: NG003
import torch.nn.functional as F

from .losses import accuracy, alignment, sparsity


def fit(model, loader, optimizer):
    running, penalties, accs = 0.0, 0.0, []
    for x, y in loader:
        optimizer.zero_grad()
        out = model(x)
        loss = F.cross_entropy(out, y)
        loss.backward()
        optimizer.step()
        running += alignment(out, out)  # expect: NG003
        penalties += sparsity(out, 0.1)  # expect: NG003
        accs.append(accuracy(out, y))
    return running, penalties, accs
