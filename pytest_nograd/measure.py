"""Meters: peak tensor memory per device, bytes saved for backward, graph-building ops.

Choices (verified on torch 2.13 CPU, see docs/plugin.md):

* CPU peak memory: torch keeps no CPU allocator statistics, and RSS / tracemalloc do not
  see tensor memory reliably. A TorchDispatchMode sees every op's outputs; each new
  output storage is counted when created and subtracted when its storage is freed
  (a weak reference callback). Views and in-place outputs alias a known storage and are
  skipped; intra-op temporaries are not seen.
* CUDA: the caching allocator's own ``max_memory_allocated`` after a synchronize,
  relative to ``memory_allocated`` at the start (includes temporaries).
* Bytes saved for backward: ``saved_tensors_hooks`` see every saved tensor. The pack hook
  returns a detached tensor; returning the tensor itself keeps a reference cycle
  through the graph alive (a leak). These hooks make ``torch.func`` transforms raise, so
  they are installed only where asked for (``autograd_budget``, ``track()``).
* Graph-building ops: a TorchFunctionMode looking at outputs' ``grad_fn``; it also works
  under ``torch.func``.
"""
from __future__ import annotations

import heapq
import itertools
import time
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from . import runtime
from .sizes import format_size, parse_size
from .torchload import require_torch

DEVICES = ("cpu", "cuda", "auto")
TOP_ALLOCATIONS = 5


@dataclass
class Allocation:
    nbytes: int
    device: str
    op: str
    filename: Optional[str]
    lineno: Optional[int]

    def describe(self) -> str:
        where = f" at {self.filename}:{self.lineno}" if self.filename else ""
        return f"{format_size(self.nbytes)} on {self.device} by {self.op}{where}"

    def to_dict(self) -> Dict[str, Any]:
        return {"bytes": self.nbytes, "device": self.device, "op": self.op,
                "filename": self.filename, "lineno": self.lineno}


@dataclass
class Measurements:
    """What :func:`track` measured. Filled in when the ``with`` block exits."""

    peak_bytes: Dict[str, int] = field(default_factory=dict)
    saved_bytes: Optional[int] = None
    graph_ops: int = 0
    first_graph_op: Optional[str] = None
    first_graph_op_location: Tuple[Optional[str], Optional[int]] = (None, None)
    largest_allocations: List[Allocation] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def peak(self) -> int:
        """Largest peak over all measured devices."""
        return max(self.peak_bytes.values(), default=0)

    def to_dict(self) -> Dict[str, Any]:
        return {
            "peak_bytes": dict(self.peak_bytes),
            "saved_bytes": self.saved_bytes,
            "graph_ops": self.graph_ops,
            "largest_allocations": [a.to_dict() for a in self.largest_allocations],
        }


# ---------------------------------------------------------------------------------------
# Mode classes need torch's base classes, so they are built on first use.

_classes: Dict[str, type] = {}


def _tensors(obj: Any) -> Iterator[Any]:
    return _walk_tensors(obj, require_torch("measurement").Tensor)


def _walk_tensors(obj: Any, tensor_type: type) -> Iterator[Any]:
    if isinstance(obj, tensor_type):
        yield obj
    elif isinstance(obj, (list, tuple)):
        for o in obj:
            if isinstance(o, tensor_type):
                yield o
            elif isinstance(o, (list, tuple, dict)):
                yield from _walk_tensors(o, tensor_type)
    elif isinstance(obj, dict):
        for o in obj.values():
            yield from _walk_tensors(o, tensor_type)


def _op_name(func: Any) -> str:
    if hasattr(func, "_schema"):  # an aten OpOverload: "aten.addmm.default"
        return str(func)
    try:
        import torch.overrides

        name = torch.overrides.resolve_name(func)
        if name:
            return name
    except Exception:
        pass
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    if name is None:
        name = str(func)
    module = getattr(func, "__module__", None)
    if module and module.startswith("torch") and "." not in name:
        return f"{module}.{name}"
    return name


