# corpus: NG001
# Local descriptors computed in chunks when there are many patches: the chunks are joined and
# then turned into numpy, all under one `if`, before the function returns them. Nothing of the
# forwards' graph reaches the return, though the name `descs` holds a graph inside the branch.
# `describe_for_training` returns the joined chunks themselves: a caller may backpropagate.
import torch


def extract_descriptors(desc_model, patches, device, chunk=1000):
    if len(patches) > chunk:
        for i in range(0, len(patches), chunk):  # expect: NG001
            part = desc_model(patches[i:i + chunk].to(device))
            descs = part if i == 0 else torch.cat([descs, part], dim=0)
        descs = descs.cpu().detach().numpy()
    else:
        descs = desc_model(patches.to(device)).cpu().detach().numpy()
    return descs


def describe_for_training(desc_model, patches, device, chunk=1000):
    if len(patches) > chunk:
        for i in range(0, len(patches), chunk):
            part = desc_model(patches[i:i + chunk].to(device))
            descs = part if i == 0 else torch.cat([descs, part], dim=0)
    else:
        descs = desc_model(patches.to(device))
    return descs
