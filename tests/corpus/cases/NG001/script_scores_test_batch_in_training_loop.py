# corpus: NG001
"""A training script (no functions): every hundred steps it puts the classifier in eval mode and
scores a test batch under the training step's names; nothing the script computes from that forward
reaches the next backward pass."""
import torch
import torch.nn.functional as F

from models import Classifier
from data import test_batches, train_batches

clf = Classifier()
opt = torch.optim.Adam(clf.parameters())
for step, (x, y) in enumerate(train_batches()):
    clf = clf.train()
    logits = clf(x)
    loss = F.cross_entropy(logits, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 100 == 0:
        x, y = next(test_batches())
        clf = clf.eval()
        logits = clf(x)  # expect: NG001
        loss = F.cross_entropy(logits, y)
        print(step, loss.item())
