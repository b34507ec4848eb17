"""Assertion helpers about requires_grad state, graphs and gradient flow.

Importable from ``pytest_nograd`` and offered by the ``nograd`` fixture. They raise
``AssertionError`` with the names of the offending parameters or tensors.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, List, Optional, Tuple

from .compare import Comparison, ModeRun, compare_modes  # noqa: F401  (ModeRun re-exported)
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


def assert_same_predictions(fn: Callable[..., Any], *args: Any, rtol: Optional[float] = None,
                            atol: Optional[float] = None, repeats: int = 5, warmup: int = 1,
                            **kwargs: Any) -> Comparison:
    """Run ``fn(*args, **kwargs)`` with grad enabled, under ``no_grad`` and under
    ``inference_mode``, from the same RNG state; assert the outputs match and return the
    :class:`Comparison` of :func:`compare_modes` (median times over ``repeats``
    alternating runs after ``warmup`` rounds, peak memory, bytes saved for backward)."""
    __tracebackhide__ = True  # failures end in the user's test, not here
    require_torch("assert_same_predictions")
    cmp = compare_modes(fn, *args, repeats=repeats, warmup=warmup, rtol=rtol, atol=atol, **kwargs)
    if not cmp.same_predictions:
        raise AssertionError(cmp.mismatch_message() + "\n\n" + str(cmp))
    return cmp
