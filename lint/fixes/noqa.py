"""``--add-noqa``: suppress every current finding in place, so a large codebase can adopt the
linter at zero findings and fix over time."""

from __future__ import annotations

import re

from ..source.reading import SourceError
from .apply import FixError, read_for_fix, write_atomic

_EXISTING = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.I)
_NEWLINE = re.compile(r"(\r\n|\r|\n)")


def add_noqa_to_lines(lines: list[str], codes_by_line: dict) -> int:
    added = 0
    for line_no, codes in codes_by_line.items():
        index = line_no - 1
        if index >= len(lines):
            continue
        line = lines[index]
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        match = _EXISTING.search(body)
        if match and not match.group("codes"):
            continue  # a bare noqa already silences everything
        if match:
            present = set(re.split(r"[\s,]+", match.group("codes").upper()))
            missing = sorted(set(codes) - present)
            if not missing:
                continue
            merged = ", ".join(sorted(present | set(missing)))
            body = body[: match.start()] + f"# noqa: {merged}" + body[match.end():]
        else:
            body = body.rstrip() + f"  # noqa: {', '.join(sorted(codes))}"
        lines[index] = body + ending
        added += 1
    return added


def add_noqa(findings: list, paths: dict) -> int:
    by_file: dict = {}
    for f in findings:
        if f.code == "NG900":
            continue
        by_file.setdefault(f.path, {}).setdefault(f.cell, {}).setdefault(f.line, set()).add(f.code)
    total = 0
    for display, by_cell in by_file.items():
        path = paths.get(display, display)
        try:
            text, encoding, bom = read_for_fix(path)
        except SourceError as exc:
            raise FixError(f"{path}: {exc}") from None
        if path.endswith(".ipynb"):
            import json

            nb = json.loads(text)
            for cell_index, codes_by_line in by_cell.items():
                cell = nb["cells"][cell_index - 1]
                source = cell.get("source", "")
                lines = _split("".join(source) if isinstance(source, list) else source)
                total += add_noqa_to_lines(lines, codes_by_line)
                joined = "".join(lines)
                cell["source"] = joined.splitlines(keepends=True) if isinstance(source, list) else joined
            new = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
        else:
            lines = _split(text)
            total += add_noqa_to_lines(lines, by_cell.get(None, {}))
            new = "".join(lines)
        if new != text:
            write_atomic(path, new, encoding, bom)
    return total


def _split(text: str) -> list[str]:
    parts = _NEWLINE.split(text)
    lines = ["".join(parts[i:i + 2]) for i in range(0, len(parts), 2)]
    return [line for line in lines if line] or [""]
