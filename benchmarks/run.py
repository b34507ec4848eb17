#!/usr/bin/env python
"""The nogradlint benchmark suite (issue 6), from one command:

    python benchmarks/run.py              # everything: corpus, timings, memory, ratios
    python benchmarks/run.py --quick      # one repetition, no TorchFix, memory at 1x and 2x only
    python benchmarks/run.py --help

What it does:

1. Downloads a pinned corpus of real PyTorch package sources (timm, torchvision,
   pytorch-ignite, skorch) with ``pip download --no-deps`` into a cache folder outside the
   repository (``~/.cache/nogradlint-bench``, or ``--cache-dir`` / ``$NOGRADLINT_BENCH_CACHE``)
   and unpacks their ``.py`` files.
2. Runs, alternating and repeated: a bare ``libcst.parse_module`` of every file (one process),
   the ``ast.parse`` floor, nogradlint cold with ``--jobs 1`` and ``--jobs 2`` (``--no-cache``),
   nogradlint warm (nothing changed, and one file changed), TorchFix standalone (installed by
   this script into its own venv under the cache folder) and ruff (optional, same venv).
3. Measures the peak memory (max RSS) of nogradlint on the corpus and on 2x / 4x copies of it.
4. Prints medians, spreads and the ratios that issue 6 sets targets for.

Every tool runs as its own process; wall time, CPU time (user + system) and max RSS come from
``os.wait4``. Nothing here asserts a time: the ratios, measured side by side in one run, are
the claims. tests/lint/test_benchmarks_smoke.py runs these functions on a few small files.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tokenize
import zipfile
from typing import Callable, Optional

# Pinned for reproducibility: the corpus is exactly these wheels' .py files.
CORPUS = (
    # (folder under corpus/, pip requirement)
    ("timm", "timm==1.0.31"),
    ("torchvision", "torchvision==0.29.1"),
    ("pytorch_ignite", "pytorch-ignite==0.5.5"),
    ("skorch", "skorch==1.4.0"),
)
TORCHFIX = "torchfix==0.7.0"
RUFF = "ruff==0.17.5"

DEFAULT_CACHE = os.path.join(os.path.expanduser("~"), ".cache", "nogradlint-bench")
HERE = os.path.dirname(os.path.abspath(__file__))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# the corpus


def _dist_name(requirement: str) -> str:
    return requirement.split("==")[0].replace("-", "_").lower()


def fetch_corpus(cache_dir: str, packages=CORPUS, python: str = sys.executable) -> str:
    """Download the pinned wheels (once) and unpack their .py files into ``cache_dir/corpus``."""
    dl = os.path.join(cache_dir, "dl")
    corpus = os.path.join(cache_dir, "corpus")
    marker = os.path.join(corpus, ".complete")
    wanted = json.dumps([list(p) for p in packages])
    if os.path.exists(marker) and open(marker, encoding="utf-8").read() == wanted:
        return corpus
    os.makedirs(dl, exist_ok=True)
    for folder, requirement in packages:
        if _find_wheel(dl, requirement) is None:
            log(f"downloading {requirement} ...")
            subprocess.run([python, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                            "--quiet", "--dest", dl, requirement], check=True)
    if os.path.isdir(corpus):
        shutil.rmtree(corpus)
    for folder, requirement in packages:
        wheel = _find_wheel(dl, requirement)
        if wheel is None:
            raise SystemExit(f"pip download did not produce a wheel for {requirement}")
        target = os.path.join(corpus, folder)
        with zipfile.ZipFile(wheel) as zf:
            for member in zf.namelist():
                if member.endswith(".py") and ".dist-info/" not in member and not member.startswith("/") \
                        and ".." not in member.split("/"):
                    zf.extract(member, target)
    with open(marker, "w", encoding="utf-8") as fh:
        fh.write(wanted)
    return corpus


def _find_wheel(dl: str, requirement: str) -> Optional[str]:
    name, version = requirement.split("==")
    prefix = f"{_dist_name(name)}-{version}-"
    for entry in sorted(os.listdir(dl)) if os.path.isdir(dl) else ():
        if entry.lower().startswith(prefix) and entry.endswith(".whl"):
            return os.path.join(dl, entry)
    return None


def python_files(root: str) -> list:
    """The files nogradlint lints under ``root`` (its own discovery, default settings)."""
    from nogradlint.config import Settings
    from nogradlint.discover import discover

    s = Settings()
    return sorted(f.path for f in discover([root], s.exclude, s.root, s.respect_gitignore))


def count_lines(files: list) -> int:
    total = 0
    for path in files:
        with open(path, "rb") as fh:
            total += fh.read().count(b"\n")
    return total


def replicate(corpus: str, target: str, copies: int) -> str:
    """``copies`` copies of ``corpus`` under ``target``: real copies, not hard links (nogradlint
    lints a file reached through several links once, as it should)."""
    marker = os.path.join(target, ".complete-copies")
    if os.path.exists(marker):
        return target
    if os.path.isdir(target):
        shutil.rmtree(target)
    for i in range(copies):
        shutil.copytree(corpus, os.path.join(target, f"copy{i}"), ignore=shutil.ignore_patterns(".complete"))
    open(marker, "w").close()
    return target


# --------------------------------------------------------------------------------------------
# the parse floors (run as `python benchmarks/run.py _parse libcst|ast FILELIST`)


def read_source(path: str) -> str:
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        encoding, _ = tokenize.detect_encoding(iter(data.splitlines(keepends=True)).__next__)
        return data.decode(encoding, errors="replace")


def parse_all(files: list, parser: str) -> int:
    """Parse every file; the number that failed to parse."""
    if parser == "libcst":
        import libcst

        parse: Callable = libcst.parse_module
        errors: tuple = (libcst.ParserSyntaxError, RecursionError)
    else:
        parse = ast.parse
        errors = (SyntaxError, ValueError, RecursionError)
    failed = 0
    for path in files:
        try:
            parse(read_source(path))
        except errors:
            failed += 1
    return failed


# --------------------------------------------------------------------------------------------
# measuring one process


def measure(cmd: list, *, cwd: Optional[str] = None, stdout_path: Optional[str] = None,
            env: Optional[dict] = None) -> dict:
    """Run ``cmd``; wall seconds, CPU seconds (user + system of it and its children) and max RSS
    (KiB, of the largest process in its tree) from ``os.wait4``."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    err = tempfile.TemporaryFile()
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    finally:
        err.close()
        if stdout_path:
            out.close()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss,
            "rc": proc.returncode, "stderr_tail": stderr[-2000:]}


