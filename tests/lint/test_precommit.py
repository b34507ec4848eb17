"""The pre-commit hook, run by the real ``pre-commit`` against a temporary git repository.

pre-commit builds a virtual environment and pip-installs this project into it (from the local
clone), so the test needs pip to reach a package index; it is slow (about a minute) and is
skipped when pre-commit or git is missing. The hook definition is taken from this repository's
HEAD commit (``--ref``), the state a user would install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUGGY = "import torch\n\n\ndef predict(model, x):\n    with torch.no_grad:\n        return model(x)\n"
FIXED = "import torch\n\n\ndef predict(model, x):\n    with torch.no_grad():\n        return model(x)\n"


def _pre_commit() -> list:
    exe = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")
    return [exe] if exe else []


pytestmark = pytest.mark.skipif(not _pre_commit() or not shutil.which("git"), reason="needs pre-commit and git")


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def test_hooks_file_declares_nogradlint():
    import yaml  # installed with pre-commit

    with open(os.path.join(REPO, ".pre-commit-hooks.yaml"), encoding="utf-8") as fh:
        hooks = yaml.safe_load(fh)
    hook = {h["id"]: h for h in hooks}["nogradlint"]
    assert hook["language"] == "python"
    assert set(hook["types_or"]) == {"python", "jupyter"}
    assert hook["entry"].split()[0] == "nogradlint"
    assert hook["require_serial"] is True


def test_pre_commit_hook_fails_then_fixes_then_passes(tmp_path):
    try:
        head = git("rev-parse", "HEAD", cwd=REPO)
        git("cat-file", "-e", f"{head}:.pre-commit-hooks.yaml", cwd=REPO)
    except subprocess.CalledProcessError:
        pytest.skip("this checkout has no committed .pre-commit-hooks.yaml")
    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", cwd=project)
    git("config", "user.email", "t@example.com", cwd=project)
    git("config", "user.name", "t", cwd=project)
    (project / "evaluate.py").write_text(BUGGY)
    (project / "README.md").write_text("with torch.no_grad: not Python\n")
    git("add", ".", cwd=project)
    git("commit", "-q", "-m", "buggy", cwd=project)

    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), PRE_COMMIT_COLOR="never",
               GIT_CONFIG_NOSYSTEM="1")
    env.pop("NOGRADLINT_DEBUG", None)

    def pre_commit(*args):
        return subprocess.run(_pre_commit() + list(args), cwd=project, env=env, capture_output=True, text=True,
                              timeout=900)

    # 1. try-repo: the hook runs on the buggy file and fails, writing nothing
    run = pre_commit("try-repo", REPO, "nogradlint", "--ref", head, "--all-files")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "nogradlint" in out and "Failed" in out
    assert "evaluate.py:5:10: NG006" in out
    assert (project / "evaluate.py").read_text() == BUGGY

    # 2. the same hook with `args: [--fix]` in a project configuration: pre-commit fails the
    #    run because the hook changed a file, and the file is fixed
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {REPO}\n  rev: {head}\n  hooks:\n  - id: nogradlint\n    args: [--fix]\n"
    )
    git("add", ".pre-commit-config.yaml", cwd=project)
    run = pre_commit("run", "--all-files")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "files were modified by this hook" in out
    assert (project / "evaluate.py").read_text() == FIXED

    # 3. and passes on the fixed file
    git("add", "evaluate.py", cwd=project)
    run = pre_commit("run", "--all-files")
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert "Passed" in out
