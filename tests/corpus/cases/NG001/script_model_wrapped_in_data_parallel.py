# corpus: NG001
"""A segmentation training script wraps its network in `nn.DataParallel` when more than one GPU is
present. The wrapper holds the network it is given, so it is still a model with parameters: the
validation pass every few epochs runs it with gradients enabled and keeps only NumPy masks."""
import numpy as np
import torch
import torch.nn as nn

from segnets import build_network

model = build_network("axial", img_size=128)
if torch.cuda.device_count() > 1:
    model = nn.DataParallel(model, device_ids=[0, 1]).cuda()
model.to("cpu")
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.BCEWithLogitsLoss()
train_loader = [(torch.randn(2, 3, 128, 128), torch.rand(2, 1, 128, 128).round()) for _ in range(4)]
val_loader = train_loader[:2]

masks = []
for epoch in range(20):
    for images, target in train_loader:
        loss = criterion(model(images), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if epoch % 5 == 0:
        for images, target in val_loader:  # expect: NG001
            out = model(images)
            pred = (out.detach().cpu().numpy() > 0).astype(np.uint8)
            masks.append(pred)
