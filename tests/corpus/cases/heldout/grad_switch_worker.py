# corpus: NG005, NG006
"""Inference worker: one module-level switch, one correctly restored switch, one leaked switch."""
import contextlib
import threading

import torch

torch.set_grad_enabled(False)


class EmbeddingWorker(threading.Thread):
    def __init__(self, model, queue, results):
        super().__init__(daemon=True)
        self.model, self.queue, self.results = model, queue, results

    def run(self):
        prev = torch.is_grad_enabled()
        torch.set_grad_enabled(False)
        try:
            while True:
                key, batch = self.queue.get()
                if key is None:
                    return
                self.results[key] = self.model(batch).cpu()
        finally:
            torch.set_grad_enabled(prev)


class Scorer:
    def __init__(self, model):
        self.model = model

    def score(self, batch):
        torch.set_grad_enabled(False)  # expect: NG005
        if batch.numel() == 0:
            return None
        out = self.model(batch).sigmoid()
        torch.set_grad_enabled(True)
        return out


def maybe_no_grad(training: bool):
    return contextlib.nullcontext() if training else torch.no_grad()


def forward_pass(model, batch, training):
    ctx = torch.enable_grad() if training else torch.no_grad()
    with ctx:
        return model(batch)