def summarize(samples: list) -> dict:
    walls = [s["wall"] for s in samples]
    cpus = [s["cpu"] for s in samples]
    med = statistics.median(walls)
    return {
        "n": len(samples), "wall_median": med, "wall_min": min(walls), "wall_max": max(walls),
        "spread_pct": 100.0 * (max(walls) - min(walls)) / med if med else 0.0,
        "cpu_median": statistics.median(cpus),
        "maxrss_mb": max(s["maxrss_kb"] for s in samples) / 1024.0,
    }


# --------------------------------------------------------------------------------------------
# the benchmarks


class Bench:
    """One named command, plus an optional ``before`` step (untimed) and ``check`` of its rc."""

    def __init__(self, name: str, cmd: list, *, before: Optional[Callable] = None, ok_rcs=(0,),
                 output: Optional[str] = None, reps: Optional[int] = None, env: Optional[dict] = None) -> None:
        self.name, self.cmd, self.before, self.ok_rcs = name, cmd, before, ok_rcs
        self.output, self.reps, self.env = output, reps, env
        self.samples: list = []

    def run(self, cwd: str) -> dict:
        if self.before is not None:
            self.before()
        sample = measure(self.cmd, cwd=cwd, stdout_path=self.output, env=self.env)
        if sample["rc"] not in self.ok_rcs:
            raise RuntimeError(f"{self.name}: exit {sample['rc']}\n{sample['stderr_tail']}")
        match = re.search(r"cache: (\d+) hits, (\d+) misses", sample["stderr_tail"])
        if match:
            sample["cache_hits"], sample["cache_misses"] = int(match.group(1)), int(match.group(2))
        self.samples.append(sample)
        return sample


def nogradlint_cmd(paths: list, *, jobs: int, cache_dir: Optional[str], output: str,
                   python: str = sys.executable) -> list:
    cmd = [python, "-m", "nogradlint", "--isolated", "--exit-zero", "--quiet", "--jobs", str(jobs),
           "--output-format", "json", "--output-file", output]
    cmd += ["--no-cache"] if cache_dir is None else ["--cache-dir", cache_dir]
    return cmd + list(paths)


