"""Apply fixes: text edits on the original source, so every other byte stays as it was."""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from typing import Iterable, Optional

from ..rules.base import Edit, Finding
from ..source.reading import SourceError, decode_python, read_bytes

_NEWLINE = re.compile(r"\r\n|\r|\n")


class FixError(Exception):
    """A fix could not be written; the original file is intact."""


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for match in _NEWLINE.finditer(text):
        starts.append(match.end())
    return starts


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (positions as produced by the rules: 1-based)."""
    starts = _line_starts(text)

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    pieces = []
    last = 0
    for start, end, content in sorted((offset(e.line, e.column), offset(e.end_line, e.end_column), e.content)
                                      for e in edits):
        if start < last:
            raise ValueError("overlapping edits")
        pieces.append(text[last:start])
        pieces.append(content)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def choose_fixes(findings: list, unsafe: bool) -> list:
    """The fixes to apply in one round: applicable and not overlapping each other (the rest
    are applied in a later round, after the file is linted again)."""
    chosen, taken = [], []
    for f in sorted(findings, key=Finding.sort_key):
        if f.fix is None or (f.fix.applicability != "safe" and not unsafe):
            continue
        ranges = [((e.line, e.column), (e.end_line, e.end_column)) for e in f.fix.edits]
        if any(a[0] < b[1] and b[0] < a[1] or a[0] == b[0] for a in ranges for b in taken):
            continue
        taken.extend(ranges)
        chosen.append(f)
    return chosen


def fixed_text(original: str, findings: list, *, notebook: bool = False) -> str:
    edits_by_cell: dict = {}
    for f in findings:
        edits_by_cell.setdefault(f.cell, []).extend(f.fix.edits)
    if not notebook:
        return apply_edits(original, edits_by_cell.get(None, []))
    nb = json.loads(original)
    for index, cell in enumerate(nb.get("cells", []), start=1):
        edits = edits_by_cell.get(index)
        if not edits:
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        new = apply_edits(text, edits)
        cell["source"] = new.splitlines(keepends=True) if isinstance(source, list) else new
    indent = _json_indent(original)
    return json.dumps(nb, indent=indent, ensure_ascii=False) + ("\n" if original.endswith("\n") else "")


def _json_indent(text: str) -> int:
    match = re.search(r"\n( +)\"", text)
    return len(match.group(1)) if match else 1


def read_for_fix(path: str) -> tuple[str, str, bool]:
    """(text, encoding, had_bom) of a file about to be fixed."""
    data = read_bytes(path)
    if path.endswith(".ipynb"):
        return data.decode("utf-8-sig"), "utf-8", data.startswith(b"\xef\xbb\xbf")
    decoded = decode_python(data)
    return decoded.text, decoded.encoding, data.startswith(b"\xef\xbb\xbf")


def write_atomic(path: str, text: str, encoding: str = "utf-8", bom: bool = False) -> None:
    """Write to a temporary file in the same folder, then rename over the original: a crash or
    a full disk leaves the original intact. Permissions are kept."""
    data = text.encode(encoding)
    if bom and not data.startswith(b"\xef\xbb\xbf"):
        data = b"\xef\xbb\xbf" + data
    directory = os.path.dirname(os.path.abspath(path))
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError as exc:
        raise FixError(f"{path}: cannot write the fix: {exc.strerror or exc}") from None
    if not os.access(path, os.W_OK):
        raise FixError(f"{path}: cannot write the fix: the file is read-only")
    fd, tmp = None, None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".nogradlint-", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as fh:
            fd = None
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise FixError(f"{path}: cannot write the fix: {exc.strerror or exc}; the file is unchanged") from None
    finally:
        if fd is not None:
            os.close(fd)
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def fix_file(path: str, findings: list, unsafe: bool, write: bool = True) -> Optional[tuple[str, str]]:
    """Apply one round of fixes to ``path``. Returns (old, new) text when something changed."""
    chosen = choose_fixes(findings, unsafe)
    if not chosen:
        return None
    try:
        text, encoding, bom = read_for_fix(path)
    except SourceError as exc:
        raise FixError(f"{path}: {exc}") from None
    new = fixed_text(text, chosen, notebook=path.endswith(".ipynb"))
    if new == text:
        return None
    if write:
        write_atomic(path, new, encoding, bom)
    return text, new
