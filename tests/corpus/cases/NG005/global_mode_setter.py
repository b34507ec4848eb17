# corpus: NG005
"""A public setter whose whole job is to set the global grad mode to what its caller asks, and
an evaluation helper that switches grad off and never turns it back on."""
import logging

import torch


class Session:
    def set_autograd(self, enabled: bool):
        """Turn autograd on or off for the whole process."""
        logging.info("autograd %s", "on" if enabled else "off")
        torch.set_grad_enabled(enabled)


def score(model, batches, enabled):
    torch.set_grad_enabled(enabled)  # expect: NG005
    return [model(b).mean().item() for b in batches]
