"""pytest-xdist integration, registered only when xdist is active in the controller.

Per-test data needs nothing here (it rides on the serialized reports); this only records
tests whose worker crashed, so the summary and JSON say what is missing.
"""
from __future__ import annotations

from typing import Any

from .report import SessionResults


class XdistHooks:
    def __init__(self, results: SessionResults) -> None:
        self.results = results

    def pytest_handlecrashitem(self, crashitem: str, report: Any, sched: Any) -> None:
        self.results.crashed.append(crashitem)
