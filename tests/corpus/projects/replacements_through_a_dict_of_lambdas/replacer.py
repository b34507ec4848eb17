# corpus: NG004
import torch

from replacement import SHRINKERS, shrink_in_place_now


class Replacer:
    def __init__(self, shrinkers=SHRINKERS):
        self.shrinkers = shrinkers

    def replace(self, model, plan):
        with torch.no_grad():
            for name, module in list(model.named_children()):
                shrink = self.shrinkers.get(type(module).__name__)
                if shrink is not None and name in plan:
                    setattr(model, name, shrink(module, plan[name]))
        return model


def shrink_head(model, keep):
    model.head = shrink_in_place_now(model.head, keep)
    return model
