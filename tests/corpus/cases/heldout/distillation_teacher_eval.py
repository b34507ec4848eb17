# corpus: NG001, NG002, NG003, NG012
"""Knowledge distillation: teacher kept in eval mode inside the student's training loop (correct)."""
import torch
import torch.nn.functional as F


class Distiller:
    def __init__(self, student, teacher, optimizer, temperature=4.0, alpha=0.9):
        self.student, self.teacher = student, teacher
        self.teacher.requires_grad_(False)
        self.optimizer = optimizer
        self.T, self.alpha = temperature, alpha

    def kd_loss(self, s_logits, t_logits, labels):
        soft = F.kl_div(
            F.log_softmax(s_logits / self.T, dim=-1),
            F.softmax(t_logits / self.T, dim=-1),
            reduction="batchmean",
        ) * self.T * self.T
        return self.alpha * soft + (1 - self.alpha) * F.cross_entropy(s_logits, labels)

    def train_epoch(self, loader, device):
        self.student.train()
        total, n = 0.0, 0
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            self.teacher.eval()
            with torch.no_grad():
                t_logits = self.teacher(images)
            s_logits = self.student(images)
            loss = self.kd_loss(s_logits, t_logits, labels)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            total += loss.item() * images.size(0)
            n += images.size(0)
        return total / n


class FeatureDistiller(Distiller):
    def train_epoch(self, loader, device):
        self.student.train()
        losses = []
        for images, labels in loader:
            with torch.no_grad():
                t_feats = self.teacher.forward_features(images.to(device))
            s_feats = self.student.forward_features(images.to(device))
            loss = sum(F.mse_loss(s, t) for s, t in zip(s_feats, t_feats))
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            losses.append(loss.detach())
        return torch.stack(losses).mean().item()
