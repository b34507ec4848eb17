"""``--watch``: the real command lints, waits, lints again after an edit, and stops on Ctrl-C."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

from nogradlint.integrations.watch import snapshot, watch


def _reader(stream, q, name):
    for line in iter(stream.readline, ""):
        q.put((name, line))
    q.put((name, None))


def _wait_for(q, predicate, seen, limit=60.0):
    """Collect output lines until one satisfies ``predicate`` (a generous limit, only so that
    a broken watcher fails the test instead of hanging it)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            item = q.get(timeout=0.5)
        except queue.Empty:
            continue
        seen.append(item)
        if item[1] is not None and predicate(item):
            return item
    raise AssertionError(f"expected output did not come; got {seen}")


def test_watch_relints_after_an_edit_and_stops_on_ctrl_c(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.py").write_text("import torch\n\nwith torch.no_grad():\n    y = 1\n")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    # One pipe for both streams: the watcher flushes its report before it prints the
    # "watching" line, so a single pipe keeps program order (two pipes read by two threads do not).
    proc = subprocess.Popen([sys.executable, "-m", "nogradlint", "--watch", "--output-format", "concise", "src"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    q: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, q, "out"), daemon=True).start()
    seen: list = []
    try:
        start = _wait_for(q, lambda i: "starting in watch mode" in i[1], seen)
        assert re.match(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] nogradlint: starting", start[1])
        _wait_for(q, lambda i: "All checks passed!" in i[1], seen)
        _wait_for(q, lambda i: "watching for file changes" in i[1], seen)
        time.sleep(0.05)  # a different mtime even on coarse-grained file systems
        (src / "a.py").write_text("import torch\n\nwith torch.no_grad:\n    y = 1\n")
        changed = _wait_for(q, lambda i: "file change detected" in i[1], seen)
        # every run is stamped with the time it started
        assert re.match(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] nogradlint: file change detected", changed[1])
        line = _wait_for(q, lambda i: "NG006" in i[1], seen)
        assert line[1].startswith("src/a.py:3:6: NG006")
        _wait_for(q, lambda i: "watching for file changes" in i[1], seen)
        # a new file is noticed too
        (src / "b.py").write_text("import torch\ntorch.no_grad()\n")
        line = _wait_for(q, lambda i: "src/b.py:2:1: NG006" in i[1], seen)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not any("Traceback" in line for _, line in seen if line)


def test_watch_function_runs_on_change_only(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    runs = []

    def run_once():
        runs.append(snapshot([str(tmp_path)]))
        if len(runs) == 1:
            (tmp_path / "a.py").write_text("x = 22\n")  # a change between two polls
        return 0

    assert watch(run_once, [str(tmp_path)], interval=0.01, rounds=5) == 0
    assert len(runs) == 2  # the first run and the one after the change; unchanged polls do nothing


def test_snapshot_sees_sources_and_config(tmp_path):
    (tmp_path / "a.py").write_text("")
    (tmp_path / "n.ipynb").write_text("{}")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.py").write_text("")
    names = {os.path.basename(p) for p in snapshot([str(tmp_path)])}
    assert {"a.py", "n.ipynb", "pyproject.toml"} <= names
    assert "notes.txt" not in names and "c.py" not in names
