"""The rule registry: built-in rules and plug-ins, collected through pluggy.

Two views of the same rules, both sorted by code:

- ``rule_catalog()``: each rule's metadata (``RuleInfo``). The built-in rules' metadata is the
  generated table ``rules/catalog.py``, so the command line, the configuration checks, the cache
  and the reports learn the rules without importing the rule modules (which import libcst: most
  of a warm run's start-up). Plug-ins are imported and asked through the hook, as always.
- ``all_rules()``: the rule classes, for linting; this imports every rule module.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import Iterable

from .config import ConfigError
from .rules.base import Rule, RuleInfo

BUILTIN_MODULE = "nogradlint.rules.builtin"
# hookspecs.PROJECT, the entry-point group; not imported from there, which imports pluggy: a run
# without plug-ins never needs it.
ENTRY_POINT_GROUP = "nogradlint"


class PluginError(Exception):
    """A plug-in that cannot be loaded or declares a bad rule (one line for the user)."""


@lru_cache(maxsize=1)
def _third_party() -> tuple:
    """(name, entry point, module) of every installed plug-in, loaded. The name is
    "distribution:entry-point" (pluggy's own loader keys plug-ins by the entry point's name alone,
    so two packages that both call theirs "rules" would silently lose one)."""
    if not _declared_on_path():
        return ()
    import importlib.metadata

    # Only distributions whose entry_points.txt names the group: reading each distribution's
    # METADATA (its name, to sort by) costs more than the rest of a warm run's start-up.
    declaring = [dist for dist in importlib.metadata.distributions()
                 if f"[{ENTRY_POINT_GROUP}]" in (dist.read_text("entry_points.txt") or "")]
    found: dict = {}
    for dist in sorted(declaring, key=lambda d: d.metadata["Name"] or ""):
        for ep in dist.entry_points:
            if ep.group != ENTRY_POINT_GROUP:
                continue
            name = f"{dist.metadata['Name']}:{ep.name}"
            if name in found:  # the same distribution twice on the path
                continue
            try:
                found[name] = (ep.value, ep.load())
            except Exception as exc:  # a broken third-party package must not become a traceback
                raise PluginError(
                    f"cannot load a nogradlint plug-in ({name} = {ep.value}): {type(exc).__name__}: {exc}"
                ) from None
    return tuple((name, value, plugin) for name, (value, plugin) in found.items())


def _declared_on_path() -> bool:
    """Whether a distribution on ``sys.path`` may declare the entry-point group: the folders
    importlib.metadata reads, scanned without importing it (that import alone costs about as much
    as starting Python). What this scan does not read (a zip archive on the path, another finder
    of distributions) answers True, and importlib.metadata decides."""
    import importlib.machinery
    import os

    if any(hasattr(finder, "find_distributions") and finder is not importlib.machinery.PathFinder
           for finder in sys.meta_path):
        return True
    needle = f"[{ENTRY_POINT_GROUP}]"
    for root in sys.path:
        root = root or "."
        try:
            children = os.listdir(root)
        except OSError:
            if os.path.isfile(root):  # a zip archive
                return True
            continue
        egg = os.path.basename(root).lower().endswith(".egg")
        for child in children:
            low = child.lower()
            if not (low.endswith((".dist-info", ".egg-info")) or (egg and low == "egg-info")):
                continue
            try:
                with open(os.path.join(root, child, "entry_points.txt"), encoding="utf-8") as fh:
                    if needle in fh.read():
                        return True
            except OSError:  # none (most distributions), or unreadable: importlib.metadata skips it too
                continue
            except ValueError:  # not UTF-8: let importlib.metadata say what it makes of it
                return True
    return False


def _hook_batches(builtin: bool) -> list:
    """What each registered ``nogradlint_rules`` hook returns, in pluggy's call order (the last
    registered first: plug-ins before the built-in rules). Without plug-ins and without the
    built-in module nothing is asked, and pluggy is not imported."""
    plugins = _third_party()
    if not plugins and not builtin:
        return []
    import pluggy

    from . import hookspecs

    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    if builtin:
        from .rules import builtin as builtin_rules

        pm.register(builtin_rules, name=BUILTIN_MODULE)
    for name, value, plugin in plugins:
        try:
            pm.register(plugin, name=name)
        except Exception as exc:  # e.g. a hook with a misspelt argument
            raise PluginError(
                f"cannot load a nogradlint plug-in ({name} = {value}): {type(exc).__name__}: {exc}"
            ) from None
    return pm.hook.nogradlint_rules()


def _checked(batches: Iterable) -> Iterable[type]:
    for batch in batches:
        for rule in batch or ():
            if not (isinstance(rule, type) and issubclass(rule, Rule)):
                raise PluginError(f"a nogradlint plug-in returned {rule!r}, which is not a Rule subclass")
            problems = rule.check_metadata()
            if problems:
                raise PluginError("; ".join(problems))
            yield rule


def _by_code(rules: Iterable) -> tuple:
    """``rules`` (classes or infos, each with ``code``) sorted by code; two with one code are an error."""
    seen: dict = {}
    for rule in rules:
        other = seen.get(rule.code)
        if other is not None and other is not rule and other != rule:  # one rule returned twice is no conflict
            raise PluginError(f"two rules use the code {rule.code}: {_identity(other)} and {_identity(rule)}")
        seen[rule.code] = rule
    return tuple(sorted(seen.values(), key=lambda r: r.code))


def _identity(rule) -> str:
    if isinstance(rule, RuleInfo):
        return f"{rule.module}.{rule.qualname}"
    return f"{rule.__module__}.{rule.__name__}"


@lru_cache(maxsize=1)
def all_rules() -> tuple:
    """Every registered rule class, sorted by code. Duplicate codes are an error."""
    return _by_code(_checked(_hook_batches(builtin=True)))


@lru_cache(maxsize=1)
def rule_catalog() -> tuple:
    """Every registered rule's ``RuleInfo``, sorted by code, without importing the built-in rule
    modules. Duplicate codes are an error, as in ``all_rules``."""
    plugins = [RuleInfo.of(rule) for rule in _checked(_hook_batches(builtin=False))]
    return _by_code(plugins + list(_builtin_infos()))


def _builtin_infos() -> tuple:
    loaded = sys.modules.get(BUILTIN_MODULE)
    if loaded is not None:
        # The classes are imported already (a lint ran in this process): they are the source the
        # table is generated from, and what a test that registers an extra built-in rule changes.
        return tuple(RuleInfo.of(rule) for rule in loaded.BUILTIN_RULES)
    from .rules.catalog import BUILTIN

    return BUILTIN


def reset() -> None:
    """Forget the collected rules and plug-ins (tests that install or register rules)."""
    for cached in (_third_party, all_rules, rule_catalog):
        cached.cache_clear()


def rule_by_code(code: str):
    """The ``RuleInfo`` of the rule with this code or name, or None."""
    for rule in rule_catalog():
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
    """Rules (``RuleInfo``) enabled by layers of selectors, applied in order (defaults,
    configuration file, command line), each a ``(select, extend_select, ignore)`` triple:

    * a layer's ``select`` (when not None) starts over from nothing; ``extend_select`` and
      ``ignore`` adjust what the earlier layers enabled;
    * within a layer the most specific selector wins (``--select NG006 --ignore NG`` keeps
      NG006; ``--select NG --ignore NG00`` drops NG001-NG009); on a tie, ``ignore`` wins;
    * a rule with ``opt_in = True`` (NG901) is selected only by its full code or ``ALL``.
    """
    rules = rule_catalog()
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
            exact = rule.opt_in
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
