# corpus: NG001, NG003
"""Notebook cells: train, then an evaluation cell that forgot no_grad and keeps every batch's graph."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader

model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
train_loader = DataLoader(torch.load("train.pt"), batch_size=128, shuffle=True)
test_loader = DataLoader(torch.load("test.pt"), batch_size=512)

# %% train
for epoch in range(5):
    model.train()
    running = 0.0
    for xb, yb in train_loader:
        loss = F.cross_entropy(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(epoch, running / len(train_loader))

# %% evaluate
model.eval()
all_logits = []
for xb, yb in test_loader:  # expect: NG001
    all_logits.append(model(xb))
logits = torch.cat(all_logits)
labels = torch.cat([yb for _, yb in test_loader])
print("accuracy", (logits.argmax(1) == labels).float().mean().item())
