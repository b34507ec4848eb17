"""``# noqa`` comments: on the reported line (``# noqa`` or ``# noqa: NG001, NG003``), and
``# nogradlint: noqa`` as a file's first comment to skip the whole file."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from typing import Optional

_NOQA = re.compile(r"#\s*noqa(?::[\s]*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.I)
_FILE_NOQA = re.compile(r"^#\s*nogradlint\s*:\s*noqa\s*$", re.I)

ALL = "*"


@dataclass(frozen=True)
class Directive:
    """One ``# noqa`` comment: 1-based line, 0-based columns of the directive within the line
    (end exclusive), and its codes (``None`` for a bare ``# noqa``)."""

    line: int
    start: int
    end: int
    codes: Optional[tuple]


def _directive(line: int, offset: int, match: "re.Match") -> Directive:
    codes = match.group("codes")
    parsed = tuple(c for c in re.split(r"[\s,]+", codes.upper()) if c) if codes else None
    return Directive(line, offset + match.start(), offset + match.end(), parsed)


def noqa_directives(source: str) -> list:
    """Every ``# noqa`` directive, read from real comment tokens so that ``"# noqa"`` inside
    a string does not count."""
    if "noqa" not in source and "NOQA" not in source:
        return []
    found = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                match = _NOQA.search(tok.string)
                if match:
                    found.append(_directive(tok.start[0], tok.start[1], match))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # Fall back to a line scan for source the tokenizer rejects (e.g. masked notebook cells).
        found = []
        for number, line in enumerate(source.splitlines(), start=1):
            match = _NOQA.search(line)
            if match:
                found.append(_directive(number, 0, match))
    return found


def noqa_lines(source: str) -> dict[int, frozenset]:
    """Line -> suppressed codes (``{ALL}`` for a bare noqa)."""
    result: dict[int, frozenset] = {}
    for d in noqa_directives(source):
        value = frozenset(d.codes) if d.codes is not None else frozenset({ALL})
        result[d.line] = result.get(d.line, frozenset()) | value
    return result


def is_suppressed(noqa: dict, line: int, code: str) -> bool:
    codes = noqa.get(line)
    return codes is not None and (ALL in codes or code in codes)


def file_is_skipped(source: str) -> bool:
    """True when the first comment of the file is ``# nogradlint: noqa``."""
    for line in source.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            if _FILE_NOQA.match(stripped):
                return True
            continue  # shebangs, coding cookies, licence headers come first
        return False
    return False