def pick_changed_file(files: list) -> str:
    """The file the 'one file changed' run edits: a median-sized file that the linter parses
    (it mentions grad mode), so the figure includes a real parse and analysis."""
    candidates = []
    for path in files:
        text = read_source(path)
        if "no_grad" in text or "requires_grad" in text or "backward" in text:
            candidates.append((text.count("\n"), path))
    if not candidates:
        candidates = [(read_source(p).count("\n"), p) for p in files]
    candidates.sort()
    return candidates[len(candidates) // 2][1]


def tools_venv(cache_dir: str, packages: list) -> Optional[str]:
    """A venv under the cache folder with ``packages`` installed; its bin folder, or None."""
    venv = os.path.join(cache_dir, "tools-venv")
    bin_dir = os.path.join(venv, "Scripts" if os.name == "nt" else "bin")
    py = os.path.join(bin_dir, "python")
    try:
        if not os.path.exists(py):
            log(f"creating {venv} ...")
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        for package in packages:
            name = package.split("==")[0]
            shown = subprocess.run([py, "-m", "pip", "show", name], capture_output=True, text=True).stdout
            if f"Version: {package.split('==')[1]}\n" not in shown:
                log(f"installing {package} into {venv} ...")
                subprocess.run([py, "-m", "pip", "install", "--quiet", package], check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        log(f"warning: could not set up {venv}: {exc}")
        return None
    return bin_dir


def _append_edit(path: str, counter: list) -> Callable:
    def edit() -> None:
        counter[0] += 1
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"\n# nogradlint-bench edit {counter[0]}\n")
    return edit


def run_suite(corpus: str, work: str, *, reps: int = 3, torchfix_bin: Optional[str] = None,
              torchfix_reps: int = 1, ruff_bin: Optional[str] = None, jobs2: int = 2,
              memory_copies: tuple = (1, 2, 4), python: str = sys.executable) -> dict:
    """Every benchmark on ``corpus``, alternating, ``reps`` times; scratch space in ``work``."""
    os.makedirs(work, exist_ok=True)
    files = python_files(corpus)
    filelist = os.path.join(work, "files.txt")
    with open(filelist, "w", encoding="utf-8") as fh:
        fh.write("\n".join(files) + "\n")
    me = os.path.abspath(__file__)

    # The warm runs use their own copy of the corpus (one of its files gets edited).
    warm_corpus = os.path.join(work, "warm-corpus")
    if os.path.isdir(warm_corpus):
        shutil.rmtree(warm_corpus)
    shutil.copytree(corpus, warm_corpus, ignore=shutil.ignore_patterns(".complete"))
    warm_files = python_files(warm_corpus)
    changed = pick_changed_file(warm_files)
    cache = os.path.join(work, "nogradlint-cache")
    if os.path.isdir(cache):
        shutil.rmtree(cache)
    out = lambda name: os.path.join(work, f"{name}.json")  # noqa: E731
    # The warm runs print their cache hits and misses: a miss where none is expected (nogradlint's
    # own code changed between runs, e.g. an editable install being edited) shows in the report.
    debug_env = dict(os.environ, NOGRADLINT_CACHE_DEBUG="1")

    benches = [
        Bench("libcst.parse_module, every file", [python, me, "_parse", "libcst", filelist]),
        Bench("ast.parse, every file", [python, me, "_parse", "ast", filelist]),
        Bench("nogradlint cold --jobs 1", nogradlint_cmd([corpus], jobs=1, cache_dir=None, output=out("cold1"), python=python)),
        Bench(f"nogradlint cold --jobs {jobs2}", nogradlint_cmd([corpus], jobs=jobs2, cache_dir=None, output=out("cold2"), python=python)),
        Bench("nogradlint warm, nothing changed", nogradlint_cmd([warm_corpus], jobs=jobs2, cache_dir=cache, output=out("warm"), python=python),
              env=debug_env),
        Bench("nogradlint warm, one file changed", nogradlint_cmd([warm_corpus], jobs=jobs2, cache_dir=cache, output=out("warm1"), python=python),
              before=_append_edit(changed, [0]), env=debug_env),
    ]
    if torchfix_bin:
        # One process, like nogradlint --jobs 1 (TorchFix defaults to one worker per core).
        benches.append(Bench("TorchFix (standalone, -j 1)", [os.path.join(torchfix_bin, "torchfix"), "-j", "1", corpus],
                             ok_rcs=(0, 1), reps=torchfix_reps))
    if ruff_bin:
        benches.append(Bench("ruff check --select ALL", [os.path.join(ruff_bin, "ruff"), "check", "--no-cache",
                                                         "--select", "ALL", "--exit-zero", "--quiet", corpus]))

    # Fill the cache once (untimed); the warm runs then find every unchanged file in it.
    log("filling the cache for the warm runs ...")
    prime = measure(nogradlint_cmd([warm_corpus], jobs=jobs2, cache_dir=cache, output=out("prime"), python=python))
    if prime["rc"] != 0:
        raise RuntimeError(f"priming the cache failed:\n{prime['stderr_tail']}")

    for rep in range(reps):
        order = benches[rep % len(benches):] + benches[:rep % len(benches)]  # rotate: alternate
        for bench in order:
            if bench.reps is not None and len(bench.samples) >= bench.reps:
                continue
            sample = bench.run(cwd=work)
            log(f"  rep {rep + 1}/{reps}  {bench.name:<36} {sample['wall']:8.2f} s wall  "
                f"{sample['cpu']:8.2f} s cpu  {sample['maxrss_kb'] / 1024:7.1f} MB")

    results: dict = {b.name: summarize(b.samples) for b in benches if b.samples}
    cache_misses = {b.name: [s["cache_misses"] for s in b.samples if "cache_misses" in s]
                    for b in benches if any("cache_misses" in s for s in b.samples)}

    # Findings must not depend on jobs or the cache (a cheap check that each run did the work).
    findings = {}
    for key in ("cold1", "cold2", "warm"):
        with open(out(key), encoding="utf-8") as fh:
            findings[key] = len(json.load(fh))
    consistent = findings["cold1"] == findings["cold2"] == findings["warm"]

    # One file changed: what that file alone costs to parse, for comparison.
    text = read_source(changed)
    import libcst

    single = min(_timed(lambda: libcst.parse_module(text)) for _ in range(5))

    memory = []
    for copies in memory_copies:
        root = corpus if copies == 1 else replicate(corpus, os.path.join(work, f"corpus-x{copies}"), copies)
        for jobs in (1, jobs2):
            sample = measure(nogradlint_cmd([root], jobs=jobs, cache_dir=None, output=out("mem"), python=python), cwd=work)
            memory.append({"copies": copies, "jobs": jobs, "files": len(python_files(root)),
                           "maxrss_mb": sample["maxrss_kb"] / 1024.0, "wall": sample["wall"], "rc": sample["rc"]})
            log(f"  memory x{copies} --jobs {jobs}: {sample['maxrss_kb'] / 1024:.1f} MB, {sample['wall']:.1f} s")

    return {
        "files": len(files), "lines": count_lines(files), "reps": reps, "results": results,
        "findings": findings, "findings_consistent": consistent, "cache_misses": cache_misses,
        "changed_file": os.path.relpath(changed, warm_corpus), "changed_file_lines": text.count("\n"),
        "changed_file_parse_s": single, "memory": memory, "ratios": ratios(results, jobs2),
    }


def _timed(fn: Callable) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def ratios(results: dict, jobs2: int = 2) -> dict:
    def get(name: str, what: str = "wall_median") -> Optional[float]:
        r = results.get(name)
        return None if r is None else r[what]

    def div(a, b):
        return None if a is None or b is None or b == 0 else a / b

    parse = get("libcst.parse_module, every file")
    cold1 = get("nogradlint cold --jobs 1")
    cold2 = get(f"nogradlint cold --jobs {jobs2}")
    warm = get("nogradlint warm, nothing changed")
    warm1 = get("nogradlint warm, one file changed")
    torchfix = get("TorchFix (standalone, -j 1)")
    return {
        # (name, value, target, lower is better)
        "cold --jobs 1 / libcst parse": (div(cold1, parse), 1.25),
        "cold --jobs 1 / libcst parse (CPU time)": (div(get("nogradlint cold --jobs 1", "cpu_median"),
                                                        get("libcst.parse_module, every file", "cpu_median")), 1.25),
        f"cold --jobs {jobs2} / libcst parse": (div(cold2, parse), 0.7),
        "warm, nothing changed / cold --jobs 1": (div(warm, cold1), 0.05),
        "warm, one file changed / cold --jobs 1": (div(warm1, cold1), None),
        "TorchFix / nogradlint cold --jobs 1": (div(torchfix, cold1), None),
        "nogradlint cold --jobs 1 / TorchFix": (div(cold1, torchfix), 0.1),
        "nogradlint cold --jobs 1 / ast.parse": (div(cold1, get("ast.parse, every file")), None),
    }


# --------------------------------------------------------------------------------------------
# the report


def machine() -> dict:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        import libcst

        libcst_version = getattr(libcst, "__version__", "?")
        if libcst_version == "?":
            from importlib.metadata import version

            libcst_version = version("libcst")
    except Exception:
        libcst_version = "?"
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "libcst": libcst_version, "platform": platform.platform()}


