"""Notebooks: linted cell by cell (code cells only, IPython syntax masked without moving lines),
reported with their cell, fixed in place without touching anything but the edited sources."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from nogradlint import cli
from nogradlint.fixes.apply import plan_fixes
from nogradlint.rules.base import Edit, Finding, Fix
from nogradlint.source.notebook import cell_source_spans, load_notebook, mask_ipython_lines, replace_cell_sources


def run_cli(*args, cwd=None):
    proc = subprocess.run([sys.executable, "-m", "nogradlint", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def make_notebook(path, cells, **metadata):
    nb = new_notebook(cells=cells)
    nb.metadata.update({"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                        "language_info": {"name": "python", "version": "3.11"}})
    nb.metadata.update(metadata)
    nbformat.write(nb, str(path))
    return path.read_text(encoding="utf-8")


def eval_notebook(path):
    """Imports in cell 1, a markdown cell, magics, and the bug in cell 4 after two magic lines."""
    return make_notebook(path, [
        new_code_cell("import torch as T\nimport numpy as np", execution_count=1),
        new_markdown_cell("Evaluation: `with torch.no_grad:` is the bug we look for — café"),
        new_code_cell("%matplotlib inline\n!pip list | head\nfiles = !ls", outputs=[
            new_output("stream", name="stdout", text="Package Version\n")], execution_count=2),
        new_code_cell("%load_ext autoreload\n!echo start\nwith T.no_grad:\n    preds = model(x)\nT.no_grad()",
                      outputs=[new_output("execute_result", data={"text/plain": "tensor([1.])"},
                                          execution_count=3)], execution_count=3),
        new_raw_cell("with T.no_grad:\n    raw"),
    ])


# -- masking -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source,masked_lines,expected",
    [
        ("%matplotlib inline\nx = 1\n", {1}, "pass\nx = 1\n"),
        ("!pip install x\n  !ls\ny = !pwd\nobj?\n??obj\n", {1, 2, 3, 4, 5}, "pass\n  pass\npass\npass\npass\n"),
        # a shell command continued over lines: the continuation is a comment (an indented `pass`
        # at the top level would not compile)
        ("!ls \\\n  -la\nx = 1", {1, 2}, "pass\n#\nx = 1"),
        ("if ok:\n    !python train.py \\\n        --epochs 3 \\\n        --lr 0.1\n    y = 2\n", {2, 3, 4},
         "if ok:\n    pass\n#\n#\n    y = 2\n"),
        # a % or ! continuing an expression, or inside a string, is Python
        ("s = ('%d'\n     % n)\nt = '''\n!not shell\n'''\n", set(), "s = ('%d'\n     % n)\nt = '''\n!not shell\n'''\n"),
        ("x = (a\n     != b)\n", set(), "x = (a\n     != b)\n"),
        ("%%bash\necho hi\n\nls\n", {1, 2, 3, 4}, "#\n#\n\n#\n"),
        ("%%time\nwith torch.no_grad:\n    pass\n", {1}, "pass\nwith torch.no_grad:\n    pass\n"),
        ("for i in range(3):\n    %time f(i)\n", {2}, "for i in range(3):\n    pass\n"),
        ("", set(), ""),  # an empty cell (most notebooks end with one)
    ],
)
def test_masking_keeps_lines_and_columns(source, masked_lines, expected):
    masked, lines = mask_ipython_lines(source)
    assert masked == expected
    assert set(lines) == masked_lines
    assert len(masked.splitlines()) == len(source.splitlines())


# -- linting ---------------------------------------------------------------------------------------


def test_shell_command_continued_over_lines_is_no_syntax_error(tmp_path):
    nb = tmp_path / "train.ipynb"
    make_notebook(nb, [
        new_code_cell("import torch"),
        new_code_cell("!python train.py \\\n    --epochs 3 \\\n    --lr 0.1"),
        new_code_cell("with torch.no_grad:\n    pass"),
    ])
    rc, out, _ = run_cli("--output-format", "concise", str(nb))
    assert rc == 1
    assert "NG900" not in out
    assert "train.ipynb:cell 3:1:6: NG006" in out


def test_text_report_has_cell_and_cell_relative_lines(tmp_path):
    eval_notebook(tmp_path / "eval.ipynb")
    rc, out, err = run_cli("--output-format", "concise", "eval.ipynb", cwd=tmp_path)
    assert rc == 1, err
    lines = [line for line in out.splitlines() if "NG" in line]
    # imports from cell 1 resolve in cell 4 (T is torch); magics do not move line numbers;
    # the markdown and raw cells are not linted
    assert lines[0].startswith("eval.ipynb:cell 4:3:6: NG006 ")
    assert lines[1].startswith("eval.ipynb:cell 4:5:1: NG006 ")
    assert len(lines) == 2


def test_empty_code_cells_are_linted_and_fixed(tmp_path):
    # Jupyter saves an empty cell as `"source": []`, nbformat as `""`; both are common.
    path = tmp_path / "nb.ipynb"
    make_notebook(path, [new_code_cell(""), new_code_cell("import torch\nwith torch.no_grad:\n    y = 1"),
                         new_code_cell("")])
    data = json.loads(path.read_text(encoding="utf-8"))
    data["cells"][2]["source"] = []
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    rc, out, err = run_cli("--output-format", "concise", "nb.ipynb", cwd=tmp_path)
    assert (rc, err) == (1, "")
    assert out.startswith("nb.ipynb:cell 2:2:6: NG006 ")
    rc, out, err = run_cli("--fix", "nb.ipynb", cwd=tmp_path)
    assert rc == 0, out + err
    fixed = json.loads(path.read_text(encoding="utf-8"))
    assert "".join(fixed["cells"][1]["source"]) == "import torch\nwith torch.no_grad():\n    y = 1"
    assert [fixed["cells"][i]["source"] for i in (0, 2)] == [data["cells"][i]["source"] for i in (0, 2)]


def test_json_and_sarif_carry_the_cell(tmp_path):
    eval_notebook(tmp_path / "eval.ipynb")
    rc, out, _ = run_cli("--output-format", "json", "eval.ipynb", cwd=tmp_path)
    items = json.loads(out)
    assert [(i["code"], i["cell"], i["line"], i["column"]) for i in items] == [("NG006", 4, 3, 6), ("NG006", 4, 5, 1)]
    rc, out, _ = run_cli("--output-format", "sarif", "eval.ipynb", cwd=tmp_path)
    results = json.loads(out)["runs"][0]["results"]
    assert [(r["properties"]["cell"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in results] == [(4, 3), (4, 5)]


def test_cell_magic_cells(tmp_path):
    make_notebook(tmp_path / "m.ipynb", [
        new_code_cell("import torch"),
        new_code_cell("%%bash\nwith torch.no_grad:\n  echo"),
        new_code_cell("%%time\nwith torch.no_grad:\n    y = 1"),
    ])
    rc, out, _ = run_cli("--output-format", "concise", "m.ipynb", cwd=tmp_path)
    assert [line.split(": NG")[0] for line in out.splitlines() if "NG006" in line] == ["m.ipynb:cell 3:2:6"]


def test_syntax_error_in_a_cell_is_reported_with_its_cell(tmp_path):
    make_notebook(tmp_path / "s.ipynb", [new_code_cell("import torch"), new_code_cell("x = (1,\ny = 2")])
    rc, out, _ = run_cli("--output-format", "json", "s.ipynb", cwd=tmp_path)
    items = json.loads(out)
    assert rc == 1 and [(i["code"], i["cell"]) for i in items] == [("NG900", 2)]


def test_uniformly_indented_cell_is_linted_as_ipython_runs_it(tmp_path):
    # IPython's leading_indent transform runs a cell pasted from inside a function: no NG900, the
    # findings in the cell's own columns, and no fix (the edit would be made on dedented text).
    path = tmp_path / "nb.ipynb"
    cell = "    model.eval()\n    torch.no_grad()\n    preds = [model(x) for x in batches]\n"
    make_notebook(path, [new_code_cell("import torch"), new_code_cell(cell)])
    before = path.read_bytes()
    rc, out, _ = run_cli("--output-format", "json", "nb.ipynb", cwd=tmp_path)
    items = json.loads(out)
    assert rc == 1
    assert [(i["code"], i["cell"], i["line"], i["column"]) for i in items] == [("NG006", 2, 2, 5), ("NG001", 2, 3, 13)]
    assert all(i["fix"] is None for i in items)
    run_cli("--fix", "--unsafe-fixes", "nb.ipynb", cwd=tmp_path)
    assert path.read_bytes() == before


def test_non_python_notebook_is_not_linted(tmp_path):
    nb = new_notebook(cells=[new_code_cell("with torch.no_grad:\n  1")])
    nb.metadata["language_info"] = {"name": "R"}
    nbformat.write(nb, str(tmp_path / "r.ipynb"))
    rc, out, _ = run_cli("r.ipynb", cwd=tmp_path)
    assert rc == 0


# -- fixing -----------------------------------------------------------------------------------------


def _without_sources(text, cells=()):
    data = json.loads(text)
    for index in cells:
        data["cells"][index - 1]["source"] = None
    return data


def test_fix_in_place_changes_only_the_edited_source(tmp_path):
    path = tmp_path / "eval.ipynb"
    before = eval_notebook(path)
    rc, out, err = run_cli("--fix", "eval.ipynb", cwd=tmp_path)
    after = path.read_text(encoding="utf-8")
    assert rc == 1  # the statement `T.no_grad()` has no fix
    # exactly the one source line changed, byte for byte everything else is the same
    assert after == before.replace('"with T.no_grad:\\n",', '"with T.no_grad():\\n",', 1)
    assert after != before
    assert _without_sources(after, [4]) == _without_sources(before, [4])
    nb = nbformat.reads(after, as_version=4)
    nbformat.validate(nb)
    assert nb.cells[3].source == "%load_ext autoreload\n!echo start\nwith T.no_grad():\n    preds = model(x)\nT.no_grad()"
    assert nb.cells[3].outputs[0]["data"]["text/plain"] == "tensor([1.])"
    assert [c.get("id") for c in nb.cells] == [c.get("id") for c in nbformat.reads(before, as_version=4).cells]
    # fixing twice changes nothing
    stamp = path.stat().st_mtime_ns
    run_cli("--fix", "eval.ipynb", cwd=tmp_path)
    assert path.stat().st_mtime_ns == stamp
    rc, out, _ = run_cli("--output-format", "concise", "eval.ipynb", cwd=tmp_path)
    assert [line for line in out.splitlines() if "NG006" in line][0].startswith("eval.ipynb:cell 4:5:1:")


def test_fix_keeps_a_foreign_layout(tmp_path):
    """A notebook written by another tool: indent 2, sources as one string, non-ASCII escaped,
    key order not sorted, no final newline."""
    raw = {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"language_info": {"name": "python"}, "zz": 1, "aa": 2},
        "cells": [
            {"cell_type": "code", "source": "import torch\ns = 'caf\u00e9'", "metadata": {}, "outputs": [],
             "execution_count": None, "id": "one"},
            {"id": "two", "cell_type": "code", "execution_count": 7, "metadata": {"tags": ["eval"]},
             "outputs": [], "source": "with torch.inference_mode:\n  y = m(x)\n"},
        ],
    }
    before = json.dumps(raw, indent=2, ensure_ascii=True)
    path = tmp_path / "foreign.ipynb"
    path.write_text(before, encoding="utf-8")
    assert run_cli("--fix", "foreign.ipynb", cwd=tmp_path)[0] == 0
    after = path.read_text(encoding="utf-8")
    assert after == before.replace('"with torch.inference_mode:\\n', '"with torch.inference_mode():\\n')


def test_fix_keeps_non_ascii_and_crlf_notebook_file(tmp_path):
    path = tmp_path / "u.ipynb"
    text = make_notebook(path, [new_code_cell("import torch\n# évaluation\nwith torch.no_grad:\n    pass")])
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert run_cli("--fix", "u.ipynb", cwd=tmp_path)[0] == 0
    expected = text.replace('"with torch.no_grad:\\n"', '"with torch.no_grad():\\n"').replace("\n", "\r\n")
    assert path.read_bytes() == expected.encode("utf-8")


def test_diff_on_a_notebook_writes_nothing(tmp_path):
    path = tmp_path / "eval.ipynb"
    before = eval_notebook(path)
    rc, out, _ = run_cli("--diff", "eval.ipynb", cwd=tmp_path)
    # the cell's code, named like its findings, not the notebook's JSON
    assert rc == 1 and out == (
        "--- a/eval.ipynb:cell 4\n+++ b/eval.ipynb:cell 4\n@@ -1,5 +1,5 @@\n %load_ext autoreload\n !echo start\n"
        "-with T.no_grad:\n+with T.no_grad():\n     preds = model(x)\n T.no_grad()\n")
    assert path.read_text(encoding="utf-8") == before


def _cell_finding(cell, line, col, end_line, end_col, content):
    return Finding("NG006", "n", "m", "nb.ipynb", line, col, end_line, end_col,
                   fix=Fix("safe", "f", (Edit(line, col, end_line, end_col, content),)), cell=cell)


def test_a_fix_touching_a_magic_line_is_not_applied(tmp_path):
    text = make_notebook(tmp_path / "nb.ipynb", [new_code_cell("import torch\n%time y = f(x)\nz = 1")])
    on_magic = _cell_finding(1, 2, 1, 2, 5, "with torch.no_grad():\n    pass\n")
    # ends right before the magic line: without its line break the magic would join line 1
    across = _cell_finding(1, 1, 1, 2, 1, "import torch as T")
    fine = _cell_finding(1, 3, 5, 3, 6, "2")
    result = plan_fixes(text, [on_magic, across, fine], unsafe=False, notebook=True)
    assert result.applied == [fine]
    assert {f for f, reason in result.rejected} == {on_magic, across}
    assert all("magic" in reason for _, reason in result.rejected)
    assert json.loads(result.new)["cells"][0]["source"] == ["import torch\n", "%time y = f(x)\n", "z = 2"]


def test_cli_refuses_a_fix_on_a_magic_line(tmp_path, capsys, monkeypatch):
    from nogradlint import runner

    real = runner._fix

    def widened(module, spec, spans):  # a (buggy) fix that also rewrites the line before
        fix = real(module, spec, spans)
        e = fix.edits[0]
        return Fix(fix.applicability, fix.message, (Edit(e.line - 1, 1, e.end_line, e.end_column, "x\nwith T.no_grad()"),))

    monkeypatch.setattr(runner, "_fix", widened)
    path = tmp_path / "eval.ipynb"
    before = eval_notebook(path)
    rc = cli.main(["--no-cache", "--jobs", "1", "--fix", str(path)])
    err = capsys.readouterr().err
    assert rc == 2
    assert "cell 4:3:6: NG006 fix not applied: it would edit an IPython magic or shell line" in err
    assert path.read_text(encoding="utf-8") == before


def test_replace_cell_sources_only_touches_the_given_cells():
    text = json.dumps({"cells": [{"source": ["a\n", "b"], "outputs": [{"text": ["keep"]}]},
                                 {"source": "c"}, {"cell_type": "markdown", "source": []}],
                      "metadata": {}}, indent=1)
    spans = cell_source_spans(text)
    assert sorted(spans) == [1, 2, 3]
    new = replace_cell_sources(text, {1: "a\nb\nc", 2: "d\ne"})
    data = json.loads(new)
    assert data["cells"][0]["source"] == ["a\n", "b\n", "c"]
    assert data["cells"][1]["source"] == "d\ne"
    assert new.replace('  "b\\n",\n    "c"', '  "b"') .replace('"d\\ne"', '"c"') == text


def test_load_notebook_rejects_garbage():
    from nogradlint.source.reading import SourceError

    with pytest.raises(SourceError):
        load_notebook("{not json")
    with pytest.raises(SourceError):
        load_notebook('{"cells": 3}')
    with pytest.raises(SourceError):
        load_notebook('{"cells": [{"cell_type": "code", "source": [1, 2]}]}')


def test_cross_cell_function_facts(tmp_path, capsys, monkeypatch):
    """A function defined in cell 1 and called in cell 3: whether its body runs with grad
    enabled depends on the call in the later cell (the cross-file facts work across cells)."""
    from .cli_helpers import rule_registered
    from .test_cache import ModelCallWithGrad

    with rule_registered(monkeypatch, ModelCallWithGrad):
        path = tmp_path / "nb.ipynb"

        def findings(third_cell):
            make_notebook(path, [
                new_code_cell("import torch\n\ndef evaluate(model, x):\n    return model(x)"),
                new_markdown_cell("evaluate(model, x)"),
                new_code_cell(third_cell),
            ])
            capsys.readouterr()
            cli.main(["--no-cache", "--jobs", "1", "--select", "XT", "--output-format", "json", str(path)])
            return [(f["code"], f["cell"], f["line"]) for f in json.loads(capsys.readouterr().out)]

        assert findings("%time x = 1\nwith torch.no_grad():\n    evaluate(model, x)") == []
        assert findings("%time x = 1\nevaluate(model, x)") == [("XT001", 1, 4)]


def test_unsafe_fix_adds_the_torch_import_below_a_leading_magic(tmp_path):
    # The cell imports only `set_grad_enabled`, so the NG001 fix needs `import torch`: it goes
    # after the magic line, which stays first and untouched.
    path = tmp_path / "nb.ipynb"
    make_notebook(path, [new_code_cell(
        "%%time\nfrom torch import set_grad_enabled\nmodel.eval()\npreds = [model(x) for x in loader]")])
    rc, out, err = run_cli("--fix", "--unsafe-fixes", "nb.ipynb", cwd=tmp_path)
    assert rc == 0, out + err
    source = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
    assert source.startswith("%%time\nfrom torch import set_grad_enabled\nimport torch\n"), source
    assert "with torch.no_grad():" in source


def test_probe_loop_over_a_network_built_in_an_earlier_cell(tmp_path):
    """A linear probe built in one cell and trained in another, whose epoch loop also scores the
    test set with grad on: the test loop is reported, in its cell. The network is known from the
    earlier cell; a cell that rebinds the name to something else, and a loop that peeks at one
    batch and breaks, are not reported."""
    path = tmp_path / "probe.ipynb"

    def findings(*later):
        make_notebook(path, [
            new_code_cell("import torch\n\nclass Probe(torch.nn.Module):\n    def __init__(self):\n"
                          "        super().__init__()\n        self.linear = torch.nn.Linear(8, 2)\n\n"
                          "    def forward(self, x):\n        return self.linear(x)"),
            new_code_cell("probe = Probe()\nprobe = probe.to('cpu')"),
            *[new_code_cell(c) for c in later],
        ])
        rc, out, err = run_cli("--isolated", "--select", "NG001", "--output-format", "json", "probe.ipynb", cwd=tmp_path)
        assert rc in (0, 1), err
        return [(f["cell"], f["line"]) for f in json.loads(out)]

    training = ("opt = torch.optim.SGD(probe.parameters(), lr=0.1)\nfor epoch in range(3):\n"
                "    for x, y in train_loader:\n        logits = probe(x)\n"
                "        loss = torch.nn.functional.cross_entropy(logits, y)\n"
                "        opt.zero_grad()\n        loss.backward()\n        opt.step()\n"
                "    correct = 0\n    for x, y in test_loader:\n        logits = probe(x)\n"
                "        correct += (logits.argmax(1) == y).sum().item()\n    print(correct)")
    assert findings(training) == [(3, 10)]
    assert findings("probe = load_sklearn_probe()", training) == []
    assert findings("for x, y in test_loader:\n    print(probe(x).shape)\n    break") == []
