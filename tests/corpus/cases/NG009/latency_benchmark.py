# corpus: NG009, NG001
"""Latency benchmark under inference_mode: timings and shapes are stored, not tensors."""
import time

import torch


class Benchmark:
    def __init__(self, model, warmup=10, iters=50):
        self.model = model.eval()
        self.warmup = warmup
        self.iters = iters
        self.timings = []

    def run(self, example):
        with torch.inference_mode():
            for _ in range(self.warmup):
                self.model(example)
            for _ in range(self.iters):
                start = time.perf_counter()
                out = self.model(example)
                self.timings.append(time.perf_counter() - start)
            self.output_shape = tuple(out.shape)
            self.device = str(out.device)
        return sum(self.timings) / len(self.timings)
