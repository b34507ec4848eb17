"""Every rule's VALID and INVALID examples are tests (the Fixit convention)."""

from __future__ import annotations

import libcst as cst
import pytest

from nogradlint.fixes.apply import choose_fixes, fixed_text
from nogradlint.registry import all_rules
from nogradlint.rules.base import Invalid
from nogradlint.runner import lint_text


def _cases(kind):
    for rule in all_rules():
        if kind == "INVALID" and getattr(rule, "needs_runtime_evidence", False):
            continue  # reported only from run-time evidence: test_runtime_evidence.py runs them
        for i, example in enumerate(getattr(rule, kind)):
            yield pytest.param(rule, example, id=f"{rule.code}-{kind.lower()}-{i}")


def _codes(findings, code):
    return [f for f in findings if f.code == code]


@pytest.mark.parametrize("rule,code", list(_cases("VALID")))
def test_valid_example_is_silent(rule, code):
    findings = _codes(lint_text(code, path="example.py", codes=[rule.code]), rule.code)
    assert findings == [], f"{rule.code} fired on a VALID example:\n{code}\n{findings}"


@pytest.mark.parametrize("rule,example", list(_cases("INVALID")))
def test_invalid_example_is_reported(rule, example):
    example = example if isinstance(example, Invalid) else Invalid(example)
    findings = _codes(lint_text(example.code, path="example.py", codes=[rule.code]), rule.code)
    assert len(findings) == example.count, (
        f"{rule.code} expected {example.count} finding(s) on INVALID example:\n{example.code}\ngot {findings}"
    )
    for f in findings:
        assert f.message and "\n" not in f.message
    if example.no_fix:
        assert not [f for f in findings if f.fix is not None], "the example documents no fix, but one is offered"
    if example.expected_fix is not None:
        fixed = example.code
        for _ in range(5):  # fixes that overlap are applied over several rounds, as --fix does
            found = _codes(lint_text(fixed, path="example.py", codes=[rule.code]), rule.code)
            chosen = choose_fixes(found, unsafe=True)
            if not chosen:
                break
            fixed = fixed_text(fixed, chosen)
        assert fixed == example.expected_fix
        cst.parse_module(fixed)
        again = _codes(lint_text(fixed, path="example.py", codes=[rule.code]), rule.code)
        assert not [f for f in again if f.fix is not None], "fixing twice would change the file again"


def test_every_rule_has_examples_and_docs():
    for rule in all_rules():
        assert rule.VALID, f"{rule.code} has no VALID examples"
        assert rule.INVALID, f"{rule.code} has no INVALID examples"
        for part in ("what", "why", "example", "use_instead", "fix_safety"):
            assert getattr(rule.docs, part).strip(), f"{rule.code} docs lack `{part}`"
        if rule.fix_applicability is not None:
            assert any(isinstance(e, Invalid) and e.expected_fix for e in rule.INVALID), (
                f"{rule.code} offers a fix but no INVALID example shows it"
            )
