"""The ``--nograd-check`` findings: hooks installed around one test body.

* A global forward *post*-hook (a pre-hook is too early: a forward decorated with
  ``@torch.no_grad()`` still shows grad enabled there). Nested module calls return after
  a short look up the stack (see locate.py); for an outermost call it
  - notes modules whose forward ran with grad disabled (evidence for step-without-grad),
  - puts a prehook on the outputs' ``grad_fn`` to learn whether backward ran through them,
  - for a module in eval mode that built a graph, records where it was called from,
  - for every module in eval mode, whatever the grad mode, counts the call under its
    project call chain: the *forward records* of the JSON report's run-time evidence
    (the chain is looked up once per call site, see locate.SiteCache).
* A global optimizer step pre-hook: ``step()`` while none of the optimizer's parameters
  has a gradient is reported only with evidence that gradients were lost (a forward over
  those parameters ran without building a graph, or a backward ran that never reached
  them); a deliberate ``step()`` with no forward at all (scheduler tests) is not.

The leak guard lives in leakguard.py (re-exported here).
"""
from __future__ import annotations

import importlib
import os
import sys
import weakref
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from . import locate, runtime
from .findings import EVAL_GRAPH, STEP_WITHOUT_GRAD, Finding
from .leakguard import describe_changes, diff, restore, snapshot  # noqa: F401  (public here before)
from .sizes import format_size
from .torchload import require_torch


@dataclass
class _EvalCall:
    module: str
    site: locate.CallSite
    backpropagated: List[bool] = field(default_factory=lambda: [False])
    # Identifies the call's forward record: (chain, library, module, grad mode).
    record: Optional[Tuple[Any, ...]] = None

    def key(self) -> Tuple[str, Any, Any]:
        return (self.module, self.site.project, self.site.library)


@dataclass
class _StepSite:
    message: str
    filename: Optional[str]
    lineno: Optional[int]
    site: locate.CallSite
    count: int = 1


_MAX_EVAL_CALLS = 256
# An evaluation loop with grad on: after this many calls at one site with no backward
# anywhere in the test, the forward hook removes itself for the rest of the test. Any
# global module hook puts every module call on torch's slow path, which alone costs
# about 1.3x on small layers; the first calls already tell the story.
_LOOP_SAMPLE = 16
_state = runtime.state
_MAX_NOGRAD_MODULES = 4096
# Distinct forward records kept per test (chain x module x grad mode): beyond it, calls
# of records already seen are still counted, new ones are dropped.
_MAX_FORWARD_RECORDS = 256
ENABLED, NO_GRAD, INFERENCE_MODE = "enabled", "no_grad", "inference_mode"


