"""The rule registry: built-in rules and plug-ins, collected through pluggy."""

from __future__ import annotations

import importlib.metadata
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
    # Entry points are registered under "distribution:entry-point" (pluggy's own loader keys
    # them by the entry point's name alone, so two packages that both call theirs "rules"
    # would silently lose one).
    for dist in sorted(importlib.metadata.distributions(), key=lambda d: d.metadata["Name"] or ""):
        for ep in dist.entry_points:
            if ep.group != hookspecs.PROJECT:
                continue
            name = f"{dist.metadata['Name']}:{ep.name}"
            if pm.has_plugin(name):  # the same distribution twice on the path
                continue
            try:
                plugin = ep.load()
                pm.register(plugin, name=name)
            except Exception as exc:  # a broken third-party package must not become a traceback
                raise PluginError(
                    f"cannot load a nogradlint plug-in ({name} = {ep.value}): {type(exc).__name__}: {exc}"
                ) from None
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


def _match_length(code: str, selectors, exact: bool = False) -> int:
    """How specific the best selector matching ``code`` is (-1: none matches). With ``exact``
    only the full code (or ALL) counts: how opt-in rules are selected."""
    best = -1
    for sel in selectors:
        if sel == "ALL":
            best = max(best, 0)
        elif code == sel or (not exact and code.startswith(sel)):
            best = max(best, len(sel))
    return best


def select_rules(select, ignore, extend_select=()) -> list:
    """Rules enabled by ruff-style selectors: the most specific selector wins."""
    return select_layers([(select, extend_select, ignore)])


def select_layers(layers) -> list:
    """Rules enabled by layers of selectors, applied in order (defaults, configuration file,
    command line), each a ``(select, extend_select, ignore)`` triple:

    * a layer's ``select`` (when not None) starts over from nothing; ``extend_select`` and
      ``ignore`` adjust what the earlier layers enabled;
    * within a layer the most specific selector wins (``--select NG006 --ignore NG`` keeps
      NG006; ``--select NG --ignore NG00`` drops NG001-NG009); on a tie, ``ignore`` wins;
    * a rule with ``opt_in = True`` (NG901) is selected only by its full code or ``ALL``.
    """
    rules = all_rules()
    known = [r.code for r in rules]
    for select, extend_select, ignore in layers:
        for sel in tuple(select or ()) + tuple(ignore or ()) + tuple(extend_select or ()):
            if sel != "ALL" and not any(code.startswith(sel) for code in known):
                raise ConfigError(f"unknown rule code or prefix {sel!r}; see `nogradlint --list-rules`")
    enabled = []
    for rule in rules:
        on = False
        for select, extend_select, ignore in layers:
            if select is not None:
                on = False
            exact = bool(getattr(rule, "opt_in", False))
            chosen = max(_match_length(rule.code, select or (), exact),
                          _match_length(rule.code, extend_select or (), exact))
            ignored = _match_length(rule.code, ignore or ())
            if chosen >= 0 and chosen > ignored:
                on = True
            elif ignored >= 0:
                on = False
        if on:
            enabled.append(rule)
    return enabled
