# corpus: NG005
"""A loader that turns gradients back on after a third-party pipeline's loader switched them
off globally: the default mode set back, no temporary switch that could leak."""
import torch


def load_for_tuning(pipeline_cls, path):
    pipe = pipeline_cls.from_pretrained(path, torch_dtype=torch.bfloat16)
    torch.set_grad_enabled(True)
    model = pipe.transformer
    for p in model.parameters():
        p.requires_grad_(False)
    return pipe, model
