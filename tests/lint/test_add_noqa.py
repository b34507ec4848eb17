"""``--add-noqa``: every current finding suppressed in place, existing noqa comments merged,
line endings, encodings and notebooks kept; a re-run finds nothing."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from nogradlint.fixes.noqa import add_noqa_to_lines


def run_cli(*args, cwd):
    proc = subprocess.run([sys.executable, "-m", "nogradlint", "--no-cache", "--select", "NG006", *args], cwd=cwd,
                          capture_output=True, timeout=120)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


BEFORE = (
    "import torch\n"
    "torch.no_grad()\n"
    "with torch.no_grad:  # noqa: E501\n"
    "    pass\n"
    "torch.enable_grad()  # noqa:NG001,E731\n"
    "torch.inference_mode()  # keep this comment\n"
    "s = '# noqa: NG006'; torch.no_grad()\n"
    "with torch.no_grad, torch.enable_grad:\n"
    "    pass\n"
)
AFTER = (
    "import torch\n"
    "torch.no_grad()  # noqa: NG006\n"
    "with torch.no_grad:  # noqa: E501, NG006\n"
    "    pass\n"
    "torch.enable_grad()  # noqa: E731, NG001, NG006\n"
    "torch.inference_mode()  # keep this comment  # noqa: NG006\n"
    "s = '# noqa: NG006'; torch.no_grad()  # noqa: NG006\n"
    "with torch.no_grad, torch.enable_grad:  # noqa: NG006\n"
    "    pass\n"
)


def test_add_noqa_then_zero_findings(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(BEFORE)
    rc, out, err = run_cli("m.py", cwd=tmp_path)
    assert rc == 1 and out.count("NG006") == 7
    rc, out, err = run_cli("--add-noqa", "m.py", cwd=tmp_path)
    assert rc == 0, err
    assert "Added 6 noqa directives." in err
    assert path.read_text() == AFTER
    rc, out, err = run_cli("m.py", cwd=tmp_path)
    assert (rc, out) == (0, "All checks passed!\n")
    # a second --add-noqa changes nothing
    rc, out, err = run_cli("--add-noqa", "m.py", cwd=tmp_path)
    assert "Added 0 noqa directives." in err and path.read_text() == AFTER


def test_add_noqa_keeps_crlf_bom_and_encoding(tmp_path):
    crlf = tmp_path / "crlf.py"
    crlf.write_bytes(b"\xef\xbb\xbf" + BEFORE.replace("\n", "\r\n").encode())
    latin = tmp_path / "latin.py"
    latin.write_bytes(("# -*- coding: latin-1 -*-\n" + BEFORE + "s = 'é'\n").encode("latin-1"))
    rc, _, err = run_cli("--add-noqa", ".", cwd=tmp_path)
    assert rc == 0, err
    assert crlf.read_bytes() == b"\xef\xbb\xbf" + AFTER.replace("\n", "\r\n").encode()
    assert latin.read_bytes() == ("# -*- coding: latin-1 -*-\n" + AFTER + "s = 'é'\n").encode("latin-1")
    assert run_cli(".", cwd=tmp_path)[0] == 0


def test_lines_that_cannot_take_a_comment_are_reported(tmp_path):
    path = tmp_path / "m.py"
    before = (
        "import torch\n"
        "with torch.no_grad, \\\n"
        "        open('f') as fh:\n"
        "    pass\n"
        "torch.no_grad(); s = '''text\n"
        "more'''\n"
        "torch.no_grad()\n"
    )
    path.write_text(before)
    rc, out, err = run_cli("--add-noqa", "m.py", cwd=tmp_path)
    assert rc == 0
    assert path.read_text() == before.replace("torch.no_grad()\n", "torch.no_grad()  # noqa: NG006\n")
    warnings = [line for line in err.splitlines() if line.startswith("nogradlint: warning:")]
    assert len(warnings) == 2
    assert "m.py:2: cannot add a noqa comment" in warnings[0] and "m.py:5:" in warnings[1]
    rc, out, _ = run_cli("--output-format", "concise", "m.py", cwd=tmp_path)
    assert [line.split(": ")[0] for line in out.splitlines() if "NG006" in line] == ["m.py:2:6", "m.py:5:1"]


def test_add_noqa_in_a_notebook(tmp_path):
    nb = new_notebook(cells=[
        new_code_cell("import torch"),
        new_markdown_cell("torch.no_grad()"),
        new_code_cell("%time x = 1\ntorch.no_grad()\nwith torch.no_grad:  # noqa: E501\n    pass",
                      outputs=[new_output("stream", text="hi\n")], execution_count=4),
    ])
    nb.metadata["language_info"] = {"name": "python"}
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(path))
    before = path.read_text(encoding="utf-8")
    rc, _, err = run_cli("--add-noqa", "nb.ipynb", cwd=tmp_path)
    assert rc == 0, err
    after = path.read_text(encoding="utf-8")
    assert after == before.replace('"torch.no_grad()\\n",', '"torch.no_grad()  # noqa: NG006\\n",').replace(
        '"with torch.no_grad:  # noqa: E501\\n"', '"with torch.no_grad:  # noqa: E501, NG006\\n"')
    data = json.loads(after)
    assert data["cells"][2]["outputs"] == json.loads(before)["cells"][2]["outputs"]
    assert run_cli("nb.ipynb", cwd=tmp_path)[0] == 0


def test_add_noqa_to_lines_unit():
    lines = ["a = 1\r\n", "b = 2  # noqa\n", "c = 3  # NOQA: x1, NG002\n"]
    assert add_noqa_to_lines(lines, {1: {"NG001"}, 2: {"NG001"}, 3: {"NG001", "NG002"}}) == 2
    assert lines == ["a = 1  # noqa: NG001\r\n", "b = 2  # noqa\n", "c = 3  # noqa: NG001, NG002, x1\n"]
