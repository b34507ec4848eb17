"""Benchmark: what pytest-nograd costs on a torch-heavy test suite.

Generates a suite (small training steps, evaluation, convolutions) into a temporary
folder and runs it repeatedly in three configurations, alternating their order:

* plain     ``pytest``                      (the plugin installed but idle)
* check     ``pytest --nograd-check``       (the sanitizer, no markers)
* markers   every test gets ``memory_budget`` and ``autograd_budget`` markers

For each it reports the median and spread (min-max) of the wall time of the whole
``pytest`` process, and of the summed test-body (call phase) time recorded by a hook in
the generated conftest, and the ratios to ``plain``. The claim checked is
``check / plain <= 1.10`` on wall time; absolute seconds vary between machines.

    python benchmarks/plugin_overhead.py [--files 20] [--tests 10] [--reps 5]
    python benchmarks/plugin_overhead.py --micro   # where the time goes, per test / per call
    python benchmarks/plugin_overhead.py --markers-baseline DIR   # markers: this tree vs another

``--markers-baseline DIR`` compares the memory markers of this tree with those of another copy of
the plugin (DIR holds its ``pytest_nograd`` package, e.g. ``git archive main pytest_nograd |
tar -x -C DIR``): it runs ``plain``, ``markers`` and ``markers-base`` (the same markers with
DIR first on ``PYTHONPATH``), alternating, so before/after ratios come from one run.
    python benchmarks/plugin_overhead.py --eval-grad [--width 64] [--reps 7]
    python benchmarks/plugin_overhead.py --eval-nograd [--width 64] [--reps 7]

``--eval-grad`` is the case the sanitizer exists to catch: one test running a 50-block
model (``Linear(width, width)`` + ``ReLU`` per block) 200 times in eval mode with grad
on. It runs that test as ``plain`` pytest, with ``--nograd-check``, and as ``floor``
(no plugin options, a no-op global forward hook installed by the conftest: what torch
itself charges for any global module hook), alternating, and prints the test-body time
ratios to ``plain``. The goal is ``check / plain <= 1.2``.

``--eval-nograd`` is the evaluation loop done right, the case the run-time evidence
(forward records in ``--nograd-json``) must keep cheap: the same model and loop, under
``torch.no_grad()``, through a project helper. The sanitizer cannot stop watching here
(there is no finding to report), so every module call pays torch's floor plus the hook,
and each outermost call looks up its call chain (cached per call site). Same three
configurations; the figure is reported, there is no goal yet.

Both eval cases take ``--baseline DIR``: a fourth configuration, ``base``, runs
``--nograd-check`` with the ``pytest_nograd`` package found in DIR (for instance
``git archive main pytest_nograd | tar -x -C DIR``), to compare two versions in one run.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

TEST_FILE = '''
import pytest
import torch
import torch.nn as nn


def _model():
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10))


@pytest.mark.parametrize("seed", range({n_train}))
def test_train_steps(seed):
    torch.manual_seed(seed)
    model = _model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(64, 64), torch.randint(0, 10, (64,))
    for _ in range(5):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    assert torch.isfinite(loss)


@pytest.mark.parametrize("seed", range({n_eval}))
def test_eval(seed):
    torch.manual_seed(seed)
    model = _model().eval()
    with torch.no_grad():
        out = model(torch.randn(256, 64))
    assert out.shape == (256, 10)


def test_conv():
    conv = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.Conv2d(16, 16, 3))
    out = conv(torch.randn(8, 3, 32, 32))
    out.mean().backward()
    assert conv[0].weight.grad is not None
'''

CONFTEST = '''
import json, os, time
import pytest

_BODY = [0.0, 0.0, None, None]  # wall, CPU; wall and CPU of the first test (one-off imports)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_call(item):
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        return (yield)
    finally:
        _BODY[0] += time.perf_counter() - t0
        _BODY[1] += time.process_time() - c0
        if _BODY[2] is None:
            _BODY[2], _BODY[3] = time.perf_counter() - t0, time.process_time() - c0


if os.environ.get("BENCH_NOOP_HOOK"):
    import torch

    torch.nn.modules.module.register_module_forward_hook(lambda module, args, output: None)


def pytest_collection_modifyitems(items):
    if os.environ.get("BENCH_MARKERS"):
        for item in items:
            item.add_marker(pytest.mark.memory_budget("1 GiB"))
            item.add_marker(pytest.mark.autograd_budget("1 GiB"))


def pytest_sessionfinish(session):
    out = os.environ.get("BENCH_BODY_FILE")
    if out:
        import sys
        plugin = getattr(sys.modules.get("pytest_nograd"), "__file__", None)
        with open(out, "w") as f:
            json.dump({"body_s": _BODY[0], "body_cpu_s": _BODY[1], "first_body_s": _BODY[2], "first_body_cpu_s": _BODY[3],
                       "plugin": plugin}, f)
'''

CONFIGS = {
    "plain": ([], {}),
    "check": (["--nograd-check"], {}),
    "markers": ([], {"BENCH_MARKERS": "1"}),
    "floor": ([], {"BENCH_NOOP_HOOK": "1"}),
}
SUITE_CONFIGS = ("plain", "check", "markers")
EVAL_CONFIGS = ("plain", "check", "floor")

EVAL_GRAD_TEST = '''
import torch
import torch.nn as nn

torch.manual_seed(0)
WIDTH = {width}
# Built at import, outside the timed test body: the body is the 200 forwards only.
MODEL = nn.Sequential(*[nn.Sequential(nn.Linear(WIDTH, WIDTH), nn.ReLU()) for _ in range(50)]).eval()
X = torch.randn(16, WIDTH)


def test_eval_with_grad():
    for _ in range(200):
        out = MODEL(X)  # eval mode, grad on: the sanitizer reports it (once)
    assert out.shape == (16, WIDTH)
'''


EVAL_NOGRAD_TEST = '''
import torch
import torch.nn as nn

from evalhelper import evaluate

torch.manual_seed(0)
WIDTH = {width}
MODEL = nn.Sequential(*[nn.Sequential(nn.Linear(WIDTH, WIDTH), nn.ReLU()) for _ in range(50)]).eval()
X = torch.randn(16, WIDTH)


def test_eval_under_no_grad():
    for _ in range(200):
        out = evaluate(MODEL, X)  # eval mode under no_grad: recorded as run-time evidence
    assert out.shape == (16, WIDTH)
'''

# A project helper (not the test file): the recorded chain has two frames.
EVAL_HELPER = '''
import torch


def evaluate(model, x):
    with torch.no_grad():
        return model(x)
'''

EVAL_CASES = {
    "eval-grad": ("test_eval_grad.py", EVAL_GRAD_TEST, "eval-with-grad"),
    "eval-nograd": ("test_eval_nograd.py", EVAL_NOGRAD_TEST, "eval-under-no_grad"),
}


def generate(root: Path, files: int, tests: int) -> None:
    n_train = max(1, tests // 2)
    n_eval = max(1, tests - n_train - 1)
    for i in range(files):
        (root / f"test_gen_{i:03d}.py").write_text(TEST_FILE.format(n_train=n_train, n_eval=n_eval))
    (root / "conftest.py").write_text(CONFTEST)
    (root / "pytest.ini").write_text("[pytest]\nfilterwarnings = ignore::UserWarning\n")


def run_once(root: Path, config: str) -> tuple:
    args, env_extra = CONFIGS[config]
    body_file = root / f"body-{config}.json"
    env = dict(os.environ, **env_extra, BENCH_BODY_FILE=str(body_file))
    env.pop("PYTEST_ADDOPTS", None)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
           "-W", "ignore::pytest_nograd.GradModeWarning", *args]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time of the pytest process: far less disturbed than wall time on a busy machine.
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    if proc.returncode != 0:
        sys.exit(f"{config} run failed:\n{proc.stdout[-3000:]}")
    data = json.loads(body_file.read_text())
    run_once.body_cpu = data.get("body_cpu_s")  # CPU time of the test bodies (eval_loop reads it)
    run_once.first_body = data.get("first_body_s") or 0.0
    run_once.first_body_cpu = data.get("first_body_cpu_s") or 0.0
    base = env_extra.get("PYTHONPATH", "").split(os.pathsep)[0]
    if config in ("markers-base", "base") and not str(data.get("plugin")).startswith(base):
        sys.exit(f"{config} imported the plugin from {data.get('plugin')}, not from {base}")
    return wall, data["body_s"], cpu


def summarize(values: list) -> str:
    return f"median {statistics.median(values):7.2f} s  (min {min(values):.2f}, max {max(values):.2f})"


def _per_call(fn, n: int) -> float:
    """CPU seconds per call of fn (process time: less sensitive to other load than wall time)."""
    fn()
    best = float("inf")
    for _ in range(5):
        t0 = time.process_time()
        for _ in range(n):
            fn()
        best = min(best, (time.process_time() - t0) / n)
    return best


def micro() -> None:
    """Where the time goes: the plugin's fixed cost per test and its cost per module call / op."""
    import torch
    import torch.nn as nn

    from pytest_nograd.measure import track
    from pytest_nograd.sanitizer import Sanitizer, restore, snapshot

    torch.set_num_threads(1)

    def per_test():
        # What --nograd-check does around every test: two snapshots (test body, and
        # setup..teardown), the hooks installed and removed, two comparisons.
        outer, body = snapshot(), snapshot()
        s = Sanitizer()
        s.install()
        s.remove()
        s.collect()
        restore(body)
        restore(outer)

    fixed = _per_call(per_test, 2000)
    model = nn.Sequential(*[nn.Linear(16, 16) for _ in range(8)]).eval()
    x = torch.randn(4, 16)

    def forward():
        with torch.no_grad():
            model(x)

    plain_fwd = _per_call(forward, 2000)
    s = Sanitizer()
    s.install()
    try:
        hooked_fwd = _per_call(forward, 2000)
    finally:
        s.remove()
    train = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    xb = torch.randn(64, 64)

    def step():
        train(xb).sum().backward()

    plain_step = _per_call(step, 300)

    def tracked_step():
        with track(saved_for_backward=True, graph=False):
            step()

    tracked = _per_call(tracked_step, 300)
    print("micro-benchmarks (CPU time, 1 torch thread, best of 5):")
    print(f"  --nograd-check fixed cost per test:            {fixed * 1e6:8.1f} us")
    print(f"  forward of 9 modules (8 Linear), no hooks:     {plain_fwd * 1e6:8.1f} us")
    print(f"  same with the sanitizer's global hooks:        {hooked_fwd * 1e6:8.1f} us "
          f"(+{(hooked_fwd - plain_fwd) / 9 * 1e6:.1f} us per module call)")
    print(f"  MLP forward+backward (64x64 -> 128 -> 10):     {plain_step * 1e6:8.1f} us")
    print(f"  same inside memory+autograd budget meters:     {tracked * 1e6:8.1f} us "
          f"(x{tracked / plain_step:.2f})")


