"""The pre-commit hook, run by the real ``pre-commit`` against a temporary git repository.

pre-commit builds a virtual environment and pip-installs this project into it (from the local
clone), so these tests need pip to reach a package index; they are slow (about a minute each) and
are skipped when pre-commit or git is missing. What is installed is this repository's HEAD commit,
the state a user would get: through the remote form (``--ref``/``rev:`` a commit sha) and through
the README's ``repo: local`` snippet, run as written except that its GitHub URL points at this clone.
"""

from __future__ import annotations

import os
import re
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


GITHUB = "git+https://github.com/pytest-nograd/pytest-nograd"


def readme_block(heading: str, lang: str = "yaml") -> str:
    """The first ``lang`` code block of the README section ``heading``."""
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    section = readme[readme.index(f"\n{heading}\n"):]
    match = re.search(rf"```{lang}\n(.*?)```", section, re.S)
    assert match, f"no {lang} block under {heading}"
    return match.group(1)


def committed_head() -> str:
    try:
        head = git("rev-parse", "HEAD", cwd=REPO)
        git("cat-file", "-e", f"{head}:.pre-commit-hooks.yaml", cwd=REPO)
    except subprocess.CalledProcessError:
        pytest.skip("this checkout has no committed .pre-commit-hooks.yaml")
    return head


def buggy_project(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", cwd=project)
    git("config", "user.email", "t@example.com", cwd=project)
    git("config", "user.name", "t", cwd=project)
    (project / "evaluate.py").write_text(BUGGY)
    (project / "README.md").write_text("with torch.no_grad: not Python\n")
    git("add", ".", cwd=project)
    git("commit", "-q", "-m", "buggy", cwd=project)
    return project


def pre_commit_env(tmp_path, **extra) -> dict:
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), PRE_COMMIT_COLOR="never",
               GIT_CONFIG_NOSYSTEM="1", **extra)
    env.pop("NOGRADLINT_DEBUG", None)
    return env


def run_pre_commit(*args, cwd, env):
    return subprocess.run(_pre_commit() + list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def test_hooks_file_declares_nogradlint():
    import yaml  # installed with pre-commit

    with open(os.path.join(REPO, ".pre-commit-hooks.yaml"), encoding="utf-8") as fh:
        hooks = yaml.safe_load(fh)
    hook = {h["id"]: h for h in hooks}["nogradlint"]
    assert hook["language"] == "python"
    assert set(hook["types_or"]) == {"python", "jupyter"}
    assert hook["entry"].split()[0] == "nogradlint"
    assert hook["require_serial"] is True
    # The README's repo: local snippet and the project's own configuration repeat the hook's
    # definition (a local hook cannot refer to it): they must not drift apart.
    readme_hook = yaml.safe_load(readme_block("## pre-commit"))["repos"][0]["hooks"][0]
    with open(os.path.join(REPO, ".pre-commit-config.yaml"), encoding="utf-8") as fh:
        own_hook = yaml.safe_load(fh)["repos"][0]["hooks"][0]
    for local in (readme_hook, own_hook):
        assert local["id"] == hook["id"]
        assert local["entry"] == hook["entry"]
        assert set(local["types_or"]) == set(hook["types_or"])
        assert local["require_serial"] is True


def test_remote_hook_at_a_commit_sha(tmp_path):
    """The remote form with ``rev:`` a commit sha (what the README says to use until a tag exists)."""
    head = committed_head()
    project = buggy_project(tmp_path)
    env = pre_commit_env(tmp_path)
    run = run_pre_commit("try-repo", REPO, "nogradlint", "--ref", head, "--all-files", cwd=project, env=env)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "nogradlint" in out and "Failed" in out
    assert "evaluate.py:5:10: NG006" in out
    assert (project / "evaluate.py").read_text() == BUGGY  # without --fix nothing is written


def test_readme_snippet_fails_then_fixes_then_passes(tmp_path):
    """The README's ``repo: local`` snippet as written, its GitHub URL pointed at this clone's HEAD
    (no network to GitHub here); then with its commented ``args: [--fix]`` line turned on."""
    head = committed_head()
    snippet = readme_block("## pre-commit")
    assert "repo: local" in snippet and f"pytest-nograd @ {GITHUB}\"" in snippet
    assert "rev:" not in snippet  # a rev would have to name a tag or sha that exists
    config = snippet.replace(GITHUB, f"git+file://{REPO}@{head}")
    project = buggy_project(tmp_path)
    (project / ".pre-commit-config.yaml").write_text(config)
    git("add", ".pre-commit-config.yaml", cwd=project)
    env = pre_commit_env(tmp_path)

    # 1. the hook fails on the buggy file and writes nothing
    run = run_pre_commit("run", "--all-files", cwd=project, env=env)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "Failed" in out and "evaluate.py:5:10: NG006" in out
    assert (project / "evaluate.py").read_text() == BUGGY

    # 2. with the snippet's `args: [--fix]` uncommented, pre-commit fails the run because the hook
    #    changed a file, and the file is fixed
    fixing = re.sub(r"# (args: \[--fix\])\s+#.*", r"\1", config)
    assert fixing != config
    (project / ".pre-commit-config.yaml").write_text(fixing)
    git("add", ".pre-commit-config.yaml", cwd=project)
    run = run_pre_commit("run", "--all-files", cwd=project, env=env)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "files were modified by this hook" in out
    assert (project / "evaluate.py").read_text() == FIXED

    # 3. and passes on the fixed file
    git("add", "evaluate.py", cwd=project)
    run = run_pre_commit("run", "--all-files", cwd=project, env=env)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert "Passed" in out


def test_project_passes_its_own_hook(tmp_path):
    """Dogfooding: the project's .pre-commit-config.yaml (its own hook, run with the nogradlint
    of this environment) is clean on every tracked file."""
    try:
        git("rev-parse", "--show-toplevel", cwd=REPO)
    except subprocess.CalledProcessError:
        pytest.skip("not a git checkout")
    bin_dir = os.path.dirname(sys.executable)
    env = pre_commit_env(tmp_path, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    run = run_pre_commit("run", "nogradlint", "--all-files", cwd=REPO, env=env)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert re.search(r"^nogradlint\.+Passed$", out, re.M), out
