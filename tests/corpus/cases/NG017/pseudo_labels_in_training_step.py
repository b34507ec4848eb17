# corpus: NG017
# Pseudo-labels come from the model in training mode inside the training step, on purpose.
import torch
import torch.nn as nn


class Student(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(16, 16), nn.Dropout(0.1), nn.Linear(16, 3))

    def forward(self, x):
        return self.net(x)


def self_train(loader, steps):
    student = Student()
    opt = torch.optim.SGD(student.parameters(), lr=0.05)
    for weak, strong in loader:
        with torch.no_grad():
            labels = student(weak).argmax(1)
        loss = nn.functional.cross_entropy(student(strong), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