def _skip_dynamo(fn: Any) -> Any:
    """Keep torch.compile out of ``fn`` and everything it calls, at no cost per call.

    TorchDispatchMode would otherwise wrap ``__torch_dispatch__`` in
    ``torch._disable_dynamo``, a Python wrapper that costs about 0.8 us on every op
    (measured, docs/benchmarks.md). Marking the code object skipped (recursively) is what
    that wrapper achieves, without the per-call work.
    """
    torch = require_torch("memory measurement")
    try:
        from torch._C._dynamo.eval_frame import _FrameAction, _FrameExecStrategy, set_code_exec_strategy
    except ImportError:  # a torch without these internals: keep torch's own wrapper
        return torch._disable_dynamo(fn, recursive=True)
    set_code_exec_strategy(fn.__code__, _FrameExecStrategy(_FrameAction.SKIP, _FrameAction.SKIP))
    return fn


def _storage_tracker_class() -> type:
    if "storage" in _classes:
        return _classes["storage"]
    torch = require_torch("memory measurement")
    from torch._ops import OpOverload
    from torch.utils._python_dispatch import TorchDispatchMode

    Tensor = torch.Tensor
    ref = weakref.ref

    class StorageTracker(TorchDispatchMode):
        """Counts live bytes of storages created by ops, per device.

        Runs on every op of the measured code, so ``__torch_dispatch__`` is written for
        speed: one plain tensor output (most ops) takes a path without generators or
        device objects (``storage.device`` costs about 0.5 us, ``tensor.is_cpu`` 0.08 us).
        """

        @classmethod
        def _should_skip_dynamo(cls) -> bool:
            return False  # done once by _skip_dynamo below, not by a wrapper per op

        def __init__(self) -> None:
            super().__init__()
            self.live: Dict[int, Tuple[Any, int, str]] = {}
            self.current: Dict[str, int] = {}
            self.peak: Dict[str, int] = {}
            self.top: List[Tuple[int, int, Allocation]] = []
            self._seq = itertools.count()
            self.active = True

        def _freed(self, key: int) -> None:
            entry = self.live.pop(key, None)
            if entry is not None:
                _, nbytes, dev = entry
                self.current[dev] -= nbytes

        @_skip_dynamo
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            # OpOverload.__call__ only forwards to ._op: calling that saves a Python frame.
            op = func._op if type(func) is OpOverload else func
            out = op(*args, **kwargs) if kwargs else op(*args)
            if not self.active:
                return out
            if type(out) is Tensor:
                outputs: Any = (out,)
            elif isinstance(out, (tuple, list)):
                outputs = out
            elif isinstance(out, Tensor):  # a tensor subclass
                outputs = (out,)
            else:
                return out
            live = self.live
            input_storages = None
            for t in outputs:
                if type(t) is not Tensor and not isinstance(t, Tensor):
                    if isinstance(t, (tuple, list, dict)):  # nested (rare): the slow path
                        self._count(func, _tensors(t), args, kwargs)
                    continue
                try:
                    st = t.untyped_storage()
                except (RuntimeError, NotImplementedError):  # sparse, nested, ...
                    continue
                key = id(st)
                if key in live:
                    continue  # a view or in-place result of a storage we already count
                if t.is_cpu:
                    dev = "cpu"
                else:
                    dev = st.device.type
                    if dev == "meta":
                        continue
                if input_storages is None:
                    input_storages = _storage_ids(args, kwargs)
                if key in input_storages:
                    continue  # aliases an input that existed before: not a new allocation
                self._add(key, st, dev, func, ref)
            return out

        def _count(self, func: Any, tensors: Iterator[Any], args: Any, kwargs: Any) -> None:
            input_storages = _storage_ids(args, kwargs)
            for t in tensors:
                try:
                    st = t.untyped_storage()
                except (RuntimeError, NotImplementedError):
                    continue
                key = id(st)
                dev = st.device.type
                if key in self.live or key in input_storages or dev == "meta":
                    continue
                self._add(key, st, dev, func, weakref.ref, 4)

        def _add(self, key: int, st: Any, dev: str, func: Any, ref: Any, skip: int = 3) -> None:
            nbytes = st.nbytes()
            self.live[key] = (ref(st, lambda _r, k=key, s=self: s._freed(k)), nbytes, dev)
            cur = self.current.get(dev, 0) + nbytes
            self.current[dev] = cur
            if cur > self.peak.get(dev, 0):
                self.peak[dev] = cur
            top = self.top
            if nbytes and (len(top) < TOP_ALLOCATIONS or nbytes > top[0][0]):
                # skip our own frames: _add, __torch_dispatch__ (and _count)
                fn, ln = runtime.user_location(skip)
                item = (nbytes, next(self._seq), Allocation(nbytes, dev, _op_name(func), fn, ln))
                if len(top) < TOP_ALLOCATIONS:
                    heapq.heappush(top, item)
                else:
                    heapq.heapreplace(top, item)

        def largest(self) -> List[Allocation]:
            return [a for _, _, a in sorted(self.top, key=lambda x: (-x[0], x[1]))]

        def stop(self) -> None:
            # Drop weak references so callbacks never reach a finished tracker.
            self.active = False
            self.live.clear()

    for helper in (StorageTracker._freed, StorageTracker._count, StorageTracker._add):
        _skip_dynamo(helper)
    _classes["storage"] = StorageTracker
    return StorageTracker


