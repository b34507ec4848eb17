"""Stage 6 of the pipeline: findings to text, JSON, SARIF or GitHub workflow commands."""

from __future__ import annotations

import importlib
from typing import Callable

# Each format's module is imported when the format is used: the command starts on every run, and
# most runs print one format.
_RENDERERS = {
    "text": ("text", "render"),
    "full": ("text", "render_full"),
    "concise": ("text", "render"),
    "json": ("json_format", "render"),
    "json-lines": ("json_format", "render_lines"),
    "sarif": ("sarif", "render"),
    "github": ("github", "render"),
    "gitlab": ("gitlab", "render"),
    "junit": ("junit", "render"),
}
FORMAT_NAMES = tuple(sorted(_RENDERERS))


def renderer(name: str) -> Callable:
    """The function that renders findings in the format ``name`` (one of ``FORMAT_NAMES``)."""
    module, function = _RENDERERS[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), function)