class Sanitizer:
    """Global hooks for one test. ``install()`` / ``remove()`` bracket the test body."""

    def __init__(self, test_file: Optional[str] = None, root: Optional[str] = None) -> None:
        self.torch = require_torch("--nograd-check")
        self._is_compiling = self.torch.compiler.is_compiling  # looked up once: hooks run per call
        self._grad_enabled = self.torch.is_grad_enabled
        self._inference_mode = self.torch.is_inference_mode_enabled
        self._sites = locate.SiteCache(test_file)
        # (call site object, module, grad mode) -> calls, for eval-mode outermost calls that
        # built no graph; calls that did are counted from _eval_calls at collect(), where
        # sites with the same chain are merged. Keyed by the (cached) site object, not its
        # chain: hashing a tuple of frames on every call would cost more than the lookup.
        self._forwards: Dict[Tuple[Any, ...], int] = {}
        self.forward_records: List[Dict[str, Any]] = []  # filled by collect()
        self.test_file = test_file
        self.root = root  # messages show paths relative to it
        self.findings: List[Finding] = []
        self._eval_calls: List[_EvalCall] = []
        # id(module) -> weak reference, for modules whose forward built no graph.
        self._nograd_modules: Dict[int, Any] = {}
        self._graph_modules: Dict[int, Any] = {}  # outermost modules whose forward built a graph
        self._backward_ran = [False]
        self._had_grads: set = set()  # optimizers that stepped with gradients in this test
        self._steps: Dict[Tuple[Optional[str], Optional[int], str], _StepSite] = {}
        # ids of modules seen as outermost calls, and of all their submodules: a later call
        # of a submodule is then known to be nested without looking at the stack.
        self._graph_bytes: Dict[Tuple[str, Any, Any], int] = {}
        self._site_calls: Dict[Tuple[str, Any, Any], int] = {}
        self.stopped_watching = False
        self._roots: set = set()
        self._inside: set = set()
        self._quiet: set = set()  # ids in both _inside and _nograd_modules
        self._handles: List[Any] = []
        self._hook_id: Optional[int] = None
        self._saved_has_hook: Any = None

    # Hooks run inside user code: they must be cheap and must never raise.

    def _post_hook(self, module: Any, args: Any, output: Any) -> None:
        # Under torch.compile hooks are traced; a constant early return keeps
        # fullgraph=True compiles free of graph breaks.
        if self._is_compiling() or _state.own_depth:
            return
        if not self._grad_enabled():
            # no_grad / inference_mode forward: remembered (cheap: nested calls too) and,
            # for an outermost eval-mode call, counted as run-time evidence.
            mid = id(module)
            if mid in self._quiet:
                return  # nested in a model already seen, and remembered: one set lookup
            if mid not in self._nograd_modules and len(self._nograd_modules) < _MAX_NOGRAD_MODULES:
                try:
                    self._nograd_modules[mid] = weakref.ref(module)
                except TypeError:
                    pass
            if mid in self._inside:
                if mid in self._nograd_modules:
                    self._quiet.add(mid)
                return
            if module.training:
                return
            try:
                site = self._sites.lookup(sys._getframe(1))
                if site is None or type(module).__name__ == "OptimizedModule":
                    return
                self._add_root(module, mid)
                self._count_forward(site, type(module).__qualname__,
                                    INFERENCE_MODE if self._inference_mode() else NO_GRAD)
            except Exception:
                pass
            return
        training = module.training
        if not training and len(self._eval_calls) >= _MAX_EVAL_CALLS:
            return  # an evaluation loop with grad enabled: the first calls tell the story
        mid = id(module)
        if mid in self._inside:
            return  # a submodule of a model already seen as an outermost call: no stack walk
        try:
            if training:
                site = locate.outermost_call(sys._getframe(1), self.test_file, locate=False)
            else:
                site = self._sites.lookup(sys._getframe(1))
            if site is None:
                return  # nested: the outermost call speaks for the model
            if type(module).__name__ == "OptimizedModule":
                return  # torch.compile's wrapper: the original module's call is reported
            self._add_root(module, mid)
            torch = self.torch
            tensors = list(_tensors(torch, output))
            nodes = [t.grad_fn for t in tensors if t.grad_fn is not None]
            if not nodes:
                if tensors and not any(t.requires_grad for t in tensors):
                    # e.g. a forward decorated with @torch.no_grad()
                    self._nograd_modules.setdefault(id(module), weakref.ref(module))
                if not training:
                    self._count_forward(site, type(module).__qualname__, ENABLED)
                return
            if mid not in self._graph_modules:
                self._graph_modules[mid] = weakref.ref(module)
            ran = self._backward_ran
            if training and ran[0]:
                return  # a backward already ran: a training call has nothing more to tell
            flag = [False]

            def mark(*_: Any) -> None:
                flag[0] = True
                ran[0] = True

            for node in nodes:
                node.register_prehook(mark)
            if not training and next(module.parameters(), None) is not None:
                # A module without parameters (an activation used as a parameter transform,
                # such as gpytorch's one shared nn.Softplus that any model's .eval() switches
                # to eval mode) builds a graph only because its input requires grad: that is
                # no evaluation forward, and its eval flag may come from another test.
                name = type(module).__qualname__
                call = _EvalCall(name, site, flag, (site.chain, site.library, name, ENABLED))
                key = call.key()
                if key not in self._graph_bytes:  # measured once per call site
                    self._graph_bytes[key] = graph_bytes(torch, nodes, tensors, module)
                self._eval_calls.append(call)
                seen = self._site_calls[key] = self._site_calls.get(key, 0) + 1
                if seen >= _LOOP_SAMPLE and not self._backward_ran[0]:
                    self._stop_watching_forwards()
        except Exception:  # a finding is never worth breaking the user's forward
            pass

    def _add_root(self, module: Any, mid: int) -> None:
        if mid not in self._roots:
            self._roots.add(mid)
            self._inside.update(id(m) for m in module.modules() if m is not module)

    def _count_forward(self, site: locate.CallSite, module: str, grad: str) -> None:
        if not site.chain:
            return  # not called from the project (a library on its own, a fixture plugin)
        key = (site, module, grad)
        calls = self._forwards.get(key)
        if calls is not None:
            self._forwards[key] = calls + 1
        elif len(self._forwards) < _MAX_FORWARD_RECORDS:
            self._forwards[key] = 1

    def _step_hook(self, optimizer: Any, args: Any, kwargs: Any) -> None:
        if runtime.state.own_depth:
            return
        # args[0] is the optimizer itself (the step wrapper passes self along).
        if args[1:] or (kwargs and kwargs.get("closure") is not None):
            return  # LBFGS-style closures compute gradients inside step()
        try:
            params = [p for g in optimizer.param_groups for p in g["params"]]
            if not params:
                return
            if any(p.grad is not None for p in params):
                self._had_grads.add(id(optimizer))
                return
            evidence = self._evidence(optimizer, params)
            if evidence is None:
                return  # a deliberate step without gradients (scheduler / edge-case tests)
            filename, lineno = locate.user_location(2, self.test_file)
            key = (filename, lineno, type(optimizer).__name__)
            site = self._steps.get(key)
            if site is not None:
                site.count += 1
                return
            self._steps[key] = _StepSite(
                f"{type(optimizer).__name__}.step() called while none of its {len(params)} parameters "
                f"has a gradient, and {evidence}", filename, lineno,
                locate.project_chain(sys._getframe(1), self.test_file))
        except Exception:
            pass

    def _evidence(self, optimizer: Any, params: List[Any]) -> Optional[str]:
        """Why a step without gradients means gradients were lost, or None."""
        ids = {id(p) for p in params}
        best = _largest_overlap(self._nograd_modules, ids)
        if best is not None:
            return (f"{best[0]}'s forward over {best[1]} of them ran without building a graph in this test: "
                    "was the forward pass run under no_grad / inference_mode?")
        if self._backward_ran[0] and id(optimizer) not in self._had_grads:
            # Only parameters that took part in a graph this test built: a fresh optimizer
            # stepped on purpose after an unrelated training step is no evidence.
            used = _largest_overlap(self._graph_modules, ids)
            if used is not None:
                return (f"{used[0]}'s forward over {used[1]} of them built a graph and a backward pass ran in "
                        "this test, but no gradient reached them: was the graph cut (detach(), .data) or "
                        "the optimizer given the wrong parameters?")
        return None

    def install(self) -> None:
        from torch.nn.modules import module as module_mod

        optim_mod = importlib.import_module("torch.optim.optimizer")
        handle = module_mod.register_module_forward_hook(self._post_hook)
        self._hook_id = handle.id
        self._handles = [handle, optim_mod.register_optimizer_step_pre_hook(self._step_hook)]
        self._quiet_compile_warning(module_mod)

    def _quiet_compile_warning(self, module_mod: Any) -> None:
        # torch.compile(module) warns, on every call of the compiled module, that global
        # forward hooks "fire an extra time for the OptimizedModule". That is true of any
        # global hook but harmless for ours: an OptimizedModule's call contains the
        # original module's call and locate.outermost_call treats it as transparent.
        # While our hook is installed, torch's check counts only the *other* global
        # hooks, so a user's own global hooks still get the warning.
        original = getattr(module_mod, "_has_any_global_hook", None)
        if original is None:
            return
        ours = self._hook_id

        def _has_any_global_hook_but_nograds() -> bool:
            return bool(
                module_mod._global_backward_pre_hooks or module_mod._global_backward_hooks
                or module_mod._global_forward_pre_hooks
                or any(k != ours for k in module_mod._global_forward_hooks)
                or any(k != ours for k in module_mod._global_forward_hooks_always_called)
                or any(k != ours for k in module_mod._global_forward_hooks_with_kwargs))

        self._saved_has_hook = (original, _has_any_global_hook_but_nograds)
        module_mod._has_any_global_hook = _has_any_global_hook_but_nograds

    def _stop_watching_forwards(self) -> None:
        # Safe inside the hook: _call_impl iterates over a copy of the global hooks.
        self._handles[0].remove()
        self._restore_has_hook()
        self.stopped_watching = True

    def _restore_has_hook(self) -> None:
        if self._saved_has_hook is not None:
            from torch.nn.modules import module as module_mod

            original, ours = self._saved_has_hook
            if module_mod._has_any_global_hook is ours:
                module_mod._has_any_global_hook = original
            self._saved_has_hook = None

    def remove(self) -> None:
        for h in self._handles:
            h.remove()
        self._handles = []
        self._restore_has_hook()
        self._sites.clear()  # drops the caller frames the cache holds

    def collect(self) -> List[Finding]:
        """Findings of the finished test body (call after :meth:`remove`)."""
        sites: Dict[Tuple[str, Any, Any], List[Any]] = {}
        for call in self._eval_calls:
            if call.backpropagated[0]:
                continue
            key = call.key()
            if key in sites:
                sites[key][1] += 1
            else:
                sites[key] = [call, 1]
        for key, (call, count) in sites.items():
            self.findings.append(_eval_finding(call, count, self.root, self._graph_bytes.get(key),
                                               self.stopped_watching and count >= _LOOP_SAMPLE))
        for s in self._steps.values():
            times = f" ({s.count} calls here)" if s.count > 1 else ""
            self.findings.append(Finding(STEP_WITHOUT_GRAD, s.message + times, s.filename, s.lineno,
                                         chain=frames(s.site.chain), library=frame_dict(s.site.library),
                                         count=s.count))
        self.forward_records = self._forward_records()
        self._forwards = {}
        self._eval_calls = []
        self._steps = {}
        self._nograd_modules = {}
        self._graph_modules = {}
        self._roots, self._inside, self._quiet = set(), set(), set()
        self._graph_bytes = {}
        self._site_calls = {}
        return self.findings


    def _forward_records(self) -> List[Dict[str, Any]]:
        """This test's forward records (absolute paths; the report makes them relative)."""
        # (chain, library, module, grad, unused_graph) -> [calls, graph_bytes]
        merged: Dict[Tuple[Any, ...], List[Any]] = {}
        for (site, module, grad), n in self._forwards.items():
            key = (site.chain, site.library, module, grad, False)
            if key in merged:
                merged[key][0] += n
            elif len(merged) < _MAX_FORWARD_RECORDS:
                merged[key] = [n, None]
        for call in self._eval_calls:
            if call.record is None or not call.site.chain:
                continue
            unused = not call.backpropagated[0]
            key = call.record + (unused,)
            entry = merged.get(key)
            if entry is None:
                if len(merged) >= _MAX_FORWARD_RECORDS:
                    continue
                entry = merged[key] = [0, self._graph_bytes.get(call.key()) if unused else None]
            entry[0] += 1
        return [{"chain": frames(chain), "library": frame_dict(library), "module": module, "grad": grad,
                 "unused_graph": unused, "graph_bytes": nbytes, "calls": calls}
                for (chain, library, module, grad, unused), (calls, nbytes) in merged.items()]


