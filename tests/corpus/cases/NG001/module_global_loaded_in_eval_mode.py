# corpus: NG001
# A speaker encoder's inference module keeps its network in a global that `load_model` builds and
# puts in eval mode; `embed_frames_batch` runs it with grad on and detaches the result. The
# `fine_tune` function of another module puts the same kind of global back in train mode, so
# there the eval mode does not last.
import numpy as np
import torch

from encoder.model import SpeakerEncoder

_model = None
_device = None
_adapter = None


def load_model(weights_fpath, device=None):
    global _model, _device
    _device = torch.device(device or "cpu")
    _model = SpeakerEncoder(_device, torch.device("cpu"))
    _model.load_state_dict(torch.load(weights_fpath, _device)["model_state"])
    _model.eval()


def embed_frames_batch(frames_batch):
    if _model is None:
        raise Exception("Model was not loaded. Call load_model() before inference.")
    frames = torch.from_numpy(frames_batch).to(_device)
    return _model.forward(frames).detach().cpu().numpy()  # expect: NG001


def load_adapter(path):
    global _adapter
    _adapter = torch.load(path)
    _adapter.eval()


def fine_tune(batches, optimizer):
    _adapter.train()
    for x, y in batches:
        loss = torch.nn.functional.mse_loss(_adapter(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def adapt(frames):
    return np.asarray(_adapter(torch.from_numpy(frames)).detach())
