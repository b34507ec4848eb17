# corpus: NG003
import torch


def accuracy(logits, labels):
    return (logits.argmax(-1) == labels).float().mean()


def inner_step(learner, batch, criterion):
    inputs, labels = batch
    logits = learner(inputs)
    loss = criterion(logits, labels)
    return loss, accuracy(logits, labels).detach()


def outer_loop(learner, tasks, optimizer, criterion):
    losses, accuracies, graphs = [], [], []
    for batch in tasks:
        optimizer.zero_grad()
        loss, acc = inner_step(learner, batch, criterion)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        accuracies.append(acc)
        graphs.append(inner_step(learner, batch, criterion)[0])  # expect: NG003
    return losses, accuracies, graphs
