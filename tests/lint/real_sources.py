"""Lint every ``.py`` file under the given folders and report anything that is not an ordinary
result: an exception out of the linter (a crash), and the NG900 diagnostics with their reasons.

    python tests/lint/real_sources.py [--force-parse] [--jobs N] PATH...

``--force-parse`` makes every file reach libcst and the walker, also those without any rule's
trigger words (which the linter normally only checks with CPython's parser): the robustness test
of the parser guards and the analysis on all the code there is. Each file is linted in a worker
process, so even a segmentation fault is caught and blamed on its file. Exit status 1 if any file
crashed. Used by tests/lint/test_real_sources.py and documented in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import multiprocessing
import os
import re
import sys
import time
import traceback

from nogradlint import runner
from nogradlint.config import Settings
from nogradlint.discover import discover, module_name
from nogradlint.registry import all_rules


def _force_parse() -> None:
    everything = re.compile("")
    runner._trigger_regex = lambda *args, **kwargs: everything


def lint_one(args) -> dict:
    path, force = args
    if force:
        _force_parse()
    codes = tuple(r.code for r in all_rules())
    module, is_package = module_name(path)
    job = runner.LintJob(path, path, codes, Settings(), module, is_package)
    try:
        result = runner.lint_job(job)
    except BaseException as exc:  # noqa: BLE001 - a crash is what we are looking for
        return {"path": path, "crash": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
    ng900 = [f.message for f in result.findings if f.code == "NG900"]
    return {"path": path, "findings": len(result.findings) - len(ng900), "ng900": ng900, "parsed": result.parsed}


def run(paths: list, force: bool, jobs: int) -> dict:
    # The default excludes (.git, .venv, build, ...) and installed packages: the standard
    # library's folder holds site-packages, which is not the standard library.
    exclude = tuple(Settings().exclude) + ("site-packages", "dist-packages")
    files = [f.path for f in discover(paths, exclude, os.getcwd(), False)]
    files = [f for f in files if f.endswith(".py")]
    crashes, ng900, ng900_files, parsed, findings = [], collections.Counter(), [], 0, 0
    started = time.monotonic()
    ctx = multiprocessing.get_context("fork") if sys.platform != "win32" else None
    pending = list(files)
    # One pool per batch: a worker that dies (a segfault in the native parser) breaks the pool;
    # the files of that batch are then linted one per process to find the culprit.
    while pending:
        batch, pending = pending[:200], pending[200:]
        try:
            with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=ctx) as pool:
                results = list(pool.map(lint_one, [(f, force) for f in batch], chunksize=4))
        except concurrent.futures.process.BrokenProcessPool:
            results = []
            for f in batch:
                try:
                    with concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx) as pool:
                        results.append(pool.submit(lint_one, (f, force)).result())
                except concurrent.futures.process.BrokenProcessPool:
                    results.append({"path": f, "crash": "the process died (segmentation fault?)"})
        for r in results:
            if "crash" in r:
                crashes.append(r)
                continue
            parsed += r["parsed"]
            findings += r["findings"]
            for message in r["ng900"]:
                ng900[re.sub(r"\d+", "N", message)] += 1
                ng900_files.append(f"{r['path']}: {message}")
    return {
        "files": len(files),
        "parsed_by_libcst": parsed,
        "findings": findings,
        "ng900": dict(ng900.most_common()),
        "ng900_files": ng900_files,
        "crashes": crashes,
        "seconds": round(time.monotonic() - started, 1),
        "force_parse": force,
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("paths", nargs="+")
    p.add_argument("--force-parse", action="store_true")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = p.parse_args(argv)
    report = run(args.paths, args.force_parse, args.jobs)
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 1 if report["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