def frame_dict(frame: Optional[tuple]) -> Optional[Dict[str, Any]]:
    if frame is None:
        return None
    return {"file": frame[0], "line": frame[1], "function": frame[2]}


def frames(chain: Tuple[locate.Frame, ...]) -> List[Dict[str, Any]]:
    return [{"file": f, "line": line, "function": fn} for f, line, fn in chain]


def _largest_overlap(modules: Dict[int, Any], ids: set) -> Optional[Tuple[str, int]]:
    """(class name, count) of the recorded module holding most of the parameters ``ids``."""
    best = None
    for ref in list(modules.values()):
        m = ref()
        if m is None:
            continue
        n = sum(1 for p in m.parameters() if id(p) in ids)
        if n and (best is None or n > best[1]):
            best = (type(m).__qualname__, n)
    return best


def _short(where: Optional[tuple], root: Optional[str]) -> str:
    if not where:
        return "?"
    fn = where[0]
    if root:
        rel = os.path.relpath(fn, root)
        fn = fn if rel.startswith("..") else rel.replace(os.sep, "/")
    return f"{fn}:{where[1]}"


def _eval_finding(call: _EvalCall, count: int, root: Optional[str], nbytes: Optional[int],
                  loop: bool = False) -> Finding:
    site = call.site
    times = f" ({count} calls)" if count > 1 else ""
    if loop:
        times = f" ({count} calls, then the sanitizer stopped watching this loop)"
    held = f" holding {format_size(nbytes)} ({nbytes} bytes) of saved tensors and outputs" if nbytes is not None else ""
    if site.library is not None:
        # The graph was built by library code the project called: say so, and do not
        # claim the test forgot to backpropagate (the library may backpropagate another run).
        msg = (f"{call.module} in eval mode ran with grad enabled inside library code at {_short(site.library, root)}"
               f"{times}, called from {_short(site.project, root)}, and the autograd graph that call built{held} was "
               "never backpropagated through: if the library does not need gradients there, call it under "
               "torch.no_grad() or torch.inference_mode()")
    else:
        msg = (f"{call.module} in eval mode ran with grad enabled{times} and built an autograd graph{held} that "
               "was never backpropagated through: wrap evaluation in torch.no_grad() or torch.inference_mode()")
    if site.test is not None and site.test != site.project:
        msg += f" (test line {_short(site.test, root)})"
    filename, lineno = site.project or (None, None)
    return Finding(EVAL_GRAPH, msg, filename, lineno, module=call.module, graph_bytes=nbytes,
                   test_line=site.test[1] if site.test else None,
                   chain=frames(site.chain), library=frame_dict(site.library), count=count)


