# corpus: NG001, NG005, NG006
"""Notebook exported to a script: inference on a fine-tuned checkpoint, grad turned off for the whole program."""
import json

import torch
import torchvision.transforms as T
from PIL import Image
from torchvision.models import efficientnet_b0

# %% setup
torch.set_grad_enabled(False)
device = "cuda" if torch.cuda.is_available() else "cpu"
model = efficientnet_b0(num_classes=10)
model.load_state_dict(torch.load("checkpoints/best.pt", map_location=device))
model.to(device).eval()
tf = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

# %% predict a folder
with open("data/test_files.json") as fh:
    files = json.load(fh)
results = {}
for path in files:
    x = tf(Image.open(path).convert("RGB")).unsqueeze(0).to(device)
    probs = model(x).softmax(-1)[0]
    results[path] = int(probs.argmax())

# %% test-time augmentation on a few images
tta = [T.RandomHorizontalFlip(p=1.0), T.RandomRotation(degrees=(10, 10))]
for path in files[:8]:
    img = tf(Image.open(path).convert("RGB"))
    views = torch.stack([img] + [aug(img) for aug in tta]).to(device)
    print(path, model(views).softmax(-1).mean(0).argmax().item())

with open("predictions.json", "w") as fh:
    json.dump(results, fh)