def _storage_ids(args: Any, kwargs: Any) -> set:
    """ids of the storages of an op's tensor arguments (outputs aliasing them are not new)."""
    tensor_type = require_torch("memory measurement").Tensor
    ids = set()
    # Top-level tensor arguments are by far the most common: no generator for them.
    for a in args:
        if isinstance(a, tensor_type):
            tensors: Any = (a,)
        elif isinstance(a, (list, tuple, dict)):
            tensors = _walk_tensors(a, tensor_type)
        else:
            continue
        for t in tensors:
            try:
                ids.add(id(t.untyped_storage()))
            except (RuntimeError, NotImplementedError):
                pass
    if kwargs:  # out= tensors
        for t in _walk_tensors(kwargs, tensor_type):
            try:
                ids.add(id(t.untyped_storage()))
            except (RuntimeError, NotImplementedError):
                pass
    return ids


def _has_grad_fn(t: Any) -> bool:
    if t.grad_fn is not None:
        return True
    # Under torch.func.vmap the outputs are batched wrappers that hide the grad_fn of
    # the tensor they wrap.
    from torch._C import _functorch

    for _ in range(8):
        if not _functorch.is_functorch_wrapped_tensor(t):
            return False
        t = _functorch.get_unwrapped(t)
        if t.grad_fn is not None:
            return True
    return False


def _graph_recorder_class() -> type:
    if "graph" in _classes:
        return _classes["graph"]
    require_torch("graph detection")
    import torch
    from torch.overrides import TorchFunctionMode

    class GraphOpRecorder(TorchFunctionMode):
        """Counts torch calls whose outputs have a grad_fn; remembers the first one."""

        def __init__(self) -> None:
            super().__init__()
            self.count = 0
            self.first: Optional[str] = None
            self.first_location: Tuple[Optional[str], Optional[int]] = (None, None)

        def __torch_function__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            if runtime.state.own_depth or not torch.is_grad_enabled():
                return out
            for t in _tensors(out):
                if _has_grad_fn(t):
                    self.count += 1
                    if self.first is None:
                        self.first = _op_name(func)
                        self.first_location = runtime.user_location(2)
                    break
            return out

    _classes["graph"] = GraphOpRecorder
    return GraphOpRecorder


def _is_parameter(t: Any) -> bool:
    """``isinstance(t, nn.Parameter)``, fast for plain tensors and parameters.

    Parameter's metaclass makes ``isinstance(plain_tensor, Parameter)`` cost about 0.7 us;
    the pack hook asks twice per saved tensor. A plain tensor is a parameter only if it
    carries the ``_is_param`` flag (what that ``__instancecheck__`` looks at first).
    """
    tp = type(t)
    if tp is _tensor_types[0]:
        return bool(getattr(t, "_is_param", False))
    return tp is _tensor_types[1] or isinstance(t, _tensor_types[1])


_tensor_types: List[type] = []  # [torch.Tensor, torch.nn.Parameter] once torch is imported


