"""Linting named files (as pre-commit does) reads the rest of their project for context: a
finding that the whole project's facts drop is dropped for the named file too, so its unsafe fix
never breaks code that another file trains through."""

from __future__ import annotations

from .cli_helpers import run_cli, write

SOLVER = '''import torch


class Solver:
    def __init__(self, models):
        self.models = models

    def _inference(self, batches):
        outs = []
        for batch, model in zip(batches, self.models):
            outs.append(model(batch))
        return torch.stack(outs)
'''

TRAINER = '''from solver import Solver


def step(solver: Solver, batches, criterion, optimizer):
    prediction = solver._inference(batches)
    loss = criterion(prediction)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''


def _project(root, marker: bool):
    write(root / "solver.py", SOLVER)
    write(root / "train.py", TRAINER)
    if marker:
        write(root / "pyproject.toml", '[project]\nname = "demo"\nversion = "0"\n')


def test_a_named_file_is_judged_with_its_project_callers(tmp_path):
    _project(tmp_path, marker=True)
    whole = run_cli("--no-cache", "--isolated", "--output-format", "concise", ".", cwd=tmp_path)
    named = run_cli("--no-cache", "--isolated", "--output-format", "concise", "solver.py", cwd=tmp_path)
    assert whole.rc == 0, whole.out
    # The training caller lives in train.py, which is not named: it is read for context only.
    assert named.rc == 0, named.out
    assert "NG001" not in named.out


def test_the_context_files_are_never_reported(tmp_path):
    _project(tmp_path, marker=True)
    write(tmp_path / "noisy.py", "import torch\ntorch.enable_grad()\n")  # NG006 if it were linted
    named = run_cli("--no-cache", "--isolated", "--output-format", "concise", "solver.py", cwd=tmp_path)
    assert "noisy.py" not in named.out


def test_a_file_in_no_project_is_judged_alone(tmp_path):
    # No pyproject.toml, setup.py, setup.cfg or .git above it: nothing else is read, and the
    # loop (named like inference, its caller unseen) is reported.
    _project(tmp_path, marker=False)
    named = run_cli("--no-cache", "--isolated", "--output-format", "concise", "solver.py", cwd=tmp_path)
    assert named.rc == 1 and "solver.py:10:9: NG001" in named.out, named.out
