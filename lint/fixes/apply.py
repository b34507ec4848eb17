"""Apply fixes: text edits on the original source, so every other byte stays as it was.

Guarantees (tested in tests/lint/test_fixes.py):

- a fixed file parses: the result is parsed (libcst) and compiled (CPython, nothing is run)
  before anything is written; a fix whose result fails either where the original passed is
  rejected (reported, never written) and the other fixes still apply;
- in a notebook, a fix that would touch a masked IPython line (``%magic``, ``!shell``) is
  rejected, and only the edited cells' ``source`` text changes in the JSON;
- inserted line breaks follow the file's own line endings (CRLF files stay CRLF); the
  encoding (coding cookie, BOM) is kept;
- files are written atomically: a temporary file in the same folder, then a rename over the
  original, keeping its permissions; on any failure the original is left intact.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from typing import Iterable, Optional

from ..rules.base import Edit, Finding
from ..source.notebook import load_notebook, mask_ipython, replace_cell_sources
from ..source.reading import SourceError, decode_python, detect_newline, read_bytes

_NEWLINE = re.compile(r"\r\n|\r|\n")
_BOM = b"\xef\xbb\xbf"


class FixError(Exception):
    """A fix could not be written; the original file is intact."""


@dataclass
class FixResult:
    """One round of fixes on one file."""

    old: str
    new: str
    applied: list = field(default_factory=list)  # findings whose fix is in ``new``
    rejected: list = field(default_factory=list)  # (finding, reason)

    @property
    def changed(self) -> bool:
        return self.new != self.old


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for match in _NEWLINE.finditer(text):
        starts.append(match.end())
    return starts


def apply_edits(text: str, edits: Iterable[Edit], newline: Optional[str] = None) -> str:
    """Apply non-overlapping edits (positions as produced by the rules: 1-based). Line breaks
    in inserted text are written as ``newline`` (default: the text's dominant line ending)."""
    newline = newline or detect_newline(text)
    starts = _line_starts(text)

    def offset(line: int, column: int) -> int:
        if not 1 <= line <= len(starts):
            raise ValueError(f"edit at line {line} is outside the file")
        line_end = starts[line] if line < len(starts) else len(text)
        position = starts[line - 1] + column - 1
        if column < 1 or position > line_end:
            raise ValueError(f"edit at line {line}, column {column} is outside the line")
        return position

    pieces = []
    last = 0
    for start, end, content in sorted((offset(e.line, e.column), offset(e.end_line, e.end_column), e.content)
                                      for e in edits):
        if start < last or end < start:
            raise ValueError("overlapping edits")
        if newline != "\n":
            content = _NEWLINE.sub(newline, content)
        pieces.append(text[last:start])
        pieces.append(content)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _applicable(f: Finding, unsafe: bool) -> bool:
    return f.fix is not None and bool(f.fix.edits) and (f.fix.applicability == "safe" or unsafe)


def choose_fixes(findings: list, unsafe: bool) -> list:
    """The fixes to apply in one round: applicable and not overlapping each other (the rest
    are applied in a later round, after the file is linted again)."""
    chosen, taken = [], []
    for f in sorted(findings, key=Finding.sort_key):
        if not _applicable(f, unsafe):
            continue
        ranges = [(f.cell, (e.line, e.column), (e.end_line, e.end_column)) for e in f.fix.edits]
        if any(a[0] == b[0] and (a[1] < b[2] and b[1] < a[2] or a[1] == b[1]) for a in ranges for b in taken):
            continue
        taken.extend(ranges)
        chosen.append(f)
    return chosen


def _libcst_error(source: str) -> Optional[str]:
    import libcst as cst  # only when a fix is applied: the CLI imports this module on every run

    try:
        cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        message = exc.message.strip().splitlines()[0] if exc.message.strip() else "invalid syntax"
        return f"line {exc.raw_line}, column {exc.raw_column + 1}: {message}"
    except (RecursionError, ValueError) as exc:
        return str(exc) or type(exc).__name__
    return None


def _python_error(source: str) -> Optional[str]:
    """CPython's own compiler, stricter than a parse ('break' outside a loop, 'return' outside
    a function, duplicate arguments...). Nothing is run."""
    try:
        compile(source, "<fixed>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        return f"line {exc.lineno}, column {exc.offset}: {exc.msg}"
    except (RecursionError, ValueError, MemoryError) as exc:
        return str(exc) or type(exc).__name__
    return None


_PARSERS = (_libcst_error, _python_error)


def _fix_unit(text: str, findings: list, masked: frozenset = frozenset(), mask=None) -> tuple[str, list, list]:
    """Apply the fixes of one source unit (a file or a notebook cell). Returns (new text,
    applied findings, rejected (finding, reason)). The result always parses when the original
    did: a fix that would break it is rejected and the others are kept."""
    mask = mask or (lambda s: s)
    applied, rejected = [], []
    for f in findings:
        touched = {n for e in f.fix.edits for n in range(e.line, e.end_line + 1)}
        if touched & masked:
            rejected.append((f, "it would edit an IPython magic or shell line"))
        else:
            applied.append(f)
    if not applied:
        return text, [], rejected
    # Each parser that accepts the original must accept the result (a parser that rejects the
    # original, e.g. CPython on syntax newer than this interpreter, cannot judge the fix).
    parsers = [parse for parse in _PARSERS if parse(mask(text)) is None]

    def attempt(items: list) -> tuple[Optional[str], Optional[str]]:
        try:
            new = apply_edits(text, [e for f in items for e in f.fix.edits])
        except ValueError as exc:
            return None, str(exc)
        for parse in parsers:
            error = parse(mask(new))
            if error is not None:
                return None, f"the result would not parse ({error})"
        return new, None

    new, _ = attempt(applied)
    if new is not None:
        return new, applied, rejected
    # Find the culprits: add the fixes one at a time, keeping each that leaves the file parsing.
    good: list = []
    new = text
    for f in applied:
        candidate, reason = attempt(good + [f])
        if candidate is None:
            rejected.append((f, reason))
        else:
            good.append(f)
            new = candidate
    return new, good, rejected


def plan_fixes(text: str, findings: list, unsafe: bool, *, notebook: bool = False) -> FixResult:
    """One round of fixes on a file's text, without writing anything."""
    chosen = choose_fixes(findings, unsafe)
    if not notebook:
        new, applied, rejected = _fix_unit(text, [f for f in chosen if f.cell is None])
        return FixResult(text, new, applied, rejected)
    by_cell: dict = {}
    for f in chosen:
        by_cell.setdefault(f.cell, []).append(f)
    _, cells = load_notebook(text)
    cells_by_index = {c.index: c for c in cells}
    new_sources, applied, rejected = {}, [], []
    for index, items in sorted(by_cell.items(), key=lambda kv: kv[0] or 0):
        cell = cells_by_index.get(index)
        if cell is None:
            rejected.extend((f, f"cell {index} is not a code cell of this notebook") for f in items)
            continue
        new, ok, bad = _fix_unit(cell.original, items, cell.masked, mask_ipython)
        applied.extend(ok)
        rejected.extend(bad)
        if new != cell.original:
            new_sources[index] = new
    return FixResult(text, replace_cell_sources(text, new_sources), applied, rejected)


def fixed_text(original: str, findings: list, *, notebook: bool = False) -> str:
    """The text with the given findings' fixes applied (those that keep it parsing)."""
    return plan_fixes(original, findings, unsafe=True, notebook=notebook).new


def read_for_fix(path: str) -> tuple[str, str, bool]:
    """(text, encoding, had_bom) of a file about to be fixed."""
    data = read_bytes(path)
    if path.endswith(".ipynb"):
        try:
            return data.decode("utf-8-sig"), "utf-8", data.startswith(_BOM)
        except UnicodeDecodeError as exc:
            raise SourceError(f"notebook is not valid UTF-8 at byte {exc.start}") from None
    decoded = decode_python(data)
    return decoded.text, decoded.encoding, data.startswith(_BOM)


def write_atomic(path: str, text: str, encoding: str = "utf-8", bom: bool = False) -> None:
    """Write to a temporary file in the same folder, then rename over the original: a crash or
    a full disk leaves the original intact. Permissions (and, where allowed, owner) are kept;
    a symbolic link stays a link and its target is updated."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise FixError(f"{path}: cannot write the fix: {text[exc.start:exc.end]!r} cannot be encoded "
                       f"as {encoding}; the file is unchanged") from None
    if bom and not data.startswith(_BOM):
        data = _BOM + data
    target = os.path.realpath(path)
    directory = os.path.dirname(target)
    try:
        info = os.stat(target)
    except OSError as exc:
        raise FixError(f"{path}: cannot write the fix: {exc.strerror or exc}") from None
    mode = stat.S_IMODE(info.st_mode)
    if not os.access(target, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise FixError(f"{path}: cannot write the fix: the file is read-only; the file is unchanged")
    fd, tmp = None, None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".nogradlint-", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as fh:
            fd = None
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if hasattr(os, "chown") and (info.st_uid, info.st_gid) != _owner(tmp):
            try:
                os.chown(tmp, info.st_uid, info.st_gid)
            except OSError:
                pass  # not allowed for ordinary users; the file keeps its mode at least
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise FixError(f"{path}: cannot write the fix: {exc.strerror or exc}; the file is unchanged") from None
    finally:
        if fd is not None:
            os.close(fd)
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _owner(path: str) -> tuple:
    info = os.stat(path)
    return info.st_uid, info.st_gid


def fix_file(path: str, findings: list, unsafe: bool, write: bool = True) -> Optional[FixResult]:
    """Apply one round of fixes to ``path``. Returns the round's result (also when every fix
    was rejected), or None when no fix applies. Raises FixError when the file cannot be read
    or written (the original is then unchanged)."""
    if not any(_applicable(f, unsafe) for f in findings):
        return None
    try:
        text, encoding, bom = read_for_fix(path)
        result = plan_fixes(text, findings, unsafe, notebook=path.endswith(".ipynb"))
    except SourceError as exc:
        raise FixError(f"{path}: {exc}") from None
    if write and result.changed:
        write_atomic(path, result.new, encoding, bom)
    return result
