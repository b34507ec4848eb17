# corpus: NG001
"""Forwards through methods of the class whose outputs leave the function: the codec decodes
each frame with its own method and returns their overlap-add (a helper of another module that
writes the frames into a fresh tensor in place); the tracker appends each step's box and returns
them stacked. Training backpropagates through both, so no loop here evaluates."""
import torch
import torch.nn as nn

from codeckit.framing import overlap_add


class Codec(nn.Module):
    def __init__(self, dim=8):
        super().__init__()
        self.decoder = nn.Conv1d(dim, 1, 3, padding=1)

    def _decode_frame(self, codes):
        return self.decoder(codes)

    def decode(self, frames, segment=None):
        if segment is None:
            return self._decode_frame(frames[0])
        decoded = [self._decode_frame(f) for f in frames]
        return overlap_add(decoded, segment)

    def forward(self, frames):
        return self.decode(frames)


class Tracker(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = nn.Linear(12, 4)

    def _step(self, current, previous, box):
        return self.head(torch.cat([current.mean(-1), previous.mean(-1), box], -1))

    def track(self, frames, box):
        boxes = [box]
        for i in range(1, len(frames)):
            box = self._step(frames[i], frames[i - 1], box)
            boxes.append(box)
        return torch.stack(boxes)


def reconstruct(codec, frames, segment):
    codec.eval()
    with torch.no_grad():
        return codec.decode(frames, segment)
