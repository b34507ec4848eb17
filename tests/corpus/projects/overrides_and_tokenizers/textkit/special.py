# corpus: NG003, NG001
import torch
from transformers import AutoTokenizer

from .base import Trainer

ARCHITECTURES = {"small": (None, None)}


class TokenizingTrainer(Trainer):
    def __init__(self, model, kind, checkpoint):
        super().__init__(model)
        encoder_class, tokenizer_class = ARCHITECTURES[kind]
        self.encoder_tokenizer = tokenizer_class.from_pretrained(checkpoint)
        self.decoder_tokenizer = self.encoder_tokenizer
        self.model_processor = AutoTokenizer.from_pretrained(checkpoint)

    def evaluate_model(self, batches):
        return super().evaluate_model(batches)

    def encode_for_inference(self, texts):
        self.model.eval()
        encoded = []
        for text in texts:
            ids = self.encoder_tokenizer(text, return_tensors="pt")["input_ids"]
            encoded.append((ids, self.decoder_tokenizer(text), self.model_processor(text)))
        return encoded

    def predict(self, texts):
        self.model.eval()
        outputs = []
        for text in texts:  # expect: NG001
            ids = self.encoder_tokenizer(text, return_tensors="pt")["input_ids"]
            outputs.append(self.model(ids))
        return outputs
