# corpus: NG010
"""Text classifier that tries to freeze the pretrained encoder by setting a module attribute."""
import torch
from torch import nn
from transformers import AutoModel


class TextClassifier(nn.Module):
    def __init__(self, name="bert-base-uncased", num_labels=2, freeze_encoder=True):
        super().__init__()
        self.encoder = AutoModel.from_pretrained(name)
        self.dropout = nn.Dropout(0.1)
        self.classifier = nn.Linear(self.encoder.config.hidden_size, num_labels)
        if freeze_encoder:
            self.encoder.requires_grad = False  # expect: NG010

    def forward(self, input_ids, attention_mask):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.classifier(self.dropout(hidden[:, 0]))
