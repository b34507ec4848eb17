"""nogradlint: a static checker for PyTorch grad-mode misuse.

The plug-in API (see ``nogradlint.hookspecs``): ``hookimpl`` to implement the
``nogradlint_rules`` hook, and the rule base classes ``Rule``, ``RuleDocs``, ``Invalid``,
``SAFE`` / ``UNSAFE`` from ``nogradlint.rules.base`` (importable from here as well).
"""

__version__ = "0.1.0"

_RULE_API = ("Rule", "RuleDocs", "Invalid", "SAFE", "UNSAFE", "FixSpec")
__all__ = ["__version__", "hookimpl", *_RULE_API]


def __getattr__(name: str):
    # Loaded only when a plug-in asks: the command imports this package on every run, and a run
    # without plug-ins needs neither pluggy (``hookimpl``) nor the rule API.
    if name == "hookimpl":
        from .hookspecs import hookimpl

        return hookimpl
    if name in _RULE_API:
        from .rules import base

        return getattr(base, name)
    raise AttributeError(f"module 'nogradlint' has no attribute {name!r}")
