# corpus: NG003
"""A loss method returns either a bare loss tensor or a dataclass whose `logs` field is declared
`Dict[str, float]` (filled with `.item()` values): inside `if isinstance(out, StepOutput):` the
logged values summed per name are Python floats, whatever else the call may return. The
optional `extra` field is declared a dict of tensors: keeping it keeps their graphs, and no
`.detach()` fix fits a dict."""
from dataclasses import dataclass
from typing import Dict, Optional

import torch


@dataclass
class StepOutput:
    loss: torch.Tensor
    logs: Dict[str, float]
    extra: Optional[Dict[str, torch.Tensor]] = None


def fit(model, batches, optimizer):
    totals, extras = {}, []
    for batch in batches:
        optimizer.zero_grad()
        out = model.compute_loss(batch)
        if isinstance(out, StepOutput):
            loss = out.loss
            for name, value in out.logs.items():
                totals[name] = totals.get(name, 0.0) + value
            extras.append(out.extra)  # expect: NG003
        else:
            loss = out
        loss.backward()
        optimizer.step()
    return totals, extras
