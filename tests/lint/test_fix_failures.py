"""``--fix`` when writing fails: the original file stays intact byte for byte (BOM, CRLF, a coding
cookie's encoding, a notebook's JSON), no temporary file is left behind, the error is one line on
stderr and the exit code is 2; the other files are still fixed.

(tests/lint/test_fixes.py covers the ordinary fix behaviour; this file is about failure paths.)
"""

from __future__ import annotations

import errno
import json
import os
import stat

import pytest

from nogradlint.fixes import apply as apply_mod

from .cli_helpers import run_cli, run_main

# One safe NG006 fix each (`with torch.no_grad:` -> `with torch.no_grad():`), in awkward encodings.
ORIGINALS = {
    "crlf_bom.py": b"\xef\xbb\xbfimport torch\r\nwith torch.no_grad:\r\n    y = model(x)\r\n",
    "latin1.py": "# -*- coding: latin-1 -*-\nimport torch\nname = 'caf\xe9'\nwith torch.no_grad:\n    y = 1\n"
    .encode("latin-1"),
    "mixed.py": b"import torch\rx = 1\nwith torch.no_grad:\r\n    y = 1\n",
    "nb.ipynb": (json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                   "source": ["import torch\n", "with torch.no_grad:\n", "    y = 1\n"]}],
        "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5,
    }, indent=1) + "\n").encode("utf-8"),
}
OTHER = b"import torch\nwith torch.no_grad:\n    z = 1\n"
OTHER_FIXED = b"import torch\nwith torch.no_grad():\n    z = 1\n"


@pytest.fixture
def files(tmp_path, monkeypatch):
    for name, data in ORIGINALS.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "other.py").write_bytes(OTHER)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _error_lines(err: str) -> list:
    return [line for line in err.splitlines() if line.startswith("nogradlint: error:")]


def _assert_intact_and_reported(root, name: str, rc: int, err: str, *reason: str) -> None:
    assert rc == 2, err
    assert (root / name).read_bytes() == ORIGINALS[name]
    errors = _error_lines(err)
    assert len(errors) == 1, err
    assert name in errors[0] and "the file is unchanged" in errors[0], errors
    for part in reason:
        assert part in errors[0], errors
    assert "Traceback" not in err
    assert not [p.name for p in root.iterdir() if p.name.startswith(".nogradlint-")], "temporary file left"
    assert (root / "other.py").read_bytes() == OTHER_FIXED  # the other file is still fixed


class _DiskFull:
    """A file object whose ``write`` writes half of the data, then fails like a full disk."""

    def __init__(self, fh):
        self._fh = fh

    def write(self, data):
        self._fh.write(data[: len(data) // 2])
        self._fh.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()
        return False

    def __getattr__(self, name):
        return getattr(self._fh, name)


@pytest.mark.parametrize("name", sorted(ORIGINALS))
def test_disk_full_during_write(files, capsys, monkeypatch, name):
    writing = {"name": None}
    real_write_atomic, real_fdopen = apply_mod.write_atomic, apply_mod.os.fdopen

    def write_atomic(path, *args, **kwargs):
        writing["name"] = os.path.basename(path)
        return real_write_atomic(path, *args, **kwargs)

    def fdopen(fd, *args, **kwargs):
        fh = real_fdopen(fd, *args, **kwargs)
        return _DiskFull(fh) if writing["name"] == name else fh

    monkeypatch.setattr(apply_mod, "write_atomic", write_atomic)
    monkeypatch.setattr(apply_mod.os, "fdopen", fdopen)
    r = run_main(capsys, "--no-cache", "--fix", name, "other.py")
    _assert_intact_and_reported(files, name, r.rc, r.err, "No space left on device")


@pytest.mark.parametrize("name", sorted(ORIGINALS))
def test_failing_rename(files, capsys, monkeypatch, name):
    real = apply_mod.os.replace

    def replace(src, dst, *args, **kwargs):
        if os.path.basename(os.fspath(dst)) == name:
            raise OSError(errno.EBUSY, "Device or resource busy")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(apply_mod.os, "replace", replace)
    r = run_main(capsys, "--no-cache", "--fix", name, "other.py")
    _assert_intact_and_reported(files, name, r.rc, r.err, "Device or resource busy")


def test_failing_chmod_of_the_temporary_file(files, capsys, monkeypatch):
    real = apply_mod.os.chmod
    calls = []

    def chmod(path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 1:  # the first file written
            raise PermissionError(errno.EPERM, "Operation not permitted")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(apply_mod.os, "chmod", chmod)
    r = run_main(capsys, "--no-cache", "--fix", "crlf_bom.py", "other.py")
    _assert_intact_and_reported(files, "crlf_bom.py", r.rc, r.err, "Operation not permitted")


def test_interrupted_while_writing(files, capsys, monkeypatch):
    """Ctrl-C in the middle of a write: the original is intact, the temporary file removed, one
    line, exit 2."""
    real_fsync = apply_mod.os.fsync

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(apply_mod.os, "fsync", interrupted)
    r = run_main(capsys, "--no-cache", "--fix", "latin1.py")
    assert r.rc == 2 and r.err.strip() == "nogradlint: interrupted"
    assert (files / "latin1.py").read_bytes() == ORIGINALS["latin1.py"]
    assert not [p.name for p in files.iterdir() if p.name.startswith(".nogradlint-")]
    monkeypatch.setattr(apply_mod.os, "fsync", real_fsync)


@pytest.mark.parametrize("name", ["crlf_bom.py", "nb.ipynb"])
def test_read_only_file_real_command(files, name):
    """A read-only file (mode 0444) is not rewritten, even when we run as root (who could)."""
    os.chmod(files / name, 0o444)
    try:
        r = run_cli("--no-cache", "--fix", name, "other.py", cwd=files)
        mode = stat.S_IMODE(os.stat(files / name).st_mode)
    finally:
        os.chmod(files / name, 0o644)
    assert mode == 0o444
    _assert_intact_and_reported(files, name, r.rc, r.err, "read-only")


def test_file_deleted_before_the_fix_is_written(files, capsys, monkeypatch):
    """The file disappears between linting and fixing: one error line, exit 2, no crash."""
    real = apply_mod.read_for_fix

    def vanish(path):
        if path.endswith("latin1.py"):
            os.unlink(path)
        return real(path)

    monkeypatch.setattr(apply_mod, "read_for_fix", vanish)
    r = run_main(capsys, "--no-cache", "--fix", "latin1.py", "other.py")
    assert r.rc == 2
    errors = _error_lines(r.err)
    assert len(errors) == 1 and "latin1.py" in errors[0] and "no such file" in errors[0], r.err
    assert (files / "other.py").read_bytes() == OTHER_FIXED
    assert "Traceback" not in r.err
