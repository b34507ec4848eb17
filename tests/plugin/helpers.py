"""Shared helpers for the plugin tests: real pytest runs in subprocesses (torch's global state
must not leak between the outer and inner sessions)."""
from __future__ import annotations

import json
import os
import textwrap
from typing import Any, Dict, List

import pytest

# Written into every pytester directory: inner tests call clean_state() to prove that the
# plugin (and the leak guard) left nothing behind.
HELPERS = '''
import importlib
import torch
from torch.nn.modules import module as _mm
from torch.utils._python_dispatch import _get_current_dispatch_mode_stack

_optim = importlib.import_module("torch.optim.optimizer")


def plugin_hooks_present():
    problems = []
    if torch._C._len_torch_function_stack():
        problems.append("function modes")
    if _get_current_dispatch_mode_stack():
        problems.append("dispatch modes")
    if torch._C._autograd._top_saved_tensors_default_hooks(False) is not None:
        problems.append("saved tensor hooks")
    if _mm._global_forward_hooks or _mm._global_forward_pre_hooks:
        problems.append("module hooks")
    if _optim._global_optimizer_pre_hooks:
        problems.append("optimizer hooks")
    return problems


def clean_state():
    """Global autograd state is the default (the plugin's own per-test hooks aside)."""
    problems = []
    if not torch.is_grad_enabled():
        problems.append("grad disabled")
    if torch.is_inference_mode_enabled():
        problems.append("inference mode")
    if torch.is_anomaly_enabled():
        problems.append("anomaly")
    if not torch._C._is_fwd_grad_enabled():
        problems.append("fwd grad disabled")
    if torch.autograd.forward_ad._current_level != -1:
        problems.append("dual level")
    hooks = torch._C._autograd._top_saved_tensors_default_hooks(False)
    if hooks is not None and "pytest_nograd" not in getattr(hooks[0], "__module__", ""):
        problems.append("saved tensor hooks")
    for m in torch.overrides._get_current_function_mode_stack():
        if "pytest_nograd" not in type(m).__module__:
            problems.append("function mode " + type(m).__name__)
    for m in _get_current_dispatch_mode_stack():
        if "pytest_nograd" not in type(m).__module__:
            problems.append("dispatch mode " + type(m).__name__)
    assert not problems, problems
    x = torch.ones(2, requires_grad=True)
    (x * 2).sum().backward()
    assert x.grad is not None
'''

# Every test checks at setup (before the plugin installs its per-test hooks) that the
# previous test's hooks and modes are gone.
CONFTEST = '''
import pytest
from nghelpers import plugin_hooks_present


@pytest.fixture(autouse=True)
def _no_leftover_plugin_hooks():
    assert plugin_hooks_present() == []
    yield
'''

INI = """
[pytest]
filterwarnings =
    ignore:Failed to initialize NumPy:UserWarning
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester directory with the helper module and a quiet ini."""
    pytester.makepyfile(nghelpers=HELPERS)
    pytester.makeconftest(CONFTEST)
    pytester.makeini(INI)
    return pytester


def run(pytester: pytest.Pytester, *args: str, timeout: float = 240) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rA", *args, timeout=timeout)


def load_json(path: Any) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def by_test(data: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """JSON tests keyed by test name (the part after '::')."""
    return {t["nodeid"].split("::")[-1]: t for t in data["tests"]}


def kinds(entry: Dict[str, Any]) -> List[str]:
    return sorted(f["kind"] for f in entry["findings"])


def dedent(s: str) -> str:
    return textwrap.dedent(s)


@pytest.fixture
def no_torch_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A directory whose ``torch`` package raises ImportError, to put first on PYTHONPATH."""
    d = tmp_path_factory.mktemp("notorch")
    (d / "torch").mkdir()
    (d / "torch" / "__init__.py").write_text('raise ImportError("No module named torch (test shim)")\n')
    return str(d)


def outcomes(result: pytest.RunResult) -> Dict[str, str]:
    """test name -> "PASSED", "FAILED", "ERROR", "PASSED+ERROR" (teardown error), ...
    from the -rA short summary; skips are keyed "SKIPPED" with their reasons joined."""
    found: Dict[str, List[str]] = {}
    for line in result.outlines:
        for word in ("PASSED", "FAILED", "ERROR", "SKIPPED", "XFAIL", "XPASS"):
            if not line.startswith(word + " "):
                continue
            rest = line[len(word) + 1:]
            if word == "SKIPPED":  # "SKIPPED [1] file.py:12: reason" has no test id
                found.setdefault("SKIPPED", []).append(rest)
                continue
            name = rest.split(" - ")[0].split("::")[-1].strip()
            found.setdefault(name, []).append(word)
    order = ["PASSED", "FAILED", "XFAIL", "XPASS", "ERROR"]
    return {k: ("\n".join(v) if k == "SKIPPED" else "+".join(sorted(set(v), key=order.index)))
            for k, v in found.items()}


os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
