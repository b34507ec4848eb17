# corpus: NG001
"""A runner class keeps its epoch loop in a static method that backpropagates only when its `train`
flag is set, and the training entry point calls it through the class's name, once per epoch with
`train=True` and once for validation with `train=False`. The validation call runs the loop with
grad on and uses nothing of the graph. The static method's first parameter is a label, not an
object: a positional flag is read at its own position (the second runner passes it so)."""
import torch


class Runner:
    @staticmethod
    def _run(label, model, batches, criterion=None, optimizer=None, train=False):
        model.train(train)
        total = 0.0
        for inputs, targets in batches:
            loss = criterion(model(inputs), targets)
            total += float(loss)
            if train:
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        return total

    @staticmethod
    def fit(model, train_batches, val_batches, criterion, optimizer, epochs=2):
        score = None
        for epoch in range(epochs):
            Runner._run("train", model, train_batches, criterion, optimizer, train=True)
            score = Runner._run("val", model, val_batches, criterion, train=False)  # expect: NG001
        return score


class PositionalRunner:
    @staticmethod
    def _epoch(training, model, batches, criterion, optimizer):
        total = 0.0
        for inputs, targets in batches:
            loss = criterion(model(inputs), targets)
            total += loss.item()
            if training:
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        return total

    @classmethod
    def fit(cls, model, train_batches, criterion, optimizer):
        return PositionalRunner._epoch(True, model, train_batches, criterion, optimizer)
