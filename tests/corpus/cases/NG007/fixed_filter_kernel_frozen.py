# corpus: NG007
"""A pre-emphasis filter loss: the convolution's kernel is a fixed filter, frozen in
`__init__`, and read through `.data` in forward. Nothing should train it, so the bypass loses
no gradient; the signal itself still gets one."""
import torch


class PreEmphasis(torch.nn.Module):
    def __init__(self, coef=0.85):
        super().__init__()
        self.fir = torch.nn.Conv1d(1, 1, kernel_size=3, bias=False, padding=1)
        self.fir.weight.requires_grad = False
        self.fir.weight.data = torch.tensor([1.0, -coef, 0.0]).view(1, 1, -1)

    def forward(self, pred, target):
        pred = torch.nn.functional.conv1d(pred, self.fir.weight.data, padding=1)
        target = torch.nn.functional.conv1d(target, self.fir.weight.data, padding=1)
        return torch.nn.functional.l1_loss(pred, target)
