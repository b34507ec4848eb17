"""Hooks other plugins can implement (added through ``pytest_addhooks``)."""
from __future__ import annotations

from typing import Any, List, Optional

import pytest


@pytest.hookspec
def pytest_nograd_meters(config: Any) -> List[Any]:
    """Return extra memory meters (e.g. for another device) to use with memory markers.

    A meter has a ``name`` (the device name used in reports and budgets), ``start()``
    called before the test body and ``stop() -> int | None`` after it, returning the peak
    bytes above the start (None: device not used). Called once per session.
    """


@pytest.hookspec(firstresult=True)
def pytest_nograd_filter_finding(item: Any, finding: Any) -> Optional[bool]:
    """Return False to drop a sanitizer finding (a :class:`pytest_nograd.findings.Finding`)
    of ``item`` before it is warned about, fails the test or is reported."""
