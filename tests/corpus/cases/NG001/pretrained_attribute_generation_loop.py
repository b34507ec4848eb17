# corpus: NG001
"""An audio-language wrapper loads its transformers model in `__init__`; `from_pretrained` returns
it in eval mode, and nothing in the class puts it back in training mode. Its token-generation loop
runs the model step by step with gradients enabled, keeping only token ids: each step's graph is
built for nothing. The fine-tuning wrapper below loads the same way but trains its model in
another method, so its loop is not judged by the constructor's eval mode."""
import torch
from transformers import AutoModelForCausalLM


class AudioLM:
    def __init__(self, path):
        self.alm = AutoModelForCausalLM.from_pretrained(path)

    def generate(self, ids, max_new_tokens=50):
        past = None
        out = []
        for _ in range(max_new_tokens):  # expect: NG001
            logits, past = self.alm.forward(input_ids=ids, past_key_values=past, return_dict=False)
            ids = logits[:, -1].argmax(-1, keepdim=True)
            out.append(int(ids))
        return out


class FineTuner:
    def __init__(self, path):
        self.alm = AutoModelForCausalLM.from_pretrained(path)

    def fit(self, batches, optimizer):
        self.alm.train()
        for batch in batches:
            loss = self.alm(**batch).loss
            loss.backward()
            optimizer.step()

    def generate(self, ids, max_new_tokens=50):
        past = None
        out = []
        for _ in range(max_new_tokens):
            logits, past = self.alm.forward(input_ids=ids, past_key_values=past, return_dict=False)
            ids = logits[:, -1].argmax(-1, keepdim=True)
            out.append(int(ids))
        return out
