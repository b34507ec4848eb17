"""Suppressions: ``# noqa`` (bare and with codes, any spacing), ``# noqa`` inside a string does
not count, and ``# nogradlint: noqa`` as a file's first comment skips the file."""

from __future__ import annotations

import json

import pytest

from nogradlint.runner import lint_text
from nogradlint.suppressions import ALL, file_is_skipped, noqa_lines

from .cli_helpers import extra_rule, run_cli, run_main, write  # noqa: F401  (extra_rule: a fixture)

STMT = "torch.no_grad()"


def lines(source: str) -> list:
    return [f.line for f in lint_text(source, path="m.py") if f.code == "NG006"]


@pytest.mark.parametrize("comment", [
    "# noqa", "#noqa", "# NOQA", "# noqa: NG006", "# noqa:NG006", "# noqa:NG006,NG001", "# noqa: NG001, NG006",
    "# noqa: NG001 NG006", "# noqa: ng006", "# noqa: NG006 -- the statement is there on purpose",
    "# type: ignore  # noqa: NG006",
    # a code is a prefix, as in --select: NG0 covers NG006, NG covers every NG code
    "# noqa: NG0", "# noqa: NG", "# noqa: ng", "# noqa: E501, NG00",
])
def test_noqa_forms_suppress(comment):
    assert lines(f"import torch\n{STMT}  {comment}\n{STMT}\n") == [3]


@pytest.mark.parametrize("comment", ["# noqa: NG001", "# noqa: NG1", "# noqa: NG0060", "# noqa: E", "# no qa",
                                     "# noqa NG006x"])
def test_other_codes_do_not_suppress(comment):
    found = lines(f"import torch\n{STMT}  {comment}\n")
    if comment == "# noqa NG006x":  # no colon: a bare noqa followed by prose (flake8 reads it the same way)
        assert found == []
    else:
        assert found == [2]


def test_noqa_inside_a_string_does_not_suppress():
    source = f'import torch\nmsg = "# noqa"; {STMT}\ns = """\n# noqa: NG006\n"""; {STMT}\n'
    assert lines(source) == [2, 5]
    assert noqa_lines(source) == {}


def test_noqa_only_on_the_reported_line():
    assert lines(f"import torch\n# noqa: NG006\n{STMT}\n{STMT}\n# noqa\n") == [3, 4]


def test_noqa_table():
    source = "a = 1  # noqa\nb = 2  # noqa: NG001,NG006\nc = '# noqa'\n"
    assert noqa_lines(source) == {1: frozenset({ALL}), 2: frozenset({"NG001", "NG006"})}


def test_noqa_table_falls_back_to_lines_when_tokenizing_fails():
    source = "x = (\n  1  # noqa: NG006\n"  # unterminated: tokenize raises
    assert noqa_lines(source) == {2: frozenset({"NG006"})}


FILE_LEVEL = [
    "# nogradlint: noqa\nimport torch\ntorch.no_grad()\n",
    "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\n#   NOGRADLINT:NOQA\nimport torch\ntorch.no_grad()\n",
    "# Copyright 2024\n# nogradlint: noqa\nimport torch\ntorch.no_grad()\n",
]


@pytest.mark.parametrize("source", FILE_LEVEL)
def test_file_level_noqa_skips_the_file(source):
    assert file_is_skipped(source)
    assert lint_text(source, path="m.py") == []


@pytest.mark.parametrize("source", [
    "import torch\n# nogradlint: noqa\ntorch.no_grad()\n",  # not before the code
    "import torch\ntorch.no_grad()  # nogradlint: noqa\n",
    '"""Docstring."""\n# nogradlint: noqa\nimport torch\ntorch.no_grad()\n',
    "# nogradlint: noqa: NG006 please\nimport torch\ntorch.no_grad()\n",
    's = """\n# nogradlint: noqa\n"""\nimport torch\ntorch.no_grad()\n',
])
def test_file_level_noqa_only_as_the_first_comment(source):
    assert not file_is_skipped(source)
    assert len(lines(source)) == 1


def test_file_level_noqa_skips_syntax_errors_too():
    assert lint_text("# nogradlint: noqa\ndef broken(:\n", path="m.py") == []


