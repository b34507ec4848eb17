# corpus: NG010
"""requires_grad as a plain config field or tensor flag (correct) next to a module-level freeze that does nothing."""
from dataclasses import dataclass

import torch
from torch import nn
from transformers import BertModel


@dataclass
class AdapterConfig:
    hidden: int = 768
    bottleneck: int = 64
    requires_grad: bool = True


class LayerSpec:
    def __init__(self, name, requires_grad=True):
        self.name = name
        self.requires_grad = requires_grad


def build_specs(names, frozen):
    specs = [LayerSpec(n) for n in names]
    for spec in specs:
        if spec.name in frozen:
            spec.requires_grad = False
    return specs


def saliency_input(x):
    x = x.clone()
    x.requires_grad = True
    return x


class BertClassifier(nn.Module):
    def __init__(self, n_classes, freeze_bert=True):
        super().__init__()
        self.bert = BertModel.from_pretrained("bert-base-uncased")
        self.classifier = nn.Linear(self.bert.config.hidden_size, n_classes)
        if freeze_bert:
            self.bert.requires_grad = False  # expect: NG010

    def forward(self, input_ids, attention_mask):
        out = self.bert(input_ids=input_ids, attention_mask=attention_mask)
        return self.classifier(out.pooler_output)


def apply_specs(model, specs):
    for spec in specs:
        for p in getattr(model, spec.name).parameters():
            p.requires_grad = spec.requires_grad
