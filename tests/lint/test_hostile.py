"""Hostile files and trees: each is a clear NG900 diagnostic or a silent skip, the other files are
still linted, the exit code is right (1 with any finding, NG900 included; else 0), nothing hangs
and nothing prints a traceback.

The cases that could kill or hang the interpreter (5,000-deep nesting reaches libcst's native
parser, FIFOs, sockets, symlink loops) run the real command in a subprocess; the rest run
in-process.
"""

from __future__ import annotations

import json
import os
import socket
import sys

import pytest

from nogradlint import runner
from nogradlint.runner import lint_text

from .cli_helpers import run_cli, run_main, write

GOOD = "import torch\ntorch.no_grad()\n"  # one NG006 at 2:1
CLEAN = "import torch\n\nwith torch.no_grad():\n    y = 1\n"
TRIGGER = "import torch\ntorch.no_grad()\n"  # makes sure libcst parses the rest


def generated_code(size: int) -> str:
    block = (
        "\n\ndef evaluate_{i}(model, loader):\n"
        "    model.eval()\n"
        "    total = 0.0\n"
        "    with torch.no_grad():\n"
        "        for x, y in loader:\n"
        "            total += float((model(x) - y).abs().sum())\n"
        "    return total\n"
    )
    parts, length, i = ["import torch\n"], 0, 0
    while length < size:
        part = block.format(i=i)
        parts.append(part)
        length += len(part)
        i += 1
    parts.append("torch.no_grad()\n")
    return "".join(parts)


def indented_nesting(depth: int) -> str:
    lines = [TRIGGER.rstrip("\n")]
    for level in range(depth):
        lines.append(" " * level + "if x:")
    lines.append(" " * depth + "pass")
    return "\n".join(lines) + "\n"


NOTEBOOK_NO_CELLS = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})

# name: content, and the expected outcome: None (no finding), "NG006@line:col", or "NG900:<message part>"
FILES = {
    "good_1.py": (GOOD, "NG006@2:1"),
    "good_2.py": (GOOD, "NG006@2:1"),
    "good_3.py": (GOOD, "NG006@2:1"),
    "clean.py": (CLEAN, None),
    "big.py": (generated_code(10_000_000), "NG900:10.0 million characters; nogradlint lints files of up to"),
    "deep_brackets.py": (TRIGGER + "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n",
                         "NG900:nested too deeply to analyse (Python: too many nested parentheses"),
    "deep_lists.py": (TRIGGER + "x = " + "[" * 5000 + "]" * 5000 + "\n", "NG900:too many nested parentheses"),
    "deep_unary.py": (TRIGGER + "x = " + "-" * 5000 + "1\n", "NG900:code is nested too deeply to analyse"),
    "deep_indent.py": (indented_nesting(120), "NG900:syntax error at line 103, column 1: too many levels of indentation"),  # CPython's message and place
    "bom_only.py": (b"\xef\xbb\xbf", None),
    "bom_trigger.py": (b"\xef\xbb\xbf" + GOOD.encode(), "NG006@2:1"),
    "crlf.py": (GOOD.replace("\n", "\r\n").encode(), "NG006@2:1"),
    "cr_only.py": (b"import torch\rx = 1\rtorch.no_grad()\r", "NG006@3:1"),
    "mixed_endings.py": (b"import torch\r\nx = 1\ry = 2\ntorch.no_grad()\r\n", "NG006@4:1"),
    "tabs.py": (b"import torch\ndef f(model, x):\n\tif x:\n\t\ttorch.no_grad()\n\treturn model(x)\n", "NG006@4:3"),
    "latin1_cookie.py": ("# -*- coding: latin-1 -*-\nimport torch\nname = 'caf\xe9'\ntorch.no_grad()\n".encode("latin-1"),
                         "NG006@4:1"),
    "latin1_no_cookie.py": ("import torch\nname = 'caf\xe9'\ntorch.no_grad()\n".encode("latin-1"),
                            "NG900:not valid utf-8 at byte 24; declare the encoding with a coding cookie"),
    "nul.py": (b"import torch\ntorch.no_grad()\x00\n", "NG900:file contains NUL bytes"),
    "empty.ipynb": (b"", "NG900:notebook is empty"),
    "no_cells.ipynb": (NOTEBOOK_NO_CELLS, None),
    "not_json.ipynb": (b"this is not { json", "NG900:notebook is not valid JSON"),
    "x.py/inner.py": (GOOD, "NG006@2:1"),  # a directory named like a file: walked into
}


