# corpus: NG001
"""Overlap-add of decoded frames into a fresh tensor, written in place."""
import torch


def overlap_add(frames, stride):
    total = stride * (len(frames) - 1) + frames[-1].shape[-1]
    out = torch.zeros(*frames[0].shape[:-1], total)
    offset = 0
    for frame in frames:
        out[..., offset:offset + frame.shape[-1]] += frame
        offset += stride
    return out
