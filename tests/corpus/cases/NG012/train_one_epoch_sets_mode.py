# corpus: NG012, NG001
"""The torchvision reference layout: train_one_epoch() sets model.train() itself."""
import torch


def train_one_epoch(model, criterion, optimizer, loader, device):
    model.train()
    for image, target in loader:
        output = model(image.to(device))
        loss = criterion(output, target.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def evaluate(model, criterion, loader, device):
    model.eval()
    with torch.inference_mode():
        return sum(criterion(model(i.to(device)), t.to(device)).item() for i, t in loader)


def main(model, criterion, optimizer, train_loader, val_loader, epochs, device):
    for epoch in range(epochs):
        train_one_epoch(model, criterion, optimizer, train_loader, device)
        evaluate(model, criterion, val_loader, device)
