# corpus: NG001, NG012
"""A plain training script: one function trains and validates every epoch."""
import torch
from torch import nn


def fit(model, train_loader, val_loader, epochs=10, lr=1e-3, device="cuda"):
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    history = []
    for epoch in range(epochs):
        model.train()
        running = 0.0
        for x, y in train_loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            running += loss.item()

        model.eval()
        val_loss, correct, seen = 0.0, 0, 0
        for x, y in val_loader:  # expect: NG001
            x, y = x.to(device), y.to(device)
            logits = model(x)
            val_loss += criterion(logits, y).item() * x.size(0)
            correct += (logits.argmax(dim=1) == y).sum().item()
            seen += x.size(0)
        history.append((running / len(train_loader), val_loss / seen, correct / seen))
        print(f"epoch {epoch}: train {history[-1][0]:.4f} val {history[-1][1]:.4f} acc {history[-1][2]:.3f}")
    return history
