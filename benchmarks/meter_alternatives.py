"""Benchmark: what ways of measuring CPU tensor memory cost, and what they measure.

Runs the test bodies of ``plugin_overhead.py``'s generated suite (per file: 5 training
tests, 4 evaluation tests, one conv forward/backward) in one process, under each way of
measuring, alternating the order every repetition, and prints the CPU time of each
relative to no measurement. Then it compares the peaks each way reports with analytic byte
counts. The ways:

* ``meter``            the plugin's CPU meter (``track(saved_for_backward=False)``)
* ``meter+autograd``   what the two markers install (``memory_budget`` + ``autograd_budget``)
* ``dispatch floor``   an empty TorchDispatchMode (only ``return func(*args, **kwargs)``),
                       without torch's per-call dynamo wrapper, as the meter runs it: the
                       least any dispatch-mode meter costs, whatever it does per op
* ``dispatch floor, torch's wrapper``   the same with the wrapper torch adds by default
* ``size check only``  the floor plus reading each output's storage size: the least a
                       meter that counts only allocations above a size can cost
* ``function floor``   an empty TorchFunctionMode (a cheaper hook point, but it never sees
                       backward, which runs in C++)
* ``profiler``         ``torch.profiler``'s memory events (``profile_memory=True``, op
                       recording narrowed to user scopes), peak from its allocation events
* ``allocator``        (``--allocator``) a counting CPU allocator in C++, swapped in with
                       ``c10::SetCPUAllocator``; compiled with ``torch.utils.cpp_extension``
                       (needs a C++ compiler and ninja; about a minute the first time)

    OMP_NUM_THREADS=1 python benchmarks/meter_alternatives.py [--reps 7] [--allocator]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, Optional

import torch
import torch.nn as nn
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode

from pytest_nograd.measure import track


def _model() -> nn.Module:
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10))


def train() -> None:
    model = _model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(64, 64), torch.randint(0, 10, (64,))
    for _ in range(5):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()


def evaluate() -> None:
    model = _model().eval()
    with torch.no_grad():
        model(torch.randn(256, 64))


def conv() -> None:
    net = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.Conv2d(16, 16, 3))
    net(torch.randn(8, 3, 32, 32)).mean().backward()


# One generated test file's bodies, each measured on its own as the markers do.
BODIES = [train] * 5 + [evaluate] * 4 + [conv]


class EmptyDispatch(TorchDispatchMode):
    """torch wraps this ``__torch_dispatch__`` in a dynamo-disabling wrapper (the default)."""

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        return func(*args, **(kwargs or {}))


def _skip_dynamo(fn: Callable) -> Callable:
    from pytest_nograd.measure import _skip_dynamo as skip

    return skip(fn)


class EmptyDispatchNoWrapper(TorchDispatchMode):
    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        return False

    @_skip_dynamo
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        return func(*args, **kwargs) if kwargs else func(*args)


class SizeCheckOnly(TorchDispatchMode):
    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        return False

    @_skip_dynamo
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **kwargs) if kwargs else func(*args)
        if type(out) is torch.Tensor:
            out.untyped_storage().nbytes()
        return out


class EmptyFunction(TorchFunctionMode):
    def __torch_function__(self, func, types, args=(), kwargs=None):
        return func(*args, **(kwargs or {}))


@contextmanager
def profiler_peak(result: Optional[Dict[str, int]] = None) -> Iterator[None]:
    """Peak of the profiler's CPU allocation events (frees of older blocks ignored)."""
    from torch._C import _autograd as A, _profiler as P

    config = P.ProfilerConfig(P.ProfilerState.KINETO, False, True, False, False, False, P._ExperimentalConfig())
    activities = {P.ProfilerActivity.CPU}
    A._prepare_profiler(config, activities)
    A._enable_profiler(config, activities, {P.RecordScope.USER_SCOPE})
    try:
        yield
    finally:
        events = []
        stack = list(A._disable_profiler().experimental_event_tree())
        while stack:
            e = stack.pop()
            if isinstance(e.extra_fields, P._ExtraFields_Allocation) and e.extra_fields.device.type == "cpu":
                events.append((e.start_time_ns, e.extra_fields.ptr, e.extra_fields.alloc_size))
            stack.extend(e.children)
        live: Dict[int, int] = {}
        current = peak = 0
        for _, ptr, size in sorted(events):
            if size > 0:
                live[ptr] = size
                current += size
            elif ptr in live:
                current -= live.pop(ptr)
            peak = max(peak, current)
        if result is not None:
            result["cpu"] = peak


