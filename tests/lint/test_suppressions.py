"""Suppressions: ``# noqa`` (bare and with codes, any spacing), ``# noqa`` inside a string does
not count, and ``# nogradlint: noqa`` as a file's first comment skips the file."""

from __future__ import annotations

import json

import pytest

from nogradlint.runner import lint_text
from nogradlint.suppressions import ALL, file_is_skipped, noqa_lines

from .cli_helpers import run_main, write

STMT = "torch.no_grad()"


def lines(source: str) -> list:
    return [f.line for f in lint_text(source, path="m.py") if f.code == "NG006"]


@pytest.mark.parametrize("comment", [
    "# noqa", "#noqa", "# NOQA", "# noqa: NG006", "# noqa:NG006", "# noqa:NG006,NG001", "# noqa: NG001, NG006",
    "# noqa: NG001 NG006", "# noqa: ng006", "# noqa: NG006 -- the statement is there on purpose",
    "# type: ignore  # noqa: NG006",
])
def test_noqa_forms_suppress(comment):
    assert lines(f"import torch\n{STMT}  {comment}\n{STMT}\n") == [3]


@pytest.mark.parametrize("comment", ["# noqa: NG001", "# noqa: NG0", "# noqa: NG0060", "# no qa", "# noqa NG006x"])
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
