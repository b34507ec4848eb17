"""Jupyter notebooks: code cells become separate source units.

IPython syntax (``%magic``, ``%%cell magic``, ``!shell``, ``x = !cmd``, ``obj?``) is not Python.
Such lines are replaced by ``pass`` at the same indentation, so the cell still parses and
every other line keeps its number and columns. Only lines that start a logical line are
masked: a ``%`` that continues an expression inside brackets, or a line inside a
triple-quoted string, is Python and stays as it is. Which lines were masked is kept, so that a
fix never edits a magic line.

Fixes and ``--add-noqa`` write a notebook back by replacing the text of each edited cell's
``source`` value inside the original JSON text, so outputs, metadata, cell ids, key order,
indentation and escaping stay byte for byte as they were.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring

from .reading import SourceError

_LINE_MAGIC = re.compile(r"^\s*(?:%|!|\?)|^\s*[A-Za-z_][\w.]*\s*=\s*[!%]|^\s*[\w.]+\?\??\s*$")
_CELL_MAGIC = re.compile(r"^\s*%%(\w*)")
# Cell magics whose body is Python that IPython runs (the first line is masked, the body linted).
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "memit"})


@dataclass(frozen=True)
class Cell:
    index: int  # 1-based index among all cells of the notebook
    source: str  # Python text with IPython syntax masked
    original: str  # the cell text as stored
    masked: frozenset = field(default_factory=frozenset)  # 1-based numbers of the masked lines


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")):]


def mask_ipython_lines(source: str) -> tuple[str, frozenset]:
    """(masked text, numbers of the masked lines)."""
    lines = source.splitlines(keepends=True)
    masked: set = set()
    out = []
    lines_from = 0
    if lines:
        cell_magic = _CELL_MAGIC.match(lines[0])
        if cell_magic:
            if cell_magic.group(1) not in PYTHON_CELL_MAGICS:
                # A cell magic owns the whole cell (e.g. %%bash): nothing in it is Python.
                return "".join(_blank(line) for line in lines), frozenset(range(1, len(lines) + 1))
            out.append(_pass(lines[0]))
            masked.add(1)
            lines_from = 1
    scanner = _LogicalLines()
    continued_magic = False
    for number, line in enumerate(lines[lines_from:], start=lines_from + 1):
        if continued_magic or (scanner.at_start() and _LINE_MAGIC.match(line)):
            # A continuation line of the magic (`!python train.py \` then `    --epochs 3`) is part of
            # the same statement: a comment, not an indented `pass` (which would not compile).
            out.append(_blank(line) if continued_magic else _pass(line))
            masked.add(number)
            continued_magic = line.rstrip("\r\n").endswith("\\")
            continue
        out.append(line)
        scanner.feed(line)
    return "".join(out), frozenset(masked)


_LEADING_INDENT = re.compile(r"^[ \t]+")


def leading_indent(source: str) -> tuple:
    """IPython's ``leading_indent`` cell transform: when a cell's first line is indented, that
    indentation is removed from every line that starts with it (a cell pasted from inside a
    function runs). Returns (the text IPython runs, the indentation removed, or "")."""
    match = _LEADING_INDENT.match(source)
    if match is None:
        return source, ""
    space = match.group(0)
    lines = source.splitlines(keepends=True)
    return "".join(line[len(space):] if line.startswith(space) else line for line in lines), space


def mask_ipython(source: str) -> str:
    return mask_ipython_lines(source)[0]


def _pass(line: str) -> str:
    indent = line[: len(line) - len(line.lstrip())]
    return f"{indent}pass{_ending(line)}"


def _blank(line: str) -> str:
    return "#" + _ending(line) if line.strip() else line


class _LogicalLines:
    """Just enough of Python's tokenizer to know whether a line starts a logical line: bracket
    depth, strings (triple-quoted ones span lines), comments and backslash continuations."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote = None  # the open string's quote, or None
        self.backslash = False

    def at_start(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.backslash

    def feed(self, line: str) -> None:
        body = line.rstrip("\r\n")
        i, n = 0, len(body)
        self.backslash = False
        while i < n:
            if self.quote is not None:
                if body[i] == "\\":
                    i += 2
                    continue
                if body.startswith(self.quote, i):
                    i += len(self.quote)
                    self.quote = None
                    continue
                i += 1
                continue
            c = body[i]
            if c == "#":
                break
            if c in "([{":
                self.depth += 1
            elif c in ")]}":
                self.depth = max(0, self.depth - 1)
            elif c in "\"'":
                triple = body[i:i + 3]
                self.quote = triple if triple in ('"""', "'''") else c
                i += len(self.quote)
                continue
            elif c == "\\" and i == n - 1:
                self.backslash = True
            i += 1
        if self.quote is not None and len(self.quote) == 1 and not body.endswith("\\"):
            self.quote = None  # an unterminated one-line string: a syntax error, do not carry it


def cell_text(raw) -> str:
    if isinstance(raw, list):
        if not all(isinstance(part, str) for part in raw):
            raise SourceError("a cell's source is neither a string nor a list of strings")
        return "".join(raw)
    if isinstance(raw, str):
        return raw
    raise SourceError("a cell's source is neither a string nor a list of strings")


def load_notebook(text: str) -> tuple[dict, list[Cell]]:
    if not text.strip():
        # Jupyter refuses to open it too ("Notebook does not appear to be JSON"): saying
        # "All checks passed!" would hide a notebook that was truncated or never written.
        raise SourceError("notebook is empty (no JSON at all); a notebook without cells is "
                          '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"notebook is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise SourceError("notebook has no list of cells; is it a Jupyter notebook (nbformat 4)?")
    language = (nb.get("metadata") or {}).get("language_info", {}) if isinstance(nb.get("metadata"), dict) else {}
    if isinstance(language, dict) and language.get("name") not in (None, "python"):
        return nb, []
    cells = []
    for index, cell in enumerate(nb["cells"], start=1):
        if not isinstance(cell, dict):
            raise SourceError(f"cell {index} is not an object")
        if cell.get("cell_type") != "code":
            continue
        original = cell_text(cell.get("source", ""))
        source, masked = mask_ipython_lines(original)
        cells.append(Cell(index=index, source=source, original=original, masked=masked))
    return nb, cells


# --------------------------------------------------------------------------------------------
# writing cell sources back into the notebook's own JSON text

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _ws(text: str, i: int) -> int:
    return _WS.match(text, i).end()


def _skip_value(text: str, i: int) -> int:
    return _DECODER.raw_decode(text, i)[1]


def _members(text: str, i: int):
    """Yield (key, value_start) for each member of the object at ``i``; the value is skipped
    unless the consumer sends its end. Returns (as StopIteration's value) the index after
    the object."""
    if text[i] != "{":
        raise ValueError("expected an object")
    i = _ws(text, i + 1)
    if text[i] == "}":
        return i + 1
    while True:
        if text[i] != '"':
            raise ValueError("expected a key")
        key, i = scanstring(text, i + 1)
        i = _ws(text, i)
        if text[i] != ":":
            raise ValueError("expected ':'")
        i = _ws(text, i + 1)
        end = yield key, i
        i = _ws(text, end if end is not None else _skip_value(text, i))
        if text[i] == ",":
            i = _ws(text, i + 1)
            continue
        if text[i] == "}":
            return i + 1
        raise ValueError("expected ',' or '}'")


def _walk_object(text: str, i: int, handle) -> int:
    """Call ``handle(key, value_start)`` for each member; it returns the value's end or None
    (skip it). Returns the index after the object."""
    gen = _members(text, i)
    try:
        key, start = next(gen)
        while True:
            key, start = gen.send(handle(key, start))
    except StopIteration as stop:
        return stop.value


def cell_source_spans(text: str) -> dict:
    """Cell index (1-based) -> (start, end) of its ``source`` value in the notebook's JSON text."""
    spans: dict = {}

    def top(key, start):
        if key != "cells" or text[start] != "[":
            return None
        i = _ws(text, start + 1)
        index = 0
        if text[i] == "]":
            return i + 1
        while True:
            index += 1
            if text[i] == "{":
                current = index

                def member(k, s, current=current):
                    if k == "source":
                        e = _skip_value(text, s)
                        spans[current] = (s, e)
                        return e
                    return None

                i = _walk_object(text, i, member)
            else:
                i = _skip_value(text, i)
            i = _ws(text, i)
            if text[i] == ",":
                i = _ws(text, i + 1)
                continue
            if text[i] == "]":
                return i + 1
            raise ValueError("expected ',' or ']'")

    try:
        _walk_object(text, _ws(text, 0), top)
    except (ValueError, IndexError, json.JSONDecodeError) as exc:
        raise SourceError(f"notebook JSON cannot be edited in place: {exc}") from None
    return spans


def _split_source_lines(text: str) -> list:
    """Split the way nbformat stores a cell: lines keep their ``\\n``; the last has none."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _uses_ascii_escapes(text: str) -> bool:
    """Whether the notebook escapes non-ASCII characters (``ensure_ascii``) rather than
    writing them as they are (nbformat's default)."""
    if any(ord(c) > 127 for c in text):
        return False
    return any(int(m.group(1), 16) > 127 for m in re.finditer(r"\\u([0-9a-fA-F]{4})", text))


def _render_source(old_raw: str, new_source: str, ascii_only: bool) -> str:
    """The JSON text of a new cell source, laid out like the old one (string or list of lines,
    same whitespace between items)."""
    dump = lambda s: json.dumps(s, ensure_ascii=ascii_only)  # noqa: E731
    if not old_raw.startswith("["):
        return dump(new_source)
    lines = _split_source_lines(new_source)
    inner = old_raw[1:-1]
    items = list(re.finditer(r'"(?:[^"\\]|\\.)*"', inner))
    if not items:
        opening, separator, closing = "", ", ", ""
    else:
        opening = inner[: items[0].start()]
        closing = inner[items[-1].end():]
        if len(items) > 1:
            separator = inner[items[0].end(): items[1].start()]
        else:
            separator = "," + (opening if opening.strip() == "" and opening else " ")
    if not lines:
        return "[]"
    return "[" + opening + separator.join(dump(line) for line in lines) + closing + "]"


def replace_cell_sources(text: str, new_sources: dict) -> str:
    """The notebook text with the ``source`` of the given cells (index -> new text) replaced and
    every other byte unchanged."""
    if not new_sources:
        return text
    spans = cell_source_spans(text)
    ascii_only = _uses_ascii_escapes(text)
    pieces, last = [], 0
    for index in sorted(new_sources):
        if index not in spans:
            raise SourceError(f"cell {index} has no source to edit")
        start, end = spans[index]
        pieces.append(text[last:start])
        pieces.append(_render_source(text[start:end], new_sources[index], ascii_only))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
