"""Property-based tests: the linter never raises, and ``--fix --unsafe-fixes`` output always
parses and is idempotent.

Two program sources: hypothesmith (any valid Python, from the grammar and from libcst's node
types) and ``fuzz_programs.torch_programs()`` (torch-flavoured training and evaluation code with
every grad-mode spelling). The normal run uses a small derandomized profile; ``NOGRADLINT_FUZZ=long``
runs the long profile (see docs/reliability.md for the command and what it covered).
"""

from __future__ import annotations

import json
import os

import hypothesmith
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from nogradlint import cli
from nogradlint.fixes.apply import choose_fixes, plan_fixes
from nogradlint.registry import all_rules
from nogradlint.runner import lint_text

from .fuzz_programs import compiles, fix_until_stable, libcst_parses, profile, tick, torch_programs

# Appended to hypothesmith programs: a comment with every rule's trigger words, so the file is
# parsed by libcst and walked by every rule instead of taking the cheap no-trigger path.
TRIGGER_COMMENT = "\n# torch no_grad inference_mode set_grad_enabled .backward( .detach( .data .eval( closure autograd\n"


def _check_lint_and_fix(source: str) -> None:
    findings = lint_text(source, path="fuzz.py")
    for f in findings:
        assert f.line >= 1 and f.column >= 1 and (f.end_line, f.end_column) >= (f.line, f.column), f
        assert f.code in {r.code for r in all_rules()}, f
    if not compiles(source):
        return  # the linter must not crash on it (checked above); fixes are checked on valid code only
    run = fix_until_stable(source)
    assert not run.rejected, "a fix was rejected because it would break the code: " + "; ".join(
        f"{f.code} at {f.line}:{f.column}: {reason}" for f, reason in run.rejected)
    assert run.rounds < cli.MAX_FIX_ROUNDS, f"fixes did not settle after {run.rounds} rounds:\n{run.text}"
    # libcst refuses a few programs CPython compiles (e.g. a backslash continuation before CRLF at
    # the end: '\n\\\r\n', found by the long run); those are NG900 and get no fixes.
    assert libcst_parses(run.text) or not libcst_parses(source)
    assert compiles(run.text), f"the fixed code does not compile:\n{run.text}"
    # Idempotent: a second --fix run finds nothing more to fix and changes nothing.
    again = fix_until_stable(run.text)
    assert again.text == run.text and again.rounds == 0
    assert not choose_fixes(again.findings, unsafe=True)


@profile(fast_examples=30)
@given(torch_programs())
def test_torch_programs_lint_and_fix(source):
    tick("torch_programs")
    assert compiles(source), source  # the generator only builds valid programs
    _check_lint_and_fix(source)


@example("\n\\\r\n")  # compiles, but libcst cannot parse it (long run, 2026-11-26)
@profile(fast_examples=15)
@given(hypothesmith.from_grammar())
def test_hypothesmith_grammar_programs(source):
    tick("hypothesmith_grammar")
    _check_lint_and_fix(source)
    if source.endswith("\n"):
        _check_lint_and_fix(source + TRIGGER_COMMENT)


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith compiles odd literals like `1[2]`
@profile(fast_examples=5)
@given(hypothesmith.from_node())
def test_hypothesmith_node_programs(source):
    tick("hypothesmith_node")
    assume(libcst_parses(source))
    _check_lint_and_fix(source + ("" if source.endswith("\n") else "\n") + TRIGGER_COMMENT)


@profile(fast_examples=10)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(source):
    tick("arbitrary_text")
    # Mostly not Python at all: syntax errors, NUL bytes, lone surrogates, stray line breaks.
    source = "import torch\n" + source
    lint_text(source, path="fuzz.py")
    lint_text(source, path="fuzz.ipynb")


def _notebook(cells: list) -> str:
    return json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                   "source": cell.splitlines(keepends=True)} for cell in cells],
        "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5,
    }, indent=1) + "\n"


