"""The linter over real code: every ``.py`` file of the benchmark corpus and of the Python standard
library, through the real command and with every file forced through libcst and the walker
(tests/lint/real_sources.py). No crash, no internal error; the NG900s are the files that are not
valid Python for this interpreter.

These take minutes, so they are not in the default run:

    NOGRADLINT_REAL_SOURCES=1 python -m pytest tests/lint/test_real_sources.py -q

(results recorded in docs/reliability.md). The corpus is ``~/.cache/nogradlint-bench/corpus``
(benchmarks/run.py downloads it; override with NOGRADLINT_CORPUS); it is never part of the repo.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig

import pytest

from .cli_helpers import REPO

pytestmark = pytest.mark.skipif(os.environ.get("NOGRADLINT_REAL_SOURCES") != "1",
                                reason="minutes long; set NOGRADLINT_REAL_SOURCES=1 (docs/reliability.md)")

CORPUS = os.environ.get("NOGRADLINT_CORPUS", os.path.expanduser("~/.cache/nogradlint-bench/corpus"))
STDLIB = sysconfig.get_paths()["stdlib"]
SOURCES = {"stdlib": STDLIB, "corpus": CORPUS}


def _need(name: str) -> str:
    path = SOURCES[name]
    if not os.path.isdir(path):
        pytest.skip(f"{path} is not there (benchmarks/run.py downloads the corpus)")
    return path


@pytest.mark.timeout(3600)
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_real_command_over_real_sources(name):
    proc = subprocess.run([sys.executable, "-m", "nogradlint", "--no-cache", "--exit-zero", "--statistics",
                           _need(name)], capture_output=True, text=True, timeout=3000)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", proc.stderr  # no internal error, no worker death, no warning
    assert "Traceback" not in proc.stdout


@pytest.mark.timeout(3600)
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_file_through_libcst_and_the_walker(name):
    proc = subprocess.run([sys.executable, os.path.join(REPO, "tests", "lint", "real_sources.py"),
                           "--force-parse", _need(name)], capture_output=True, text=True, timeout=3000)
    report = json.loads(proc.stdout)
    assert report["crashes"] == [], json.dumps(report["crashes"], indent=2)
    assert proc.returncode == 0
    assert report["files"] > 100
    # NG900 only for what is not valid Python here (the test suites' deliberately broken files,
    # other encodings), never for a guard on valid code.
    for line in report["ng900_files"]:
        assert "nested too deeply" not in line and "million characters" not in line, line
