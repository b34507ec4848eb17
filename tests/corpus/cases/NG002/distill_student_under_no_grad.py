# corpus: NG002
"""Knowledge distillation where the student forward slipped into the teacher's no_grad block."""
import torch
import torch.nn.functional as F


def distill_epoch(student, teacher, loader, optimizer, temperature=4.0, alpha=0.9):
    teacher.eval()
    student.train()
    for images, labels in loader:
        with torch.no_grad():
            teacher_logits = teacher(images)
            student_logits = student(images)
        soft = F.kl_div(
            F.log_softmax(student_logits / temperature, dim=-1),
            F.softmax(teacher_logits / temperature, dim=-1),
            reduction="batchmean",
        ) * temperature ** 2
        hard = F.cross_entropy(student_logits, labels)
        loss = alpha * soft + (1 - alpha) * hard
        optimizer.zero_grad()
        loss.backward()  # expect: NG002
        optimizer.step()
