"""Text output: one line per finding, ``path:line:col: CODE message``."""

from __future__ import annotations

from collections import Counter

from ..rules.base import Finding
from .location import where


def _fix_marker(f: Finding) -> str:
    if f.fix is None:
        return ""
    return " [*]" if f.fix.applicability == "safe" else " [*unsafe]"


def render(findings: list, sources=None) -> str:
    return "".join(f"{where(f)}: {f.code}{_fix_marker(f)} {f.message}\n" for f in findings)


def render_full(findings: list, sources=None) -> str:
    """Each finding with the source lines it covers and a caret under the reported columns."""
    out = []
    for f in findings:
        out.append(f"{where(f)}: {f.code}{_fix_marker(f)} {f.message}\n")
        lines = (sources or {}).get((f.path, f.cell))
        if lines and 0 < f.line <= len(lines):
            number = f"{f.line}"
            text = lines[f.line - 1].rstrip("\r\n")
            out.append(f"  {number} | {text}\n")
            end = f.end_column if f.end_line == f.line else len(text) + 1
            width = max(1, end - f.column)
            out.append(f"  {' ' * len(number)} | {' ' * (f.column - 1)}{'^' * width}\n")
        out.append("\n")
    return "".join(out)


def statistics(findings: list) -> str:
    counts = Counter((f.code, f.name) for f in findings)
    fixable = Counter(f.code for f in findings if f.fix is not None)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    out = []
    for (code, name), count in rows:
        mark = "[*]" if fixable.get(code) else "   "
        out.append(f"{count:>5}\t{code}\t{mark} {name}\n")
    return "".join(out)


def statistics_json(findings: list) -> str:
    """``--statistics --output-format json``: one object per rule, in the text order."""
    import json

    counts = Counter((f.code, f.name) for f in findings)
    fixable = Counter(f.code for f in findings if f.fix is not None)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    data = [{"code": code, "name": name, "count": count, "fixable": bool(fixable.get(code))}
            for (code, name), count in rows]
    return json.dumps(data, indent=2) + "\n"


def summary(findings: list, fixable_hidden: int = 0) -> str:
    if not findings:
        return "All checks passed!\n"
    n = len(findings)
    text = f"Found {n} error{'s' if n != 1 else ''}.\n"
    safe = sum(1 for f in findings if f.fix is not None and f.fix.applicability == "safe")
    unsafe = sum(1 for f in findings if f.fix is not None and f.fix.applicability == "unsafe")
    if safe:
        text += f"[*] {safe} fixable with the `--fix` option.\n"
    if unsafe:
        text += f"{unsafe} more fixable with the `--unsafe-fixes` option.\n"
    return text
