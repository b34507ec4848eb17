"""pytest conventions as plain functions: the header line, marker-typo hints, and not
letting a plugin failure pass as an xfail test's expected failure."""
from __future__ import annotations

import difflib
from typing import Any, Dict, Iterable, Optional, Set, Tuple

from .markers import MARKERS
from .sizes import format_size


def header_line(settings: Any) -> Optional[str]:
    """``nograd: ...`` for pytest's header, or None when the plugin is idle."""
    parts = []
    if settings.check:
        parts.append("sanitizer on (--nograd-check" + (", strict: findings fail tests)" if settings.strict
                                                       else ", findings are warnings)"))
    if settings.memory_budget is not None:
        parts.append(f"default memory budget {format_size(settings.memory_budget)} per test")
    if settings.json_path:
        parts.append(f"JSON report to {settings.json_path}")
    if settings.html_path:
        parts.append(f"HTML report to {settings.html_path}")
    return "nograd: " + ", ".join(parts) if parts else None


def typo_hints(items: Iterable[Any], registered: Set[str]) -> Dict[Tuple[str, Any], str]:
    """{(unknown marker name, first item using it): the plugin marker it is close to},
    one entry per marker name and test function (not per parametrized item)."""
    hints: Dict[Tuple[str, Any], str] = {}
    seen: Set[Tuple[str, str, str]] = set()
    for item in items:
        for mark in item.iter_markers():
            name = mark.name
            if name in registered or name in MARKERS:
                continue
            key = (name, str(getattr(item, "path", "")), getattr(item, "originalname", item.name))
            if key in seen:
                continue
            seen.add(key)
            close = difflib.get_close_matches(name, list(MARKERS), n=1, cutoff=0.75)
            if close:
                hints[(name, item)] = close[0]
    return hints


def unswallow_xfail(report: Any, message: str) -> None:
    """A call report that pytest turned into XFAIL because the plugin failed the test.

    The test body passed (it would have been an XPASS); the failure is pytest-nograd's
    (a leak, or a finding under --nograd-strict), not the failure the xfail marker
    expects, so it is reported as a failure instead of being swallowed."""
    if not (report.skipped and hasattr(report, "wasxfail")):
        return
    reason = report.wasxfail
    del report.wasxfail
    report.outcome = "failed"
    report.longrepr = (f"{message}\n(the test is marked xfail{': ' + reason if reason else ''}, but its body "
                       "passed; this failure comes from pytest-nograd, so it is not the expected failure)")
