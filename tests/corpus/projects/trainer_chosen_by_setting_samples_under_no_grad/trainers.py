# corpus: NG001
"""Two image-translation trainers, each with a `sample` method that translates a fixed batch in
eval mode; their caller runs it under `torch.no_grad()`."""
import torch
import torch.nn as nn


class MultimodalTrainer(nn.Module):
    def __init__(self):
        super().__init__()
        self.gen_a = nn.Conv2d(3, 3, 3, padding=1)
        self.gen_b = nn.Conv2d(3, 3, 3, padding=1)

    def sample(self, x_a, x_b):
        self.eval()
        outputs = []
        for i in range(x_a.size(0)):
            outputs.append(self.gen_b(self.gen_a(x_a[i].unsqueeze(0))))
        self.train()
        return torch.cat(outputs)


class UnimodalTrainer(nn.Module):
    def __init__(self):
        super().__init__()
        self.gen = nn.Conv2d(3, 3, 3, padding=1)

    def sample(self, x_a, x_b):
        self.eval()
        outputs = [self.gen(x_a[i].unsqueeze(0)) for i in range(x_a.size(0))]
        self.train()
        return torch.cat(outputs)
