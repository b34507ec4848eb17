"""GitHub Actions workflow commands: annotations on the pull request's diff."""

from __future__ import annotations



def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings: list, sources=None) -> str:
    out = []
    for f in findings:
        location = f"cell {f.cell}, " if f.cell is not None else ""
        props = [
            f"title={_escape_property(f.code)}",
            f"file={_escape_property(f.path)}",
            f"line={f.line}",
            f"col={f.column}",
            f"endLine={f.end_line}",
            f"endColumn={f.end_column}",
        ]
        out.append(f"::warning {','.join(props)}::{_escape_data(f'{location}{f.code} {f.message}')}\n")
    return "".join(out)
