# corpus: NG007
"""RNN encoders over packed sequences: PackedSequence.data is a field with full autograd history (correct)."""
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class FramewiseCNN(nn.Module):
    """Runs a CNN over the frames of variable-length sequences without padding them."""

    def __init__(self, n_mels=48, dim=384):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d((6, 1)))
        self.fc = nn.Linear(16 * 6, dim)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        frames = self.cnn(packed.data.unsqueeze(1)).flatten(1)
        out = packed._replace(data=self.fc(frames))
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=int(lengths.max()))
        return out


class BiLSTMTagger(nn.Module):
    def __init__(self, vocab, emb=128, hidden=256, tags=17):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb, padding_idx=0)
        self.lstm = nn.LSTM(emb, hidden, batch_first=True, bidirectional=True)
        self.proj = nn.Linear(2 * hidden, tags)

    def forward(self, tokens, lengths):
        packed = pack_padded_sequence(self.embed(tokens), lengths.cpu(), batch_first=True, enforce_sorted=False)
        packed_out, _ = self.lstm(packed)
        # score only the real tokens: the packed data is (sum(lengths), 2*hidden)
        return self.proj(packed_out.data), packed_out.batch_sizes


def train_step(model, tokens, lengths, tags, optimizer):
    logits, _ = model(tokens, lengths)
    packed_tags = pack_padded_sequence(tags, lengths.cpu(), batch_first=True, enforce_sorted=False)
    loss = nn.functional.cross_entropy(logits, packed_tags.data)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
