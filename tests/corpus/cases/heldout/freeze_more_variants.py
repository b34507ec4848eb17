# corpus: NG010
"""Freezing parts of pretrained models: attribute-chain modules (bugs) next to the working spellings."""
from torch import nn
from transformers import AutoModel


class Classifier(nn.Module):
    def __init__(self, name, n_labels, freeze_embeddings=True, freeze_layers=0):
        super().__init__()
        self.encoder = AutoModel.from_pretrained(name)
        self.dropout = nn.Dropout(0.1)
        self.out = nn.Linear(self.encoder.config.hidden_size, n_labels)
        if freeze_embeddings:
            self.encoder.embeddings.requires_grad = False  # expect: NG010
        for layer in self.encoder.encoder.layer[:freeze_layers]:
            layer.requires_grad_(False)
        self.out.weight.requires_grad = True
        self.out.bias.requires_grad = True

    def forward(self, **inputs):
        h = self.encoder(**inputs).last_hidden_state[:, 0]
        return self.out(self.dropout(h))


def freeze_modules(model, names):
    for name in names:
        module = getattr(model, name)
        for p in module.parameters():
            p.requires_grad = False


def freeze_norm_layers(model):
    for m in model.modules():
        if isinstance(m, (nn.LayerNorm, nn.BatchNorm2d)):
            m.requires_grad = False  # expect: NG010
