# corpus: NG001
# An inference script loads a checkpoint, puts the model in eval mode at its top level, and
# classifies a document in a helper that returns the softmaxed scores and attention weights with
# their graph; the script only reads numbers from them. Nothing in the file uses gradients.
import sys

import torch
from torch import nn

checkpoint = torch.load("BEST_checkpoint_han.pth.tar")
model = checkpoint["model"]
model.eval()


def classify(encoded, lengths):
    scores, alphas = model(encoded, lengths)  # expect: NG001
    scores = nn.functional.softmax(scores.squeeze(0), dim=0)
    return scores, alphas.squeeze(0)


def show(scores, alphas):
    score, prediction = scores.max(dim=0)
    print(f"class {prediction.item()} ({score.item() * 100:.2f}%)")
    print(alphas.to("cpu").tolist())


if __name__ == "__main__":
    show(*classify(torch.load(sys.argv[1]), torch.load(sys.argv[2])))
