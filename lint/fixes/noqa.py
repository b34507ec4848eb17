"""``--add-noqa``: suppress every current finding in place, so a large codebase can adopt the
linter at zero findings and fix over time.

A ``# noqa: NGxxx`` comment goes at the end of the line a finding starts on (where
``suppressions.py`` looks for it). An existing ``# noqa: CODES`` comment is merged (codes of
other tools kept); a bare ``# noqa`` already silences everything. A line that cannot carry a
comment (it ends inside a multi-line string, or with a backslash continuation) is left alone
and reported. Line endings, encoding and, in notebooks, everything but the edited cells'
sources are kept; files are written atomically.
"""

from __future__ import annotations

import io
import re
import tokenize

from ..source.notebook import load_notebook, mask_ipython, replace_cell_sources
from ..source.reading import SourceError
from ..suppressions import NOQA, covers, noqa_lines
from .apply import FixError, read_for_fix, write_atomic

_EXISTING = NOQA  # read exactly as suppressions.py reads it
_NEWLINE = re.compile(r"(\r\n|\r|\n)")
_SKIP = "NG900"


def _comment_columns(source: str) -> dict:
    """Line -> column where the line's comment starts (real comment tokens only)."""
    columns: dict = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                columns[tok.start[0]] = tok.start[1]
    except (tokenize.TokenError, SyntaxError):
        pass
    return columns


def add_noqa_to_lines(lines: list[str], codes_by_line: dict, comments: dict = None) -> int:
    """Add or merge ``# noqa`` comments in ``lines`` (modified in place). ``comments`` maps a
    line to its comment's column (from the tokenizer); without it the line is searched."""
    added = 0
    for line_no, codes in sorted(codes_by_line.items()):
        index = line_no - 1
        if index >= len(lines):
            continue
        line = lines[index]
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        if comments is not None and line_no in comments:
            match = _EXISTING.search(body, comments[line_no])
        elif comments is not None:
            match = None
        else:
            match = _EXISTING.search(body)
        if match and not match.group("codes"):
            continue  # a bare noqa already silences everything
        if match:
            present = list(dict.fromkeys(c for c in re.split(r"[\s,]+", match.group("codes")) if c))
            missing = sorted(set(codes) - {c.upper() for c in present})
            if not missing:
                continue
            # other tools' codes are kept as written
            merged = ", ".join(sorted(present + missing, key=str.upper))
            body = body[: match.start()] + f"# noqa: {merged}" + body[match.end():]
        else:
            body = body.rstrip() + f"  # noqa: {', '.join(sorted(codes))}"
        lines[index] = body + ending
        added += 1
    return added


def _suppress(source: str, codes_by_line: dict, masked: frozenset = frozenset(), mask=None) -> tuple[str, int, list]:
    """(new source, lines changed, numbers of the lines that cannot take a comment)."""
    mask = mask or (lambda s: s)
    lines = _split(source)
    wanted = {}
    for line_no, codes in codes_by_line.items():
        body = lines[line_no - 1].rstrip("\r\n") if line_no - 1 < len(lines) else ""
        if line_no not in masked and not body.endswith("\\"):
            wanted[line_no] = codes
    refused = set(codes_by_line) - set(wanted)
    comments = _comment_columns(mask(source))
    while True:
        lines = _split(source)
        added = add_noqa_to_lines(lines, wanted, comments)
        new = "".join(lines)
        # Every comment must land where suppressions.py reads it (not inside a string).
        seen = noqa_lines(mask(new))
        bad = {n for n, codes in wanted.items() if not all(covers(seen.get(n, ()), c) for c in codes)}
        if not bad:
            return new, added, sorted(refused)
        refused |= bad
        wanted = {n: c for n, c in wanted.items() if n not in bad}


def suppress_in_source(source: str, codes_by_line: dict) -> tuple[str, list]:
    """``source`` (a Python file's text) with ``# noqa`` comments for ``codes_by_line`` (line ->
    codes), and the numbers of the lines that cannot take one. Writes nothing (editors)."""
    new, _, refused = _suppress(source, codes_by_line)
    return new, refused


def add_noqa(findings: list, paths: dict) -> tuple[int, list]:
    """Add the comments for ``findings`` (display path -> filesystem path in ``paths``).
    Returns (number of lines changed, one-line problems for the lines left alone)."""
    by_file: dict = {}
    for f in findings:
        if f.code == _SKIP:
            continue
        by_file.setdefault(f.path, {}).setdefault(f.cell, {}).setdefault(f.line, set()).add(f.code)
    total, problems = 0, []
    for display, by_cell in by_file.items():
        path = paths.get(display, display)
        try:
            text, encoding, bom = read_for_fix(path)
            if path.endswith(".ipynb"):
                _, cells = load_notebook(text)
                cells_by_index = {c.index: c for c in cells}
                new_sources = {}
                for cell_index, codes_by_line in sorted(by_cell.items(), key=lambda kv: kv[0] or 0):
                    cell = cells_by_index.get(cell_index)
                    if cell is None:
                        continue
                    source, added, refused = _suppress(cell.original, codes_by_line, cell.masked, mask_ipython)
                    total += added
                    problems.extend(f"{display}:cell {cell_index}:{n}: cannot add a noqa comment on this line"
                                    for n in refused)
                    if source != cell.original:
                        new_sources[cell_index] = source
                new = replace_cell_sources(text, new_sources)
            else:
                new, added, refused = _suppress(text, by_cell.get(None, {}))
                total += added
                problems.extend(f"{display}:{n}: cannot add a noqa comment on this line "
                                "(it ends inside a string or with a line continuation)" for n in refused)
        except SourceError as exc:
            raise FixError(f"{path}: {exc}") from None
        if new != text:
            write_atomic(path, new, encoding, bom)
    return total, problems


def _split(text: str) -> list[str]:
    parts = _NEWLINE.split(text)
    lines = ["".join(parts[i:i + 2]) for i in range(0, len(parts), 2)]
    return [line for line in lines if line] or [""]
