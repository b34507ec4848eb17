# corpus: NG003
"""What the project's losses return: the loss to backpropagate, its statistics as Python floats
(filled with `.item()`), and the intermediate tensors, which keep their graphs."""
from dataclasses import dataclass, field
from typing import Dict, Optional

import torch


@dataclass
class LossOutput:
    loss: torch.Tensor
    metrics: Dict[str, float] = field(default_factory=dict)
    extras: Optional[Dict[str, torch.Tensor]] = None


class ContrastiveLoss(torch.nn.Module):
    def forward(self, model, x):
        z = model(x)
        loss = z.pow(2).mean()
        return LossOutput(loss=loss, metrics={"loss": loss.item(), "norm": z.norm().item()}, extras={"z": z})
