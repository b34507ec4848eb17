# corpus: NG005, NG001
"""A logging callback that computes embeddings with the private C switch."""
import torch


class EmbeddingLogger:
    def __init__(self, probe_batch, writer):
        self.probe_batch = probe_batch
        self.writer = writer

    def on_epoch_end(self, model, epoch):
        torch._C._set_grad_enabled(False)  # expect: NG005
        emb = model.embed(self.probe_batch)
        self.writer.add_embedding(emb, global_step=epoch)
        torch._C._set_grad_enabled(True)
