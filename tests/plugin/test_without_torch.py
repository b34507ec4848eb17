"""Installed where torch cannot be imported: pytest starts, other tests run, and each
torch-backed feature gives one clear error."""
from __future__ import annotations

import pytest

from .helpers import outcomes, run

WITHOUT_TORCH = {
    "test_plain": "def test_plain():\n    assert 1 + 1 == 2\n",
    "test_uses_fixture": "def test_uses_fixture(nograd):\n    pass\n",
    "test_uses_marker": "import pytest\n\n@pytest.mark.memory_budget('1 MiB')\n@pytest.mark.no_graph\ndef test_uses_marker():\n    pass\n",
    "test_allow_marker": "import pytest\n\n@pytest.mark.allow_grad_mode_change\ndef test_allow_marker():\n    pass\n",
    "test_import_package": (
        "import pytest, pytest_nograd\n\n"
        "def test_import_package():\n"
        "    assert pytest_nograd.GradModeWarning\n"
        "    with pytest.raises(pytest_nograd.TorchMissingError, match='assert_frozen needs PyTorch'):\n"
        "        pytest_nograd.assert_frozen(object())\n"
    ),
}


@pytest.fixture
def torchless(pytester, monkeypatch, no_torch_path):
    monkeypatch.setenv("PYTHONPATH", no_torch_path)
    pytester.makepyfile(**WITHOUT_TORCH)
    return pytester


def test_other_tests_run_and_features_error_clearly(torchless):
    result = run(torchless, "--strict-markers", "-W", "error::pytest.PytestUnknownMarkWarning")
    out = outcomes(result)
    assert out == {"test_plain": "PASSED", "test_allow_marker": "PASSED", "test_import_package": "PASSED",
                   "test_uses_fixture": "ERROR", "test_uses_marker": "ERROR"}
    reason = "needs PyTorch, but importing torch failed (ImportError: No module named torch (test shim))"
    result.stdout.fnmatch_lines([f"pytest-nograd: the nograd fixture {reason}*"])
    result.stdout.fnmatch_lines([f"pytest-nograd: @pytest.mark.no_graph and @pytest.mark.memory_budget {reason}*"])
    assert "Traceback" not in result.stdout.str()
    assert "INTERNALERROR" not in result.stdout.str()


@pytest.mark.parametrize("args, ini, feature", [
    (["--nograd-check"], "", "--nograd-check"),
    ([], "nograd_memory_budget = 1 GiB", "nograd_memory_budget"),
])
def test_torch_backed_options_are_one_usage_error(torchless, args, ini, feature):
    torchless.makeini(f"[pytest]\n{ini}\n")
    result = run(torchless, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[0].startswith(f"ERROR: pytest-nograd: {feature} needs PyTorch, but importing torch failed")
    assert "INTERNALERROR" not in result.stderr.str()