def report(data: dict) -> str:
    m = data["machine"]
    lines = [
        f"machine: {m['cores']} cores, {m['cpu']}, Python {m['python']}, libcst {m['libcst']}",
        f"corpus: {data['files']} files, {data['lines']} lines; {data['reps']} repetitions, alternating",
        "",
        f"{'benchmark':<38} {'n':>2} {'median s':>9} {'min':>8} {'max':>8} {'spread':>7} {'cpu s':>8} {'max RSS':>9}",
    ]
    for name, r in data["results"].items():
        lines.append(f"{name:<38} {r['n']:>2} {r['wall_median']:>9.2f} {r['wall_min']:>8.2f} {r['wall_max']:>8.2f} "
                     f"{r['spread_pct']:>6.0f}% {r['cpu_median']:>8.2f} {r['maxrss_mb']:>7.0f}MB")
    lines += ["", "ratios (medians of wall time unless noted):"]
    for name, (value, target) in data["ratios"].items():
        if value is None:
            continue
        verdict = "" if target is None else ("  target <= %.2f: %s" % (target, "met" if value <= target else "NOT met"))
        lines.append(f"  {name:<42} {value:8.3f}{verdict}")
    lines += [
        "",
        f"one file changed: {data['changed_file']} ({data['changed_file_lines']} lines); "
        f"its libcst parse alone: {data['changed_file_parse_s'] * 1000:.0f} ms",
        f"findings: {data['findings']} ({'same' if data['findings_consistent'] else 'DIFFERENT'} across --jobs and the cache)",
        "cache misses per warm run (expected 0 and 1): "
        + "; ".join(f"{name}: {misses}" for name, misses in data.get("cache_misses", {}).items()),
        "",
        "peak memory (max RSS of the largest nogradlint process, --no-cache):",
    ]
    for row in data["memory"]:
        lines.append(f"  corpus x{row['copies']} ({row['files']} files) --jobs {row['jobs']}: "
                     f"{row['maxrss_mb']:.0f} MB, {row['wall']:.1f} s")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["_parse"]:  # internal: one parse-floor process
        _, parser, filelist = argv
        with open(filelist, encoding="utf-8") as fh:
            files = [line for line in fh.read().splitlines() if line]
        parse_all(files, parser)
        return 0

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cache-dir", default=os.environ.get("NOGRADLINT_BENCH_CACHE", DEFAULT_CACHE),
                   help="where the corpus, the tools venv and scratch files live (default %(default)s)")
    p.add_argument("--reps", type=int, default=3, help="repetitions of each benchmark (default 3)")
    p.add_argument("--quick", action="store_true", help="1 repetition, no TorchFix, memory at 1x and 2x only")
    p.add_argument("--no-torchfix", action="store_true", help="skip TorchFix (it takes minutes per run)")
    p.add_argument("--torchfix-reps", type=int, default=1, help="TorchFix repetitions (default 1)")
    p.add_argument("--no-ruff", action="store_true", help="skip ruff")
    p.add_argument("--jobs", type=int, default=2, help="worker count of the parallel runs (default 2)")
    p.add_argument("--corpus", help="lint this folder instead of the downloaded corpus")
    p.add_argument("--memory-copies", metavar="N,N", default=None,
                   help="corpus copies for the peak-memory runs (default 1,2,4; 1,2 with --quick)")
    p.add_argument("--json", metavar="FILE", help="also write the raw figures as JSON")
    args = p.parse_args(argv)
    if args.quick:
        args.reps, args.no_torchfix = 1, True
    cache_dir = os.path.abspath(os.path.expanduser(args.cache_dir))
    os.makedirs(cache_dir, exist_ok=True)
    corpus = os.path.abspath(args.corpus) if args.corpus else fetch_corpus(cache_dir)

    tools = ([] if args.no_torchfix else [TORCHFIX]) + ([] if args.no_ruff else [RUFF])
    bin_dir = tools_venv(cache_dir, tools) if tools else None
    torchfix_bin = bin_dir if bin_dir and not args.no_torchfix else None
    ruff_bin = bin_dir if bin_dir and not args.no_ruff else None

    log(f"corpus: {corpus}")
    data = run_suite(corpus, os.path.join(cache_dir, "work"), reps=args.reps, torchfix_bin=torchfix_bin,
                     torchfix_reps=min(args.torchfix_reps, args.reps), ruff_bin=ruff_bin, jobs2=args.jobs,
                     memory_copies=tuple(int(n) for n in args.memory_copies.split(",")) if args.memory_copies
                     else (1, 2) if args.quick else (1, 2, 4))
    data["machine"] = machine()
    data["command"] = "python benchmarks/run.py " + " ".join(argv)
    data["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    sys.stdout.write(report(data))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
