"""The ``--nograd-check`` sanitizer: the leak guard and the grad-mode findings.

Leak guard: :func:`snapshot` the global autograd state before a test, :func:`restore`
compares afterwards, puts every changed piece back and says what it changed.

Findings: a global forward post-hook (the pre-hook is too early: a forward decorated with
``@torch.no_grad()`` still shows grad enabled there) spots outermost eval-mode modules
whose outputs have a ``grad_fn``; a prehook on that ``grad_fn`` tells whether the test
ever backpropagated through it. A global optimizer step pre-hook spots ``step()`` with
no gradients. Every hook is installed per test and removed afterwards.
"""
from __future__ import annotations

import gc
import importlib
import warnings
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from . import runtime
from .findings import EVAL_GRAPH, STEP_WITHOUT_GRAD, Finding
from .torchload import require_torch

# --------------------------------------------------------------------------- leak guard


def _mode_names(stack: List[Any]) -> Tuple[str, ...]:
    return tuple(type(m).__name__ for m in stack)


def snapshot() -> Dict[str, Any]:
    """The global autograd state that tests are expected to leave as they found it."""
    torch = require_torch("the leak guard")
    from torch.autograd import forward_ad
    from torch.overrides import _get_current_function_mode_stack
    from torch.utils._python_dispatch import _get_current_dispatch_mode_stack

    return {
        "grad_enabled": torch.is_grad_enabled(),
        "inference_mode": torch.is_inference_mode_enabled(),
        "anomaly_detection": torch.is_anomaly_enabled(),
        "anomaly_check_nan": torch.is_anomaly_check_nan_enabled(),
        "forward_grad_enabled": torch._C._is_fwd_grad_enabled(),
        "forward_ad_level": forward_ad._current_level,
        "saved_tensors_hooks": torch._C._autograd._top_saved_tensors_default_hooks(False),
        "torch_function_modes": list(_get_current_function_mode_stack()),
        "torch_dispatch_modes": list(_get_current_dispatch_mode_stack()),
    }


def _show(key: str, value: Any) -> str:
    if key in ("torch_function_modes", "torch_dispatch_modes"):
        return "[" + ", ".join(_mode_names(value)) + "]"
    if key == "saved_tensors_hooks":
        if value is None:
            return "none"
        return "(" + ", ".join(getattr(f, "__qualname__", repr(f)) for f in value) + ")"
    return repr(value)


def _same(key: str, a: Any, b: Any) -> bool:
    if key in ("torch_function_modes", "torch_dispatch_modes"):
        return len(a) == len(b) and all(x is y for x, y in zip(a, b))
    if key == "saved_tensors_hooks":
        if a is None or b is None:
            return a is b
        return all(x is y for x, y in zip(a, b))
    return a == b


def diff(before: Dict[str, Any], after: Dict[str, Any]) -> List[Tuple[str, str, str]]:
    """[(state name, before, after)] for every piece of state that changed."""
    return [(k, _show(k, before[k]), _show(k, after[k])) for k in before if not _same(k, before[k], after[k])]


def _exit_inference_mode_guards() -> None:
    # ``torch.inference_mode().__enter__()`` keeps a C++ guard alive in the context
    # object; only that object's __exit__ really restores the thread-local state.
    torch = require_torch("the leak guard")
    cls = torch.autograd.grad_mode.inference_mode
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        candidates = [o for o in gc.get_objects() if issubclass(type(o), cls)]
    for ctx in reversed(candidates):
        guard = ctx.__dict__.get("_inference_mode_context")
        if guard is not None and torch.is_inference_mode_enabled():
            try:
                ctx.__exit__(None, None, None)
            except Exception:
                pass
            ctx.__dict__["_inference_mode_context"] = None
    if torch.is_inference_mode_enabled():
        # Guard object unreachable from Python: hold an opposite guard open for good.
        guard = torch._C._InferenceMode(False)
        guard.__enter__()
        _held_guards.append(guard)


_held_guards: List[Any] = []


def restore(before: Dict[str, Any]) -> List[Tuple[str, str, str]]:
    """Put back every changed piece of state; return what was changed (see :func:`diff`)."""
    torch = require_torch("the leak guard")
    from torch.autograd import forward_ad
    from torch.utils._python_dispatch import _get_current_dispatch_mode_stack, _pop_mode

    changed = diff(before, snapshot())
    if not changed:
        return changed
    keys = {k for k, _, _ in changed}
    if "torch_dispatch_modes" in keys:
        want = before["torch_dispatch_modes"]
        for _ in range(100):
            stack = _get_current_dispatch_mode_stack()
            if len(stack) <= len(want) and all(x is y for x, y in zip(stack, want)):
                break
            _pop_mode()
    if "torch_function_modes" in keys:
        want = before["torch_function_modes"]
        for _ in range(100):
            if torch._C._len_torch_function_stack() <= len(want):
                break
            torch._C._pop_torch_function_stack()
    if "saved_tensors_hooks" in keys:
        for _ in range(100):
            top = torch._C._autograd._top_saved_tensors_default_hooks(False)
            if _same("saved_tensors_hooks", top, before["saved_tensors_hooks"]) or top is None:
                break
            torch._C._autograd._pop_saved_tensors_default_hooks()
    if "forward_ad_level" in keys:
        for _ in range(100):
            level = forward_ad._current_level
            if level <= before["forward_ad_level"]:
                break
            forward_ad.exit_dual_level(level=level)
    if "inference_mode" in keys and not before["inference_mode"]:
        _exit_inference_mode_guards()
    torch._C._set_grad_enabled(before["grad_enabled"])
    torch._C._set_fwd_grad_enabled(before["forward_grad_enabled"])
    torch.set_anomaly_enabled(before["anomaly_detection"], before["anomaly_check_nan"])
    return changed


