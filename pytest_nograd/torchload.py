"""Lazy access to torch.

The plugin is loaded by every pytest run of an environment where it is installed, so
importing torch at plugin import would slow down (or break) suites that never use it.
Everything torch-backed calls :func:`require_torch` at the moment it is needed.
"""
from __future__ import annotations

import importlib
import sys
import warnings
from types import ModuleType
from typing import Optional


class TorchMissingError(RuntimeError):
    """A torch-backed feature of pytest-nograd was used but torch cannot be imported."""


_import_error: Optional[BaseException] = None


def require_torch(feature: str) -> ModuleType:
    """Return the torch module, or raise one clear error naming ``feature``."""
    torch = sys.modules.get("torch")
    if torch is not None and hasattr(torch, "Tensor"):
        return torch
    global _import_error
    if _import_error is None:
        try:
            # torch warns at import time about optional dependencies (numpy); under
            # ``-W error`` that would turn the plugin's own import into a failure.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return importlib.import_module("torch")
        except Exception as exc:  # ImportError, or a broken install raising anything
            _import_error = exc
    raise TorchMissingError(
        f"pytest-nograd: {feature} needs PyTorch, but importing torch failed "
        f"({type(_import_error).__name__}: {_import_error}). "
        "Install torch, or remove the option/marker/fixture."
    )


def torch_if_imported() -> Optional[ModuleType]:
    """torch when something already imported it, else None (never imports)."""
    torch = sys.modules.get("torch")
    return torch if torch is not None and hasattr(torch, "Tensor") else None
