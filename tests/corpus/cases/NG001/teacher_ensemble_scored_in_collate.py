# corpus: NG001
"""Knowledge distillation scores each batch with an ensemble of teachers while collating it: every
teacher runs with grad on, and only the averaged, detached probabilities leave the function. Each
teacher's graph is held until the average is detached. The students' ensemble, in the training
step, backpropagates what it computes."""
import torch
import torch.nn.functional as F


def collate_with_teachers(batches, teacher_models, top_k=8):
    scored = []
    for net_input in batches:  # expect: NG001
        avg = teacher_models[0](**net_input).softmax(-1)
        for i in range(1, len(teacher_models)):
            avg.add_(teacher_models[i](**net_input).softmax(-1))
        avg = (avg / len(teacher_models)).detach()
        scored.append(torch.topk(avg, k=top_k))
    return scored


def train_students(student_models, optimizer, loader):
    for x, y in loader:
        loss = sum(F.cross_entropy(student_models[i](x), y) for i in range(len(student_models)))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
