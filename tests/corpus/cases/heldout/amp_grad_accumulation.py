# corpus: NG001, NG002, NG003, NG012
"""Mixed-precision training with gradient accumulation and a decorated validation (correct)."""
import torch
import torch.nn.functional as F
from torch.cuda.amp import GradScaler, autocast


@torch.no_grad()
def validate(model, loader, device):
    model.eval()
    total, correct, loss_sum = 0, 0, 0.0
    for images, targets in loader:
        images, targets = images.to(device, non_blocking=True), targets.to(device)
        with autocast():
            logits = model(images)
            loss_sum += F.cross_entropy(logits, targets, reduction="sum").item()
        correct += (logits.argmax(dim=1) == targets).sum().item()
        total += targets.numel()
    return loss_sum / total, correct / total


def train(model, train_loader, val_loader, optimizer, scheduler, device, epochs=10, accum_steps=4):
    scaler = GradScaler()
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    for epoch in range(epochs):
        model.train()
        running_loss = 0.0
        optimizer.zero_grad(set_to_none=True)
        for step, (images, targets) in enumerate(train_loader):
            images, targets = images.to(device), targets.to(device)
            with autocast():
                logits = model(images)
                loss = F.cross_entropy(logits, targets) / accum_steps
            scaler.scale(loss).backward()
            running_loss += loss.item() * accum_steps
            if (step + 1) % accum_steps == 0:
                scaler.unscale_(optimizer)
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                scaler.step(optimizer)
                scaler.update()
                optimizer.zero_grad(set_to_none=True)
                scheduler.step()
        val_loss, val_acc = validate(model, val_loader, device)
        history["train_loss"].append(running_loss / len(train_loader))
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        print(f"epoch {epoch}: train {running_loss / len(train_loader):.4f} val {val_loss:.4f} acc {val_acc:.3f}")
    return history
