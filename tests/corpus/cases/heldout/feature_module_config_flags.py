# corpus: NG010
"""Feature front-ends that keep `requires_grad` as a constructor flag (correct); a tied-embedding freeze that does nothing (bug)."""
import torch
from torch import nn


class Filterbank(nn.Module):
    def __init__(self, n_mels=40, n_fft=400, freeze=True):
        super().__init__()
        self.freeze = freeze
        self.band = nn.Parameter(torch.linspace(0.1, 1.0, n_mels), requires_grad=not freeze)
        self.n_fft = n_fft

    def forward(self, spec):
        weights = torch.sigmoid(self.band).unsqueeze(-1)
        return spec[..., : weights.shape[0], :] * weights


class Fbank(nn.Module):
    """Mel filterbank features; `requires_grad` says whether the filter bands are learned."""

    def __init__(self, n_mels=40, n_fft=400, requires_grad=False, deltas=False):
        super().__init__()
        self.deltas = deltas
        self.requires_grad = requires_grad
        self.compute_fbanks = Filterbank(n_mels=n_mels, n_fft=n_fft, freeze=not requires_grad)

    def forward(self, spec):
        fb = self.compute_fbanks(spec)
        if self.deltas:
            fb = torch.cat([fb, torch.diff(fb, dim=-1, prepend=fb[..., :1])], dim=-2)
        return fb


class Seq2SeqWrapper(nn.Module):
    def __init__(self, hf_model, share_input_output_embed=True):
        super().__init__()
        self.model = hf_model
        if share_input_output_embed:
            self.model.lm_head.weight = self.model.model.decoder.embed_tokens.weight
            self.model.lm_head.requires_grad = False  # expect: NG010
            self.model.model.decoder.embed_tokens.requires_grad = False  # expect: NG010

    def forward(self, input_ids, decoder_input_ids):
        return self.model(input_ids=input_ids, decoder_input_ids=decoder_input_ids).logits
