"""The flake8 plug-in, run through the real ``flake8`` command."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
    import tomli as tomllib

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SOURCE = (
    "import torch\n"
    "\n"
    "with torch.no_grad:\n"
    "    y = 1\n"
    "torch.no_grad()  # noqa: NG006\n"
    "torch.inference_mode()\n"
)


def flake8(*args, cwd):
    proc = subprocess.run([sys.executable, "-m", "flake8", "--isolated", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def test_entry_point_is_declared():
    with open(os.path.join(REPO, "pyproject.toml"), "rb") as fh:
        data = tomllib.load(fh)
    assert data["project"]["entry-points"]["flake8.extension"]["NG"] == "nogradlint.integrations.flake8:NogradlintChecker"


def test_flake8_select_ng_reports_the_rules(tmp_path):
    (tmp_path / "m.py").write_text(SOURCE)
    rc, out, err = flake8("--select", "NG", "m.py", cwd=tmp_path)
    assert rc == 1, err
    assert out.splitlines() == [
        "m.py:3:6: NG006 `with torch.no_grad:` lacks the call and raises TypeError at run time; "
        "write `with torch.no_grad():`",
        "m.py:6:1: NG006 `torch.inference_mode()` as a statement does nothing; use `with torch.inference_mode():` "
        "around the code or decorate the function",
    ]
    assert "Traceback" not in err


def test_flake8_ignore_and_clean_file(tmp_path):
    (tmp_path / "m.py").write_text(SOURCE)
    (tmp_path / "ok.py").write_text("import torch\n\nwith torch.no_grad():\n    y = 1\n")
    rc, out, _ = flake8("--select", "NG", "--extend-ignore", "NG006", "m.py", cwd=tmp_path)
    assert (rc, out) == (0, "")
    rc, out, _ = flake8("--select", "NG", "ok.py", cwd=tmp_path)
    assert (rc, out) == (0, "")


def test_flake8_leaves_syntax_errors_to_e999(tmp_path):
    (tmp_path / "bad.py").write_text("import torch\nwith torch.no_grad:\n  x = (\n")
    rc, out, err = flake8("--select", "NG,E999", "bad.py", cwd=tmp_path)
    assert "E999" in out and "NG900" not in out and "Traceback" not in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_nogradlint_table_is_the_commands_error(tmp_path, jobs):
    """A bad [tool.nogradlint] prints the `nogradlint` command's one-line error on stderr (once,
    however many files and folders share it); the rules still run with the defaults."""
    (tmp_path / "pyproject.toml").write_text("[tool.nogradlint]\nselect = 5\n")
    (tmp_path / "m.py").write_text(SOURCE)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "n.py").write_text(SOURCE)
    cli = subprocess.run([sys.executable, "-m", "nogradlint", "--no-cache", "m.py"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode == 2 and len(cli.stderr.splitlines()) == 1, cli.stderr
    rc, out, err = flake8("--select", "NG", "--jobs", jobs, "m.py", "sub/n.py", cwd=tmp_path)
    assert rc == 1 and out.count("NG006") == 4 and "Traceback" not in err
    if jobs == "1":
        assert err.splitlines() == cli.stderr.splitlines()
    else:  # each worker process reads the file on its own: the same line, at most once per worker
        assert set(err.splitlines()) == set(cli.stderr.splitlines())
