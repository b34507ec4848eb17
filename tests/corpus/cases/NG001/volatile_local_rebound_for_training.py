# corpus: NG001
# `data` is bound to a volatile Variable in the scoring pass, then rebound by the training loop.
import torch
from torch.autograd import Variable


def run(model, optimizer, loader):
    model.eval()
    for data, _ in loader:  # expect: NG001
        data = Variable(data, volatile=True)
        print(model(data).data.max(1)[1])
    model.train()
    for data, target in loader:
        loss = torch.nn.functional.cross_entropy(model(data), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
