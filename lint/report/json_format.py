"""JSON output: an array with one object per finding (1-based lines and columns)."""

from __future__ import annotations

import json

from ..rules.base import Finding


def finding_to_dict(f: Finding) -> dict:
    item = {
        "code": f.code,
        "name": f.name,
        "message": f.message,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "fix": f.fix.to_json() if f.fix is not None else None,
    }
    if f.cell is not None:
        item["cell"] = f.cell
    if f.observed is not None:  # what the tests showed (--runtime-evidence)
        item["runtime_evidence"] = f.observed.to_json()
    return item


def render(findings: list, sources=None) -> str:
    return json.dumps([finding_to_dict(f) for f in findings], indent=2) + "\n"


def render_lines(findings: list, sources=None) -> str:
    """``json-lines``: the same objects, one per line (streamable, ``jq -c``-friendly)."""
    return "".join(json.dumps(finding_to_dict(f)) + "\n" for f in findings)
