# corpus: NG001
"""Entry point: final test accuracy, also under inference_mode."""
import torch

from trainer.loop import train
from trainer.metrics import evaluate


def main(model, loaders, optimizer):
    train(model, loaders["train"], loaders["val"], optimizer, epochs=5, device="cpu")
    with torch.inference_mode():
        print("test", evaluate(model, loaders["test"], "cpu"))
