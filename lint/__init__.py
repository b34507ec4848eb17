"""nogradlint: a static checker for PyTorch grad-mode misuse.

The plug-in API (see ``nogradlint.hookspecs``): ``hookimpl`` to implement the
``nogradlint_rules`` hook, and the rule base classes ``Rule``, ``RuleDocs``, ``Invalid``,
``SAFE`` / ``UNSAFE`` from ``nogradlint.rules.base`` (importable from here as well).
"""

__version__ = "0.1.0"

from .hookspecs import hookimpl  # noqa: E402  (pluggy only: cheap)

_RULE_API = ("Rule", "RuleDocs", "Invalid", "SAFE", "UNSAFE", "FixSpec")
__all__ = ["__version__", "hookimpl", *_RULE_API]


def __getattr__(name: str):
    # The rule classes import libcst; load them only when a plug-in asks for them.
    if name in _RULE_API:
        from .rules import base

        return getattr(base, name)
    raise AttributeError(f"module 'nogradlint' has no attribute {name!r}")
