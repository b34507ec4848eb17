# corpus: NG001
# Feature extraction for image retrieval: the model is frozen by one of its methods before the
# loops, so they record no graph (grad mode stays on; nothing in them requires grad).
import torch

from backbones import build


def gallery_descriptors(images, width=32):
    model = build(width)
    model.eval()
    model.lock_everything()
    out = []
    for batch in images:
        out.append(model(batch)[0])
    return torch.cat(out)


def query_descriptors(images, width=32):
    net = build(width)
    net.eval()
    net.lock_everything()
    return [net(batch)[0] for batch in images]