def eval_loop(case: str, width: int, reps: int, baseline: Optional[str] = None) -> int:
    """An evaluation-loop micro-benchmark (``eval-grad`` or ``eval-nograd``), whole pytest
    runs, configurations alternating. With ``baseline`` (a folder holding another version's
    ``pytest_nograd`` package, e.g. from ``git archive main pytest_nograd``) a fourth
    configuration, ``base``, runs ``--nograd-check`` with that version first on the path."""
    configs = EVAL_CONFIGS
    if baseline:
        CONFIGS["base"] = (["--nograd-check"], {"PYTHONPATH": os.path.abspath(baseline), "PYTHONDONTWRITEBYTECODE": "1"})
        configs = EVAL_CONFIGS + ("base",)
    test_name, source, title = EVAL_CASES[case]
    bodies = {c: [] for c in configs}
    cpus = {c: [] for c in configs}
    with tempfile.TemporaryDirectory(prefix=f"nograd-{case}-") as tmp:
        root = Path(tmp)
        (root / test_name).write_text(source.format(width=width))
        (root / "evalhelper.py").write_text(EVAL_HELPER)
        (root / "conftest.py").write_text(CONFTEST)
        (root / "pytest.ini").write_text("[pytest]\nfilterwarnings = ignore::UserWarning\n")
        run_once(root, "plain")  # warm-up
        for rep in range(reps):
            k = rep % len(configs)
            order = configs[k:] + configs[:k]
            for config in order:
                _, body, _ = run_once(root, config)
                bodies[config].append(body)
                cpus[config].append(run_once.body_cpu)
            cells = [f"{c} wall {bodies[c][-1] * 1e3:7.1f} ms cpu {cpus[c][-1] * 1e3:7.1f} ms" for c in configs]
            print(f"rep {rep + 1}: " + "  ".join(cells), flush=True)
    print(f"\n{title}: 50 blocks of Linear({width}, {width}) + ReLU, 200 forwards, {reps} repetitions, "
          f"python {sys.version.split()[0]}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}")
    # Test-body CPU time is the headline figure: on a shared machine wall time mostly
    # measures the other jobs. Wall time is printed too.
    for what, data in (("cpu", cpus), ("wall", bodies)):
        base = statistics.median(data["plain"])
        for config in configs:
            vals = data[config]
            print(f"{config:6s} body {what:4s} median {statistics.median(vals) * 1e3:7.1f} ms (min {min(vals) * 1e3:.1f}, "
                  f"max {max(vals) * 1e3:.1f})  ratio {statistics.median(vals) / base:.3f}")
    ratio = statistics.median(cpus["check"]) / statistics.median(cpus["plain"])
    if case == "eval-grad":
        print(f"\n--nograd-check / plain test-body CPU time: {ratio:.3f} (goal <= 1.2): {'met' if ratio <= 1.2 else 'NOT met'}")
    else:
        print(f"\n--nograd-check / plain test-body CPU time: {ratio:.3f}")
    return 0


