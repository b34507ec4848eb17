"""torch's API as data (lint/analysis/torch_api.json): generated from torch itself, never stale.

The generator imports torch; the linter only reads the data. When torch is installed, the data is
regenerated here and must equal what is committed (a new torch release: rerun the script).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from nogradlint.analysis import torch_api
from nogradlint.analysis.gradmode import CANONICAL
from nogradlint.runner import lint_text

from .cli_helpers import REPO

SCRIPT = os.path.join(REPO, "scripts", "generate_torch_api.py")


def test_committed_data_matches_the_installed_torch(tmp_path):
    torch = pytest.importorskip("torch")
    if torch.__version__.split("+")[0] != torch_api.TORCH_VERSION:
        pytest.skip(f"data is for torch {torch_api.TORCH_VERSION}, installed is {torch.__version__}")
    r = subprocess.run([sys.executable, SCRIPT, "--check"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr


def test_check_fails_on_stale_data(tmp_path):
    pytest.importorskip("torch")
    stale = tmp_path / "torch_api.json"
    data = json.loads(open(os.path.join(REPO, "lint", "analysis", "torch_api.json"), encoding="utf-8").read())
    data["tensor_methods"]["number"].remove("item")
    stale.write_text(json.dumps(data))
    r = subprocess.run([sys.executable, SCRIPT, "--check", "--output", str(stale)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 1 and "is stale" in r.stderr


def test_data_says_what_torch_does():
    # A few facts a reader can check against torch's documentation.
    assert {"item", "tolist", "size", "numel"} <= torch_api.TENSOR_NUMBER_METHODS
    assert {"detach", "argmax", "eq", "long"} <= torch_api.TENSOR_DETACHED_METHODS
    assert {"add_", "zero_", "copy_"} <= torch_api.TENSOR_INPLACE_METHODS
    assert "sum" not in torch_api.TENSOR_DETACHED_METHODS | torch_api.TENSOR_NUMBER_METHODS
    assert "torch.where" not in torch_api.TORCH_DETACHED_FUNCTIONS  # where(c, x, y) keeps history
    assert {"torch.zeros", "torch.arange"} <= torch_api.TORCH_FACTORIES
    assert "torch.nn.Linear" in torch_api.NN_MODULES_WITH_PARAMETERS
    assert "torch.nn.ReLU" in torch_api.NN_MODULES - torch_api.NN_MODULES_WITH_PARAMETERS
    assert CANONICAL["torch.autograd.grad_mode.no_grad"] == "no_grad"
    assert {"torch.distributions.Normal", "torch.distributions.normal.Normal"} <= torch_api.DISTRIBUTION_CLASSES
    assert {"log_prob", "rsample", "entropy"} <= torch_api.DISTRIBUTION_HISTORY_METHODS
    assert torch_api.DISTRIBUTION_DETACHED_METHODS >= {"sample"}


def test_the_linter_decides_from_the_data():
    # `.isclose()` is in no hand-written list: the generated data says it has no history, so
    # accumulating it is no graph kept; `.sum()` keeps the loss's graph.
    code = (
        "import torch\n"
        "def train(model, loader, opt, criterion):\n"
        "    close, kept = [], []\n"
        "    for x, y in loader:\n"
        "        loss = criterion(model(x), y)\n"
        "        loss.backward()\n"
        "        opt.step()\n"
        "        close.append(loss.isclose(loss))\n"
        "        kept.append(loss.sum())\n"
    )
    findings = lint_text(code, codes=["NG003"])
    assert [f.line for f in findings] == [9]


def test_a_distributions_log_prob_keeps_its_parameters_history_and_a_sample_does_not():
    # From the data: `Normal(mu, s).log_prob(x)` carries the graph of `mu` (a model output);
    # `.sample()` is drawn without history. Kept across iterations, only the first keeps graphs.
    code = (
        "import torch\n"
        "from torch.distributions import Normal\n"
        "def train(model, loader, opt):\n"
        "    lps, draws = [], []\n"
        "    for x in loader:\n"
        "        dist = Normal(model(x), 1.0)\n"
        "        loss = -dist.log_prob(x).mean()\n"
        "        loss.backward()\n"
        "        opt.step()\n"
        "        lps.append(dist.log_prob(x))\n"
        "        draws.append(dist.sample())\n"
    )
    findings = lint_text(code, codes=["NG003"])
    assert [f.line for f in findings] == [10]
