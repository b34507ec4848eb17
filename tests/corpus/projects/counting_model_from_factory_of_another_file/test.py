# corpus: NG017
# The test script builds the counter through the other file's factory, loads the trained weights
# and predicts under `torch.set_grad_enabled(False)` without `.eval()`: batch norm in training mode.
import torch

from models import vgg19


def main(checkpoint, loader):
    model = vgg19()
    model.load_state_dict(torch.load(checkpoint))
    errors = []
    for image, count in loader:
        with torch.set_grad_enabled(False):
            outputs = model(image)  # expect: NG017
        errors.append(count.item() - outputs.sum().item())
    return errors
