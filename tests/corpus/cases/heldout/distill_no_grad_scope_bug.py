# corpus: NG002, NG003
"""Distillation step where the student forward slipped into the teacher's no_grad block."""
import torch
import torch.nn.functional as F


def distill_step(student, teacher, batch, optimizer, T=2.0):
    images, labels = batch
    with torch.no_grad():
        t_logits = teacher(images)
        s_logits = student(images)
        loss = F.kl_div(F.log_softmax(s_logits / T, -1), F.softmax(t_logits / T, -1), reduction="batchmean")
    optimizer.zero_grad()
    loss.backward()  # expect: NG002
    optimizer.step()
    return loss.item()


@torch.inference_mode()  # expect: NG002
def train_one_epoch(model, loader, optimizer):
    model.train()
    for x, y in loader:
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def evaluate_then_finetune(model, loader, optimizer):
    with torch.no_grad():
        for x, y in loader:
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            if loss.item() > 2.0:
                loss.backward()  # expect: NG002
                optimizer.step()
