# corpus: NG002
"""A constrained step measures its constraint violations under `no_grad` and packs them, with the
trainable multipliers, into a state object. The dual objective is computed by a method of that
object after the block, with gradients on: the multipliers enter the graph there, so the
backward pass is real."""
import torch


class ConstraintState:
    def __init__(self, violation, multiplier):
        self.violation = violation
        self.multiplier = multiplier

    def dual_objective(self):
        return (self.multiplier * self.violation).sum()


def dual_step(constraint_fn, params, multiplier: torch.nn.Parameter, dual_opt):
    with torch.no_grad():
        state = ConstraintState(constraint_fn(params), multiplier)
    dual = state.dual_objective()
    dual_opt.zero_grad()
    (-dual).backward()
    dual_opt.step()
    return dual.item()
