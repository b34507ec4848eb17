"""Stage 6 of the pipeline: findings to text, JSON, SARIF or GitHub workflow commands."""

from __future__ import annotations

from . import github, json_format, sarif, text

FORMATS = {
    "text": text.render,
    "full": text.render_full,
    "concise": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
}