def _make_specials(root) -> None:
    """A symlink to itself, a directory loop, a FIFO and a socket, all named like sources."""
    os.symlink("self_loop.py", root / "self_loop.py")
    os.makedirs(root / "sub", exist_ok=True)
    os.symlink("..", root / "sub" / "up")
    os.symlink("a_loop.py", root / "b_loop.py")
    os.symlink("b_loop.py", root / "a_loop.py")
    os.mkfifo(root / "fifo.py")
    cwd = os.getcwd()
    os.chdir(root)  # AF_UNIX paths are limited to ~100 bytes: bind a relative name
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind("sock.py")
        sock.close()  # the socket file stays
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    for name, (content, _) in FILES.items():
        write(root / name, content)
    if hasattr(os, "mkfifo") and hasattr(socket, "AF_UNIX"):
        _make_specials(root)
    return root


def _outcomes(out: str) -> dict:
    found: dict = {}
    for d in json.loads(out):
        path = d["path"].replace(os.sep, "/")
        if d["code"] == "NG900":
            found.setdefault(path, []).append(f"NG900:{d['message']}")
        else:
            found.setdefault(path, []).append(f"{d['code']}@{d['line']}:{d['column']}")
    return found


def _check(found: dict) -> None:
    for name, (_, expected) in FILES.items():
        got = found.pop(name, [])
        if expected is None:
            assert got == [], (name, got)
        elif expected.startswith("NG900:"):
            assert len(got) == 1 and expected[len("NG900:"):] in got[0], (name, got)
        else:
            assert got == [expected], (name, got)
    # FIFO, socket, symlink loops: silently skipped; nothing else reported.
    assert found == {}, found


@pytest.mark.timeout(300)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs and sockets")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_hostile_tree_real_command(hostile_tree, jobs):
    r = run_cli("--no-cache", "--jobs", jobs, "--output-format", "json", ".", cwd=hostile_tree)
    assert r.rc == 1, r
    assert r.err == "", r.err  # no traceback, no warning
    found = _outcomes(r.out)
    for special in ("fifo.py", "sock.py", "self_loop.py", "a_loop.py", "b_loop.py"):
        assert special not in found
    _check(found)


@pytest.mark.timeout(120)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs and sockets")
def test_special_files_named_on_the_command_line(hostile_tree):
    """Named explicitly, a FIFO (no writer: open() would block forever), a socket, a symlink
    loop and a directory named x.py are NG900 with the reason; the good file is still linted."""
    names = ["fifo.py", "sock.py", "self_loop.py", "a_loop.py", "x.py", "good_1.py"]
    r = run_cli("--no-cache", *names, cwd=hostile_tree)
    assert r.rc == 1 and r.err == "", r
    lines = r.out.splitlines()
    expected = {
        "fifo.py": "NG900 is a FIFO (named pipe), not a regular file",
        "sock.py": "NG900 is a socket, not a regular file",
        "self_loop.py": "NG900 cannot read: Too many levels of symbolic links",
        "a_loop.py": "NG900 cannot read: Too many levels of symbolic links",
        "x.py/inner.py": "NG006",  # a directory named on the command line is walked
        "good_1.py": "NG006",
    }
    for name, message in expected.items():
        assert any(line.startswith(f"{name}:") and message in line for line in lines), (name, r.out)
    assert "Traceback" not in r.out


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_named_on_the_command_line_is_not_read_forever(capsys):
    r = run_main(capsys, "--no-cache", "/dev/zero")
    assert r.rc == 1
    assert "/dev/zero:1:1: NG900 is a character device, not a regular file" in r.out


