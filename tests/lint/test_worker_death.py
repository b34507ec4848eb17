"""A process-pool worker that dies (SIGKILL, as the kernel's out-of-memory killer does) must not
hang the run: it ends with one error line and exit 2 (``runner.WorkerDied``).

The worker is killed by a test-only plug-in rule, registered through a real ``nogradlint``
entry point (a ``*.dist-info`` on PYTHONPATH), that sends SIGKILL to its own process when it
lints a file holding a marker word while a marker file exists, and only inside a pool worker.
"""

from __future__ import annotations

import os
import signal
import sys

import pytest

from .cli_helpers import run_cli, write

pytestmark = pytest.mark.skipif(sys.platform == "win32" or not hasattr(signal, "SIGKILL"),
                                reason="POSIX signals and the fork start method")

KILLER = '''
import multiprocessing
import os
import signal

from nogradlint import hookimpl
from nogradlint.rules.base import Rule, RuleDocs


class KillWorker(Rule):
    code = "KIL001"
    name = "kill-worker"
    message = "kills the worker process that lints this file"
    triggers = (r"KILL_THIS_WORKER",)
    docs = RuleDocs(what="Test only.", why="Test only.", example="KILL_THIS_WORKER\\n", use_instead="x\\n")

    def visit_Module(self, node):
        marker = os.environ.get("NOGRADLINT_TEST_KILL_MARKER", "")
        if marker and os.path.exists(marker) and multiprocessing.parent_process() is not None:
            os.kill(os.getpid(), signal.SIGKILL)


@hookimpl
def nogradlint_rules():
    return [KillWorker]
'''

GOOD = "import torch\ntorch.no_grad()\n"


@pytest.fixture
def setup(tmp_path):
    site = tmp_path / "site"
    write(site / "nogradlint_killer.py", KILLER)
    info = site / "nogradlint_killer-1.0.dist-info"
    write(info / "METADATA", "Metadata-Version: 2.1\nName: nogradlint-killer\nVersion: 1.0\n")
    write(info / "entry_points.txt", "[nogradlint]\nkiller = nogradlint_killer\n")
    write(info / "RECORD", "")
    project = tmp_path / "proj"
    for i in range(12):  # enough files that --jobs 2 uses the process pool
        write(project / f"m{i:02d}.py", GOOD)
    write(project / "m05.py", GOOD + "KILL_THIS_WORKER = 1\n")
    marker = tmp_path / "kill-marker"
    paths = [str(site)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    env = {"PYTHONPATH": os.pathsep.join(paths), "NOGRADLINT_TEST_KILL_MARKER": str(marker)}
    return project, marker, env


def _assert_worker_died(r) -> None:
    assert r.rc == 2, r
    lines = r.err.strip().splitlines()
    assert lines == ["nogradlint: error: a worker process died while linting; rerun with --jobs 1 to find the file"], r.err
    assert "Traceback" not in r.out + r.err


@pytest.mark.timeout(60)
@pytest.mark.parametrize("cache", [False, True], ids=["no-cache", "cache"])
def test_killed_worker_ends_the_run_with_one_error(setup, tmp_path, cache):
    project, marker, env = setup
    cache_args = ["--cache-dir", str(tmp_path / "cache")] if cache else ["--no-cache"]
    args = [*cache_args, "--jobs", "2", "--extend-select", "KIL", "."]

    # The plug-in is loaded, and without the marker file nothing dies: 12 ordinary findings.
    listed = run_cli("--list-rules", env=env)
    assert "KIL001" in listed.out
    r = run_cli(*args, cwd=project, env=env)
    assert r.rc == 1 and r.out.count(": NG006 ") == 12, r

    write(marker, "")
    if cache:  # the files must be linted again (by the pool), not answered from the cache
        for path in project.iterdir():
            write(path, path.read_text() + "# changed\n")
    _assert_worker_died(run_cli(*args, cwd=project, env=env))


@pytest.mark.timeout(60)
def test_killed_worker_during_fix(setup):
    project, marker, env = setup
    write(project / "m00.py", "import torch\nwith torch.no_grad:\n    pass\n")
    write(marker, "")
    r = run_cli("--no-cache", "--jobs", "2", "--extend-select", "KIL", "--fix", ".", cwd=project, env=env)
    _assert_worker_died(r)
    # Nothing was written: the run died while linting, before any fix.
    assert (project / "m00.py").read_text() == "import torch\nwith torch.no_grad:\n    pass\n"
