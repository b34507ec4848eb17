# corpus: NG009, NG001
import torch


def distill_epoch(student, teacher, loader, optimizer):
    for images, _ in loader:
        with torch.inference_mode():
            images = images.float() / 255.0
            targets = teacher(images).softmax(-1)
        logits = student(images)  # expect: NG009
        loss = -(targets * logits.log_softmax(-1)).sum(-1).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def distill_epoch_fixed(student, teacher, loader, optimizer):
    for images, _ in loader:
        with torch.no_grad():
            images = images.float() / 255.0
            targets = teacher(images).softmax(-1)
        logits = student(images)
        loss = -(targets * logits.log_softmax(-1)).sum(-1).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def evaluate(student, loader):
    correct = 0
    for images, labels in loader:  # expect: NG001
        with torch.inference_mode():
            images = images.float() / 255.0
        correct += (student(images).argmax(-1) == labels).sum().item()
    return correct