_MAX_GRAPH_NODES = 100_000


def graph_bytes(torch: Any, roots: List[Any], outputs: List[Any], module: Any) -> Optional[int]:
    """Bytes of the unique storages an autograd graph keeps alive: every node's saved
    tensors (``_saved_*`` attributes) and the outputs, not counting the module's
    parameters (they live on without the graph). None if the graph cannot be read."""
    try:
        exclude = {p.untyped_storage().data_ptr() for p in module.parameters()}
        seen_storage: set = set()
        total = 0

        def count(t: Any) -> None:
            nonlocal total
            if isinstance(t, torch.Tensor) and t.device.type != "meta":
                st = t.untyped_storage()
                ptr = st.data_ptr()
                if ptr not in exclude and ptr not in seen_storage:
                    seen_storage.add(ptr)
                    total += st.nbytes()

        for t in outputs:
            count(t)
        seen_nodes: set = set()
        stack = list(roots)
        while stack and len(seen_nodes) < _MAX_GRAPH_NODES:
            node = stack.pop()
            if node is None or node in seen_nodes:
                continue
            seen_nodes.add(node)
            for name in dir(node):
                if name.startswith("_saved_"):
                    try:
                        value = getattr(node, name)
                    except Exception:  # freed, or not a tensor-valued attribute
                        continue
                    for v in value if isinstance(value, (tuple, list)) else (value,):
                        count(v)
            stack.extend(fn for fn, _ in node.next_functions)
        return total
    except Exception:
        return None


def _tensors(torch: Any, obj: Any):
    if isinstance(obj, torch.Tensor):
        yield obj
    elif isinstance(obj, (list, tuple)):
        for o in obj:
            yield from _tensors(torch, o)
    elif isinstance(obj, dict):
        for o in obj.values():
            yield from _tensors(torch, o)
