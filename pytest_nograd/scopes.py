"""The leak guard across fixture scopes (registered only with ``--nograd-check``).

State that a module-, class-, package- or session-scoped fixture sets up (a module-wide
``with torch.no_grad(): yield``, anomaly detection on for a module) is the baseline of the
tests in its scope, so:

* each test's function-scoped fixtures are checked against the state *after* the
  higher-scoped fixtures were set up: an autouse fixture of this plugin, the first
  function-scoped fixture to be set up and so the last torn down, snapshots and compares;
* a higher-scoped fixture is checked when it is finalised, against the state from just
  before it was set up; nothing is changed in the middle of its scope.

The test body itself is checked by the call-phase wrapper in plugin.py.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

from .leakguard import restore, snapshot

Changes = List[Tuple[str, str, str]]


class ScopedLeakGuard:
    def __init__(self, on_test_fixture_leak: Callable[[Any, Changes], None],
                 on_scoped_fixture_leak: Callable[[Any, Any, Changes], None]) -> None:
        self._on_test_fixture_leak = on_test_fixture_leak
        self._on_scoped_fixture_leak = on_scoped_fixture_leak
        self._before: Dict[int, Dict[str, Any]] = {}
        self._item: Optional[Any] = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: Any) -> None:
        self._item = item  # a scoped fixture's leak is an error of the test tearing it down

    @pytest.fixture(autouse=True)
    def _nograd_leak_guard(self, request: Any) -> Any:
        before = snapshot()
        yield
        changed = restore(before)
        if changed:
            self._on_test_fixture_leak(request.node, changed)

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef: Any, request: Any) -> Any:
        if fixturedef.scope != "function":
            self._before.setdefault(id(fixturedef), snapshot())
        return (yield)

    def pytest_fixture_post_finalizer(self, fixturedef: Any, request: Any) -> None:
        before = self._before.pop(id(fixturedef), None)
        if before is None:
            return
        changed = restore(before)
        if changed:
            self._on_scoped_fixture_leak(self._item, fixturedef, changed)
