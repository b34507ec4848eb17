# corpus: NG001
# Exported from a notebook: load a checkpoint and write predictions for the test set.
import pandas as pd
import torch
from torch.utils.data import DataLoader

from project.data import TestImages
from project.models import build_model

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = build_model("resnet50", num_classes=5)
model.load_state_dict(torch.load("checkpoints/best.pt", map_location=device))
model.to(device)
model.eval()

test_loader = DataLoader(TestImages("data/test"), batch_size=128, num_workers=4)
probabilities = [model(batch.to(device)).softmax(-1).cpu() for batch in test_loader]  # expect: NG001
probs = torch.cat(probabilities)
pd.DataFrame({"id": test_loader.dataset.ids, "label": probs.argmax(1).numpy()}).to_csv("submission.csv", index=False)
