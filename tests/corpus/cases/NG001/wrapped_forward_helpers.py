# corpus: NG001
"""Near misses of the predictor-wrapper and plain-function exemptions: these do run a raw
network with grad enabled."""
import torch
from ultralytics import YOLO


def predict_raw(weights, loader):
    model = YOLO(weights).model.eval()  # the underlying nn.Module, not the predictor
    boxes = []
    for images in loader:  # expect: NG001
        boxes.append(model(images.cuda())[0])
    return boxes


def predict_probs(net, loader):
    net.eval()

    def model_fn(x):
        return net(x).softmax(-1)

    return [model_fn(x.cuda()).cpu() for x, _ in loader]  # expect: NG001
