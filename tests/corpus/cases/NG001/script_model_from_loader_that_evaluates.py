# corpus: NG001
"""A scene-classification demo script gets its network from a loader function of the same file,
which restores the weights, puts the network in eval mode and returns it; the script then runs one
image through it with gradients on and keeps only numpy probabilities. A second script's loader
returns the network in train mode for fine-tuning, and its forward feeds a backward pass."""
import numpy as np
import torch
import torch.nn.functional as F
import torchvision.models as models


def load_model(path):
    model = models.resnet18(num_classes=365)
    checkpoint = torch.load(path, map_location=lambda storage, loc: storage)
    model.load_state_dict({k.replace("module.", ""): v for k, v in checkpoint["state_dict"].items()})
    model.eval()
    return model


def load_for_finetuning(path):
    model = load_model(path)
    model.train()
    return model


model = load_model("wideresnet18_places365.pth.tar")
image = torch.randn(1, 3, 224, 224)
logit = model.forward(image)  # expect: NG001
probs = F.softmax(logit, 1).data.squeeze().numpy()
print(np.argsort(probs)[::-1][:5])

tuned = load_for_finetuning("wideresnet18_places365.pth.tar")
features = tuned(image)
torch.save(features, "features.pt")
