"""Text output: one line per finding, ``path:line:col: CODE message``."""

from __future__ import annotations

from collections import Counter

from ..rules.base import Finding, format_bytes
from .location import where


# ANSI styles, used only when the command decided on colour (--color, NO_COLOR, FORCE_COLOR, a terminal).
BOLD, RED, GREEN, CYAN = "1", "31", "32", "36"


def paint(text: str, color: bool, *styles: str) -> str:
    return f"\x1b[{';'.join(styles)}m{text}\x1b[0m" if color and text else text


def _fix_marker(f: Finding, color: bool = False) -> str:
    if f.fix is None:
        return ""
    return " " + paint("[*]" if f.fix.applicability == "safe" else "[*unsafe]", color, CYAN)


def _line(f: Finding, color: bool) -> str:
    return f"{paint(where(f), color, BOLD)}: {paint(f.code, color, BOLD, RED)}{_fix_marker(f, color)} {f.message}\n"


def render(findings: list, sources=None, color: bool = False) -> str:
    return "".join(_line(f, color) for f in findings)


def render_full(findings: list, sources=None, color: bool = False) -> str:
    """Each finding with the source lines it covers and a caret under the reported columns."""
    out = []
    for f in findings:
        out.append(_line(f, color))
        lines = (sources or {}).get((f.path, f.cell))
        if lines and 0 < f.line <= len(lines):
            number = f"{f.line}"
            text = lines[f.line - 1].rstrip("\r\n")
            out.append(f"  {number} | {text}\n")
            end = f.end_column if f.end_line == f.line else len(text) + 1
            width = max(1, end - f.column)
            out.append(f"  {' ' * len(number)} | {' ' * (f.column - 1)}{paint('^' * width, color, RED)}\n")
        out.append("\n")
    return "".join(out)


def _rule_fixes(findings: list) -> dict:
    """code -> "safe" when some finding of the rule has a safe fix, "unsafe" when its fixes are
    all unsafe, None when none of its findings has a fix."""
    rank = {None: 0, "unsafe": 1, "safe": 2}
    out: dict = {}
    for f in findings:
        kind = None if f.fix is None else ("safe" if f.fix.applicability == "safe" else "unsafe")
        out[f.code] = max(out.get(f.code), kind, key=rank.get)
    return out


def _kept(findings: list) -> dict:
    """code -> bytes the tests saw unused graphs keep alive at its findings (--runtime-evidence)."""
    kept: dict = {}
    for f in findings:
        if f.observed is not None and f.observed.graph_bytes:
            kept[f.code] = kept.get(f.code, 0) + f.observed.graph_bytes
    return kept


def _rows(findings: list) -> list:
    """Per rule, most findings first; with run-time evidence, most bytes kept first."""
    counts = Counter((f.code, f.name) for f in findings)
    kept = _kept(findings)
    return sorted(counts.items(), key=lambda item: (-kept.get(item[0][0], 0), -item[1], item[0][0]))


def statistics(findings: list) -> str:
    fixes = _rule_fixes(findings)
    kept = _kept(findings)
    width = 9 if "unsafe" in fixes.values() else 3
    out = []
    for (code, name), count in _rows(findings):
        mark = {"safe": "[*]", "unsafe": "[*unsafe]"}.get(fixes.get(code), "")  # as in the findings
        held = f"\t{format_bytes(kept[code])} kept by unused graphs in the tests" if code in kept else ""
        out.append(f"{count:>5}\t{code}\t{mark:<{width}} {name}{held}\n")
    return "".join(out)



def statistics_json(findings: list) -> str:
    """``--statistics --output-format json``: one object per rule, in the text order; ``fix`` is
    "safe", "unsafe" (only unsafe fixes: `--fix --unsafe-fixes`) or null."""
    import json

    fixes = _rule_fixes(findings)
    kept = _kept(findings)
    data = [{"code": code, "name": name, "count": count, "fixable": fixes.get(code) is not None,
             "fix": fixes.get(code)} for (code, name), count in _rows(findings)]
    for item in data:
        if item["code"] in kept:
            item["graph_bytes_kept"] = kept[item["code"]]
    return json.dumps(data, indent=2) + "\n"


def _errors(n: int) -> str:
    return f"{n} error{'s' if n != 1 else ''}"


def summary(findings: list, fixed: int = 0, unsafe_fixes: bool = False, color: bool = False) -> str:
    """ruff's summary: ``Found N errors (M fixed, K remaining).`` after ``--fix``, then what the
    remaining fixes need. With ``--unsafe-fixes`` every fix counts as fixable with ``--fix``."""
    if not findings and not fixed:
        return paint("All checks passed!", color, GREEN) + "\n"
    n = len(findings)
    if fixed:
        text = f"Found {_errors(n + fixed)} ({fixed} fixed, {n} remaining).\n"
    else:
        text = f"Found {_errors(n)}.\n"
    safe = sum(1 for f in findings if f.fix is not None and (f.fix.applicability == "safe" or unsafe_fixes))
    unsafe = sum(1 for f in findings if f.fix is not None and f.fix.applicability != "safe" and not unsafe_fixes)
    if safe:
        text += f"{paint('[*]', color, CYAN)} {safe} fixable with the `--fix` option.\n"
    if unsafe:  # "more" only after a line that counted the safe ones
        text += f"{unsafe}{' more' if safe else ''} fixable with the `--fix --unsafe-fixes` options.\n"
    return text


def show_fixes(applied: list) -> str:
    """``--show-fixes``: what ``--fix`` changed, per file and rule (ruff's layout)."""
    if not applied:
        return ""
    per_file: dict = {}
    for f in applied:
        rules = per_file.setdefault(f.path, Counter())
        rules[(f.code, f.name)] += 1
    out = [f"\nFixed {_errors(len(applied))}:\n"]
    for path in sorted(per_file):
        out.append(f"- {path}:\n")
        for (code, name), count in sorted(per_file[path].items()):
            out.append(f"    {count} × {code} ({name})\n")
    return "".join(out)
