"""Third-party rules: a tiny external package registers a rule through the ``nogradlint``
entry-point group (a real ``*.dist-info`` with ``entry_points.txt`` on the path), and its
findings, ``--list-rules`` and ``--explain`` work; broken plug-ins give one-line errors."""

from __future__ import annotations

import itertools
import json
import os
import sys
import textwrap

import pytest

from nogradlint import registry, runner

from .cli_helpers import assert_one_line_error, run_cli, run_main, write

_counter = itertools.count()

RULE_MODULE = '''
import libcst as cst

from nogradlint import hookimpl
from nogradlint.rules.base import SAFE, Rule, RuleDocs


class CudaSync(Rule):
    """Flags ``torch.cuda.synchronize()`` inside loops (a made-up third-party rule)."""

    code = "XTR001"
    name = "cuda-sync-in-loop"
    message = "`torch.cuda.synchronize()` in a loop stalls the GPU pipeline"
    triggers = (r"synchronize",)
    docs = RuleDocs(
        what="Finds `torch.cuda.synchronize()` calls inside loops.",
        why="Each call waits for every queued kernel.",
        example="for x in loader:\\n    torch.cuda.synchronize()\\n",
        use_instead="for x in loader:\\n    pass\\n",
    )
    VALID = ("torch.cuda.synchronize()\\n",)
    INVALID = ("for x in y:\\n    torch.cuda.synchronize()\\n",)

    def __init__(self, ctx):
        super().__init__(ctx)
        self.loops = 0

    def visit_For(self, node):
        self.loops += 1

    def leave_For(self, node):
        self.loops -= 1

    def visit_Call(self, node):
        func = node.func
        if self.loops and isinstance(func, cst.Attribute) and func.attr.value == "synchronize":
            self.report(node)
'''


