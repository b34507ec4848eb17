# corpus: NG001
"""A distillation script picks its loss on two separate `if` statements: a cross-entropy module
or a distillation function it imports. Validation runs both networks under `no_grad` and only
then calls the loss outside it: the loss has no parameters and its inputs carry no graph, so it
records none, whichever of the two it is. The last validation loop also runs a linear probe that
the script built beside the loss on one path only: a module with weights, run with grad on for a
metric nothing backpropagates."""
import torch
import torch.nn as nn

from distill import kd_loss

student = nn.Sequential(nn.Linear(16, 8), nn.Dropout(0.2), nn.Linear(8, 4))
teacher = nn.Sequential(nn.Linear(16, 8), nn.Linear(8, 4))
use_kd = True
if not use_kd:
    loss_fn = nn.CrossEntropyLoss()
if use_kd:
    loss_fn = kd_loss
if use_kd:
    probe = nn.Linear(4, 4)
if not use_kd:
    probe = nn.Identity()
optimizer = torch.optim.Adam(student.parameters())
loader = [(torch.randn(2, 16), torch.tensor([0, 1])) for _ in range(3)]

for epoch in range(2):
    student.train()
    for inputs, labels in loader:
        with torch.no_grad():
            soft = teacher(inputs)
        loss = loss_fn(student(inputs), labels, soft)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    student.eval()
    losses = []
    for inputs, labels in loader:
        with torch.no_grad():
            logits = student(inputs)
            soft = teacher(inputs)
        losses.append(loss_fn(logits, labels, soft).item())
    agreement = []
    for inputs, labels in loader:  # expect: NG001
        with torch.no_grad():
            logits = student(inputs)
        agreement.append(probe(logits).argmax(1).eq(labels).float().mean().item())
