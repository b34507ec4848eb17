# corpus: NG002, NG001, NG003
"""Self-supervised depth trainer: `val()` was changed to also update the network, but the
dict of losses still comes from `process_batch` run inside the validation `no_grad` block."""
import torch


class Trainer:
    def __init__(self, model, optimizer, val_loader):
        self.model = model
        self.model_optimizer = optimizer
        self.val_loader = val_loader
        self.val_iter = iter(val_loader)

    def process_batch(self, inputs):
        outputs = self.model(inputs["color"])
        losses = {"loss": (outputs["disp"] - inputs["depth_gt"]).abs().mean()}
        return outputs, losses

    def val(self):
        self.model.eval()
        inputs = next(self.val_iter)
        with torch.no_grad():
            outputs, losses = self.process_batch(inputs)
            self.log("val", inputs, outputs, losses)
        self.model_optimizer.zero_grad()
        losses["loss"].backward()  # expect: NG002
        self.model_optimizer.step()
        self.model.train()

    def log(self, mode, inputs, outputs, losses):
        print(mode, {k: v.item() for k, v in losses.items()})