def describe_changes(changed: List[Tuple[str, str, str]]) -> str:
    return "; ".join(f"{k}: {b} -> {a}" for k, b, a in changed)


# --------------------------------------------------------------------------- findings


@dataclass
class _EvalCall:
    module: str
    filename: Optional[str]
    lineno: Optional[int]
    module_id: int = 0
    backpropagated: List[bool] = field(default_factory=lambda: [False])


_MAX_EVAL_CALLS = 256


class Sanitizer:
    """Global hooks for one test. ``install()`` / ``remove()`` bracket the test body."""

    def __init__(self) -> None:
        self.torch = require_torch("--nograd-check")
        self.findings: List[Finding] = []
        self._eval_calls: List[_EvalCall] = []
        self._handles: List[Any] = []

    # Hooks run inside user code: they must be cheap and must never raise.

    def _post_hook(self, module: Any, args: Any, output: Any) -> None:
        # Under torch.compile hooks are traced; a constant early return keeps
        # fullgraph=True compiles free of graph breaks.
        if self.torch.compiler.is_compiling():
            return
        if module.training or runtime.state.own_depth or not self.torch.is_grad_enabled():
            return
        if len(self._eval_calls) >= _MAX_EVAL_CALLS:
            return  # an evaluation loop with grad enabled: the first calls tell the story
        try:
            nodes = [t.grad_fn for t in _tensors(self.torch, output) if t.grad_fn is not None]
            if not nodes:
                return
            filename, lineno = runtime.user_location(2)
            call = _EvalCall(type(module).__qualname__, filename, lineno, id(module))
            # Post-hooks fire inner modules first: drop the calls of this module's
            # submodules so the finding names the model, not each of its layers.
            inner = {id(m) for m in module.modules() if m is not module}
            if inner:
                self._eval_calls = [c for c in self._eval_calls if c.module_id not in inner]

            def mark(*_: Any, flag: List[bool] = call.backpropagated) -> None:
                flag[0] = True

            for node in nodes:
                node.register_prehook(mark)
            self._eval_calls.append(call)
        except Exception:  # a finding is never worth breaking the user's forward
            pass

    def _step_hook(self, optimizer: Any, args: Any, kwargs: Any) -> None:
        if runtime.state.own_depth:
            return
        # args[0] is the optimizer itself (the step wrapper passes self along).
        if args[1:] or (kwargs and kwargs.get("closure") is not None):
            return  # LBFGS-style closures compute gradients inside step()
        params = [p for g in optimizer.param_groups for p in g["params"]]
        if not params or any(p.grad is not None for p in params):
            return
        filename, lineno = runtime.user_location(2)
        self.findings.append(Finding(
            STEP_WITHOUT_GRAD,
            f"{type(optimizer).__name__}.step() called while none of its {len(params)} "
            "parameters has a gradient: was the forward pass run under no_grad / inference_mode?",
            filename, lineno,
        ))

    def install(self) -> None:
        from torch.nn.modules import module as module_mod

        optim_mod = importlib.import_module("torch.optim.optimizer")
        self._handles = [
            # Only a post-hook: one global hook keeps the per-module-call cost low, and a
            # forward decorated with @torch.no_grad() shows grad enabled in a pre-hook.
            module_mod.register_module_forward_hook(self._post_hook),
            optim_mod.register_optimizer_step_pre_hook(self._step_hook),
        ]

    def remove(self) -> None:
        for h in self._handles:
            h.remove()
        self._handles = []

    def collect(self) -> List[Finding]:
        """Findings of the finished test body (call after :meth:`remove`)."""
        seen = set()
        for call in self._eval_calls:
            key = (call.module, call.filename, call.lineno)
            if not call.backpropagated[0] and key not in seen:  # one finding per call site
                seen.add(key)
                self.findings.append(Finding(
                    EVAL_GRAPH,
                    f"{call.module} in eval mode ran with grad enabled and built an autograd "
                    "graph that the test never backpropagated through: wrap evaluation in "
                    "torch.no_grad() or torch.inference_mode()",
                    call.filename, call.lineno,
                ))
        self._eval_calls = []
        return self.findings


def _tensors(torch: Any, obj: Any):
    if isinstance(obj, torch.Tensor):
        yield obj
    elif isinstance(obj, (list, tuple)):
        for o in obj:
            yield from _tensors(torch, o)
    elif isinstance(obj, dict):
        for o in obj.values():
            yield from _tensors(torch, o)
