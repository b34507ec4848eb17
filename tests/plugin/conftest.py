"""Fixtures for the plugin tests (the helpers live in helpers.py)."""
from .helpers import no_torch_path, suite  # noqa: F401  (fixtures)
