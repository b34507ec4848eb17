"""Bad input: every kind of file the linter cannot lint becomes one NG900 diagnostic that names
the file and the reason; the other files are still linted and nothing prints a traceback."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile

import pytest

from .cli_helpers import run_cli, run_main, write

GOOD = "import torch\ntorch.no_grad()\n"  # one NG006 finding

CASES = {
    # name: (content, expected start of the NG900 message)
    "syntax_trigger.py": (b"import torch\ntorch.no_grad()\ndef f(:\n", "syntax error at line 3, column 7"),  # where CPython puts it
    "syntax_plain.py": (b"import os\n\nclass C\n    pass\n", "syntax error at line 3, column 8: expected ':'"),
    "not_utf8.py": (b"import torch\nx = 1\nname = 'caf\xe9'\n", "not valid utf-8 at byte 30; declare the encoding"),
    "not_utf8_first_line.py": (b"x = '\xff'\n", "not valid utf-8 at byte 5"),
    "bad_cookie.py": (b"# -*- coding: klingon -*-\nx = '\xff'\n", "bad encoding declaration: unknown encoding"),
    "wrong_cookie.py": (b"# coding: ascii\nx = '\xe9'\n", "not valid ascii at byte 21; fix the coding cookie"),
    "nul.py": (b"import torch\x00\ntorch.no_grad()\n", "file contains NUL bytes"),
    "nb_not_json.ipynb": (b"{ this is not json", "notebook is not valid JSON (line 1:"),
    "nb_no_cells.ipynb": (b'{"metadata": {}, "nbformat": 4}', "notebook has no list of cells"),
    "nb_cells_not_list.ipynb": (b'{"cells": {"a": 1}, "metadata": {}}', "notebook has no list of cells"),
    "nb_array.ipynb": (b"[1, 2]", "notebook has no list of cells"),
    "nb_cell_not_object.ipynb": (b'{"cells": [3], "metadata": {}}', "cell 1 is not an object"),
    "nb_bad_source.ipynb": (b'{"cells": [{"cell_type": "code", "source": 5}], "metadata": {}}',
                            "a cell's source is neither a string nor a list of strings"),
    "nb_not_utf8.ipynb": (b'{"cells": [], "metadata": {"x": "\xff"}}', "notebook is not valid UTF-8 at byte 33"),
    "nb_syntax.ipynb": (json.dumps({"cells": [
        {"cell_type": "code", "source": "x = 1\n", "metadata": {}, "outputs": []},
        {"cell_type": "markdown", "source": "text", "metadata": {}},
        {"cell_type": "code", "source": "import torch\ntorch.no_grad()\nfor x in\n", "metadata": {}, "outputs": []},
    ], "metadata": {}}).encode(), "syntax error at cell 3, line 3"),
}


@pytest.fixture
def tree(tmp_path, monkeypatch):
    for name, (content, _) in CASES.items():
        write(tmp_path / name, content)
    write(tmp_path / "good.py", GOOD)
    write(tmp_path / "latin1.py", "# -*- coding: latin-1 -*-\nimport torch\nname = 'caf\xe9'; torch.no_grad()\n"
          .encode("latin-1"))
    write(tmp_path / "bom.py", b"\xef\xbb\xbfimport torch\ntorch.no_grad()\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def by_file(out: str) -> dict:
    return {d["path"]: d for d in json.loads(out)}


def test_every_bad_file_is_one_ng900_and_the_rest_is_linted(tree, capsys):
    r = run_main(capsys, "--no-cache", "--output-format", "json", ".")
    assert r.rc == 1 and r.err == ""
    findings = json.loads(r.out)
    ng900 = [d for d in findings if d["code"] == "NG900"]
    assert sorted(d["path"] for d in ng900) == sorted(CASES)  # exactly one per bad file
    for d in ng900:
        expected = CASES[d["path"]][1]
        assert d["message"].startswith(expected), (d["path"], d["message"])
        assert "\n" not in d["message"] and d["name"] == "unreadable-file"
    ng006 = sorted((d["path"], d["line"], d["column"]) for d in findings if d["code"] == "NG006")
    # latin-1 with a cookie lints fine (columns in characters); a BOM is not a column
    assert ng006 == [("bom.py", 2, 1), ("good.py", 2, 1), ("latin1.py", 3, 16)]


def test_syntax_error_positions(tree, capsys):
    d = by_file(run_main(capsys, "--no-cache", "--output-format", "json", "syntax_plain.py", "nb_syntax.ipynb").out)
    assert (d["syntax_plain.py"]["line"], d["syntax_plain.py"]["column"]) == (3, 8)
    assert (d["nb_syntax.ipynb"]["cell"], d["nb_syntax.ipynb"]["line"]) == (3, 3)


def test_text_output_names_file_and_reason(tree, capsys):
    r = run_main(capsys, "--no-cache", "nul.py", "nb_no_cells.ipynb")
    assert r.out.splitlines()[:2] == [
        "nb_no_cells.ipynb:1:1: NG900 notebook has no list of cells; is it a Jupyter notebook (nbformat 4)?",
        "nul.py:1:1: NG900 file contains NUL bytes; it is not Python source",
    ]


def test_ng900_is_reported_whatever_the_selection(tree, capsys):
    # As ruff always reports invalid syntax: a file that cannot be linted is never hidden.
    full = {(d["path"], d["code"]) for d in json.loads(run_main(capsys, "--no-cache", "--output-format", "json", ".").out)}
    r = run_main(capsys, "--no-cache", "--ignore", "NG900", "--output-format", "json", ".")
    assert {(d["path"], d["code"]) for d in json.loads(r.out)} == full
    assert {code for _, code in full} == {"NG006", "NG900"}


def test_explicit_paths_that_are_not_files(tree, capsys):
    os.mkdir(tree / "folder.py")  # explicitly named: a directory is walked (here: nothing inside)
    os.symlink(tree / "gone.py", tree / "dangling.py")
    r = run_main(capsys, "--no-cache", "--output-format", "json", "dangling.py", "missing.py", "folder.py", "good.py")
    d = by_file(r.out)
    assert d["dangling.py"]["message"] == "no such file"  # a broken symlink
    assert d["missing.py"]["message"] == "no such file"
    assert "folder.py" not in d and d["good.py"]["code"] == "NG006"


def test_a_path_that_is_a_directory_when_read(tree, capsys, monkeypatch):
    # Discovery saw a file, but by the time it is read it is a directory (a race): NG900, not a crash.
    from nogradlint.discover import SourceFile

    os.mkdir(tree / "raced.py")
    monkeypatch.setattr("nogradlint.cli.discover", lambda *a, **k: iter([SourceFile("raced.py", "raced.py", True)]))
    d = by_file(run_main(capsys, "--no-cache", "--output-format", "json", "raced.py").out)
    assert d["raced.py"]["message"] == "is a directory, not a file"


def test_unreadable_file_simulated(tree, capsys, monkeypatch):
    """Simulated: ``open`` raises PermissionError for one file (root can read anything)."""
    import builtins

    real_open = builtins.open

    def fake_open(file, *args, **kwargs):
        if os.fspath(file).endswith("good.py"):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    d = by_file(run_main(capsys, "--output-format", "json", "good.py", "latin1.py").out)  # with the cache
    assert d["good.py"]["message"] == "permission denied; check the file's permissions"
    assert d["latin1.py"]["code"] == "NG006"


def _can_drop_to_nobody() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and sys.platform.startswith("linux")


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_unreadable_file_real_permissions():
    """A real chmod 000 file. As root (CI) the command runs as user `nobody`, for whom the
    permission bits hold; as another user, chmod is enough."""
    base = tempfile.mkdtemp(prefix="nogradlint-perm-")
    try:
        os.chmod(base, 0o755)
        write(os.path.join(base, "good.py"), GOOD)
        secret = write(os.path.join(base, "secret.py"), GOOD)
        os.chmod(secret, 0)
        kwargs = {}
        if os.geteuid() == 0:
            if not _can_drop_to_nobody():  # pragma: no cover
                pytest.skip("cannot drop root privileges here")
            kwargs = {"user": 65534, "group": 65534, "extra_groups": []}
        try:
            r = run_cli("--no-cache", "--output-format", "json", ".", cwd=base, **kwargs)
        except PermissionError as exc:  # e.g. the interpreter lives under /root (mode 700)
            pytest.skip(f"user nobody cannot run {sys.executable}: {exc}")
        if r.rc != 1 and "nogradlint" not in r.err:  # pragma: no cover - nobody cannot import the package
            pytest.skip(f"user nobody cannot run nogradlint here: {r.err.strip()[-200:]}")
        assert r.rc == 1 and "Traceback" not in r.err, r
        d = by_file(r.out)
        assert d["secret.py"]["code"] == "NG900"
        assert d["secret.py"]["message"] == "permission denied; check the file's permissions"
        assert d["good.py"]["code"] == "NG006"
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_deeply_nested_code_is_ng900(tmp_path, capsys, monkeypatch):
    write(tmp_path / "deep.py", "import torch\ntorch.no_grad()\nx = " + "[" * 300 + "]" * 300 + "\n")
    write(tmp_path / "deep_plain.py", "x = " + "-" * 3000 + "1\n")  # not parsed by libcst: CPython's parser
    monkeypatch.chdir(tmp_path)
    d = by_file(run_main(capsys, "--no-cache", "--output-format", "json", ".").out)
    assert d["deep.py"]["message"].startswith("code is nested too deeply to analyse")
    assert d["deep_plain.py"]["message"].startswith("code is nested too deeply to analyse")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_real_command_no_traceback_anywhere(tree, jobs):
    for i in range(4):  # enough files for the process pool with --jobs 2
        write(tree / f"extra{i}.py", GOOD)
    r = run_cli("--no-cache", "--jobs", jobs, ".", cwd=tree)
    assert r.rc == 1 and r.err == "", r.err
    assert "Traceback" not in r.out
    assert r.out.count(": NG900 ") == len(CASES) and r.out.count(": NG006 ") == 7


def test_unknown_codec_in_cookie_is_read_as_utf8_with_a_note(tmp_path, capsys, monkeypatch):
    # future_fstrings registers its codec at run time: the file itself is plain UTF-8.
    write(tmp_path / "ff.py", b"# -*- coding: future_fstrings -*-\nimport torch\nname = 'caf\xc3\xa9'\ntorch.no_grad()\n")
    monkeypatch.chdir(tmp_path)
    r = run_main(capsys, "--no-cache", "--output-format", "json", "ff.py")
    findings = json.loads(r.out)
    assert [(d["code"], d["line"]) for d in findings] == [("NG006", 4)]
    assert "ff.py: unknown encoding 'future_fstrings' in the coding cookie; read as UTF-8" in r.err


def test_syntax_error_is_reported_where_python_puts_it(tmp_path, capsys, monkeypatch):
    # An unclosed bracket: libcst's parser fails many lines later, CPython names the bracket.
    source = "import torch\nvalues = [1, 2,\n" + "".join(f"x{i} = {i}\n" for i in range(12)) + "torch.no_grad()\n"
    write(tmp_path / "unclosed.py", source.encode())
    monkeypatch.chdir(tmp_path)
    d = by_file(run_main(capsys, "--no-cache", "--output-format", "json", "unclosed.py").out)["unclosed.py"]
    try:
        compile(source, "unclosed.py", "exec")
    except SyntaxError as exc:
        expected = (exc.lineno, exc.offset)
    assert (d["line"], d["column"]) == expected == (2, 10)
    assert "was never closed" in d["message"]


def test_tabs_and_spaces_python_accepts_are_linted_without_fixes(tmp_path, capsys, monkeypatch):
    # One method's body indented with two tabs then four spaces (an editor's mix, consistent for
    # Python, whose tabs go to the next multiple of eight), rejected by libcst's tokenizer. The
    # file is linted (no NG900); the finding carries no fix, whose edits would be computed on
    # re-indented text.
    source = ("import torch\n\n\nclass Scorer:\n"
              "    def name(self):\n"
              "\t\t    \"\"\"The scorer's name.\"\"\"\n"
              "\t\t    return 'scorer'\n\n"
              "    def score(self, model, loader):\n"
              "        model.eval()\n"
              "        results = []\n"
              "        for batch in loader:\n"
              "            results.append(model(batch).argmax(-1))\n"
              "        return results\n")
    compile(source, "mixed.py", "exec")  # Python accepts it
    write(tmp_path / "mixed.py", source.encode())
    monkeypatch.chdir(tmp_path)
    out = run_main(capsys, "--no-cache", "--output-format", "json", "--unsafe-fixes", "mixed.py").out
    findings = json.loads(out)
    assert [(f["code"], f["line"]) for f in findings] == [("NG001", 12)]
    assert findings[0]["fix"] is None


def test_python36_async_argument_is_reported_and_the_rest_is_linted(tmp_path, capsys, monkeypatch):
    # `x.cuda(async=True)` was valid before Python 3.7, where `async` became a keyword: NG900 says
    # the file no longer runs, at CPython's position and with the way out; the evaluation loop is
    # still found (reading `async` as a name), without a fix.
    source = ("import torch\n\n\n"
              "def evaluate(model, loader):\n"
              "    model.eval()\n"
              "    correct = 0\n"
              "    for x, y in loader:\n"
              "        x = x.cuda(async=True)\n"
              "        correct += (model(x).argmax(1) == y).sum().item()\n"
              "    return correct\n")
    try:
        compile(source, "legacy.py", "exec")
    except SyntaxError:
        pass
    else:
        raise AssertionError("the test needs a file Python rejects")
    write(tmp_path / "legacy.py", source.encode())
    monkeypatch.chdir(tmp_path)
    out = run_main(capsys, "--no-cache", "--output-format", "json", "--unsafe-fixes", "legacy.py").out
    findings = sorted(json.loads(out), key=lambda f: f["line"])
    assert [(f["code"], f["line"]) for f in findings] == [("NG001", 7), ("NG900", 8)]
    assert findings[0]["fix"] is None
    assert "`async` is a keyword since Python 3.7" in findings[1]["message"]
    assert "non_blocking=True" in findings[1]["message"]
