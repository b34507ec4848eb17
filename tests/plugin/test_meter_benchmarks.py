"""The memory-marker benchmarks must not rot: run them at their smallest. No timing is
asserted (the figures live in docs/benchmarks.md); what is checked is that every
configuration runs, that a baseline copy of the plugin is really the one imported, and
that the exact ways of measuring agree on the analytic peaks."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ, OMP_NUM_THREADS="1")
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout)


def test_markers_baseline_without_a_plugin_is_a_one_line_error(tmp_path):
    proc = _run("benchmarks/plugin_overhead.py", "--markers-baseline", str(tmp_path))
    assert proc.returncode != 0
    assert proc.stdout.strip() == f"--markers-baseline: {tmp_path} has no pytest_nograd/plugin.py"


def test_markers_against_a_baseline_copy(tmp_path):
    shutil.copytree(ROOT / "pytest_nograd", tmp_path / "pytest_nograd",
                    ignore=shutil.ignore_patterns("__pycache__"))
    proc = _run("benchmarks/plugin_overhead.py", "--files", "1", "--tests", "2", "--reps", "1",
                "--markers-baseline", str(tmp_path))
    assert proc.returncode == 0, proc.stdout[-3000:]
    out = proc.stdout
    for config in ("plain", "markers", "markers-base"):
        assert f"rep 1 {config:8s} wall" in out
    assert "check " not in out  # the baseline comparison runs only the marker configurations
    assert "markers / plain test-body time:" in out
    assert "markers / plain test-body CPU time without the first test:" in out


def test_meter_alternatives_agree_on_analytic_peaks():
    proc = _run("benchmarks/meter_alternatives.py", "--reps", "1")
    assert proc.returncode == 0, proc.stdout[-3000:]
    out = proc.stdout
    for way in ("meter+autograd", "dispatch floor", "size check only", "function floor", "profiler"):
        assert f"  {way} " in out
    rows = {line[:32].strip(): line[32:].split() for line in out.splitlines()
            if line.startswith("  MLP") or line.startswith("  conv2d")}
    # analytic, meter, profiler: the meter is exact everywhere; the profiler also sees the
    # convolution's temporary buffer.
    assert rows["MLP forward + backward"] == ["4461576"] * 3
    analytic, meter, profiler = map(int, rows["conv2d 3->16, 3x3, 8x3x64x64"])
    assert meter == analytic and profiler > analytic
