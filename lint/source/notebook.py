"""Jupyter notebooks: code cells become separate source units.

IPython syntax (``%magic``, ``%%cell magic``, ``!shell``, ``x = !cmd``, ``obj?``) is not Python.
Such lines are replaced by ``pass`` at the same indentation, so the cell still parses and
every other line keeps its number and columns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .reading import SourceError

_MAGIC_LINE = re.compile(r"^(\s*)(%|!|\?)|^(\s*)[A-Za-z_][\w.]*\s*=\s*[!%]|^\s*[\w.]+\?\??\s*$")


@dataclass(frozen=True)
class Cell:
    index: int  # 1-based index among all cells of the notebook
    source: str  # Python text with IPython syntax masked
    original: str  # the cell text as stored


def mask_ipython(source: str) -> str:
    lines = source.splitlines(keepends=True)
    if lines and lines[0].lstrip().startswith("%%"):
        # A cell magic owns the whole cell (e.g. %%bash): nothing in it is Python.
        return "".join(_blank(line) for line in lines)
    out = []
    continued = False
    for line in lines:
        if continued or _MAGIC_LINE.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            ending = line[len(line.rstrip("\r\n")):]
            out.append(f"{indent}pass{ending}")
            continued = line.rstrip("\r\n").endswith("\\")
        else:
            out.append(line)
    return "".join(out)


def _blank(line: str) -> str:
    ending = line[len(line.rstrip("\r\n")):]
    return "#" + ending if line.strip() else line


def cell_text(raw) -> str:
    if isinstance(raw, list):
        return "".join(raw)
    if isinstance(raw, str):
        return raw
    raise SourceError("a cell's source is neither a string nor a list of strings")


def load_notebook(text: str) -> tuple[dict, list[Cell]]:
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"notebook is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells", []), list):
        raise SourceError("notebook has no list of cells; is it a Jupyter notebook (nbformat 4)?")
    language = (nb.get("metadata") or {}).get("language_info", {}) if isinstance(nb.get("metadata"), dict) else {}
    if isinstance(language, dict) and language.get("name") not in (None, "python"):
        return nb, []
    cells = []
    for index, cell in enumerate(nb.get("cells", []), start=1):
        if not isinstance(cell, dict):
            raise SourceError(f"cell {index} is not an object")
        if cell.get("cell_type") != "code":
            continue
        original = cell_text(cell.get("source", ""))
        cells.append(Cell(index=index, source=mask_ipython(original), original=original))
    return nb, cells
