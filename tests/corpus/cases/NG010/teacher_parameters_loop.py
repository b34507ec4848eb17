# corpus: NG010
"""A distillation model that copies the student's weights into the teacher and freezes them. The
loop variables are parameters (from `.parameters()`), so `.requires_grad = False` freezes them,
whatever network word their names hold. Only the last line, on the teacher module itself, freezes
nothing."""
from torch import nn


class SelfDistill(nn.Module):
    def __init__(self, dims):
        super().__init__()
        self.student = nn.Linear(dims, dims)
        self.teacher = nn.Linear(dims, dims)

    def init_teacher(self):
        for param_student, param_teacher in zip(self.student.parameters(), self.teacher.parameters()):
            param_teacher.data.copy_(param_student.data)
            param_teacher.requires_grad = False
        for name, param_encoder in self.student.named_parameters():
            param_encoder.requires_grad = name.startswith("bias")
        self.teacher.requires_grad = False  # expect: NG010
