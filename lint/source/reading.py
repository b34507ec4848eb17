"""Read a Python file's bytes and decode them the way the interpreter would."""

from __future__ import annotations

import io
import os
import stat
import tokenize
from dataclasses import dataclass


class SourceError(Exception):
    """The file cannot be linted; ``str(err)`` is a one-line reason for the user."""


@dataclass(frozen=True)
class DecodedSource:
    text: str
    encoding: str
    newline: str  # the file's dominant line ending, kept by fixes
    # Why the file was not read as it declares (an unknown codec in its cookie), for the user.
    note: str = ""


def detect_newline(text: str) -> str:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    if crlf > lf and crlf >= cr:
        return "\r\n"
    if cr > lf:
        return "\r"
    return "\n"


def decode_python(data: bytes) -> DecodedSource:
    """Decode per PEP 263 (BOM or coding cookie, else UTF-8)."""
    if b"\x00" in data:
        raise SourceError("file contains NUL bytes; it is not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        message = exc.msg if hasattr(exc, "msg") else str(exc)
        if message.startswith("unknown encoding"):
            # `# -*- coding: future_fstrings -*-` names a codec a package registers at run time:
            # the text is UTF-8 in practice, so lint it as that when it decodes.
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise SourceError(f"bad encoding declaration: {message}, and the file is not UTF-8") from None
            codec = message.partition(":")[2].strip()
            return DecodedSource(text=text, encoding="utf-8", newline=detect_newline(text),
                                 note=f"unknown encoding {codec!r} in the coding cookie; read as UTF-8")
        if "invalid or missing encoding declaration" not in message:
            raise SourceError(f"bad encoding declaration: {message}") from None
        # No cookie and the first two lines are not UTF-8: say where, like any other bad byte.
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        hint = "declare the encoding with a coding cookie (PEP 263)" if encoding == "utf-8" else "fix the coding cookie"
        raise SourceError(f"not valid {encoding} at byte {exc.start}; {hint}") from None
    except LookupError:
        raise SourceError(f"unknown encoding {encoding!r} in coding cookie") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return DecodedSource(text=text, encoding=encoding, newline=detect_newline(text))


_NOT_FILES = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
              (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def decode_source(data: bytes, path: str) -> str:
    """Text of a file to lint: a notebook is UTF-8 JSON (nbformat), Python follows PEP 263."""
    return decode_source_noted(data, path)[0]


def decode_source_noted(data: bytes, path: str) -> tuple:
    """(text, note): :func:`decode_source` and why the file was read otherwise than declared."""
    if path.endswith(".ipynb"):
        try:
            return data.decode("utf-8-sig"), ""
        except UnicodeDecodeError as exc:
            raise SourceError(f"notebook is not valid UTF-8 at byte {exc.start}") from None
    decoded = decode_python(data)
    return decoded.text, decoded.note


def _not_a_file(mode: int):
    for test, kind in _NOT_FILES:
        if test(mode):
            return SourceError(f"is {kind}, not a regular file")
    return None


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def read_bytes(path: str) -> bytes:
    # A FIFO without a writer blocks open() forever, and a device never ends: both are refused
    # before reading, and O_NONBLOCK keeps even a file swapped for a FIFO from blocking the open.
    try:
        problem = _not_a_file(os.stat(path).st_mode)
        if problem is not None:
            raise problem
        with open(path, "rb", opener=_open_nonblocking) as fh:
            problem = _not_a_file(os.fstat(fh.fileno()).st_mode)
            if problem is not None:
                raise problem
            return fh.read()
    except IsADirectoryError:
        raise SourceError("is a directory, not a file") from None
    except PermissionError:
        raise SourceError("permission denied; check the file's permissions") from None
    except FileNotFoundError:
        raise SourceError("no such file") from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from None
