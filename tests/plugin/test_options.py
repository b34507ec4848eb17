"""Options and ini settings: precedence ini < command line < marker, and bad values."""
from __future__ import annotations

import pytest

from .helpers import dedent, outcomes, run

OPTIONS_SUITE = dedent('''
    import pytest, torch, torch.nn as nn

    @pytest.mark.allow_grad_mode_change
    def test_allowed():
        torch.set_grad_enabled(False)

    def test_after_allowed():  # restored by the marker, with or without --nograd-check
        assert torch.is_grad_enabled()

    def test_leak():
        torch.set_grad_enabled(False)

    def test_eval_graph():
        nn.Linear(2, 2).eval()(torch.randn(1, 2))

    @pytest.mark.filterwarnings("ignore::pytest_nograd.GradModeWarning")
    def test_eval_graph_filtered():
        nn.Linear(2, 2).eval()(torch.randn(1, 2))

    def test_alloc_2mib():
        a = torch.empty(512 * 1024)

    @pytest.mark.memory_budget("1 KiB")
    def test_marker_beats_default():
        a = torch.empty(1024)

    @pytest.mark.memory_budget(None)
    def test_marker_none_disables():
        a = torch.empty(4 * 1024 * 1024)
''')

INI_ON = """
[pytest]
filterwarnings = ignore:Failed to initialize NumPy:UserWarning
nograd_check = true
nograd_strict = yes
nograd_memory_budget = 1 MiB
"""
INI_OFF = """
[pytest]
filterwarnings = ignore:Failed to initialize NumPy:UserWarning
nograd_check = false
nograd_strict = off
nograd_memory_budget = 1 MiB
"""

CASES = {
    # ini alone: everything on, default budget 1 MiB.
    "ini-on": (INI_ON, [], {
        "test_allowed": "PASSED", "test_after_allowed": "PASSED", "test_leak": "FAILED", "test_eval_graph": "FAILED", "test_eval_graph_filtered": "FAILED",
        "test_alloc_2mib": "FAILED", "test_marker_beats_default": "FAILED", "test_marker_none_disables": "PASSED"}),
    # command line turns off what the ini turned on; the marker still wins over both.
    "cli-off": (INI_ON, ["--no-nograd-check", "--no-nograd-strict", "--nograd-memory-budget=0"], {
        "test_allowed": "PASSED", "test_after_allowed": "PASSED", "test_leak": "PASSED", "test_eval_graph": "PASSED", "test_eval_graph_filtered": "PASSED",
        "test_alloc_2mib": "PASSED", "test_marker_beats_default": "FAILED", "test_marker_none_disables": "PASSED"}),
    # command line turns on what the ini turned off; a larger CLI budget beats the ini one.
    "cli-on": (INI_OFF, ["--nograd-check", "--nograd-strict", "--nograd-memory-budget=3MiB"], {
        "test_allowed": "PASSED", "test_after_allowed": "PASSED", "test_leak": "FAILED", "test_eval_graph": "FAILED", "test_eval_graph_filtered": "FAILED",
        "test_alloc_2mib": "PASSED", "test_marker_beats_default": "FAILED", "test_marker_none_disables": "PASSED"}),
    # not strict: findings are GradModeWarnings, so -W error and filterwarnings apply.
    "warn-error": (INI_OFF, ["--nograd-check", "--nograd-memory-budget", "none",
                             "-W", "error::pytest_nograd.GradModeWarning"], {
        "test_allowed": "PASSED", "test_after_allowed": "PASSED", "test_leak": "FAILED", "test_eval_graph": "FAILED", "test_eval_graph_filtered": "PASSED",
        "test_alloc_2mib": "PASSED", "test_marker_beats_default": "FAILED", "test_marker_none_disables": "PASSED"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_precedence(pytester, case):
    ini, args, expected = CASES[case]
    pytester.makeini(ini)
    pytester.makepyfile(test_opts=OPTIONS_SUITE)
    result = run(pytester, *args)
    assert {k: v for k, v in outcomes(result).items() if k != "SKIPPED"} == expected
    text = result.stdout.str()
    if case in ("ini-on", "cli-on"):
        result.stdout.fnmatch_lines(["*eval-builds-graph: Linear in eval mode*test_opts.py:*"])
    if case == "warn-error":
        result.stdout.fnmatch_lines(["*GradModeWarning: eval-builds-graph: Linear in eval mode*"])
    if case == "ini-on":
        result.stdout.fnmatch_lines(["memory budget of 1.0 MiB (1048576 bytes) exceeded: peak cpu: 2.0 MiB*"])
    assert "INTERNALERROR" not in text


@pytest.mark.parametrize("ini, args, message", [
    ("nograd_check = maybe", [], "ini option nograd_check is not a boolean: invalid truth value 'maybe'"),
    ("nograd_strict = 2", [], "ini option nograd_strict is not a boolean: invalid truth value '2'"),
    ("nograd_memory_budget = 12 parsecs", [], "ini option nograd_memory_budget = '12 parsecs': unknown unit 'parsecs'"),
    ("", ["--nograd-memory-budget=-1MiB"], "option --nograd-memory-budget = '-1MiB': size must not be negative"),
])
def test_bad_settings_are_usage_errors(pytester, ini, args, message):
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile(test_x="def test_x():\n    pass\n")
    result = run(pytester, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert f"ERROR: pytest-nograd: {message}" in result.stderr.str()
    assert "INTERNALERROR" not in result.stderr.str() + result.stdout.str()
