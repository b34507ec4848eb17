# corpus: NG001
"""A benchmark harness: `model` is annotated as a callable that runs one configuration and returns
its duration in seconds; the loop collects floats. It is no network, whatever the parameter's name
says. The second function's `model` is a network run over batches with gradients on."""
import time
from typing import Callable

import torch


def benchmark(model: Callable[[dict], float], configs: list, runs: int = 5) -> list:
    results = []
    for config in configs:
        durations = []
        for _ in range(runs):
            duration = model(config)
            durations.append(duration)
        results.append(sum(durations) / len(durations))
    return results


def throughput(model: torch.nn.Module, batches: list) -> float:
    model.eval()
    start = time.perf_counter()
    for x in batches:  # expect: NG001
        model(x).sum().item()
    return len(batches) / (time.perf_counter() - start)
