"""Accuracy on the labeled corpus (tests/corpus): precision >= 0.97 and recall >= 0.90 per rule,
with at least 5 positive and 5 negative cases for every rule."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "corpus"))
import score as corpus  # noqa: E402

from nogradlint.registry import all_rules  # noqa: E402

PRECISION, RECALL, MIN_CASES = 0.97, 0.90, 5


@pytest.fixture(scope="module")
def scores():
    cwd = os.getcwd()
    os.chdir(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    try:
        return corpus.score()
    finally:
        os.chdir(cwd)


# NG900 (unreadable file) and NG901 (unused noqa) are the engine's diagnostics, tested in test_bad_input.py and
# test_suppressions.py; the corpus measures the grad-mode rules.
# NG013 is reported from run-time evidence only (test_runtime_evidence.py), not from source.
@pytest.mark.parametrize("code", [r.code for r in all_rules() if r.code not in ("NG900", "NG901")
                                  and not getattr(r, "needs_runtime_evidence", False)])
def test_rule_meets_accuracy_targets(scores, code):
    s = scores.get(code)
    assert s is not None, f"{code} has no corpus cases"
    assert s.positives >= MIN_CASES, f"{code}: {s.positives} positive cases, need {MIN_CASES}"
    assert s.negatives >= MIN_CASES, f"{code}: {s.negatives} negative cases, need {MIN_CASES}"
    assert s.precision >= PRECISION, f"{code}: precision {s.precision:.3f}; false positives: {s.false_positives}"
    assert s.recall >= RECALL, f"{code}: recall {s.recall:.3f}; missed: {s.false_negatives}"
