# corpus: NG001
# The same kind of script, but it explains the prediction with a saliency map: the scores the
# helper returns are backpropagated to the input, so the helper's graph is used.
import sys

import torch

checkpoint = torch.load("checkpoint.pth.tar")
model = checkpoint["model"]
model.eval()


def classify(image):
    return model(image).softmax(-1)


def saliency(image):
    image = image.clone().requires_grad_(True)
    scores = classify(image)
    scores.max().backward()
    return image.grad.abs()


if __name__ == "__main__":
    print(saliency(torch.load(sys.argv[1])).shape)
