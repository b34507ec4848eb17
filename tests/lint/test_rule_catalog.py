"""Start-up (issue 11): the built-in rules' metadata is generated data (lint/rules/catalog.py), so
information commands and runs whose files are all cache hits import neither the rule modules nor
libcst, pluggy or importlib.metadata; the output is what a run that lints prints.

The import checks run the real entry point in a fresh interpreter and then read ``sys.modules``
(no timing is asserted; docs/benchmarks.md has the figures)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from nogradlint import registry
from nogradlint.rules.base import RuleInfo
from nogradlint.rules.builtin import BUILTIN_RULES
from nogradlint.rules.catalog import BUILTIN

from .cli_helpers import REPO, run_cli
from .test_plugins import SOURCE, make_plugin

SCRIPT = os.path.join(REPO, "scripts", "generate_rule_catalog.py")
HEAVY = ("libcst", "nogradlint.runner", "nogradlint.rules.builtin", "pluggy", "importlib.metadata")

# Runs the entry point in this interpreter, then writes what it printed, its exit code and the
# modules it imported (the heavy ones) as JSON to the file named by the first argument.
WRAPPER = """
import contextlib, io, json, sys
from nogradlint.entry import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    rc = main(sys.argv[2:])
heavy = {heavy!r}
with open(sys.argv[1], "w", encoding="utf-8") as fh:
    json.dump({{"rc": rc, "out": out.getvalue(), "imported": [m for m in heavy if m in sys.modules]}}, fh)
""".format(heavy=HEAVY)


def run_traced(tmp_path, *args: str, cwd, env=None) -> dict:
    report = tmp_path / f"trace-{len(list(tmp_path.glob('trace-*')))}.json"
    full_env = dict(os.environ)
    full_env.pop("NOGRADLINT_DEBUG", None)
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "-c", WRAPPER, str(report), *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(report.read_text(encoding="utf-8"))
    result["err"] = proc.stderr
    return result


@pytest.fixture
def project(tmp_path):
    """A copy of the shipped examples (scripts, a package, a notebook; findings with and without
    fixes and cross-file conditions)."""
    shutil.copytree(os.path.join(REPO, "examples"), tmp_path / "proj" / "examples")
    return tmp_path / "proj"


def test_committed_catalog_matches_the_rule_classes():
    r = subprocess.run([sys.executable, SCRIPT, "--check"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert BUILTIN == tuple(sorted((RuleInfo.of(rule) for rule in BUILTIN_RULES), key=lambda i: i.code))


def test_check_fails_on_a_stale_catalog(tmp_path):
    stale = tmp_path / "catalog.py"
    with open(os.path.join(REPO, "lint", "rules", "catalog.py"), encoding="utf-8") as fh:
        text = fh.read()
    stale.write_text(text.replace("file cannot be linted", "file cannot be read"), encoding="utf-8")
    r = subprocess.run([sys.executable, SCRIPT, "--check", "--output", str(stale)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 1 and "is stale" in r.stderr


def test_catalog_and_classes_agree_in_process():
    registry.reset()
    try:
        assert registry.rule_catalog() == tuple(RuleInfo.of(rule) for rule in registry.all_rules())
    finally:
        registry.reset()


def test_warm_cached_run_imports_no_libcst_and_prints_the_same(tmp_path, project):
    cold = run_traced(tmp_path, "examples", cwd=project)
    # The check can fail: linting imports the runner and libcst (the rules: in the workers).
    assert {"libcst", "nogradlint.runner"} <= set(cold["imported"])
    assert cold["rc"] == 1 and "NG001" in cold["out"]
    warm = run_traced(tmp_path, "examples", cwd=project, env={"NOGRADLINT_CACHE_DEBUG": "1"})
    assert "0 misses" in warm["err"]
    assert warm["imported"] == []
    assert (warm["rc"], warm["out"]) == (cold["rc"], cold["out"])
    uncached = run_traced(tmp_path, "--no-cache", "examples", cwd=project)
    assert (uncached["rc"], uncached["out"]) == (cold["rc"], cold["out"])
    for args in (("--output-format", "json"), ("--output-format", "sarif"), ("--statistics",),
                 ("--select", "NG003,NG004",)):
        linted = run_traced(tmp_path, "--no-cache", *args, "examples", cwd=project)
        cached = run_traced(tmp_path, *args, "examples", cwd=project)
        cached_again = run_traced(tmp_path, *args, "examples", cwd=project)
        assert cached_again["imported"] == [], args
        assert (cached["rc"], cached["out"]) == (cached_again["rc"], cached_again["out"])
        assert (cached["rc"], cached["out"]) == (linted["rc"], linted["out"])


@pytest.mark.parametrize("args", [
    ("--version",),
    ("--list-rules",),
    ("--explain", "NG003"),
    ("--explain", "unused-noqa"),
    ("--show-settings", "examples/dcgan.py"),
    ("--show-files", "examples"),
    ("--select", "NG999", "examples"),  # a usage error: exit 2, one line
])
def test_information_commands_import_no_libcst(tmp_path, project, args):
    traced = run_traced(tmp_path, *args, cwd=project)
    assert traced["imported"] == [], args
    real = run_cli(*args, cwd=project)
    assert (traced["rc"], traced["out"]) == (real.rc, real.out)


def test_list_rules_and_explain_read_the_catalog(tmp_path, project):
    listed = run_traced(tmp_path, "--list-rules", cwd=project)["out"].splitlines()
    assert [line.split()[0] for line in listed] == [info.code for info in BUILTIN]
    assert any(line.startswith("NG901  unused-noqa") and "[*]" in line for line in listed)
    explained = run_traced(tmp_path, "--explain", "NG900", cwd=project)["out"]
    assert explained.startswith("# unreadable-file (NG900)\n\nMessage: file cannot be linted\n")


def test_plugin_rules_on_a_warm_run(tmp_path, project):
    # A third-party rule still registers (its package may import what it likes), and its cached
    # findings are reported; the built-in rules still come from the catalog.
    site = tmp_path / "site"
    make_plugin(site)
    (project / "train.py").write_text(SOURCE, encoding="utf-8")
    paths = [str(site)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    env = {"PYTHONPATH": os.pathsep.join(paths)}
    cold = run_traced(tmp_path, "--extend-select", "XTR", "train.py", cwd=project, env=env)
    warm = run_traced(tmp_path, "--extend-select", "XTR", "train.py", cwd=project,
                      env={**env, "NOGRADLINT_CACHE_DEBUG": "1"})
    assert "0 misses" in warm["err"]
    assert "XTR001" in cold["out"] and (warm["rc"], warm["out"]) == (cold["rc"], cold["out"])
    assert "nogradlint.rules.builtin" not in warm["imported"] and "pluggy" in warm["imported"]
    listed = run_traced(tmp_path, "--list-rules", cwd=project, env=env)["out"]
    assert "XTR001  cuda-sync-in-loop" in listed and "NG001  eval-loop-without-no-grad" in listed