def make_plugin(site, body: str = RULE_MODULE, hook: str = "return [CudaSync]", dist: str = "nogradlint-extra") -> str:
    """A package folder and its dist-info under ``site``; returns the (unique) module name."""
    package = f"nogradlint_extra_{next(_counter)}"
    write(os.path.join(site, package, "__init__.py"), "")
    write(os.path.join(site, package, "plugin.py"),
          body + f"\n\n@hookimpl\ndef nogradlint_rules():\n    {hook}\n")
    info = os.path.join(site, f"{dist.replace('-', '_')}-1.0.dist-info")
    write(os.path.join(info, "METADATA"), f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    write(os.path.join(info, "entry_points.txt"), f"[nogradlint]\nextra = {package}.plugin\n")
    write(os.path.join(info, "RECORD"), "")
    return package


SOURCE = "import torch\nfor batch in loader:\n    out = batch.cuda(non_blocking=True)\n    torch.cuda.synchronize()\n"


def test_external_rule_package_real_command(tmp_path):
    site = tmp_path / "site"
    make_plugin(site)
    write(tmp_path / "proj" / "train.py", SOURCE)
    env = {"PYTHONPATH": os.pathsep.join([str(site)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])}

    listed = run_cli("--list-rules", env=env)
    assert listed.rc == 0
    row = next(line for line in listed.out.splitlines() if line.startswith("XTR001"))
    assert "cuda-sync-in-loop" in row

    r = run_cli("--no-cache", "--extend-select", "XTR", "--output-format", "json", "proj", cwd=tmp_path, env=env)
    assert r.rc == 1, r
    assert [(d["code"], d["name"], d["path"], d["line"], d["column"]) for d in json.loads(r.out)] == [
        ("XTR001", "cuda-sync-in-loop", "proj/train.py", 4, 5)
    ]
    # Third-party codes have their own prefix: off until selected (the default selection is "NG").
    assert run_cli("--no-cache", "proj", cwd=tmp_path, env=env).rc == 0
    explained = run_cli("--explain", "XTR001", env=env)
    assert explained.rc == 0 and explained.out.startswith("# cuda-sync-in-loop (XTR001)")
    # without the package on the path the code is unknown
    assert_one_line_error(run_cli("--extend-select", "XTR", "proj", cwd=tmp_path), "'XTR'")


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder on sys.path for plug-in packages, with the registry reset around the test."""
    path = tmp_path / "site"
    path.mkdir()
    monkeypatch.syspath_prepend(str(path))
    registry.reset()
    runner._TRIGGERS.clear()
    before = set(sys.modules)
    yield str(path)
    for name in set(sys.modules) - before:
        if name.startswith("nogradlint_extra_"):
            del sys.modules[name]
    registry.reset()
    runner._TRIGGERS.clear()


def test_external_rule_in_process(site, tmp_path, capsys, monkeypatch):
    make_plugin(site)
    write(tmp_path / "t.py", SOURCE)
    monkeypatch.chdir(tmp_path)
    assert "XTR001" in [r.code for r in registry.all_rules()]
    write(tmp_path / "pyproject.toml", '[tool.nogradlint]\nextend-select = ["XTR001"]\n')
    r = run_main(capsys, "--no-cache", "-q", "t.py")
    assert r.out.splitlines() == ["t.py:4:5: XTR001 `torch.cuda.synchronize()` in a loop stalls the GPU pipeline"]
    assert run_main(capsys, "--no-cache", "--ignore", "XTR", "t.py").rc == 0


def test_plugin_returning_a_non_rule(site, capsys):
    make_plugin(site, hook="return [CudaSync, 'NG777']")
    assert_one_line_error(run_main(capsys, "--list-rules"), "returned 'NG777'", "not a Rule subclass")


def test_plugin_returning_an_instance(site, capsys):
    make_plugin(site, hook="return [CudaSync(None)]")
    assert_one_line_error(run_main(capsys, "--list-rules"), "not a Rule subclass")


def test_plugin_with_a_trigger_that_is_no_regex(site, capsys):
    make_plugin(site, body=RULE_MODULE.replace('triggers = (r"synchronize",)', 'triggers = (r"sync(",)'))
    assert_one_line_error(run_main(capsys, "--list-rules"), "CudaSync.triggers", "'sync('", "is not a regex")


def test_plugin_rule_with_a_gate_and_confirm_trigger(site, tmp_path, capsys, monkeypatch):
    # Parsed only where the confirm matches too: a file that names `synchronize` outside a loop
    # costs no parse, and the rule still finds the call in a loop.
    make_plugin(site, body=RULE_MODULE.replace('triggers = (r"synchronize",)',
                                               'triggers = ((r"synchronize", r"(?m)^\\s*(?:for|while)\\b"),)'))
    write(tmp_path / "t.py", SOURCE)
    monkeypatch.chdir(tmp_path)
    r = run_main(capsys, "--no-cache", "-q", "--extend-select", "XTR001", "t.py")
    assert r.out.splitlines() == ["t.py:4:5: XTR001 `torch.cuda.synchronize()` in a loop stalls the GPU pipeline"]


def test_plugin_with_a_duplicate_code(site, capsys):
    make_plugin(site, body=RULE_MODULE.replace('"XTR001"', '"NG006"'))
    r = run_main(capsys, "--no-cache", ".")
    assert_one_line_error(r, "two rules use the code NG006", "NoOpGradCall", "CudaSync")


def test_two_plugins_with_the_same_code(site, capsys):
    make_plugin(site, dist="first-extra")
    make_plugin(site, dist="second-extra")
    assert_one_line_error(run_main(capsys, "--list-rules"), "two rules use the code XTR001")


def test_plugin_with_bad_metadata(site, capsys):
    make_plugin(site, body=RULE_MODULE.replace('code = "XTR001"', 'code = "xtr-1"'))
    assert_one_line_error(run_main(capsys, "--list-rules"), "CudaSync.code 'xtr-1' is not like 'NG001'")
    registry.reset()


def test_plugin_without_docs(site, capsys):
    body = RULE_MODULE.replace("    docs = RuleDocs(", "    _docs = RuleDocs(")
    make_plugin(site, body=body)
    assert_one_line_error(run_main(capsys, "--list-rules"), "CudaSync has no `docs`")


def test_plugin_that_fails_to_import(site, capsys):
    make_plugin(site, body="raise ImportError('needs a GPU build of something')\n" + RULE_MODULE)
    assert_one_line_error(run_main(capsys, "--list-rules"), "cannot load a nogradlint plug-in",
                          "needs a GPU build of something")


def test_broken_plugin_real_command_has_no_traceback(tmp_path):
    site = tmp_path / "site"
    make_plugin(site, hook="return [42]")
    r = run_cli("--list-rules", env={"PYTHONPATH": str(site)})
    assert_one_line_error(r, "returned 42")


def test_hookspec_documents_the_entry_point_group():
    from nogradlint import hookspecs

    assert hookspecs.PROJECT == "nogradlint"
    assert "[project.entry-points.nogradlint]" in textwrap.dedent(hookspecs.__doc__)


def test_the_readme_plugin_example_works(site, tmp_path, capsys, monkeypatch):
    from .cli_helpers import REPO

    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    block = readme.split("```python\n# myrules/plugin.py\n", 1)[1].split("```", 1)[0]
    package = f"nogradlint_extra_{next(_counter)}"
    write(os.path.join(site, package, "__init__.py"), "")
    write(os.path.join(site, package, "plugin.py"), block)
    info = os.path.join(site, "myrules-1.0.dist-info")
    write(os.path.join(info, "METADATA"), "Metadata-Version: 2.1\nName: myrules\nVersion: 1.0\n")
    write(os.path.join(info, "entry_points.txt"), f"[nogradlint]\nmyrules = {package}.plugin\n")
    write(tmp_path / "t.py", SOURCE)
    monkeypatch.chdir(tmp_path)
    r = run_main(capsys, "--no-cache", "-q", "--extend-select", "XTR", "t.py")
    assert r.out.splitlines() == ["t.py:4:5: XTR001 `torch.cuda.synchronize()` in a loop stalls the GPU pipeline"]
