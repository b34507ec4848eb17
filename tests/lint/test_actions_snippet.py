"""The README's GitHub Actions job, its ``run:`` steps executed in order in a fresh virtual
environment: the install step as written except that its GitHub URL points at this clone's HEAD
(no network to GitHub here; pip still fetches the dependencies from the package index), then
the nogradlint step on a small buggy project, which must leave a SARIF file for the upload step."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys

import pytest

from .test_precommit import GITHUB, REPO, committed_head, readme_block

pytestmark = pytest.mark.skipif(not shutil.which("git"), reason="needs git")


def test_readme_actions_job_installs_from_the_repository_and_writes_sarif(tmp_path):
    import yaml  # installed with pre-commit

    head = committed_head()
    workflow = yaml.safe_load(readme_block("## GitHub Actions"))
    steps = workflow["jobs"]["nogradlint"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    install, lint = runs
    assert "pip install pytest-nograd" not in install  # not published
    assert f'"pytest-nograd @ {GITHUB}"' in install
    upload = next(step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif"))

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    # setup-python comes with a current pip; the one ensurepip bundles may predate PEP 508 URLs
    # without a host (git+file:///...), which only the substituted URL here has.
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True,
                   capture_output=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "NOGRADLINT_DEBUG")}
    env["PATH"] = str(venv / "bin") + os.pathsep + env.get("PATH", "")
    project = tmp_path / "project"
    project.mkdir()
    (project / "evaluate.py").write_text("import torch\n\n\ndef predict(model, x):\n    with torch.no_grad:\n"
                                         "        return model(x)\n")

    command = install.replace(GITHUB, f"git+file://{REPO}@{head}")
    proc = subprocess.run(shlex.split(command.split("#")[0]), cwd=project, env=env, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert os.path.exists(venv / "bin" / "nogradlint")

    proc = subprocess.run(shlex.split(lint), cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr  # findings; the upload step runs anyway (if: always())
    assert upload["if"] == "always()"
    with open(project / upload["with"]["sarif_file"], encoding="utf-8") as fh:
        sarif = json.load(fh)
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["NG006"]
