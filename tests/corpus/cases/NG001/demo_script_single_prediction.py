# corpus: NG001
"""A demo script restores a segmentation network, puts it in eval mode and predicts one image at
module level with gradients on; it then turns the prediction into a numpy mask (which raises on a
tensor that requires grad). The script trains nothing."""
import numpy as np
import torch
from PIL import Image

from network import build_net, to_tensor

net = build_net()
net.load_state_dict(torch.load("snapshot.pth"))
net.eval()
image = to_tensor(Image.open("demo.png")).unsqueeze(0)
pred = net(image)  # expect: NG001
mask = np.argmax(pred.cpu().numpy().squeeze(), axis=0)
Image.fromarray(mask.astype(np.uint8)).save("mask.png")
