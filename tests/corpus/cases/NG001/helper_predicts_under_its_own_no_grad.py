# corpus: NG001
"""Evaluation scripts of a lemma classifier: `model_predict` runs the model inside its own
`with torch.no_grad():` (its name says model, but what it runs records no graph), so the loop
that calls it is fine. `score_batch` runs it with gradients on, and the loop that keeps only
argmax indices and counts records a graph per batch for nothing."""
import torch


def model_predict(model, positions, sentences):
    with torch.no_grad():
        logits = model(positions, sentences)
        predicted = torch.argmax(logits, dim=1)
    return predicted


def model_scores(model, positions, sentences):
    return model(positions, sentences)


def evaluate_model(model, dataset):
    model.eval()
    correct, total = 0, 0
    for sentences, positions, labels in dataset:
        pred = model_predict(model, positions, sentences)
        correct += int((pred == labels).sum())
        total += len(labels)
    return correct / total


def evaluate_scores(model, dataset):
    model.eval()
    correct = 0
    for sentences, positions, labels in dataset:  # expect: NG001
        pred = model_scores(model, positions, sentences).argmax(1)
        correct += int((pred == labels).sum())
    return correct
