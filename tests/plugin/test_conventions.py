"""pytest conventions (issue 12, item 5): tracebacks end in the user's test, a header
line, boolean ini keys, marker typo hints, one message for a bad marker, and a JSON
report listing every test with root-relative paths."""
from __future__ import annotations

import pytest

from pytest_nograd.report import JSON_SCHEMA

from .helpers import by_test, dedent, load_json, outcomes, run

HELPER_FAILURES = dedent('''
    import pytest, torch, torch.nn as nn
    from pytest_nograd import assert_frozen, assert_grads_flow, assert_no_graph, budget

    def test_frozen(nograd):
        nograd.assert_frozen(nn.Linear(2, 2))  # FROZEN-LINE

    def test_no_graph():
        assert_no_graph(nn.Linear(2, 2)(torch.randn(1, 2)))  # NOGRAPH-LINE

    def test_grads_flow():
        model = nn.Linear(2, 2)
        with torch.no_grad():
            loss = model(torch.randn(1, 2)).sum()
        assert_grads_flow(loss, model)  # FLOW-LINE

    def test_budget():
        with budget("1 KiB"):  # BUDGET-LINE
            torch.empty(4096)
''')


def test_helper_failures_end_in_the_users_test(suite):
    suite.makepyfile(test_helpers=HELPER_FAILURES)
    result = run(suite, "--tb=long")
    assert set(outcomes(result).values()) == {"FAILED"}
    text = result.stdout.str()
    # No frame of the plugin's own source in any traceback.
    assert "pytest_nograd/asserts.py" not in text and "pytest_nograd/measure.py" not in text, text
    lines = HELPER_FAILURES.lstrip("\n").splitlines()
    for marker in ["# FROZEN-LINE", "# NOGRAPH-LINE", "# FLOW-LINE", "# BUDGET-LINE"]:
        lineno = next(i for i, ln in enumerate(lines, 1) if marker in ln)
        result.stdout.fnmatch_lines([f"test_helpers.py:{lineno}: *"])


def test_header_line_only_when_something_is_on(suite):
    suite.makepyfile(test_x="def test_x():\n    pass\n")
    assert "nograd:" not in run(suite).stdout.str()
    result = run(suite, "--nograd-check", "--nograd-memory-budget=64MiB")
    result.stdout.fnmatch_lines(["nograd: sanitizer on (--nograd-check, findings are warnings), "
                                 "default memory budget 64.0 MiB per test"])
    run(suite, "--nograd-check", "--nograd-strict").stdout.fnmatch_lines(
        ["nograd: sanitizer on (--nograd-check, strict: findings fail tests)"])


def test_boolean_ini_keys_are_booleans(pytester):
    pytester.makeini("[pytest]\nnograd_check = yes\n")
    pytester.makepyfile(test_ini=dedent('''
        def test_types(request):
            assert request.config.getini("nograd_check") is True
            assert request.config.getini("nograd_strict") is False
    '''))
    assert outcomes(run(pytester)) == {"test_types": "PASSED"}


TYPO_SUITE = dedent('''
    import pytest

    @pytest.mark.no_grahp
    @pytest.mark.parametrize("n", [1, 2])
    def test_typo(n):
        pass

    @pytest.mark.memory_budgett("1 MiB")
    def test_other_typo():
        pass

    @pytest.mark.slowish
    def test_unrelated_unknown_marker():
        pass
''')


def test_typo_in_a_marker_name_gets_a_hint(suite):
    suite.makepyfile(test_typo=TYPO_SUITE)
    result = run(suite)
    assert set(outcomes(result).values()) == {"PASSED"}
    text = result.stdout.str()
    # One hint per test function (not per parametrized case), none for unrelated markers.
    assert text.count("unknown marker @pytest.mark.no_grahp: did you mean `no_graph`?") == 1, text
    assert text.count("unknown marker @pytest.mark.memory_budgett: did you mean `memory_budget`?") == 1
    assert "did you mean" not in "\n".join(ln for ln in result.outlines if "slowish" in ln)
    result.stdout.fnmatch_lines(["*PytestUnknownMarkWarning: unknown marker @pytest.mark.no_grahp*"])


def test_bad_marker_argument_is_one_message(suite):
    suite.makepyfile(test_bad=dedent('''
        import pytest

        @pytest.mark.memory_budget("12 parsecs")
        def test_bad_size():
            pass
    '''))
    result = run(suite)
    text = result.stdout.str()
    # Once in the error report (the short summary repeats it when the terminal is wide enough).
    report = text.split("short test summary info")[0]
    assert report.count("unknown unit 'parsecs'") == 1, text
    assert "During handling of the above exception" not in text
    assert "MarkerError" not in text
    result.stdout.fnmatch_lines(["*In test_bad_size: @pytest.mark.memory_budget: bad limit '12 parsecs'*"])


def test_json_lists_every_test_with_relative_paths(suite):
    sub = suite.mkpydir("pkg")
    (sub / "test_inner.py").write_text(dedent('''
        import pytest, torch, torch.nn as nn

        def test_quiet():
            pass

        def test_finding():
            nn.Linear(2, 2).eval()(torch.randn(1, 2))

        @pytest.mark.skip(reason="not today")
        def test_skipped():
            pass
    '''))
    run(suite, "--nograd-check", "--nograd-json=out/report.json")
    data = load_json(suite.path / "out" / "report.json")
    pytest.importorskip("jsonschema").validate(data, JSON_SCHEMA)
    tests = by_test(data)
    assert {n: t["outcome"] for n, t in tests.items()} == {
        "test_quiet": "passed", "test_finding": "passed", "test_skipped": "skipped"}
    assert tests["test_quiet"]["nodeid"] == "pkg/test_inner.py::test_quiet"
    (finding,) = tests["test_finding"]["findings"]
    assert finding["filename"] == "pkg/test_inner.py"


def test_allocation_lines_point_at_the_test_without_the_sanitizer(suite):
    suite.makepyfile(allochelper="import torch\n\n\ndef make():\n    return torch.empty(4096)\n")
    suite.makepyfile(test_alloc=dedent('''
        from allochelper import make

        def test_budget_in_helper(nograd):
            with nograd.budget("1 KiB"):
                make()  # ALLOC-LINE
    '''))
    for args in ([], ["--nograd-check"]):
        result = run(suite, *args)
        result.stdout.fnmatch_lines(["*16.0 KiB on cpu by aten.empty.memory_format at *test_alloc.py:5"])
