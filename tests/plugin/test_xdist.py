"""Under pytest-xdist (-n 2) every marker, the sanitizer, the summary and --nograd-json
behave as in a serial run, and a crashed worker does not lose the report."""
from __future__ import annotations

import pytest

from .helpers import load_json, outcomes, run
from .test_markers import MARKERS_SUITE, check_markers_run
from .test_sanitizer import SANITIZER_SUITE, check_sanitizer_run

pytest.importorskip("xdist")


def test_everything_under_xdist_with_a_worker_crash(suite):
    suite.makepyfile(test_suite=SANITIZER_SUITE, test_markers_suite=MARKERS_SUITE,
                     test_crash="import os\n\ndef test_crash():\n    os._exit(3)\n")
    # Default "load" scheduling: xdist 3.8's loadfile scheduler raises KeyError when it
    # replaces a crashed worker (an xdist bug, not the plugin's).
    result = run(suite, "-n", "2", "--nograd-check", "--nograd-json=report.json", timeout=400)
    out = outcomes(result)
    data = load_json(suite.path / "report.json")
    assert out["test_crash"] == "FAILED"
    result.stdout.fnmatch_lines(["*worker 'gw*' crashed while running 'test_crash.py::test_crash'*"])
    assert data["crashed"] == ["test_crash.py::test_crash"]
    result.stdout.fnmatch_lines(["crashed (no measurements): 1", "  test_crash.py::test_crash"])
    check_sanitizer_run(result, data, out)
    check_markers_run(result, data, out)
    assert "INTERNALERROR" not in result.stdout.str()
