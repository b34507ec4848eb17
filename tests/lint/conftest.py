import pytest

from nogradlint import runner


@pytest.fixture(autouse=True)
def _internal_errors_raise(monkeypatch):
    # In-process runs raise on a bug of ours (the fuzz tests' "never raises" property), instead of
    # reporting it as the file's NG900 as users get it.
    monkeypatch.setattr(runner, "RAISE_INTERNAL_ERRORS", True)
