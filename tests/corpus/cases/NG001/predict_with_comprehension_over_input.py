# corpus: NG001
"""A text classifier's predict helper turns the characters into ids with a list comprehension,
puts the model in eval mode and runs it once, handing back a Python int. The comprehension is no
evaluation loop, but the single forward still records a graph that nothing uses."""
import torch


def predict(text, model, vocab):
    model.eval()
    ids = torch.tensor([[vocab.get(ch, 0) for ch in text]])
    scores = model(ids)  # expect: NG001
    return int(scores.argmax(1))


def predict_batch(texts, model, vocab):
    model.eval()
    with torch.no_grad():
        ids = torch.tensor([[vocab.get(ch, 0) for ch in t] for t in texts])
        return model(ids).argmax(1).tolist()
