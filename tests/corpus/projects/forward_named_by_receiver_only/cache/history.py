# corpus: NG002
"""A feature cache whose modules are refreshed with `m.forward(x)` under no_grad. The receivers are
of no class the analysis can name, and that call says nothing about the explainer's forward in
the other file."""
import torch


def refresh(modules, inputs):
    for module, x in zip(modules, inputs):
        with torch.no_grad():
            module.forward(x)
