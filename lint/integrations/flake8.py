"""A flake8 plug-in: teams already on flake8 get the NG rules without another tool.

Registered as the ``flake8.extension`` entry point ``NG``, so ``flake8 --select NG`` (or
``extend-select = NG`` in flake8's configuration) runs every nogradlint rule. Settings that
change what the rules find (``eval-function-patterns``, ``grad-disabled-hooks``...) are read
from the nearest ``[tool.nogradlint]`` table; flake8's own ``--select``, ``--ignore``,
``per-file-ignores`` and ``# noqa`` decide which findings are shown.

flake8 checks one file at a time, so the cross-file facts that the ``nogradlint`` command uses
(a function called only under ``torch.no_grad()`` from another module) are not available here:
a function that is never called in its own file is treated as an entry point that runs with
grad enabled. Syntax errors are left to flake8 (E999), so NG900 is not reported.

A ``[tool.nogradlint]`` table that the ``nogradlint`` command would refuse is reported on stderr
with the command's own one-line error (once per flake8 process), and the rules then run with the
default settings: flake8 has no way for a plug-in to stop the run cleanly (an exception becomes
flake8's "critical error" report, and an exit in a worker process hangs its pool).
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import Iterator

from .. import __version__

_SKIP = {"NG900"}


@lru_cache(maxsize=64)
def _settings_for(folder: str):
    from ..config import ConfigError, Settings, find_config, load_settings

    try:
        return load_settings(find_config(folder))
    except ConfigError as exc:
        _report(f"nogradlint: error: {exc}")
        return Settings()


_reported: set = set()


def _report(line: str) -> None:
    if line not in _reported:  # several folders can share one bad configuration file
        _reported.add(line)
        # One write of the whole line: flake8's worker processes share stderr, and print's two
        # writes (text, then newline) from two workers could interleave into a broken line.
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


class NogradlintChecker:
    name = "nogradlint"
    version = __version__

    def __init__(self, tree, filename: str, lines: list) -> None:  # flake8 passes these by name
        self.filename = filename
        self.lines = lines

    def run(self) -> Iterator[tuple]:
        from ..registry import all_rules
        from ..runner import lint_text

        text = "".join(self.lines)
        display = self.filename if self.filename not in ("-", "stdin") else "stdin.py"
        folder = os.path.dirname(os.path.abspath(display))
        codes = [r.code for r in all_rules() if r.code not in _SKIP]
        for f in lint_text(text, path=display, settings=_settings_for(folder), codes=codes):
            if f.code in _SKIP:
                continue
            yield f.line, f.column - 1, f"{f.code} {f.message}", type(self)
