# corpus: NG005
"""Export script: grad is switched off once at module level before anything runs."""
import torch
import torchvision

torch.set_grad_enabled(False)

model = torchvision.models.mobilenet_v3_small(weights=None).eval()
example = torch.randn(1, 3, 224, 224)
traced = torch.jit.trace(model, example)
traced.save("mobilenet_v3_small.pt")
