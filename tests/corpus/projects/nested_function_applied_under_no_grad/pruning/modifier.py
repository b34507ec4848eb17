# corpus: NG004
"""A pruning modifier that applies its masks after each optimizer step: the masking function is
local to a method decorated with `@torch.no_grad()`, and `Module.apply` runs it there, once per
submodule. The same file's `reset_masks` applies its local function with gradients on."""
import torch


class MaskModifier:
    @torch.no_grad()
    def on_step(self, model):
        def apply_masks(module):
            mask = getattr(module, "weight_mask", None)
            if mask is not None:
                module.weight *= mask

        model.apply(apply_masks)

    def reset_masks(self, model):
        def scale(module):
            if hasattr(module, "weight_mask"):
                module.weight *= 0.5  # expect: NG004

        model.apply(scale)
