# corpus: NG001
# The test script runs both models in inference mode over the test set and saves the images.
import sys

import torch

from models.pix2pix import Pix2PixModel, Sketch2Photo

model = Pix2PixModel(35)
model.load_state_dict(torch.load(sys.argv[1]))
model.eval()
sketches = Sketch2Photo(1)
sketches.load_state_dict(torch.load(sys.argv[2]))
sketches.eval()

for i, data in enumerate(torch.load(sys.argv[3])):
    generated = model(data, mode="inference")
    torch.save(generated.cpu(), f"out/{i}.pt")

for i, data in enumerate(torch.load(sys.argv[3])):  # expect: NG001
    generated = sketches(data, "inference")
    torch.save(generated.cpu(), f"sketch/{i}.pt")