def test_deep_valid_code_is_analysed_not_ng900():
    """Valid code deeper than the default recursion limit lets the analysis follow (a 600-term
    string concatenation, 600 implicitly joined lines, 900 unary minus signs, 600 elifs) is linted
    in a thread with a large stack: its findings, no NG900."""
    for deep in ("s = 'a'" + " + 'a'" * 600, "s = (\n" + "    'a'\n" * 600 + ")", "y = " + "-" * 900 + "1",
                 "if x == 0:\n    pass\n" + "".join(f"elif x == {i}:\n    y = {i}\n" for i in range(600))):
        findings = lint_text(TRIGGER + deep + "\n", path="deep.py")
        assert [(f.code, f.line) for f in findings] == [("NG006", 2)], deep[:40]


def test_recursion_in_the_analysis_is_ng900_not_a_crash(monkeypatch):
    # Deeper than even the deep retry follows: NG900 with the reason, never a RecursionError.
    monkeypatch.setattr(runner, "_DEEP_RECURSION_LIMIT", 1000)
    limit = sys.getrecursionlimit()
    # The finding comes after the deep line: placing it generates the code of that line.
    findings = lint_text("import torch\ny = " + "-" * 900 + "1\ntorch.no_grad()\n", path="deep.py")
    assert [(f.code, f.message) for f in findings] == [("NG900", "code is nested too deeply to analyse")]
    assert sys.getrecursionlimit() == limit  # the deep retry restores the limit


def test_deep_retry_without_a_large_stack_is_ng900(monkeypatch):
    # A platform that refuses a 512 MB thread stack (or a thread): NG900 as before, never a crash.
    import threading

    real = threading.stack_size

    def refuse(size=None):
        if size:
            raise ValueError("size not valid")
        return real()

    monkeypatch.setattr(runner.threading, "stack_size", refuse)
    limit = sys.getrecursionlimit()
    findings = lint_text(TRIGGER + "s = 'a'" + " + 'a'" * 1200 + "\n", path="deep.py")
    assert [(f.code, f.message) for f in findings] == [("NG900", "code is nested too deeply to analyse")]
    assert sys.getrecursionlimit() == limit


def test_nesting_guard_keeps_ordinary_code():
    # 150 nested brackets are legal Python: the guard asks CPython and lets libcst lint the file.
    findings = lint_text(TRIGGER + "x = " + "(" * 150 + "1" + ")" * 150 + "\n", path="ok.py")
    assert [f.code for f in findings] == ["NG006"]
    # Brackets inside strings do not count as nesting.
    findings = lint_text(TRIGGER + "s = '" + "(" * 300 + "'\n", path="ok.py")
    assert [f.code for f in findings] == ["NG006"]


def test_deep_nesting_that_cpython_does_not_reach_is_still_kept_from_libcst(monkeypatch):
    # When CPython stops at another syntax error before it sees the depth (its tokenizer usually
    # reports the depth anyway), the bracket count alone keeps the file away from libcst.
    def other_error(*args, **kwargs):
        raise SyntaxError("invalid syntax")

    monkeypatch.setattr(runner, "compile", other_error, raising=False)
    source = TRIGGER + "x = " + "(" * 3000 + "1" + ")" * 3000 + "\n"
    findings = lint_text(source, path="deep.py")
    assert [(f.code, f.message) for f in findings] == [
        ("NG900", "code is nested too deeply to analyse (3000 nested brackets; Python allows 200)")]


def test_size_limit_applies_before_any_parse(monkeypatch):
    monkeypatch.setattr(runner, "MAX_SOURCE_CHARS", 1000)
    findings = lint_text(GOOD + "x = 1\n" * 200, path="big.py")
    assert [(f.code, f.line) for f in findings] == [("NG900", 1)]
    assert "million characters" in findings[0].message
    assert [f.code for f in lint_text(GOOD, path="small.py")] == ["NG006"]


