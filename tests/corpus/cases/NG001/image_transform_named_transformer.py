# corpus: NG001
"""An OCR demo script: `transformer` is torchvision's preprocessing pipeline (`T.Compose`), not a
network, so the loop that resizes the images runs no model. The recognizer's forward after
`model.eval()` is the one that runs with gradients on for nothing."""
import torch
import torchvision.transforms as T
from PIL import Image

model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3200, 37))
transformer = T.Compose([T.Resize((32, 100)), T.ToTensor()])
images = []
for path in ["a.png", "b.png"]:
    images.append(transformer(Image.open(path).convert("L")).unsqueeze(0))
batch = torch.cat(images, 0)
model.eval()
preds = model(batch)  # expect: NG001
print(preds.argmax(-1).tolist())
