# corpus: NG001
"""After each optimizer step the training function runs the network a second time on the same
batch, only to count correct predictions for its log line: that second forward's output is
thresholded and converted to numpy, so its graph is never backpropagated."""
import torch


def run_epoch(net, batches, loss_fn, optimizer):
    correct, seen = 0, 0
    for features, labels in batches:
        logits = net(features)
        loss = loss_fn(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scores = net(features)  # expect: NG001
        correct += int((scores.argmax(1) == labels).sum())
        seen += labels.numel()
    return correct / max(seen, 1)