def _add_baseline(directory: str) -> tuple:
    """Register ``markers-base``: the markers, with the plugin imported from ``directory``."""
    base = Path(directory).resolve()
    if not (base / "pytest_nograd" / "plugin.py").is_file():
        sys.exit(f"--markers-baseline: {base} has no pytest_nograd/plugin.py")
    path = os.pathsep.join(p for p in (str(base), os.environ.get("PYTHONPATH", "")) if p)
    CONFIGS["markers-base"] = ([], {"BENCH_MARKERS": "1", "PYTHONPATH": path})
    return ("plain", "markers", "markers-base")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=20, help="generated test files (default 20)")
    ap.add_argument("--tests", type=int, default=10, help="tests per file (default 10)")
    ap.add_argument("--reps", type=int, default=5, help="repetitions of each configuration (default 5)")
    ap.add_argument("--json", help="also write the raw timings as JSON here")
    ap.add_argument("--markers-baseline", metavar="DIR", help="also run the markers with the plugin from DIR (see above)")
    ap.add_argument("--micro", action="store_true", help="only the in-process micro-benchmarks")
    ap.add_argument("--eval-grad", action="store_true", help="only the eval-with-grad benchmark (see above)")
    ap.add_argument("--eval-nograd", action="store_true", help="only the eval-under-no_grad benchmark (see above)")
    ap.add_argument("--baseline", help="--eval-grad/--eval-nograd: also run --nograd-check with the pytest_nograd "
                                       "package found in this folder (configuration 'base')")
    ap.add_argument("--width", type=int, default=64, help="--eval-grad, --eval-nograd: width of each block's Linear (default 64)")
    opts = ap.parse_args()
    if opts.eval_grad:
        return eval_loop("eval-grad", opts.width, opts.reps, opts.baseline)
    if opts.eval_nograd:
        return eval_loop("eval-nograd", opts.width, opts.reps, opts.baseline)
    if opts.micro:
        micro()
        return 0
    configs = SUITE_CONFIGS
    if opts.markers_baseline:
        configs = _add_baseline(opts.markers_baseline)
    walls = {c: [] for c in configs}
    bodies = {c: [] for c in configs}
    cpus = {c: [] for c in configs}
    # Test-body CPU time without the first test, which pays one-off imports (torch._dynamo
    # on the first optimizer step: seconds) that dilute per-test overheads.
    steady = {c: [] for c in configs}
    with tempfile.TemporaryDirectory(prefix="nograd-bench-") as tmp:
        root = Path(tmp)
        generate(root, opts.files, opts.tests)
        order = list(configs)
        run_once(root, "plain")  # warm-up: file system caches, .pyc files
        for rep in range(opts.reps):
            # Rotate the order so no configuration always runs first (or last).
            for config in order[rep % len(order):] + order[:rep % len(order)]:
                wall, body, cpu = run_once(root, config)
                walls[config].append(wall)
                bodies[config].append(body)
                cpus[config].append(cpu)
                steady[config].append(run_once.body_cpu - run_once.first_body_cpu)
                print(f"rep {rep + 1} {config:8s} wall {wall:6.2f} s  body {body:6.2f} s  cpu {cpu:6.2f} s  "
                      f"first test {run_once.first_body:5.2f} s  body cpu without it {steady[config][-1]:5.2f} s",
                      flush=True)
    n_tests = opts.files * opts.tests
    print(f"\n{n_tests} tests ({opts.files} files x {opts.tests}), {opts.reps} repetitions, python {sys.version.split()[0]}")
    base_w = statistics.median(walls["plain"])
    base_b = statistics.median(bodies["plain"])
    base_c = statistics.median(cpus["plain"])
    base_s = statistics.median(steady["plain"])
    for config in configs:
        rw = statistics.median(walls[config]) / base_w
        rb = statistics.median(bodies[config]) / base_b
        rc = statistics.median(cpus[config]) / base_c
        print(f"{config:8s} wall {summarize(walls[config])}  ratio {rw:.3f}")
        print(f"{'':8s} body {summarize(bodies[config])}  ratio {rb:.3f}")
        print(f"{'':8s} cpu  {summarize(cpus[config])}  ratio {rc:.3f}")
        print(f"{'':8s} body CPU without the first test {summarize(steady[config])}  "
              f"ratio {statistics.median(steady[config]) / base_s:.3f}")
    if "check" in configs:
        ratio = statistics.median(walls["check"]) / base_w
        print(f"\n--nograd-check / plain wall time: {ratio:.3f} (target <= 1.10): {'met' if ratio <= 1.10 else 'NOT met'}")
    ratio = statistics.median(bodies["markers"]) / base_b
    print(f"markers / plain test-body time: {ratio:.3f} (goal <= 1.10): {'met' if ratio <= 1.10 else 'NOT met'}")
    ratio = statistics.median(steady["markers"]) / base_s
    print(f"markers / plain test-body CPU time without the first test: {ratio:.3f}")
    if opts.json:
        Path(opts.json).write_text(json.dumps({"walls": walls, "bodies": bodies, "cpus": cpus, "steady_bodies": steady,
                                                "tests": n_tests}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
