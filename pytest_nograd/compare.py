"""Grad-mode comparison: predictions, time and memory with grad, under ``no_grad`` and
under ``inference_mode``.

How it measures (docs/plugin.md, "Mode comparison"):

* ``warmup`` rounds of every mode first, untimed: the first call of a process pays for
  lazy initialisation, and whichever mode ran first used to look slow.
* Memory and predictions: one run per mode inside the memory meter (``track()``) plus a
  saved-tensor meter, each from the same RNG state, so dropout draws the same mask.
* Time: ``repeats`` rounds alternating grad, no_grad, inference_mode, grad, ... with no
  meter installed, timed by ``time.perf_counter`` (``torch.cuda.synchronize()`` on both
  sides when anything is on CUDA). Reported as the median and the median absolute
  deviation of each mode's runs.
* A model whose output changes with the grad mode is named: the first submodule (in
  call order) whose inputs agree between the modes but whose outputs do not.
* A model in training mode is flagged: dropout and batch norm then make the comparison
  say less about inference (batch-norm buffers are restored afterwards).
"""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from . import runtime
from .measure import SavedTensorsMeter, _tensors, track
from .sizes import format_size
from .torchload import require_torch

MODES = ("grad", "no_grad", "inference_mode")


@dataclass
class ModeRun:
    """One mode's results. ``seconds`` is the median of ``times``."""

    mode: str
    peak_bytes: Dict[str, int]
    seconds: float
    output: Any = field(repr=False, default=None)
    times: List[float] = field(default_factory=list)
    spread: float = 0.0
    saved_bytes: Optional[int] = None
    ratio: Optional[float] = None
    matches: bool = True
    mismatch: Optional[str] = field(repr=False, default=None)

    @property
    def peak(self) -> int:
        return max(self.peak_bytes.values(), default=0)


@dataclass
class Comparison:
    """What :func:`compare_modes` (and :func:`assert_same_predictions`) measured."""

    grad: ModeRun
    no_grad: ModeRun
    inference_mode: ModeRun
    name: str = "fn"
    repeats: int = 0
    warmup: int = 0
    order: List[str] = field(default_factory=list)
    cuda_synchronized: bool = False
    training: List[str] = field(default_factory=list)
    mode_dependent: Optional[str] = None

    @property
    def runs(self) -> List[ModeRun]:
        return [self.grad, self.no_grad, self.inference_mode]

    @property
    def same_predictions(self) -> bool:
        return all(r.matches for r in self.runs)

    @property
    def in_training_mode(self) -> bool:
        return bool(self.training)

    @property
    def warnings(self) -> List[str]:
        out = []
        if self.training:
            sensitive = [t for t in self.training if not t.endswith(".training=True")]
            what = (f"{_names(sensitive)} behave differently from inference (dropout, batch norm), "
                    "so this comparison says less about inference" if sensitive else
                    "it has no dropout or batch norm, but inference code would run it in eval mode")
            out.append(f"{self.name} is in training mode: {what}; call .eval() first")
        if not self.same_predictions:
            out.append(self._depends())
        return out

    def _depends(self) -> str:
        bad = ", ".join(r.mode for r in self.runs if not r.matches)
        return (f"{self.mode_dependent or self.name}: output depends on the grad mode, differs under {bad} "
                "(a forward that branches on torch.is_grad_enabled()?)")

    def to_dict(self) -> Dict[str, Any]:
        """Plain data for the JSON and HTML reports (no outputs, no tensors)."""
        return {
            "name": self.name, "repeats": self.repeats, "warmup": self.warmup,
            "cuda_synchronized": self.cuda_synchronized, "same_predictions": self.same_predictions,
            "mode_dependent": self.mode_dependent, "training": list(self.training),
            "warnings": self.warnings,
            "modes": [{"mode": r.mode, "seconds": r.seconds, "spread": r.spread, "ratio": r.ratio,
                       "peak_bytes": dict(r.peak_bytes), "saved_bytes": r.saved_bytes, "matches": r.matches}
                      for r in self.runs],
        }

    def mismatch_message(self) -> str:
        """Why the predictions differ ('' when they do not): each differing mode, the
        module whose output depends on the grad mode, and assert_close's details."""
        bad = [r for r in self.runs if not r.matches]
        if not bad:
            return ""
        lines = [f"output under {r.mode} differs from the grad-enabled output" for r in bad]
        lines.append(self._depends())
        for r in bad:
            lines.append(f"{r.mode}: {r.mismatch}")
        return "\n".join(lines)

    def __str__(self) -> str:
        head = (f"{self.name}: median of {self.repeats} alternating runs per mode after "
                f"{self.warmup} warm-up round(s)" + (", CUDA synchronized" if self.cuda_synchronized else ""))
        cols = ["mode", "time (median)", "± spread", "vs grad", "peak memory", "saved for backward", "output"]
        rows = [cols]
        for r in self.runs:
            rows.append([
                r.mode,
                _ms(r.seconds),
                "±" + _ms(r.spread),
                "-" if r.ratio is None else f"{r.ratio:.2f}x",
                format_size(r.peak),
                "-" if r.saved_bytes is None else format_size(r.saved_bytes),
                "reference" if r is self.grad else ("same" if r.matches else "DIFFERS"),
            ])
        widths = [max(len(row[i]) for row in rows) for i in range(len(cols))]
        lines = [head]
        for row in rows:
            lines.append("  ".join(c.ljust(w) if i in (0, 6) else c.rjust(w)
                                   for i, (c, w) in enumerate(zip(row, widths))).rstrip())
        lines.extend("WARNING: " + w for w in self.warnings)
        return "\n".join(lines)


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f} ms"