def test_unreadable_file_in_a_tree(tmp_path, capsys, monkeypatch):
    """We run as root in CI, and root reads a chmod-000 file, so a real permission error cannot be
    produced there: ``open`` is made to fail for one file. (test_bad_input.py runs the real
    chmod-000 case as an unprivileged user where it can.)"""
    import builtins

    write(tmp_path / "secret.py", GOOD)
    write(tmp_path / "other.py", GOOD)
    real_open = builtins.open

    def fake_open(file, *args, **kwargs):
        if os.fspath(file).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(builtins, "open", fake_open)
    r = run_main(capsys, "--no-cache", ".")
    assert r.rc == 1 and "Traceback" not in r.err
    assert "secret.py:1:1: NG900 permission denied; check the file's permissions" in r.out
    assert "other.py:2:1: NG006" in r.out


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads chmod-000 files")
def test_unreadable_file_real_permissions(tmp_path, capsys, monkeypatch):
    write(tmp_path / "secret.py", GOOD)
    write(tmp_path / "other.py", GOOD)
    os.chmod(tmp_path / "secret.py", 0)
    monkeypatch.chdir(tmp_path)
    try:
        r = run_main(capsys, "--no-cache", ".")
    finally:
        os.chmod(tmp_path / "secret.py", 0o644)
    assert r.rc == 1
    assert "secret.py:1:1: NG900 permission denied" in r.out and "other.py:2:1: NG006" in r.out


@pytest.mark.timeout(60)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs and sockets")
def test_only_silent_skips_exit_zero(tmp_path):
    write(tmp_path / "clean.py", CLEAN)
    write(tmp_path / "bom_only.py", b"\xef\xbb\xbf")
    write(tmp_path / "no_cells.ipynb", NOTEBOOK_NO_CELLS)
    _make_specials(tmp_path)
    r = run_cli("--no-cache", ".", cwd=tmp_path)
    assert r.rc == 0, r
    assert r.err == "" and "Traceback" not in r.out


def test_fix_keeps_mixed_line_endings_byte_for_byte(tmp_path, capsys, monkeypatch):
    original = b"import torch\r\nx = 1\ry = 2\n\twith torch.no_grad:\r\n\t    pass\r\n"
    original = original.replace(b"\twith", b"with").replace(b"\t    pass", b"    pass")
    write(tmp_path / "m.py", original)
    monkeypatch.chdir(tmp_path)
    r = run_main(capsys, "--no-cache", "--fix", "m.py")
    assert r.rc == 0, r
    assert (tmp_path / "m.py").read_bytes() == original.replace(b"torch.no_grad:", b"torch.no_grad():")


@pytest.mark.parametrize("text", ["", "\ufeff", "\n\n", "\r", "\\\n", "\t", "#", "(", "\x0c", "\u2028"])
def test_degenerate_sources(text):
    # Every one lints without raising; what is reported is an NG900 at most.
    for findings in (lint_text(text, path="t.py"), lint_text(TRIGGER + text, path="t.py")):
        assert {f.code for f in findings} <= {"NG900", "NG006"}


def test_hostile_cases_cover_the_issue_list():
    """The issue's list, so that a case cannot be dropped silently."""
    names = set(FILES)
    assert {"big.py", "deep_brackets.py", "deep_unary.py", "bom_only.py", "crlf.py", "mixed_endings.py",
            "tabs.py", "latin1_cookie.py", "latin1_no_cookie.py", "nul.py", "empty.ipynb",
            "not_json.ipynb"} <= names
    assert len(FILES["big.py"][0]) >= 10_000_000


def _notebook(code: str, output: str) -> str:
    cell = {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": code,
            "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"image/png": output}}]}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_notebook_size_limit_counts_its_code_not_its_outputs(monkeypatch):
    # A notebook with a large image in its outputs is linted; one whose code is too large is not.
    monkeypatch.setattr(runner, "MAX_SOURCE_CHARS", 1000)
    findings = lint_text(_notebook(GOOD, "A" * 5000), path="plots.ipynb")
    assert [f.code for f in findings] == ["NG006"]
    findings = lint_text(_notebook(GOOD + "x = 1\n" * 200, ""), path="long.ipynb")
    assert [f.code for f in findings] == ["NG900"]
    assert "notebook code has" in findings[0].message
    findings = lint_text(_notebook(GOOD, "A" * 20000), path="huge.ipynb")  # past ten times the limit
    assert [f.code for f in findings] == ["NG900"]
    assert "file has 0.0 million characters; nogradlint lints files of up to 0.01 million" in findings[0].message
