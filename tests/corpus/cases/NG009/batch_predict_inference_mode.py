# corpus: NG009, NG001
"""Batch prediction under inference_mode: results are returned or converted, never stored."""
import torch


@torch.inference_mode()
def predict(model, loader, device="cpu"):
    model.eval()
    preds, probs = [], []
    for x in loader:
        logits = model(x.to(device))
        probs.append(logits.softmax(-1).cpu())
        preds.extend(logits.argmax(-1).tolist())
    return preds, torch.cat(probs)


class Classifier:
    def __init__(self, model, labels):
        self.model = model.eval()
        self.labels = labels
        self.calls = 0
        self.last_label = None

    def __call__(self, image):
        with torch.inference_mode():
            logits = self.model(image[None])
            self.calls += 1
            self.last_label = self.labels[int(logits.argmax())]
            self.last_confidence = logits.softmax(-1).max().item()
        return self.last_label