@profile(fast_examples=8)
@given(st.lists(st.one_of(torch_programs(), st.just("")), min_size=1, max_size=3), st.booleans())
def test_notebooks_lint_and_fix(sources, magic):
    """The same programs as notebook cells (with an IPython magic line, and empty cells): fixes keep the notebook
    valid JSON, every cell still compiles, and a second round changes nothing."""
    tick("notebooks")
    cells = [("%matplotlib inline\n" if magic else "") + src.replace("\r\n", "\n") for src in sources]
    text = _notebook(cells)
    for _ in range(cli.MAX_FIX_ROUNDS):
        findings = lint_text(text, path="fuzz.ipynb")
        plan = plan_fixes(text, findings, unsafe=True, notebook=True)
        assert not plan.rejected, plan.rejected
        if not plan.changed:
            break
        text = plan.new
    else:
        raise AssertionError("notebook fixes did not settle")
    nb = json.loads(text)
    assert len(nb["cells"]) == len(cells)
    for cell in nb["cells"]:
        code = "".join(cell["source"])
        assert compiles(code.replace("%matplotlib inline\n", "", 1)), code


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@profile(fast_examples=6)
@given(st.lists(torch_programs(), min_size=1, max_size=3))
def test_cli_fix_unsafe_fixes_on_generated_files(project, capsys, sources):
    """The real command line in-process: exit 0 or 1 (never 2, never an internal error), the files
    still compile, and a second ``--fix`` run changes no byte."""
    tick("cli_fix")
    names = []
    for i, source in enumerate(sources):
        name = f"gen_{i}.py"
        with open(project / name, "w", encoding="utf-8", newline="") as fh:
            fh.write(source)
        names.append(name)
    capsys.readouterr()
    rc = cli.main(["--no-cache", "--fix", "--unsafe-fixes", *names])
    err = capsys.readouterr().err
    assert rc in (0, 1), err
    assert "nogradlint: error" not in err and "internal error" not in err, err
    first = {n: (project / n).read_bytes() for n in names}
    for n in names:
        assert compiles(first[n].decode("utf-8")), first[n]
    rc = cli.main(["--no-cache", "--fix", "--unsafe-fixes", *names])
    out, err = capsys.readouterr()
    assert rc in (0, 1), err
    assert {n: (project / n).read_bytes() for n in names} == first
    assert " fixed, " not in out  # the summary counts no fix: "Found N errors (M fixed, K remaining)."


def test_profiles_are_what_the_docs_say():
    # The fast profile must stay fast and stable in CI; the long one is opt-in.
    from hypothesis import settings

    fast = settings.get_profile("nogradlint-fast")
    assert fast.derandomize and fast.deadline is None
    assert os.environ.get("NOGRADLINT_FUZZ", "fast") in ("fast", "long")


# Found by the long fuzz run: NG001's unsafe fix added `import torch` at line 1 of a cell whose
# first line is an IPython magic, and the fix engine rejected the edit. The fix now uses the name
# the notebook already imported (`ng`) and imports nothing.
def test_notebook_fix_when_the_cell_starts_with_a_magic():
    cell = ("%matplotlib inline\nfrom torch import no_grad as ng\ndef evaluate(model, loader):\n"
            "    model.eval()\n    for x in loader:\n        out = model(x)\n")
    text = _notebook([cell])
    findings = lint_text(text, path="fuzz.ipynb")
    assert [f.code for f in findings] == ["NG001"]
    plan = plan_fixes(text, findings, unsafe=True, notebook=True)
    assert plan.rejected == [] and plan.changed
    assert "import torch" not in plan.new and "with ng():" in plan.new


def test_notebook_fix_uses_the_torch_imported_in_an_earlier_cell():
    # Reported from the notebook tests: the fix added `import torch` to a later cell although the
    # first cell imports it (each cell is parsed alone, but runs after the cells above it).
    cells = ["import torch as T\n", "def evaluate(model, loader):\n    model.eval()\n    for x in loader:\n        out = model(x)\n"]
    text = _notebook(cells)
    findings = lint_text(text, path="nb.ipynb")
    assert [f.code for f in findings] == ["NG001"]
    plan = plan_fixes(text, findings, unsafe=True, notebook=True)
    assert plan.rejected == [] and plan.changed
    edits = [e.content for f in findings for e in f.fix.edits]
    assert any("T.no_grad()" in e for e in edits)
    assert not any("import torch" in e for e in edits)
