"""Precision and recall of nogradlint on the labeled corpus.

Layout:
- ``cases/**/*.py``: each file is linted on its own.
- ``projects/<name>/``: each folder is linted as one project (cross-file analysis), with the
  ``[tool.nogradlint]`` table of its own ``pyproject.toml`` when it has one.

Labels are comments in the code:
- ``# corpus: NG001, NG003`` (anywhere, usually at the top): the rules this case is about.
  For each rule named there with no expectation in the file, the file is a *negative* case.
- ``# expect: NG001`` on a line: a finding of NG001 must start on that line (a *positive* case).

Run ``python tests/corpus/score.py`` for the table; tests/lint/test_corpus.py enforces the targets.
"""

from __future__ import annotations

import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
_ABOUT = re.compile(r"#\s*corpus:\s*([A-Z0-9,\s]+)")
_EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9,\s]+)")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    positives: int = 0
    negatives: int = 0
    false_positives: list = field(default_factory=list)
    false_negatives: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _labels(path: str):
    about, expected = set(), set()
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            for code in _codes(_ABOUT, line):
                about.add(code)
            for code in _codes(_EXPECT, line):
                expected.add((os.path.relpath(path), number, code))
    return about, expected


def _codes(regex, line):
    match = regex.search(line)
    return [c for c in re.split(r"[,\s]+", match.group(1)) if c] if match else []


def units():
    """(label files, lint target) pairs."""
    cases = os.path.join(HERE, "cases")
    for root, _, files in sorted(os.walk(cases)):
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(root, name)
                yield [path], path
    projects = os.path.join(HERE, "projects")
    if os.path.isdir(projects):
        for name in sorted(os.listdir(projects)):
            folder = os.path.join(projects, name)
            if os.path.isdir(folder):
                files = [os.path.join(r, f) for r, _, fs in os.walk(folder) for f in fs if f.endswith(".py")]
                yield sorted(files), folder


def lint(target: str) -> set:
    from nogradlint.config import load_settings
    from nogradlint.runner import lint_project

    # A project folder may carry its own [tool.nogradlint] (e.g. grad-disabled-hooks).
    config = os.path.join(target, "pyproject.toml")
    settings = load_settings(config) if os.path.isfile(config) else None
    return {(os.path.relpath(f.path), f.line, f.code) for f in lint_project([target], settings=settings)}


def score() -> dict:
    scores: dict = defaultdict(Score)
    for files, target in units():
        about, expected = set(), set()
        for path in files:
            a, e = _labels(path)
            about |= a
            expected |= e
        found = {f for f in lint(target) if f[2] != "NG900"}
        for code in about | {e[2] for e in expected}:
            s = scores[code]
            exp = {e for e in expected if e[2] == code}
            got = {f for f in found if f[2] == code}
            if exp:
                s.positives += 1
            else:
                s.negatives += 1
            s.tp += len(exp & got)
            s.fp += len(got - exp)
            s.fn += len(exp - got)
            s.false_positives += sorted(got - exp)
            s.false_negatives += sorted(exp - got)
        # Findings of rules a case is not about still count against precision.
        for f in found:
            if f[2] not in about and f not in expected:
                scores[f[2]].fp += 1
                scores[f[2]].false_positives.append(f)
    return dict(scores)


def main() -> int:
    os.chdir(os.path.dirname(os.path.dirname(HERE)))
    scores = score()
    print(f"{'rule':<7}{'pos':>5}{'neg':>5}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    for code in sorted(scores):
        s = scores[code]
        print(f"{code:<7}{s.positives:>5}{s.negatives:>5}{s.tp:>5}{s.fp:>5}{s.fn:>5}{s.precision:>11.3f}{s.recall:>8.3f}")
    for code in sorted(scores):
        for f in scores[code].false_positives:
            print(f"false positive: {f[0]}:{f[1]} {f[2]}")
        for f in scores[code].false_negatives:
            print(f"false negative: {f[0]}:{f[1]} {f[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