class SavedTensorsMeter:
    """Bytes of unique storages saved for backward, parameters excluded."""

    def __init__(self, count_own: bool = False) -> None:
        self.torch = require_torch("autograd_budget / saved-tensor measurement")
        if not _tensor_types:
            _tensor_types[:] = [self.torch.Tensor, self.torch.nn.Parameter]
        # count_own: count inside the plugin's own measurements too (compare_modes).
        self.count_own = count_own
        self.seen: Dict[int, Any] = {}  # id(storage) -> weakref, so ids are not reused
        self.bytes = 0
        self._ctx: Any = None

    def _pack(self, t: Any) -> Any:
        if self.count_own or runtime.state.own_depth == 0:
            base = t._base
            if base is None:
                base = t
            if not _is_parameter(base) and not _is_parameter(t):
                try:
                    st = t.untyped_storage()
                    key = id(st)
                    if key not in self.seen and not t.is_meta:
                        self.seen[key] = weakref.ref(st)
                        self.bytes += st.nbytes()
                except (RuntimeError, NotImplementedError):
                    pass
        # Returning ``t`` itself would keep a cycle output -> grad_fn -> output alive.
        return t.detach()

    @staticmethod
    def _unpack(t: Any) -> Any:
        return t

    def __enter__(self) -> "SavedTensorsMeter":
        self._ctx = self.torch.autograd.graph.saved_tensors_hooks(self._pack, self._unpack)
        self._ctx.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._ctx.__exit__(*exc)
        self.seen.clear()


class CudaMeter:
    """Peak CUDA memory above the start, from the caching allocator's statistics."""

    name = "cuda"

    def __init__(self) -> None:
        self.torch = require_torch("CUDA memory measurement")
        self.base: Dict[int, int] = {}
        self.initialized_at_start = False

    def available(self) -> bool:
        return bool(self.torch.cuda.is_available())

    def start(self) -> None:
        cuda = self.torch.cuda
        self.initialized_at_start = cuda.is_available() and cuda.is_initialized()
        if self.initialized_at_start:
            for i in range(cuda.device_count()):
                cuda.synchronize(i)
                cuda.reset_peak_memory_stats(i)
                self.base[i] = cuda.memory_allocated(i)

    def stop(self) -> Optional[int]:
        """Peak bytes above the start over all GPUs, or None if CUDA was never used."""
        cuda = self.torch.cuda
        if not (cuda.is_available() and cuda.is_initialized()):
            return None
        peak = 0
        for i in range(cuda.device_count()):
            cuda.synchronize(i)
            peak = max(peak, cuda.max_memory_allocated(i) - self.base.get(i, 0))
        return peak


def extra_meters() -> List[Any]:
    """Meters contributed by other plugins through the ``pytest_nograd_meters`` hook."""
    return list(_extra_meters)


_extra_meters: List[Any] = []


def _check_device(device: str) -> str:
    if device not in DEVICES:
        raise ValueError(f"unknown device {device!r} (use 'cpu', 'cuda' or 'auto')")
    return device