def _names(names: List[str], limit: int = 6) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f", ... ({len(names) - limit} more)" if len(names) > limit else "")


def _detach(obj: Any, torch: Any) -> Any:
    if isinstance(obj, torch.Tensor):
        return obj.detach()
    if isinstance(obj, (list, tuple)):
        items = [_detach(o, torch) for o in obj]
        return type(obj)(*items) if hasattr(obj, "_fields") else type(obj)(items)
    if isinstance(obj, dict):
        return {k: _detach(v, torch) for k, v in obj.items()}
    return obj


def _module_of(fn: Any, torch: Any) -> Any:
    if isinstance(fn, torch.nn.Module):
        return fn
    owner = getattr(fn, "__self__", None)  # a bound method such as model.predict
    return owner if isinstance(owner, torch.nn.Module) else None


def _name_of(fn: Any, module: Any) -> str:
    if module is not None:
        return type(module).__name__
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or type(fn).__name__


def _training(module: Any, torch: Any) -> List[str]:
    """Submodules in training mode whose behaviour depends on it (dropout, batch norm),
    or the root's name when it is in training mode but has none of those."""
    if module is None:
        return []
    sensitive = (torch.nn.modules.dropout._DropoutNd, torch.nn.modules.batchnorm._NormBase)
    found = [f"{name or type(m).__name__} ({type(m).__name__})" for name, m in module.named_modules()
             if m.training and isinstance(m, sensitive)]
    if not found and module.training:
        found = [f"{type(module).__name__}.training=True"]
    return found


def _close(a: Any, b: Any, torch: Any, rtol: Optional[float], atol: Optional[float]) -> Optional[str]:
    """None when ``a`` matches ``b``, else assert_close's message."""
    try:
        torch.testing.assert_close(a, b, rtol=rtol, atol=atol)
    except AssertionError as exc:
        return str(exc)
    except Exception as exc:  # incomparable objects
        return f"{type(exc).__name__}: {exc}"
    return None


class _Rng:
    def __init__(self, torch: Any) -> None:
        self.torch = torch
        self.cpu = torch.get_rng_state()
        cuda = torch.cuda
        self.cuda = cuda.get_rng_state_all() if cuda.is_available() and cuda.is_initialized() else None

    def restore(self) -> None:
        self.torch.set_rng_state(self.cpu)
        if self.cuda is not None:
            self.torch.cuda.set_rng_state_all(self.cuda)


def _locate_origin(module: Any, fn: Callable[..., Any], args: Tuple[Any, ...], kwargs: Dict[str, Any],
                   mode: str, rng: _Rng, torch: Any, rtol: Optional[float], atol: Optional[float]) -> Optional[str]:
    """The first submodule, in call order, whose inputs agree with grad and ``mode`` but
    whose outputs do not: where the output starts to depend on the grad mode."""
    calls: Dict[str, List[Tuple[str, str, Any, Any]]] = {}
    names = {id(m): name for name, m in module.named_modules()}
    for m_name in ("grad", mode):
        record: List[Tuple[str, str, Any, Any]] = []

        def hook(m: Any, inp: Any, out: Any, record: List[Any] = record) -> None:
            record.append((names.get(id(m), "?"), type(m).__name__, _detach(inp, torch), _detach(out, torch)))

        handles = [m.register_forward_hook(hook) for _, m in module.named_modules()]
        try:
            rng.restore()
            with _ctx(torch, m_name):
                fn(*args, **kwargs)
        finally:
            for h in handles:
                h.remove()
        calls[m_name] = record
    for (name, cls, inp_a, out_a), (name_b, _, inp_b, out_b) in zip(calls["grad"], calls[mode]):
        if name != name_b:
            return None  # different call sequences: nothing to pair up
        if _close(inp_b, inp_a, torch, rtol, atol) is None and _close(out_b, out_a, torch, rtol, atol) is not None:
            return f"{type(module).__name__}.{name} ({cls})" if name else f"{cls}.forward"
    return None


