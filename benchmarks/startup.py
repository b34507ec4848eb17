#!/usr/bin/env python
"""Start-up of the `nogradlint` command (issue 11), as ratios to `python -c pass` in the same run.

    python benchmarks/startup.py            # 15 alternating repetitions
    python benchmarks/startup.py --reps 30

Measures, alternating, each as its own process (wall time from `time.perf_counter` around
`subprocess.run`): `python -c pass` (the floor), `nogradlint --version`, and a warm run of
`nogradlint examples/` (a copy of the shipped examples, its cache filled once beforehand, so every
file is a cache hit). Goals: `--version` at most 4 x the floor, the warm run at most 8 x.
Nothing here asserts a time; tests/lint/test_benchmarks_smoke.py runs it with one repetition.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GOALS = {"nogradlint --version": 4.0, "nogradlint examples/ (warm cache)": 8.0}


def _nogradlint() -> list:
    # The installed command when there is one (what users run), else the module.
    found = shutil.which("nogradlint")
    return [found] if found else [sys.executable, "-m", "nogradlint"]


def measure(reps: int) -> dict:
    work = tempfile.mkdtemp(prefix="nogradlint-startup-")
    try:
        examples = os.path.join(work, "examples")
        shutil.copytree(os.path.join(REPO, "examples"), examples)
        command = _nogradlint()
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "nogradlint --version": command + ["--version"],
            "nogradlint examples/ (warm cache)": command + ["--quiet", "--exit-zero", "examples"],
        }
        subprocess.run(cases["nogradlint examples/ (warm cache)"], cwd=work, capture_output=True, check=True)
        times: dict = {name: [] for name in cases}
        for _ in range(reps):
            for name, argv in cases.items():
                start = time.perf_counter()
                done = subprocess.run(argv, cwd=work, capture_output=True)
                times[name].append(time.perf_counter() - start)
                if done.returncode != 0:
                    raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
        return times
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(times: dict) -> str:
    floor = statistics.median(times["python -c pass"])
    lines = [f"{'command':40} {'median s':>9} {'min s':>7} {'ratio':>7}  goal"]
    for name, values in times.items():
        median = statistics.median(values)
        ratio = median / floor
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"<= {goal:g} x: {'met' if ratio <= goal else 'NOT met'}"
        lines.append(f"{name:40} {median:9.3f} {min(values):7.3f} {ratio:7.2f}  {verdict}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=15, help="alternating repetitions (default: %(default)s)")
    args = parser.parse_args(argv)
    print(report(measure(args.reps)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