ALLOCATOR_SOURCE = r'''
#include <torch/extension.h>
#include <c10/core/CPUAllocator.h>
#include <atomic>
#include <mutex>
#include <unordered_map>

namespace {
std::atomic<int64_t> g_current{0};
std::atomic<int64_t> g_peak{0};
std::mutex g_mutex;
std::unordered_map<void*, int64_t> g_sizes;  // blocks allocated while counting
c10::DeleterFnPtr g_base_deleter = nullptr;

// The data pointer is its own context: oneDNN and others require that of CPU memory.
void counted_delete(void* p) {
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    auto it = g_sizes.find(p);
    if (it != g_sizes.end()) { g_current.fetch_sub(it->second); g_sizes.erase(it); }
  }
  g_base_deleter(p);
}

struct CountingAllocator final : c10::Allocator {
  c10::Allocator* base = nullptr;
  c10::DataPtr allocate(size_t n) override {
    c10::DataPtr inner = base->allocate(n);
    void* data = inner.get();
    auto device = inner.device();
    inner.release_context();
    {
      std::lock_guard<std::mutex> lock(g_mutex);
      g_sizes[data] = (int64_t)n;
    }
    int64_t cur = g_current.fetch_add((int64_t)n) + (int64_t)n;
    int64_t pk = g_peak.load();
    while (cur > pk && !g_peak.compare_exchange_weak(pk, cur)) {}
    return c10::DataPtr(data, data, &counted_delete, device);
  }
  c10::DeleterFnPtr raw_deleter() const override { return &counted_delete; }
  void copy_data(void* dest, const void* src, std::size_t count) const override { std::memcpy(dest, src, count); }
};
CountingAllocator g_alloc;
}

void start() {
  { std::lock_guard<std::mutex> lock(g_mutex); g_sizes.clear(); }
  g_current = 0; g_peak = 0;
  g_alloc.base = c10::GetCPUAllocator();
  g_base_deleter = g_alloc.base->raw_deleter();
  c10::SetCPUAllocator(&g_alloc, /*priority=*/100);
}
int64_t stop() {
  c10::SetCPUAllocator(g_alloc.base, /*priority=*/100);
  { std::lock_guard<std::mutex> lock(g_mutex); g_sizes.clear(); }
  return g_peak.load();
}
'''


def build_allocator() -> Any:
    from torch.utils.cpp_extension import load_inline

    build_dir = os.path.join(tempfile.gettempdir(), "nograd_counting_allocator")
    os.makedirs(build_dir, exist_ok=True)
    t0 = time.perf_counter()
    module = load_inline("nograd_counting_allocator", cpp_sources=[ALLOCATOR_SOURCE], functions=["start", "stop"],
                         build_directory=build_dir, extra_cflags=["-O2"])
    print(f"counting allocator built/loaded in {time.perf_counter() - t0:.1f} s")
    return module


def allocator_peak(module: Any) -> Callable:
    @contextmanager
    def measure(result: Optional[Dict[str, int]] = None) -> Iterator[None]:
        module.start()
        try:
            yield
        finally:
            peak = module.stop()
            if result is not None:
                result["cpu"] = peak
    return measure


def ways(allocator: Any) -> Dict[str, Callable[[], Any]]:
    found: Dict[str, Callable[[], Any]] = {
        "plain": None,
        "meter": lambda: track(saved_for_backward=False, graph=False),
        "meter+autograd": lambda: track(saved_for_backward=True, graph=False),
        "dispatch floor": EmptyDispatchNoWrapper,
        "dispatch floor, torch's wrapper": EmptyDispatch,
        "size check only": SizeCheckOnly,
        "function floor": EmptyFunction,
        "profiler": profiler_peak,
    }
    if allocator is not None:
        found["allocator"] = allocator_peak(allocator)
    return found