def _ctx(torch: Any, mode: str) -> Any:
    if mode == "grad":
        return torch.enable_grad()
    if mode == "no_grad":
        return torch.no_grad()
    return torch.inference_mode()


def _on_cuda(objs: List[Any], module: Any) -> bool:
    tensors = [t for o in objs for t in _tensors(o)]
    if module is not None:
        tensors.extend(module.parameters())
        tensors.extend(module.buffers())
    return any(getattr(t, "is_cuda", False) for t in tensors)


def compare_modes(fn: Callable[..., Any], *args: Any, repeats: int = 5, warmup: int = 1,
                  rtol: Optional[float] = None, atol: Optional[float] = None,
                  timer: Callable[[], float] = time.perf_counter, **kwargs: Any) -> Comparison:
    """Run ``fn(*args, **kwargs)`` with grad enabled, under ``no_grad`` and under
    ``inference_mode``; return a :class:`Comparison` (never raises on a difference).

    ``warmup`` untimed rounds of every mode, then one metered run per mode for memory and
    predictions, then ``repeats`` timed rounds alternating the modes.
    """
    __tracebackhide__ = True  # failures end in the user's test, not here
    torch = require_torch("compare_modes")
    if repeats < 1 or warmup < 0:
        raise ValueError("compare_modes: repeats must be >= 1 and warmup >= 0")
    module = _module_of(fn, torch)
    name = _name_of(fn, module)
    rng = _Rng(torch)
    # Batch-norm running statistics move on every training-mode forward; put them back.
    buffers = {k: b.detach().clone() for k, b in module.named_buffers()} if module is not None else {}
    peaks: Dict[str, Dict[str, int]] = {}
    saved: Dict[str, Optional[int]] = {}
    outputs: Dict[str, Any] = {}
    times: Dict[str, List[float]] = {m: [] for m in MODES}
    order: List[str] = []
    # The grad-enabled runs build a graph on purpose: they must not trip no_graph or the
    # sanitizer, and their saved tensors must not count against autograd budgets.
    with runtime.own_measurement():
        try:
            for _ in range(warmup):
                for mode in MODES:
                    rng.restore()
                    with _ctx(torch, mode):
                        fn(*args, **kwargs)
            for mode in MODES:
                rng.restore()
                meter = SavedTensorsMeter(count_own=True)
                with track(saved_for_backward=False, graph=False) as m:
                    try:
                        with meter, _ctx(torch, mode):
                            out = fn(*args, **kwargs)
                        saved[mode] = meter.bytes
                    except RuntimeError:
                        # torch.func transforms refuse saved-tensor hooks: measure without.
                        rng.restore()
                        with _ctx(torch, mode):
                            out = fn(*args, **kwargs)
                        saved[mode] = None
                peaks[mode] = m.peak_bytes
                outputs[mode] = _detach(out, torch)
                del out
            sync = _on_cuda([args, kwargs, outputs["grad"]], module)
            for _ in range(repeats):
                for mode in MODES:
                    rng.restore()
                    with _ctx(torch, mode):
                        if sync:
                            torch.cuda.synchronize()
                        t0 = timer()
                        out = fn(*args, **kwargs)
                        if sync:
                            torch.cuda.synchronize()
                        t1 = timer()
                    del out
                    times[mode].append(t1 - t0)
                    order.append(mode)
            mismatches = {mode: _close(outputs[mode], outputs["grad"], torch, rtol, atol) for mode in MODES[1:]}
            origin = None
            bad = [mode for mode, msg in mismatches.items() if msg is not None]
            if bad and module is not None:
                origin = _locate_origin(module, fn, args, kwargs, bad[0], rng, torch, rtol, atol)
        finally:
            if buffers:
                with torch.no_grad():
                    for k, b in module.named_buffers():
                        if k in buffers and b.shape == buffers[k].shape:
                            b.copy_(buffers[k])
    runs = []
    for mode in MODES:
        med = statistics.median(times[mode])
        spread = statistics.median(abs(t - med) for t in times[mode])
        runs.append(ModeRun(mode, peaks[mode], med, outputs[mode], times[mode], spread, saved[mode],
                            matches=mismatches.get(mode) is None, mismatch=mismatches.get(mode)))
    grad_med = runs[0].seconds
    for r in runs:
        r.ratio = r.seconds / grad_med if grad_med > 0 else None
    if origin is None and bad:
        origin = name
    result = Comparison(*runs, name=name, repeats=repeats, warmup=warmup, order=order,
                        cuda_synchronized=sync, training=_training(module, torch), mode_dependent=origin)
    if runtime.state.comparisons is not None:  # inside a test: the reports chart it
        filename, lineno = runtime.user_location()
        runtime.state.comparisons.append(dict(result.to_dict(), filename=filename, lineno=lineno))
    return result
