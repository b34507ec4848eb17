# corpus: NG009
# After quantizing under inference_mode, the wrapper hands its model to imported helpers that
# strip hooks and place the layers on devices: they return the same module, not a tensor made
# in the block. The calibration scale it keeps is a tensor made there.
import torch
from accelerate.hooks import remove_hook_from_module
from accelerate import dispatch_model


class Quantizer:
    def __init__(self, model):
        self.model = model

    @torch.inference_mode()
    def quantize(self, batches, device_map=None):
        amax = torch.stack([b.abs().amax() for b in batches]).max()
        self.scale = amax / 127.0  # expect: NG009
        if device_map:
            self.model = remove_hook_from_module(self.model, recurse=True)
            self.model = dispatch_model(self.model, device_map)
        return self.model
