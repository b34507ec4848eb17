"""Stage 1: which files are linted (recursion, default and configured excludes, .gitignore,
explicit files, --force-exclude, links) and the module names given to the analysis."""

from __future__ import annotations

import os

import pytest

from nogradlint.config import DEFAULT_EXCLUDE
from nogradlint.discover import GitIgnore, discover, module_name

from .cli_helpers import run_main, write


NOTEBOOK = '{"cells": [{"cell_type": "code", "source": ["x = 1\\n"], "metadata": {}, "outputs": []}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def found(paths, exclude=DEFAULT_EXCLUDE, root=".", gitignore=True, force=False) -> list:
    return [f.display for f in discover(list(paths), tuple(exclude), root, gitignore, force)]


@pytest.fixture
def tree(tmp_path, monkeypatch):
    for rel in [
        "train.py", "notes.ipynb", "README.md", "setup.cfg", "script.pyw",
        "pkg/__init__.py", "pkg/model.py", "pkg/sub/deep.py",
        ".git/hooks/pre-commit.py", ".venv/lib/site.py", "venv/x.py", "build/lib/a.py", "dist/b.py",
        "pkg/__pycache__/model.cpython-311.py", ".tox/py/c.py", "node_modules/d.py",
        "lib/site-packages/e.py", "gen/proto_pb2.py", "gen/keep.py",
    ]:
        write(tmp_path / rel, NOTEBOOK if rel.endswith(".ipynb") else "x = 1\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_recursive_py_and_ipynb_with_default_excludes(tree):
    assert found(["."]) == [
        "gen/keep.py", "gen/proto_pb2.py", "notes.ipynb", "pkg/__init__.py", "pkg/model.py",
        "pkg/sub/deep.py", "train.py",
    ]


def test_display_paths_keep_the_form_given(tree):
    assert found(["pkg"]) == ["pkg/__init__.py", "pkg/model.py", "pkg/sub/deep.py"]
    assert found(["./pkg/sub"]) == ["pkg/sub/deep.py"]
    assert found([str(tree / "pkg" / "sub")]) == [str(tree / "pkg" / "sub" / "deep.py")]


def test_each_file_once(tree):
    assert found(["pkg", "pkg/model.py", "./pkg"]) == ["pkg/__init__.py", "pkg/model.py", "pkg/sub/deep.py"]


def test_exclude_replaces_and_extend_exclude_adds(tree):
    assert "build/lib/a.py" in found(["."], exclude=("gen",))
    assert "gen/keep.py" not in found(["."], exclude=("gen",))
    assert found(["."], exclude=DEFAULT_EXCLUDE + ("*_pb2.py", "pkg/sub")) == [
        "gen/keep.py", "notes.ipynb", "pkg/__init__.py", "pkg/model.py", "train.py",
    ]


def test_explicit_files_are_always_linted(tree):
    # excluded by default, by a glob, by a file extension: named on the command line, they are linted
    assert found(["build/lib/a.py", "gen/proto_pb2.py", "script.pyw"], exclude=DEFAULT_EXCLUDE + ("*_pb2.py",)) == [
        "build/lib/a.py", "gen/proto_pb2.py", "script.pyw",
    ]


def test_force_exclude_applies_to_explicit_files(tree):
    excl = DEFAULT_EXCLUDE + ("*_pb2.py",)
    given = ["build/lib/a.py", "gen/proto_pb2.py", ".venv/lib/site.py", "train.py", str(tree / "dist" / "b.py")]
    assert found(given, exclude=excl, force=True) == ["train.py"]


def test_force_exclude_and_gitignore(tree):
    os.mkdir(tree / ".git" / "info")
    write(tree / ".gitignore", "gen/\n")
    assert found(["gen/keep.py"], force=True) == []
    assert found(["gen/keep.py"], force=True, gitignore=False) == ["gen/keep.py"]
    assert found(["gen/keep.py"], force=False) == ["gen/keep.py"]


def test_gitignore(tree):
    write(tree / ".gitignore", "# generated\n*_pb2.py\n/train.py\nsub/\n!pkg/sub/\ndeep.py\n")
    write(tree / "pkg" / ".gitignore", "model.py\n")
    assert found(["."]) == ["gen/keep.py", "notes.ipynb", "pkg/__init__.py"]
    assert found(["."], gitignore=False) == found(["."], exclude=DEFAULT_EXCLUDE, gitignore=False)
    assert "train.py" in found(["."], gitignore=False)


def test_gitignore_negation_and_anchoring(tree):
    write(tree / ".gitignore", "*.py\n!keep.py\n/pkg/model.py\n")
    assert found(["."]) == ["gen/keep.py", "notes.ipynb"]
    gi = GitIgnore(str(tree), ["/top.py", "**/cache/", "a/**/b.py", "doc/*.cfg", "[ab].py", "\\#x.py", "trailing.py   "])
    assert gi.match("top.py", False) is True and gi.match("sub/top.py", False) is None
    assert gi.match("x/cache", True) is True and gi.match("x/cache", False) is None
    assert gi.match("a/b.py", False) is True and gi.match("a/x/y/b.py", False) is True
    assert gi.match("doc/x.cfg", False) is True and gi.match("doc/sub/x.cfg", False) is None
    assert gi.match("a.py", False) is True and gi.match("c.py", False) is None
    assert gi.match("#x.py", False) is True and gi.match("trailing.py", False) is True


def test_gitignore_of_parent_folders_applies_below_the_repository_root(tree):
    write(tree / ".gitignore", "deep.py\n")
    assert found(["pkg/sub"]) == []
    os.chdir(tree / "pkg")
    assert found(["."]) == ["__init__.py", "model.py"]


def test_gitignore_above_the_repository_root_is_not_read(tmp_path, monkeypatch):
    write(tmp_path / ".gitignore", "*.py\n")
    write(tmp_path / "repo" / "a.py", "x = 1\n")
    os.mkdir(tmp_path / "repo" / ".git")
    monkeypatch.chdir(tmp_path / "repo")
    assert found(["."]) == ["a.py"]


def test_respect_gitignore_options(tree, capsys):
    write(tree / ".gitignore", "train.py\n")
    write(tree / "train.py", "import torch\ntorch.no_grad()\n")
    assert run_main(capsys, "--no-cache", ".").rc == 0
    assert run_main(capsys, "--no-cache", "--no-respect-gitignore", ".").rc == 1
    assert run_main(capsys, "--no-cache", "train.py").rc == 1  # explicit
    assert run_main(capsys, "--no-cache", "--force-exclude", "train.py").rc == 0
    r = run_main(capsys, "--no-cache", "--extend-exclude", "pkg", "--exclude", "gen", "--no-respect-gitignore", ".")
    assert r.rc == 1


def test_cli_exclude_options(tree, capsys):
    write(tree / "gen" / "keep.py", "import torch\ntorch.no_grad()\n")
    write(tree / "build" / "lib" / "a.py", "import torch\ntorch.no_grad()\n")
    assert run_main(capsys, "--no-cache", "-q", ".").out.splitlines()[0].startswith("gen/keep.py:2:1")
    assert run_main(capsys, "--no-cache", "--extend-exclude", "gen", ".").rc == 0
    r = run_main(capsys, "--no-cache", "-q", "--exclude", "gen,*.ipynb", ".")
    assert [line.split(":")[0] for line in r.out.splitlines()] == ["build/lib/a.py"]


def test_symlinks(tree):
    os.symlink(tree / "pkg", tree / "alias")  # the same files twice: linted once
    os.symlink(tree, tree / "pkg" / "sub" / "loop")  # a loop: no hang
    os.symlink(tree / "missing.py", tree / "dangling.py")  # broken, found by walking: skipped
    files = found(["."])
    assert len(files) == len(set(os.path.realpath(f) for f in files)) == 7
    assert "dangling.py" not in files


def test_unreadable_folder_is_skipped(tree, monkeypatch):
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(os.fspath(path)) == "sub":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert "pkg/sub/deep.py" not in found(["."]) and "pkg/model.py" in found(["."])


def test_module_names(tree):
    assert module_name("pkg/model.py") == ("pkg.model", False)
    assert module_name("pkg/__init__.py") == ("pkg", True)
    assert module_name("pkg/sub/deep.py") == ("deep", False)  # pkg/sub has no __init__.py: a top-level module
    write(tree / "pkg" / "sub" / "__init__.py", "")
    assert module_name("pkg/sub/deep.py") == ("pkg.sub.deep", False)
    assert module_name("train.py") == ("train", False)
    assert module_name("notes.ipynb") == ("notes", False)


@pytest.mark.parametrize("folder, module", [
    ("speechkit-2.1.0", "speechkit.audio.frontend"),  # an unpacked sdist: imported by its name
    ("span-marker-1.8.1", "span_marker.audio.frontend"),
    ("my-tools", "my-tools.audio.frontend"),  # no version: no import name to guess, kept as it is
])
def test_versioned_package_folder_is_named_as_imported(tmp_path, folder, module):
    # The code inside `speechkit-2.1.0/` imports `speechkit.audio.frontend`: the module names
    # must match for calls across its files to resolve.
    package = tmp_path / folder / "audio"
    package.mkdir(parents=True)
    (tmp_path / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "frontend.py").write_text("x = 1\n")
    assert module_name(str(package / "frontend.py")) == (module, False)
