# corpus: NG005
# A library picks its backend when it is imported and, for torch, turns gradients off for the
# whole process: every program that imports it loses autograd. The same switch at a package's
# top level is reported too (a package is imported, never run as a script).
import os


def setup():
    backend = os.environ.get("MYLIB_BACKEND", "torch")
    if backend == "torch":
        import torch
        torch.autograd.set_grad_enabled(False)  # expect: NG005


setup()
del setup

import torch

torch.set_grad_enabled(False)  # expect: NG005
