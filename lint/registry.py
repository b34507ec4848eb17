"""The rule registry: built-in rules and plug-ins, collected through pluggy."""

from __future__ import annotations

from functools import lru_cache

import pluggy

from . import hookspecs
from .config import ConfigError
from .rules.base import Rule


class PluginError(Exception):
    """A plug-in that cannot be loaded or declares a bad rule (one line for the user)."""


def _manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    from .rules import builtin

    pm.register(builtin, name="nogradlint.builtin")
    try:
        pm.load_setuptools_entrypoints(hookspecs.PROJECT)
    except Exception as exc:  # a broken third-party package must not become a traceback
        raise PluginError(f"cannot load a nogradlint plug-in: {type(exc).__name__}: {exc}") from None
    return pm


@lru_cache(maxsize=1)
def all_rules() -> tuple:
    """Every registered rule class, sorted by code. Duplicate codes are an error."""
    pm = _manager()
    rules: dict[str, type] = {}
    for batch in pm.hook.nogradlint_rules():
        for rule in batch or ():
            if not (isinstance(rule, type) and issubclass(rule, Rule)):
                raise PluginError(f"a nogradlint plug-in returned {rule!r}, which is not a Rule subclass")
            problems = rule.check_metadata()
            if problems:
                raise PluginError("; ".join(problems))
            other = rules.get(rule.code)
            if other is not None and other is not rule:
                raise PluginError(
                    f"two rules use the code {rule.code}: {other.__module__}.{other.__name__} "
                    f"and {rule.__module__}.{rule.__name__}"
                )
            rules[rule.code] = rule
    return tuple(sorted(rules.values(), key=lambda r: r.code))


def rule_by_code(code: str):
    for rule in all_rules():
        if rule.code == code or rule.name == code:
            return rule
    return None


def _match_length(code: str, selectors) -> int:
    best = -1
    for sel in selectors:
        if sel == "ALL":
            best = max(best, 0)
        elif code.startswith(sel):
            best = max(best, len(sel))
    return best


def select_rules(select, ignore, extend_select=()) -> list:
    """Rules enabled by ruff-style selectors: the most specific selector wins."""
    rules = all_rules()
    known = [r.code for r in rules]
    for sel in tuple(select) + tuple(ignore) + tuple(extend_select):
        if sel != "ALL" and not any(code.startswith(sel) for code in known):
            raise ConfigError(f"unknown rule code or prefix {sel!r}; see `nogradlint --list-rules`")
    enabled = []
    for rule in rules:
        chosen = max(_match_length(rule.code, select), _match_length(rule.code, extend_select))
        if chosen >= 0 and chosen > _match_length(rule.code, ignore):
            enabled.append(rule)
    return enabled
