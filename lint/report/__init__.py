"""Stage 6 of the pipeline: findings to text, JSON, SARIF or GitHub workflow commands."""

from __future__ import annotations

from . import github, gitlab, json_format, junit, sarif, text

FORMATS = {
    "text": text.render,
    "full": text.render_full,
    "concise": text.render,
    "json": json_format.render,
    "json-lines": json_format.render_lines,
    "sarif": sarif.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "junit": junit.render,
}
