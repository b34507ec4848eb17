"""Cross-file facts: in which grad mode each project function can run.

Every call site is recorded per file with the grad mode in force there (or "inherit": the
caller's own mode). A function whose every call site runs with grad disabled is grad-disabled;
one unprotected call site makes it reachable with grad on; a function nobody in the project
calls is an entry point and runs with grad on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

ENABLED, DISABLED, UNKNOWN = "enabled", "disabled", "unknown"
_SITE_MODE = {"enabled": ENABLED, "disabled": DISABLED, "inference": DISABLED, "unknown": UNKNOWN}


@dataclass
class FileFacts:
    """What one file contributes to the project-wide picture (plain data: cached, pickled)."""

    module: str
    defs: dict = field(default_factory=dict)  # key -> (name, class_key or None)
    sites: list = field(default_factory=list)  # (ref, mode, caller_key or None)


class ProjectFacts:
    def __init__(self, facts: Iterable[FileFacts]) -> None:
        self.defs: dict[str, tuple] = {}
        for f in facts:
            self.defs.update(f.defs)
        self._methods_by_name: dict[str, list[str]] = defaultdict(list)
        self._defs_by_name: dict[str, list[str]] = defaultdict(list)
        for key, (name, class_key) in self.defs.items():
            self._defs_by_name[name].append(key)
            if class_key is not None:
                self._methods_by_name[name].append(key)
        self.callers: dict[str, list[tuple]] = defaultdict(list)  # callee -> [(mode, caller)]
        for f in facts:
            for ref, mode, caller in f.sites:
                for callee in self._targets(ref):
                    self.callers[callee].append((mode, caller))
        self.status = self._solve()

    def _targets(self, ref: tuple) -> list:
        kind = ref[0]
        if kind == "qual":
            name = ref[1]
            if name in self.defs:
                return [name]
            # A name re-exported by a package __init__: `from pkg import evaluate`.
            short = name.rpartition(".")[2]
            package = name.rpartition(".")[0]
            return [k for k in self._defs_by_name.get(short, ()) if k.startswith(package + ".")]
        if kind == "method":
            candidate = f"{ref[1]}.{ref[2]}"
            if candidate in self.defs:
                return [candidate]
            return list(self._methods_by_name.get(ref[2], ()))
        if kind == "anyattr":
            return list(self._methods_by_name.get(ref[1], ()))
        if kind == "anyname":
            return list(self._defs_by_name.get(ref[1], ()))
        return []

    def _solve(self) -> dict[str, str]:
        # Start optimistic (every called function grad-disabled) and weaken until stable:
        # the greatest fixpoint, so mutually recursive helpers called only under no_grad stay disabled.
        status = {key: DISABLED for key in self.callers}
        changed = True
        while changed:
            changed = False
            for callee, sites in self.callers.items():
                new = DISABLED
                for mode, caller in sites:
                    if mode == "inherit":
                        site = status.get(caller, ENABLED) if caller is not None else ENABLED
                    else:
                        site = _SITE_MODE[mode]
                    if site == ENABLED:
                        new = ENABLED
                        break
                    if site == UNKNOWN:
                        new = UNKNOWN
                if new != status[callee]:
                    status[callee] = new
                    changed = True
        return status

    def mode_of(self, function_key: str) -> str:
        """"enabled", "disabled" or "unknown": how callers run this function."""
        return self.status.get(function_key, ENABLED)

    def holds(self, condition) -> bool:
        return self.mode_of(condition.function) == condition.mode