def run_bodies(make: Optional[Callable[[], Any]]) -> None:
    for body in BODIES:
        if make is None:
            body()
        else:
            with make():
                body()


def speed(reps: int, allocator: Any) -> None:
    candidates = ways(allocator)
    for make in candidates.values():  # warm-up: lazy imports, first-call caches
        run_bodies(make)
    times: Dict[str, list] = {name: [] for name in candidates}
    names = list(candidates)
    for rep in range(reps):
        for name in names[rep % len(names):] + names[:rep % len(names)]:
            t0 = time.process_time()
            for _ in range(3):
                run_bodies(candidates[name])
            times[name].append((time.process_time() - t0) / 3)
    base = statistics.median(times["plain"])
    print(f"\nCPU time of one generated test file's bodies (5 train, 4 eval, 1 conv), median of {reps}, "
          f"torch {torch.__version__}, {torch.get_num_threads()} thread(s):")
    for name in names:
        vals = times[name]
        print(f"  {name:32s} {statistics.median(vals) * 1e3:8.2f} ms  ratio {statistics.median(vals) / base:6.3f}"
              f"  (min {min(vals) / base:.3f}, max {max(vals) / base:.3f})")


B, IN, HID, OUT = 256, 512, 1024, 256


def _mlp() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(IN, HID), nn.ReLU(), nn.Linear(HID, OUT))


def accuracy(allocator: Any) -> None:
    def mlp_no_grad(model, x):
        with torch.no_grad():
            return model(x)

    def mlp_grad(model, x):
        return model(x)

    def mlp_backward(model, x):
        y = model(x)
        y.sum().backward()
        return y

    def conv2d(model, x):
        return nn.functional.conv2d(x, model)

    cases = [
        ("MLP forward, no_grad", _mlp, lambda: torch.randn(B, IN), mlp_no_grad, 2 * B * HID * 4),
        ("MLP forward with grad", _mlp, lambda: torch.randn(B, IN), mlp_grad,
         max(2 * B * HID * 4, B * HID * 4 + B * OUT * 4)),
        ("MLP forward + backward", _mlp, lambda: torch.randn(B, IN), mlp_backward,
         4 * (B * OUT + OUT * HID + OUT + B * HID + HID * IN + HID) + 8),
        ("conv2d 3->16, 3x3, 8x3x64x64", lambda: torch.randn(16, 3, 3, 3), lambda: torch.randn(8, 3, 64, 64),
         conv2d, 8 * 16 * 62 * 62 * 4),
    ]
    meters: Dict[str, Callable] = {"profiler": profiler_peak}
    if allocator is not None:
        meters["allocator"] = allocator_peak(allocator)
    print("\npeak CPU bytes against the analytic count of what the ops return:")
    header = f"  {'case':30s} {'analytic':>10s} {'meter':>10s}" + "".join(f" {n:>10s}" for n in meters)
    print(header)
    for name, make_model, make_input, fn, analytic in cases:
        row = [analytic]
        model, x = make_model(), make_input()
        with track(saved_for_backward=False, graph=False) as m:
            out = fn(model, x)
        del out
        row.append(m.peak_bytes["cpu"])
        for measure in meters.values():
            model, x, found = make_model(), make_input(), {}
            with measure(found):
                out = fn(model, x)
            del out
            row.append(found.get("cpu", 0))
        print(f"  {name:30s}" + "".join(f" {v:>10d}" for v in row))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=7, help="repetitions of each way (default 7)")
    ap.add_argument("--allocator", action="store_true", help="also build and measure the C++ counting allocator")
    opts = ap.parse_args()
    allocator = build_allocator() if opts.allocator else None
    speed(opts.reps, allocator)
    accuracy(allocator)
    return 0


if __name__ == "__main__":
    sys.exit(main())
