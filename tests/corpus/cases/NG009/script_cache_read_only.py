# corpus: NG009
"""A script that memoises reference outputs under inference_mode in its own top-level dict and
only reads them afterwards. Nothing in the file backpropagates, so the inference tensors never
meet autograd. (The same cache in a file that trains is reported: see script_cache_then_train.)"""
import torch

model = torch.nn.Linear(4, 3).eval()
inputs = {"a": torch.randn(1, 4), "b": torch.randn(1, 4)}
reference = {}
for key in ["a", "b", "a"]:
    if key not in reference:
        with torch.inference_mode():
            reference[key] = model(inputs[key])[0]
    print(key, reference[key].argmax().item())
