"""``--watch``: lint again whenever a linted file (or a configuration file) changes.

Polling, so it needs no extra dependency and works on every platform and file system; each
round only stats the files. The lint itself goes through the cache, so a change to one file
re-lints that file (and re-resolves the cross-file facts). Ctrl-C ends it with exit 0.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from typing import Callable, Iterable, Optional

_WATCHED = (".py", ".pyi", ".ipynb")
_CONFIG = ("pyproject.toml", "nogradlint.toml", ".nogradlint.toml", ".gitignore")


def snapshot(paths: Iterable[str], excluded: Callable[[str], bool] = lambda p: False) -> dict:
    """path -> (mtime_ns, size) of every watched file under ``paths``."""
    state: dict = {}

    def add(path: str) -> None:
        try:
            info = os.stat(path)
        except OSError:
            return
        state[path] = (info.st_mtime_ns, info.st_size)

    for top in paths:
        if os.path.isfile(top):
            add(top)
            continue
        for folder, dirs, names in os.walk(top):
            dirs[:] = [d for d in dirs if not excluded(os.path.join(folder, d)) and not d.startswith(".")]
            for name in names:
                if name.endswith(_WATCHED) or name in _CONFIG:
                    add(os.path.join(folder, name))
    # the configuration above the linted folders counts too
    for top in paths:
        folder = os.path.abspath(top if os.path.isdir(top) else os.path.dirname(top) or ".")
        while True:
            for name in _CONFIG[:3]:
                add(os.path.join(folder, name))
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    return state


def watch(run_once: Callable[[], int], paths: list, *, interval: float = 0.5,
          rounds: Optional[int] = None, excluded: Callable[[str], bool] = lambda p: False) -> int:
    """Run ``run_once`` now and after every change under ``paths``; ``rounds`` limits the
    number of polls (tests). Returns 0 when interrupted (Ctrl-C), also when the interrupt
    lands inside a run that catches it itself."""
    interrupted: list = []

    def on_sigint(signum, frame):
        interrupted.append(signum)
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread: Ctrl-C cannot reach us anyway
        previous = None
    try:
        state = snapshot(paths, excluded)
        _say("starting in watch mode")
        _run(run_once)
        polls = 0
        while not interrupted and (rounds is None or polls < rounds):
            polls += 1
            time.sleep(interval)
            current = snapshot(paths, excluded)
            if current != state:
                state = current
                _say("file change detected, linting again")
                _run(run_once)
    except KeyboardInterrupt:
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    return 0


def _say(message: str) -> None:
    # A timestamp per run, as ruff's watch mode prints: which report is the latest, and when it ran.
    print(f"[{time.strftime('%Y-%m-%d %H:%M:%S')}] nogradlint: {message}", file=sys.stderr, flush=True)


def _run(run_once: Callable[[], int]) -> None:
    run_once()
    sys.stdout.flush()
    _say("watching for file changes (Ctrl-C to stop)")
