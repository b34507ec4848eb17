# corpus: NG001
# A detector backend loads a TorchScript model once and is then called like a function: its
# `__call__` runs the network with grad on and hands back numpy boxes. A CTC beam-search decoder
# object is called the same way, but what it holds (`ctc_decoder(...)`) is no network, whatever
# the attribute is named; an agent's `act` that hands back only an action records a graph for
# nothing too. A backend
# that freezes its network's parameters when it loads it records no graph with them.
import numpy as np
import torch
from torchaudio.models.decoder import ctc_decoder


class Yolov5:
    def __init__(self, weight, device="cpu"):
        self._device = torch.device(device)
        self._model = None
        self._load_model(weight)

    def _load_model(self, weight):
        self._model = torch.jit.load(weight, map_location=self._device)
        self._model.eval()

    def __call__(self, inputs: np.ndarray) -> np.ndarray:
        batch = torch.from_numpy(inputs).to(self._device).float() / 255.0
        outputs = self._model(batch)[0]  # expect: NG001
        return outputs.cpu().detach().numpy()


class FrozenBackend:
    def __init__(self, weight):
        self._model = torch.jit.load(weight)
        self._model.requires_grad_(False)

    def __call__(self, inputs):
        return self._model(torch.from_numpy(inputs)).numpy()


class LanguageDecoder:
    def __init__(self, lexicon, tokens):
        self.decoder = ctc_decoder(lexicon=lexicon, tokens=tokens)

    def __call__(self, features):
        hypotheses = self.decoder(features.detach().cpu(), None)
        return [h[0].tokens.tolist() for h in hypotheses]


class Agent:
    def __init__(self, weight):
        self.policy = torch.jit.load(weight)

    def act(self, observation):
        return self.policy(torch.as_tensor(observation)).argmax(-1).item()  # expect: NG001
