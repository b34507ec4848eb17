# corpus: NG002, NG001
"""Mixed-precision training step where a refactor moved the loss into the metrics block."""
import torch
import torch.nn.functional as F


class Trainer:
    def __init__(self, model, optimizer, device="cuda"):
        self.model = model
        self.optimizer = optimizer
        self.scaler = torch.cuda.amp.GradScaler()
        self.device = device

    def train_one_epoch(self, loader):
        self.model.train()
        stats = {"loss": 0.0, "acc": 0.0}
        for images, labels in loader:
            images, labels = images.to(self.device), labels.to(self.device)
            with torch.autocast("cuda", dtype=torch.float16):
                logits = self.model(images)
            with torch.no_grad():
                loss = F.cross_entropy(logits.float(), labels)
                stats["acc"] += (logits.argmax(1) == labels).float().mean().item()
            self.optimizer.zero_grad(set_to_none=True)
            self.scaler.scale(loss).backward()  # expect: NG002
            self.scaler.step(self.optimizer)
            self.scaler.update()
            stats["loss"] += loss.item()
        return {k: v / len(loader) for k, v in stats.items()}
