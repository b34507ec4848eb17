"""``# noqa`` comments: on the reported line (``# noqa`` or ``# noqa: NG001, NG003``), and
``# nogradlint: noqa`` as a file's first comment to skip the whole file."""

from __future__ import annotations

import io
import re
import tokenize

_NOQA = re.compile(r"#\s*noqa(?::[\s]*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.I)
_FILE_NOQA = re.compile(r"^#\s*nogradlint\s*:\s*noqa\s*$", re.I)

ALL = "*"


def noqa_lines(source: str) -> dict[int, frozenset]:
    """Line -> suppressed codes (``{ALL}`` for a bare noqa), read from real comment tokens
    so that ``"# noqa"`` inside a string does not count."""
    if "noqa" not in source and "NOQA" not in source:
        return {}
    result: dict[int, frozenset] = {}
    try:
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        for tok in tokens:
            if tok.type == tokenize.COMMENT:
                match = _NOQA.search(tok.string)
                if match:
                    codes = match.group("codes")
                    value = frozenset(re.split(r"[\s,]+", codes.upper())) if codes else frozenset({ALL})
                    result[tok.start[0]] = result.get(tok.start[0], frozenset()) | value
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # Fall back to a line scan for source the tokenizer rejects (e.g. masked notebook cells).
        for number, line in enumerate(source.splitlines(), start=1):
            match = _NOQA.search(line)
            if match:
                codes = match.group("codes")
                result[number] = frozenset(re.split(r"[\s,]+", codes.upper())) if codes else frozenset({ALL})
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


