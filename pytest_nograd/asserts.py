"""Assertion helpers about requires_grad state, graphs and gradient flow.

Importable from ``pytest_nograd`` and offered by the ``nograd`` fixture. They raise
``AssertionError`` with the names of the offending parameters or tensors.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

from . import runtime
from .measure import track
from .torchload import require_torch


def _walk(obj: Any, path: str, torch: Any) -> Iterator[Tuple[str, Any]]:
    """(name, tensor) for every tensor in a tensor / module / nested container."""
    __tracebackhide__ = True  # failures end in the user's test, not here
    if isinstance(obj, torch.Tensor):
        yield path or "tensor", obj
    elif isinstance(obj, torch.nn.Module):
        prefix = f"{path}." if path else ""
        for name, p in obj.named_parameters():
            yield prefix + name, p
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk(v, f"{path}[{k!r}]", torch)
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from _walk(v, f"{path}[{i}]", torch)
    else:
        raise TypeError(f"expected a tensor, a module, or lists/tuples/dicts of them; got {type(obj).__name__} at {path or 'top level'}")


def _names(names: List[str], limit: int = 20) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f", ... ({len(names) - limit} more)" if len(names) > limit else "")


def assert_requires_grad(obj: Any, expected: bool = True) -> None:
    """Every tensor / parameter in ``obj`` has ``requires_grad == expected``."""
    __tracebackhide__ = True  # failures end in the user's test, not here
    torch = require_torch("assert_requires_grad")
    items = list(_walk(obj, "", torch))
    bad = [n for n, t in items if t.requires_grad != expected]
    if bad:
        state = "require grad" if expected else "be frozen (requires_grad=False)"
        raise AssertionError(f"expected {len(bad)} of {len(items)} tensors to {state}: {_names(bad)}")


def _match(name: str, patterns: Iterable[str]) -> bool:
    # A pattern names a parameter or a submodule prefix ("head" matches "head.weight").
    return any(name == p or name.startswith(p + ".") for p in patterns)


def _check_patterns(module: Any, patterns: Tuple[str, ...], arg: str) -> None:
    __tracebackhide__ = True  # failures end in the user's test, not here
    names = [n for n, _ in module.named_parameters()]
    unknown = [p for p in patterns if not any(_match(n, (p,)) for n in names)]
    if unknown:
        raise ValueError(f"{arg}: no parameter or submodule named {', '.join(map(repr, unknown))}")


def _as_tuple(v: Any) -> Tuple[str, ...]:
    return (v,) if isinstance(v, str) else tuple(v)


def assert_frozen(module: Any, *, except_: Iterable[str] = ()) -> None:
    """Every parameter is frozen except those named (or under submodules named) in ``except_``."""
    __tracebackhide__ = True  # failures end in the user's test, not here
    require_torch("assert_frozen")
    exc = _as_tuple(except_)
    _check_patterns(module, exc, "except_")
    trainable = [n for n, p in module.named_parameters() if p.requires_grad and not _match(n, exc)]
    frozen_exc = [n for n, p in module.named_parameters() if not p.requires_grad and _match(n, exc)]
    msgs = []
    if trainable:
        msgs.append(f"expected frozen, but these parameters require grad: {_names(trainable)}")
    if frozen_exc:
        msgs.append(f"expected trainable (listed in except_), but frozen: {_names(frozen_exc)}")
    if msgs:
        raise AssertionError("; ".join(msgs))


def assert_trainable(module: Any, *, only: Optional[Iterable[str]] = None) -> None:
    """Every parameter requires grad; with ``only``, exactly the named ones do."""
    __tracebackhide__ = True  # failures end in the user's test, not here
    require_torch("assert_trainable")
    params = list(module.named_parameters())
    if only is None:
        frozen = [n for n, p in params if not p.requires_grad]
        if frozen:
            raise AssertionError(f"expected trainable, but these parameters are frozen: {_names(frozen)}")
        return
    pats = _as_tuple(only)
    _check_patterns(module, pats, "only")
    frozen = [n for n, p in params if _match(n, pats) and not p.requires_grad]
    extra = [n for n, p in params if not _match(n, pats) and p.requires_grad]
    msgs = []
    if frozen:
        msgs.append(f"expected trainable, but frozen: {_names(frozen)}")
    if extra:
        msgs.append(f"expected frozen (not in only=), but these require grad: {_names(extra)}")
    if msgs:
        raise AssertionError("; ".join(msgs))


def assert_no_graph(obj: Any) -> None:
    """No tensor in ``obj`` has a ``grad_fn`` or requires grad."""
    __tracebackhide__ = True  # failures end in the user's test, not here
    torch = require_torch("assert_no_graph")
    bad = []
    for name, t in _walk(obj, "", torch):
        if t.grad_fn is not None:
            bad.append(f"{name} (grad_fn={type(t.grad_fn).__name__})")
        elif t.requires_grad:
            bad.append(f"{name} (requires_grad=True)")
    if bad:
        raise AssertionError(f"expected no autograd graph, but: {_names(bad)}")


def assert_grads_flow(loss: Any, module: Any) -> None:
    """``loss.backward()``, then every trainable parameter of ``module`` got a finite gradient."""
    __tracebackhide__ = True  # failures end in the user's test, not here
    torch = require_torch("assert_grads_flow")
    params = [(n, p) for n, p in module.named_parameters() if p.requires_grad]
    if not params:
        raise AssertionError("module has no trainable parameters")
    if not isinstance(loss, torch.Tensor) or loss.grad_fn is None:
        raise AssertionError(
            "loss has no grad_fn: the graph was severed before the loss "
            "(computed under no_grad / inference_mode, or detached)")
    for _, p in params:
        p.grad = None
    loss.backward()
    missing = [n for n, p in params if p.grad is None]
    nonfinite = [n for n, p in params if p.grad is not None and not bool(torch.isfinite(p.grad).all())]
    msgs = []
    if missing:
        msgs.append(
            f"no gradient reached {len(missing)} of {len(params)} trainable parameters: {_names(missing)} "
            "(a severed graph: .data, a stray detach(), or a forward under no_grad?)")
    if nonfinite:
        msgs.append(f"non-finite gradients in: {_names(nonfinite)}")
    if msgs:
        raise AssertionError("; ".join(msgs))


@dataclass
class ModeRun:
    mode: str
    peak_bytes: Dict[str, int]
    seconds: float
    output: Any = field(repr=False, default=None)

    @property
    def peak(self) -> int:
        return max(self.peak_bytes.values(), default=0)


@dataclass
class Comparison:
    """Per-mode results of :func:`assert_same_predictions`."""

    grad: ModeRun
    no_grad: ModeRun
    inference_mode: ModeRun

    @property
    def runs(self) -> List[ModeRun]:
        return [self.grad, self.no_grad, self.inference_mode]

    def __str__(self) -> str:
        from .sizes import format_size

        rows = [f"{r.mode:<15} peak {format_size(r.peak):>10}  {r.seconds * 1e3:9.2f} ms" for r in self.runs]
        return "\n".join(rows)


def _detach(obj: Any, torch: Any) -> Any:
    if isinstance(obj, torch.Tensor):
        return obj.detach()
    if isinstance(obj, (list, tuple)):
        return type(obj)(_detach(o, torch) for o in obj) if not hasattr(obj, "_fields") else type(obj)(*(_detach(o, torch) for o in obj))
    if isinstance(obj, dict):
        return {k: _detach(v, torch) for k, v in obj.items()}
    return obj


def assert_same_predictions(fn: Callable[..., Any], *args: Any, rtol: Optional[float] = None,
                            atol: Optional[float] = None, **kwargs: Any) -> Comparison:
    """Run ``fn(*args, **kwargs)`` with grad enabled, under ``no_grad`` and under
    ``inference_mode``, from the same RNG state; assert the outputs match and return each
    mode's peak memory and time."""
    __tracebackhide__ = True  # failures end in the user's test, not here
    torch = require_torch("assert_same_predictions")
    runs = []
    cpu_rng = torch.get_rng_state()
    cuda_rng = torch.cuda.get_rng_state_all() if torch.cuda.is_available() and torch.cuda.is_initialized() else None
    modes = [("grad", lambda: torch.enable_grad()), ("no_grad", lambda: torch.no_grad()),
             ("inference_mode", lambda: torch.inference_mode())]
    # The grad-enabled run builds a graph on purpose: it must not trip no_graph or the
    # sanitizer, and its saved tensors must not count against autograd budgets.
    with runtime.own_measurement():
        for name, ctx in modes:
            torch.set_rng_state(cpu_rng)
            if cuda_rng is not None:
                torch.cuda.set_rng_state_all(cuda_rng)
            with track(saved_for_backward=False, graph=False) as m:
                t0 = time.perf_counter()
                with ctx():
                    out = fn(*args, **kwargs)
                seconds = time.perf_counter() - t0
            runs.append(ModeRun(name, m.peak_bytes, seconds, _detach(out, torch)))
            del out
    ref = runs[0].output
    for r in runs[1:]:
        try:
            torch.testing.assert_close(r.output, ref, rtol=rtol, atol=atol)
        except AssertionError as exc:
            raise AssertionError(f"output under {r.mode} differs from the grad-enabled output:\n{exc}") from None
    return Comparison(*runs)
