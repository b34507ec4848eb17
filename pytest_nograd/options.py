"""Command-line options and ini settings, resolved once into :class:`Settings`.

Precedence: ini < command line < marker. The boolean ini keys are registered with
``type="bool"`` (so other tools and ``pytest --help`` see booleans); a value pytest
cannot read as one is still a usage error naming the key.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Optional

import pytest

from .sizes import parse_size

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Settings:
    check: bool = False
    strict: bool = False
    memory_budget: Optional[int] = None  # default budget for every test, None: none
    json_path: Optional[str] = None
    html_path: Optional[str] = None


def addoption(parser: Any) -> None:
    group = parser.getgroup("nograd", "grad-mode checks for PyTorch (pytest-nograd)")
    group.addoption("--nograd-check", action="store_true", dest="nograd_check", default=None,
                    help="turn on the grad-mode sanitizer for every test (ini: nograd_check).")
    group.addoption("--no-nograd-check", action="store_false", dest="nograd_check",
                    help="turn the sanitizer off even if nograd_check is set in the ini file.")
    group.addoption("--nograd-strict", action="store_true", dest="nograd_strict", default=None,
                    help="sanitizer findings fail the test instead of warning (ini: nograd_strict).")
    group.addoption("--no-nograd-strict", action="store_false", dest="nograd_strict",
                    help="findings warn even if nograd_strict is set in the ini file.")
    group.addoption("--nograd-memory-budget", dest="nograd_memory_budget", default=None, metavar="SIZE",
                    help="default memory budget for every test, e.g. '256 MiB'; 0 or none disables "
                         "(ini: nograd_memory_budget; a memory_budget marker overrides it).")
    group.addoption("--nograd-json", dest="nograd_json", default=None, metavar="PATH",
                    help="write the session's findings and per-test measurements as JSON to PATH.")
    group.addoption("--nograd-html", dest="nograd_html", default=None, metavar="PATH",
                    help="write a self-contained HTML report (findings, measurements, mode comparisons "
                         "with charts) to PATH (ini: nograd_html; an empty PATH turns it off).")
    parser.addini("nograd_check", "turn on the pytest-nograd sanitizer (true/false).", type="bool", default=False)
    parser.addini("nograd_strict", "pytest-nograd findings fail tests (true/false).", type="bool", default=False)
    parser.addini("nograd_memory_budget", "default memory budget per test, e.g. '256 MiB'; 0 or none disables.",
                  default="none")
    parser.addini("nograd_html", "write the pytest-nograd HTML report to this path (relative to the ini file).",
                  default="")


def _ini_bool(config: Any, key: str) -> bool:
    try:
        raw = config.getini(key)
    except (ValueError, pytest.UsageError) as exc:  # pytest: "invalid truth value 'maybe'"
        raise pytest.UsageError(f"pytest-nograd: ini option {key} is not a boolean: {exc} "
                                "(use true or false)") from None
    return _bool(key, raw)


def _bool(key: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    value = str(raw).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise pytest.UsageError(f"pytest-nograd: ini option {key} = {raw!r} is not a boolean (use true or false)")


def _budget(key: str, raw: Any) -> Optional[int]:
    value = str(raw).strip()
    if value.lower() in ("none", "", "0"):
        return None
    try:
        n = parse_size(value)
    except ValueError as exc:
        raise pytest.UsageError(f"pytest-nograd: {key} = {raw!r}: {exc}") from None
    return n or None


def _html_path(config: Any) -> Optional[str]:
    cli = config.getoption("nograd_html")
    if cli is not None:  # relative to the current directory, like --nograd-json
        return cli.strip() or None
    raw = str(config.getini("nograd_html") or "").strip()
    if not raw:
        return None
    # An ini value is relative to the ini file, as pytest's own path-valued ini keys are.
    inipath = getattr(config, "inipath", None)
    base = inipath.parent if inipath is not None else config.rootpath
    return os.path.join(str(base), os.path.expanduser(raw))


def resolve(config: Any) -> Settings:
    """Combine ini and command line (command line wins)."""
    check = _ini_bool(config, "nograd_check")
    strict = _ini_bool(config, "nograd_strict")
    budget = _budget("ini option nograd_memory_budget", config.getini("nograd_memory_budget"))
    cli_check = config.getoption("nograd_check")
    if cli_check is not None:
        check = cli_check
    cli_strict = config.getoption("nograd_strict")
    if cli_strict is not None:
        strict = cli_strict
    cli_budget = config.getoption("nograd_memory_budget")
    if cli_budget is not None:
        budget = _budget("option --nograd-memory-budget", cli_budget)
    return Settings(check=check, strict=strict, memory_budget=budget,
                    json_path=config.getoption("nograd_json"), html_path=_html_path(config))
