"""nogradlint: a static checker for PyTorch grad-mode misuse."""

__version__ = "0.1.0"
