"""Helpers for the nogradlint engine tests: in-process runs of ``nogradlint.cli.main``, real
subprocess runs of the installed command, and a test-only rule with an unsafe fix."""

from __future__ import annotations

import contextlib

import os
import subprocess
import sys
from dataclasses import dataclass

import libcst as cst
import pytest

from nogradlint import cache as cache_mod
from nogradlint import cli, registry, runner
from nogradlint.rules import builtin
from nogradlint.rules.base import UNSAFE, Invalid, Rule, RuleDocs

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# A file with three NG006 findings: two without a fix (lines 2 and 4), one with a safe fix (line 6).
NG006_SOURCE = (
    "import torch\n"
    "torch.no_grad()\n"
    "def step(h):\n"
    "    h.detach()\n"
    "    return h\n"
    "with torch.no_grad:\n"
    "    pass\n"
)
CLEAN_SOURCE = "import torch\n\nwith torch.no_grad():\n    y = 1\n"


@dataclass
class Result:
    rc: int
    out: str
    err: str


def run_main(capsys, *args: str) -> Result:
    """``nogradlint ARGS`` in this process (fast); stdout and stderr captured."""
    capsys.readouterr()
    rc = cli.main(list(args))
    captured = capsys.readouterr()
    return Result(rc, captured.out, captured.err)


def run_cli(*args: str, cwd=None, stdin: str | bytes | None = None, env=None, **kwargs) -> Result:
    """The real ``nogradlint`` command in a subprocess (exit codes, stdin, no traceback)."""
    full_env = dict(os.environ)
    full_env.pop("NOGRADLINT_DEBUG", None)
    if env:
        full_env.update(env)
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    proc = subprocess.run(
        [sys.executable, "-m", "nogradlint", *args], cwd=cwd, input=data, capture_output=True,
        env=full_env, timeout=120, **kwargs,
    )
    return Result(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def assert_one_line_error(result: Result, *fragments: str) -> None:
    """Exit 2, one ``nogradlint: error:`` line on stderr naming the fragments, no traceback."""
    assert result.rc == 2, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("nogradlint: error: "), result.err
    assert "Traceback" not in result.err + result.out
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def write(path, text: str | bytes) -> str:
    path = os.fspath(path)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(text.encode("utf-8") if isinstance(text, str) else text)
    return path


class PrintCall(Rule):
    """A test-only rule with an UNSAFE fix: ``print(...)`` -> ``log(...)``."""

    code = "TST001"
    name = "print-call"
    message = "`print()` call"
    fix_applicability = UNSAFE
    triggers = (r"print",)
    docs = RuleDocs(what="Finds print calls.", why="Tests need an unsafe fix.", example="print(1)\n",
                    use_instead="log(1)\n", fix_safety="Unsafe: `log` may not exist.")
    VALID = ("log(1)\n",)
    INVALID = (Invalid("print(1)\n", expected_fix="log(1)\n"),)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "print":
            self.report(node, fix=self.fix(UNSAFE, "Use `log`").replace(node.func, "log"))


def _reset_registry() -> None:
    # The rule set is part of the cache key too (the code fingerprint).
    registry.reset()
    runner._TRIGGERS.clear()
    cache_mod.code_fingerprint.cache_clear()


@contextlib.contextmanager
def rule_registered(monkeypatch, rule: type):
    """Run with ``rule`` registered next to the built-in rules, then restore them."""
    monkeypatch.setattr(builtin, "BUILTIN_RULES", list(builtin.BUILTIN_RULES) + [rule])
    _reset_registry()
    try:
        yield rule
    finally:
        monkeypatch.undo()
        _reset_registry()


@pytest.fixture
def extra_rule(monkeypatch):
    """Register ``PrintCall`` next to the built-in rules for one test."""
    with rule_registered(monkeypatch, PrintCall) as rule:
        yield rule
