"""The README's "Prove `no_grad` is free for your model" example passes as written, in a real pytest run."""

from __future__ import annotations

import os

from .helpers import run

README = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "README.md")


def _example() -> str:
    with open(README, encoding="utf-8") as fh:
        text = fh.read()
    section = text[text.index("### Prove `no_grad` is free for your model"):]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_readme_no_grad_is_free_example(suite):
    suite.makepyfile(test_free=_example())
    result = run(suite, "-s", "-p", "no:randomly")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*median of 5 alternating runs per mode*", "no_grad *0 B*same*"])