def test_noqa_in_a_notebook_cell(tmp_path, capsys, monkeypatch):
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": ["import torch\n", f"{STMT}  # noqa: NG006\n", f"{STMT}\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": [f"{STMT}  # noqa\n"]},
    ]
    write(tmp_path / "nb.ipynb", json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    monkeypatch.chdir(tmp_path)
    r = run_main(capsys, "--no-cache", "--output-format", "json", "nb.ipynb")
    assert [(d["cell"], d["line"]) for d in json.loads(r.out)] == [(1, 3)]


def test_noqa_real_file(tmp_path, capsys, monkeypatch):
    write(tmp_path / "m.py", f"import torch\n{STMT}  # noqa:NG006,NG001\n{STMT}  # noqa: NG001\n")
    write(tmp_path / "skip.py", f"# nogradlint: noqa\nimport torch\n{STMT}\n")
    monkeypatch.chdir(tmp_path)
    r = run_main(capsys, "--no-cache", "-q", ".")
    assert r.out.splitlines() == [
        "m.py:3:1: NG006 `torch.no_grad()` as a statement does nothing; use `with torch.no_grad():` "
        "around the code or decorate the function"
    ]


# -- NG901 unused-noqa ---------------------------------------------------------------------

UNUSED = (
    "import torch\n"
    "with torch.no_grad():  # noqa: NG006\n"          # 2: unused
    "    pass\n"
    "torch.no_grad()  # noqa: NG006, NG001, E501\n"    # 4: NG001 unused; E501 belongs to another tool
    "x = 1  # noqa: NG003 -- kept for the old loader\n"  # 5: unused, the words stay
    "y = 2  # noqa\n"                                   # 6: bare: never reported
    "z = 3  # type: ignore  # noqa:NG010\n"             # 7: unused, the other comment stays
    "w = 4  # noqa: NG901, NG006\n"                     # 8: names NG901 itself: left alone
)
UNUSED_FIXED = (
    "import torch\n"
    "with torch.no_grad():\n"
    "    pass\n"
    "torch.no_grad()  # noqa: NG006, E501\n"
    "x = 1  # -- kept for the old loader\n"
    "y = 2  # noqa\n"
    "z = 3  # type: ignore\n"
    "w = 4  # noqa: NG901, NG006\n"
)


def test_unused_noqa_is_off_by_default(tmp_path, capsys, monkeypatch):
    write(tmp_path / "m.py", UNUSED)
    monkeypatch.chdir(tmp_path)
    assert run_main(capsys, "--no-cache", "m.py").rc == 0
    assert run_main(capsys, "--no-cache", "--select", "NG9", "m.py").rc == 0  # a prefix does not select it
    r = run_main(capsys, "--no-cache", "--select", "ALL", "--output-format", "json", "m.py")
    assert {d["code"] for d in json.loads(r.out)} == {"NG901"}


def test_unused_noqa_reports_and_fixes(tmp_path, capsys, monkeypatch):
    write(tmp_path / "m.py", UNUSED)
    write(tmp_path / "plain.py", "x = 1  # noqa: NG006\n")  # no trigger words: not parsed, still checked
    monkeypatch.chdir(tmp_path)
    r = run_main(capsys, "--no-cache", "--extend-select", "NG901", "--output-format", "json", ".")
    assert r.rc == 1
    got = [(d["path"], d["line"], d["column"], d["end_column"], d["message"]) for d in json.loads(r.out)]
    assert got == [
        ("m.py", 2, 24, 37, "unused `noqa` directive: no `NG006` finding on this line; remove it"),
        ("m.py", 4, 18, 44, "unused `noqa` directive: no `NG001` finding on this line; remove it"),
        ("m.py", 5, 8, 21, "unused `noqa` directive: no `NG003` finding on this line; remove it"),
        ("m.py", 7, 24, 36, "unused `noqa` directive: no `NG010` finding on this line; remove it"),
        ("plain.py", 1, 8, 21, "unused `noqa` directive: no `NG006` finding on this line; remove it"),
    ]
    r = run_main(capsys, "--no-cache", "--select", "NG901", "--fix", ".")
    assert r.rc == 0
    assert (tmp_path / "m.py").read_text() == UNUSED_FIXED
    assert (tmp_path / "plain.py").read_text() == "x = 1\n"


def test_unused_noqa_does_not_depend_on_the_selection(tmp_path, capsys, monkeypatch):
    # NG006 is not selected, but the noqa does suppress a real NG006 finding: it is used.
    write(tmp_path / "m.py", "import torch\ntorch.no_grad()  # noqa: NG006\n")
    monkeypatch.chdir(tmp_path)
    r = run_main(capsys, "--no-cache", "--select", "NG901", "m.py")
    assert (r.rc, r.out) == (0, "All checks passed!\n")


def test_unused_noqa_in_a_notebook_cell(tmp_path, capsys, monkeypatch):
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": ["%time x = 1\n", "import torch\n", "y = 1  # noqa: NG006\n"]}]
    write(tmp_path / "nb.ipynb", json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    monkeypatch.chdir(tmp_path)
    r = run_main(capsys, "--no-cache", "--select", "NG901", "--output-format", "json", "nb.ipynb")
    assert [(d["cell"], d["line"], d["column"]) for d in json.loads(r.out)] == [(1, 3, 8)]


# -- prefixes and file-level codes, through the real command -------------------------------------

def test_noqa_prefix_is_a_prefix_everywhere(tmp_path):
    """`# noqa: NG` silences NG codes only (not another prefix's), NG901 reports an unused prefix,
    and --add-noqa adds the codes the prefix does not cover."""
    write(tmp_path / "m.py", "import torch\nprint(1); torch.no_grad()  # noqa: NG\nx = 1  # noqa: NG0\n")
    r = run_cli("--no-cache", "m.py", cwd=tmp_path)
    assert (r.rc, r.out) == (0, "All checks passed!\n")
    r = run_cli("--no-cache", "--extend-select", "NG901", "--output-format", "concise", "-q", "m.py", cwd=tmp_path)
    assert r.out == "m.py:3:8: NG901 [*] unused `noqa` directive: no `NG0` finding on this line; remove it\n"


def test_add_noqa_merges_into_a_prefix_directive(tmp_path, extra_rule, capsys, monkeypatch):
    write(tmp_path / "m.py", "import torch\nprint(1); torch.no_grad()  # noqa: NG\n")
    monkeypatch.chdir(tmp_path)
    r = run_main(capsys, "--no-cache", "--extend-select", "TST", "--add-noqa", "m.py")
    assert r.rc == 0 and "Added 1 noqa directive." in r.err
    assert (tmp_path / "m.py").read_text() == "import torch\nprint(1); torch.no_grad()  # noqa: NG, TST001\n"
    assert run_main(capsys, "--no-cache", "--extend-select", "TST", "m.py").rc == 0


@pytest.mark.parametrize("directive,left", [
    ("# nogradlint: noqa: NG006", {"NG003"}),
    ("# nogradlint: noqa: NG006, NG003", set()),
    ("# NOGRADLINT: NOQA: ng00", set()),  # a prefix, any case
    ("# nogradlint: noqa: NG003", {"NG006"}),
    ("# nogradlint: noqa", set()),
    ("# flake8: noqa", {"NG003", "NG006"}),  # another tool's directive: not read
    ("# ruff: noqa: NG006", {"NG003", "NG006"}),
])
def test_file_level_noqa_with_codes_real_command(tmp_path, directive, left):
    source = (f"{directive}\nimport torch\ntorch.no_grad()\ntotal = 0\nfor x in loader:\n"
              "    loss = model(x)\n    loss.backward()\n    total = total + loss\n")
    write(tmp_path / "m.py", source)
    baseline = {line.split(" ")[1] for line in run_cli("--no-cache", "-q", "--output-format", "concise", "m.py",
                                                        cwd=tmp_path).out.splitlines()}
    write(tmp_path / "plain.py", source.split("\n", 1)[1])
    full = {line.split(" ")[1] for line in run_cli("--no-cache", "-q", "--output-format", "concise", "plain.py",
                                                    cwd=tmp_path).out.splitlines()}
    assert full == {"NG003", "NG006"}  # the file has both, so each case below means something
    assert baseline == left


def test_file_level_codes_never_hide_ng900(tmp_path):
    write(tmp_path / "m.py", "# nogradlint: noqa: NG900\ndef broken(:\n")
    r = run_cli("--no-cache", "m.py", cwd=tmp_path)
    assert r.rc == 1 and " NG900 " in r.out