@contextmanager
def track(*, device: str = "auto", memory: bool = True, saved_for_backward: bool = True,
          graph: bool = True, meters: Optional[Sequence[Any]] = None) -> Iterator[Measurements]:
    """Measure the ``with`` block: peak tensor bytes per device, bytes saved for backward
    and graph-building ops. The returned :class:`Measurements` is filled in on exit.

    ``saved_for_backward=False`` leaves out saved-tensor hooks, which ``torch.func``
    transforms refuse to run under.
    """
    __tracebackhide__ = True
    _check_device(device)
    require_torch("track()")
    result = Measurements()
    tracker = _storage_tracker_class()() if memory else None
    recorder = _graph_recorder_class()() if graph else None
    saved = SavedTensorsMeter() if saved_for_backward else None
    cuda = CudaMeter() if memory and device in ("cuda", "auto") else None
    others = list(meters if meters is not None else _extra_meters) if memory else []
    if cuda is not None:
        cuda.start()
    for m in others:
        m.start()
    t0 = time.perf_counter()
    entered: List[Any] = []
    try:
        if saved is not None:
            saved.__enter__()
            entered.append(saved)
        if recorder is not None:
            recorder.__enter__()
            entered.append(recorder)
        if tracker is not None:
            tracker.__enter__()
            entered.append(tracker)
        yield result
    finally:
        # Exit in reverse order even if the body left other modes on the stack: the
        # leak guard reports and removes those; ours must never stay behind.
        for ctx in reversed(entered):
            try:
                ctx.__exit__(None, None, None)
            except Exception:
                _force_remove(ctx)
        result.seconds = time.perf_counter() - t0
        peaks: Dict[str, int] = {}
        if tracker is not None:
            peaks = dict(tracker.peak)
            result.largest_allocations = tracker.largest()
            tracker.stop()
        if cuda is not None:
            cuda_peak = cuda.stop()
            if cuda_peak is not None and (device == "cuda" or cuda_peak > 0 or "cuda" in peaks):
                peaks["cuda"] = cuda_peak
            elif device == "cuda":
                peaks["cuda"] = 0
        for m in others:
            value = m.stop()
            if value is not None:
                peaks[getattr(m, "name", type(m).__name__)] = int(value)
        if not memory:
            peaks = {}
        elif device == "cpu":
            peaks = {"cpu": peaks.get("cpu", 0)}
        elif device == "cuda":
            peaks = {"cuda": peaks.get("cuda", 0)}
        elif not peaks:
            peaks = {"cpu": 0}
        result.peak_bytes = peaks
        if saved is not None:
            result.saved_bytes = saved.bytes
        if recorder is not None:
            result.graph_ops = recorder.count
            result.first_graph_op = recorder.first
            result.first_graph_op_location = recorder.first_location


def _force_remove(mode: Any) -> None:
    """Remove one of our modes from whichever stack it is on, wherever it sits."""
    torch = require_torch("cleanup")
    from torch.utils._python_dispatch import _get_current_dispatch_mode_stack, _pop_mode
    from torch.overrides import _get_current_function_mode_stack

    stack = _get_current_function_mode_stack()
    if mode in stack:
        popped = []
        while torch._C._len_torch_function_stack():
            m = torch._C._pop_torch_function_stack()
            if m is mode:
                break
            popped.append(m)
        for m in reversed(popped):
            torch._C._push_on_torch_function_stack(m)
    stack = _get_current_dispatch_mode_stack()
    if mode in stack:
        popped = []
        while _get_current_dispatch_mode_stack():
            m = _pop_mode()
            if m is mode:
                break
            popped.append(m)
        for m in reversed(popped):
            torch._C._push_on_torch_dispatch_stack(m)


class MemoryBudgetExceeded(AssertionError):
    """A memory or autograd budget was exceeded."""


def check_budget(measured: Measurements, limit: int, device: str, what: str = "memory budget") -> Optional[str]:
    """Return a failure message if any measured device exceeds ``limit``, else None."""
    over = {d: b for d, b in measured.peak_bytes.items() if b > limit and (device == "auto" or d == device)}
    if not over:
        return None
    parts = ", ".join(f"{d}: {format_size(b)} ({b} bytes)" for d, b in sorted(over.items()))
    lines = [f"{what} of {format_size(limit)} ({limit} bytes) exceeded: peak {parts}"]
    if measured.largest_allocations:
        lines.append("largest allocations:")
        lines.extend(f"  {a.describe()}" for a in measured.largest_allocations)
    return "\n".join(lines)


def check_saved(measured: Measurements, limit: int) -> Optional[str]:
    saved = measured.saved_bytes or 0
    if saved <= limit:
        return None
    return (f"autograd budget of {format_size(limit)} ({limit} bytes) exceeded: "
            f"{format_size(saved)} ({saved} bytes) saved for backward")


@contextmanager
def budget(limit: Union[int, str], *, device: str = "auto") -> Iterator[Measurements]:
    """Context-manager form of ``@pytest.mark.memory_budget`` for one region."""
    __tracebackhide__ = True  # the failure ends at the user's with-block
    nbytes = parse_size(limit)
    _check_device(device)
    with track(device=device, saved_for_backward=False, graph=False) as m:
        yield m
    msg = check_budget(m, nbytes, device)
    if msg:
        raise MemoryBudgetExceeded(msg)
