"""``# noqa`` comments: on the reported line (``# noqa`` or ``# noqa: NG001, NG003``), and
``# nogradlint: noqa`` as a file's first comment to skip the whole file (``# nogradlint: noqa:
NG006`` only those codes in it).

A code in a directive is a prefix, as in ``--select``: ``# noqa: NG`` silences every NG code on
its line, ``# noqa: NG00`` NG001-NG009, ``# noqa: NG006`` that one (flake8 matches the same way).
Other tools' file-level directives (``# flake8: noqa``, ``# ruff: noqa``, ``# pylint:
disable``...) are theirs: nogradlint does not read them."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from typing import Optional

# A code or prefix: 1-4 letters, then digits (the shape of rule codes and of --select prefixes).
# `# noqa: please` has no code and stays a bare noqa, as before prefixes were read.
_CODE = r"[A-Z]{1,4}[0-9]*\b"
NOQA = re.compile(rf"#\s*noqa(?::[\s]*(?P<codes>{_CODE}(?:[\s,]+{_CODE})*))?", re.I)
_FILE_NOQA = re.compile(rf"^#\s*nogradlint\s*:\s*noqa(?:\s*:\s*(?P<codes>{_CODE}(?:[\s,]+{_CODE})*))?\s*$", re.I)

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
                match = NOQA.search(tok.string)
                if match:
                    found.append(_directive(tok.start[0], tok.start[1], match))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # Fall back to a line scan for source the tokenizer rejects (e.g. masked notebook cells).
        found = []
        for number, line in enumerate(source.splitlines(), start=1):
            match = NOQA.search(line)
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


def covers(codes, code: str) -> bool:
    """Whether the directive codes (prefixes, or ``{ALL}``) silence ``code``."""
    return ALL in codes or any(code.startswith(c) for c in codes)


def is_suppressed(noqa: dict, line: int, code: str) -> bool:
    codes = noqa.get(line)
    return codes is not None and covers(codes, code)


def file_noqa(source: str) -> Optional[frozenset]:
    """The codes that the file's first comment, ``# nogradlint: noqa[: CODES]``, silences in
    the whole file: ``{ALL}`` for a bare one, None when there is none."""
    for line in source.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            match = _FILE_NOQA.match(stripped)
            if match:
                codes = match.group("codes")
                return frozenset(c for c in re.split(r"[\s,]+", codes.upper()) if c) if codes else frozenset({ALL})
            continue  # shebangs, coding cookies, licence headers come first
        return None
    return None


def file_is_skipped(source: str) -> bool:
    """True when the first comment of the file is a bare ``# nogradlint: noqa``."""
    return file_noqa(source) == frozenset({ALL})
