# corpus: NG001
# Export helpers: the toolkit only calls them under no_grad (pipeline.py), through the module.
import torch


def export(model, samples, path):
    model.eval()
    reference = []
    for sample in samples:
        reference.append(model(sample))
    torch.save({"state": model.state_dict(), "reference": reference}, path)
