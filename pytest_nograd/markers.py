"""The plugin's markers: registration text, and parsing + validation into plain specs.

Validation runs at collection (see plugin.pytest_generate_tests), so a malformed marker
is a collection error naming the test, the way pytest reports a bad ``parametrize``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from .measure import DEVICES
from .sizes import parse_size

MARKERS = {
    "no_graph": "no_graph: the test body must not build any autograd graph (pytest-nograd).",
    "memory_budget": (
        "memory_budget(limit, *, device='auto'): peak tensor memory of the test body above "
        "the start must stay within limit, e.g. '64 MiB'; None disables a default budget "
        "(pytest-nograd)."
    ),
    "autograd_budget": (
        "autograd_budget(limit): bytes saved for backward during the test body "
        "(parameters not counted) must stay within limit (pytest-nograd)."
    ),
    "allow_grad_mode_change": (
        "allow_grad_mode_change: the test may change global grad mode on purpose; the state "
        "is still restored afterwards (pytest-nograd)."
    ),
}


class MarkerError(ValueError):
    """A marker with arguments the plugin cannot use."""


@dataclass(frozen=True)
class MemoryBudget:
    limit: Optional[int]  # None: explicitly no budget
    device: str = "auto"


@dataclass(frozen=True)
class MarkerSpec:
    """Everything the markers of one test ask for."""

    no_graph: bool = False
    memory: Optional[MemoryBudget] = None  # None: no marker (the default budget applies)
    autograd_limit: Optional[int] = None
    allow_grad_mode_change: bool = False

    @property
    def uses_torch(self) -> bool:
        return self.no_graph or self.memory is not None or self.autograd_limit is not None


def _size(marker: str, value: Any) -> int:
    try:
        return parse_size(value)
    except ValueError as exc:
        raise MarkerError(f"@pytest.mark.{marker}: bad limit {value!r}: {exc}") from None


def _one_limit(name: str, mark: Any, allow_none: bool) -> Any:
    args, kwargs = mark.args, dict(mark.kwargs)
    if "limit" in kwargs:
        if args:
            raise MarkerError(f"@pytest.mark.{name}: limit given twice")
        args = (kwargs.pop("limit"),)
    if len(args) != 1:
        raise MarkerError(f"@pytest.mark.{name} takes exactly one limit, got {len(args)} positional arguments {args!r}")
    value = args[0]
    if value is None and allow_none:
        return None, kwargs
    return _size(name, value), kwargs


def parse_memory_budget(mark: Any) -> MemoryBudget:
    limit, kwargs = _one_limit("memory_budget", mark, allow_none=True)
    device = kwargs.pop("device", "auto")
    if kwargs:
        raise MarkerError(f"@pytest.mark.memory_budget: unknown keyword argument(s) {sorted(kwargs)} (only device=)")
    if device not in DEVICES:
        raise MarkerError(f"@pytest.mark.memory_budget: unknown device {device!r} (use 'cpu', 'cuda' or 'auto')")
    return MemoryBudget(limit, device)


def parse_autograd_budget(mark: Any) -> int:
    limit, kwargs = _one_limit("autograd_budget", mark, allow_none=False)
    if kwargs:
        raise MarkerError(f"@pytest.mark.autograd_budget: unknown keyword argument(s) {sorted(kwargs)}")
    return limit


def _no_args(name: str, mark: Any) -> bool:
    if mark.args or mark.kwargs:
        raise MarkerError(f"@pytest.mark.{name} takes no arguments, got {mark.args!r} {mark.kwargs!r}")
    return True


def spec_for(node: Any) -> MarkerSpec:
    """Parse the closest marker of each kind on an item or FunctionDefinition."""
    m = node.get_closest_marker("no_graph")
    no_graph = _no_args("no_graph", m) if m is not None else False
    m = node.get_closest_marker("memory_budget")
    memory = parse_memory_budget(m) if m is not None else None
    m = node.get_closest_marker("autograd_budget")
    autograd = parse_autograd_budget(m) if m is not None else None
    m = node.get_closest_marker("allow_grad_mode_change")
    allow = _no_args("allow_grad_mode_change", m) if m is not None else False
    return MarkerSpec(no_graph, memory, autograd, allow)
