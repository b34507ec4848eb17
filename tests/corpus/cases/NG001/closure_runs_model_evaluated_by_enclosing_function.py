# corpus: NG001
"""Inception score: the function puts the classifier in eval mode, defines a small closure that
runs it, and calls the closure once per batch with gradients on; only NumPy copies of the
softmax are kept. The second function's closure is the training forward its loop
backpropagates."""
import numpy as np
import torch
from torch.nn import functional as F
from torchvision.models.inception import inception_v3


def inception_score(images, batch_size=32, resize=False):
    classifier = inception_v3(weights="DEFAULT", transform_input=False)
    classifier.eval()
    up = torch.nn.Upsample(size=(299, 299), mode="bilinear")

    def get_pred(x):
        if resize:
            x = up(x)
        return F.softmax(classifier(x), dim=1)

    preds = np.zeros((len(images), 1000))
    for i in range(0, len(images), batch_size):  # expect: NG001
        batch = torch.as_tensor(images[i:i + batch_size])
        preds[i:i + batch_size] = get_pred(batch).cpu().detach().numpy()
    py = preds.mean(0)
    return float(np.exp((preds * (np.log(preds) - np.log(py))).sum(1).mean()))


def fine_tune(net, loader, optimizer):
    net.eval()  # frozen batch-norm statistics while fine-tuning

    def step_loss(x, y):
        return F.cross_entropy(net(x), y)

    for x, y in loader:
        optimizer.zero_grad()
        step_loss(x, y).backward()
        optimizer.step()
