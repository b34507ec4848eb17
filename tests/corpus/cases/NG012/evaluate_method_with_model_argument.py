# corpus: NG012
"""A distillation trainer evaluates whichever model it is given with a method that takes the
model as an argument and calls `model.eval()` on it. The student's training loop evaluates the
student that way after every epoch and never puts it back in train mode."""
import torch
import torch.nn.functional as F


class Distiller:
    def __init__(self, teacher, student, train_loader, val_loader, optimizer):
        self.teacher = teacher
        self.student = student
        self.train_loader = train_loader
        self.val_loader = val_loader
        self.optimizer = optimizer

    def _accuracy(self, model):
        model.eval()
        right = total = 0
        with torch.no_grad():
            for x, y in self.val_loader:
                right += (model(x).argmax(1) == y).sum().item()
                total += len(y)
        return right / total

    def train_student(self, epochs, temperature=4.0):
        self.teacher.eval()
        self.student.train()
        for epoch in range(epochs):
            for x, y in self.train_loader:
                with torch.no_grad():
                    soft = F.softmax(self.teacher(x) / temperature, dim=1)
                out = self.student(x)
                loss = F.cross_entropy(out, y) + F.kl_div(F.log_softmax(out / temperature, dim=1), soft,
                                                          reduction="batchmean")
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
            print(epoch, self._accuracy(self.student))  # expect: NG012
