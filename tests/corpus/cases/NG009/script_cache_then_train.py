# corpus: NG009
"""A script that caches teacher outputs under inference_mode in a top-level dict, then trains a
student against them: the cached inference tensors meet autograd in the loss."""
import torch
import torch.nn.functional as F

teacher = torch.nn.Linear(4, 3).eval()
student = torch.nn.Linear(4, 3)
opt = torch.optim.SGD(student.parameters(), lr=0.1)
batches = {i: torch.randn(8, 4) for i in range(3)}
targets = {}
for i, x in batches.items():
    with torch.inference_mode():
        targets[i] = teacher(x)  # expect: NG009
for i, x in batches.items():
    loss = F.mse_loss(student(x), targets[i])
    opt.zero_grad()
    loss.backward()
    opt.step()
