# corpus: NG001
# Depth and pose validation: the loop calls the project's losses (`explainability_loss`) and torch's
# `adaptive_avg_pool2d`, whose names share words with gradient helpers (explain, adapt). Neither
# uses gradients; the loop only logs numbers. `attribution_map` is another file's helper that
# the file cannot see: by its name it may backpropagate, so the second loop is left alone.
import torch
from torch import nn

from loss_functions import attribution_map, explainability_loss, photometric_loss


def validate(val_loader, disp_net, pose_net, meter):
    disp_net.eval()
    pose_net.eval()
    for tgt, refs in val_loader:  # expect: NG001
        disp = disp_net(tgt)
        mask, pose = pose_net(tgt, refs)
        small = nn.functional.adaptive_avg_pool2d(tgt, (32, 32))
        loss = photometric_loss(small, refs, disp, pose) + explainability_loss(mask)
        meter.update(loss.item())
    return meter.avg


def explain(val_loader, disp_net):
    disp_net.eval()
    return [attribution_map(disp_net, tgt) for tgt, _ in val_loader]


def jacobian_features(model, loader, tangents):
    # Forward-mode derivatives of the model through torch.func: torch's own differentiation API.
    model.eval()
    params = dict(model.named_parameters())
    features = []
    for x in loader:
        _, product = torch.func.jvp(lambda p: torch.func.functional_call(model, p, (x,)), (params,), (tangents,))
        features.append(product)
    return features
