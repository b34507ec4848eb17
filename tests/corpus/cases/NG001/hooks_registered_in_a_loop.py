# corpus: NG001
"""An activation-harvesting pipeline for sparse autoencoders. The source model is only read
(`eval()` once), and the loop over the layer names registers a storing hook per layer: a call
handed a function, whose result nothing keeps, is a registration, not a forward. The forwards that
fire the hooks run under `no_grad`. The probe loop at the end does run the model on every prompt
with gradients enabled, keeping only the decoded tokens."""
from functools import partial

import torch


def store_activation(value, hook, store, layer):
    store.append((layer, value.detach().cpu()))


class ActivationPipeline:
    def __init__(self, source_model, layer_names, prompts):
        self.source_model = source_model
        self.layer_names = layer_names
        self.prompts = prompts

    def on_value(self, value, hook):
        return value

    def harvest(self, batches):
        store = []
        self.source_model.remove_all_hook_fns()
        for layer, name in enumerate(self.layer_names):
            hook = partial(store_activation, store=store, layer=layer)
            self.source_model.add_hook(name, hook)
            self.source_model.add_hook(name, self.on_value)
            self.source_model.add_hook(name, lambda value, hook: value)
        with torch.no_grad():
            for batch in batches:
                self.source_model(batch, stop_at_layer=len(self.layer_names))
        self.source_model.remove_all_hook_fns()
        return store

    def run(self, batches):
        self.source_model.eval()
        return self.harvest(batches)

    def probe(self):
        self.source_model.eval()
        tokens = []
        for prompt in self.prompts:  # expect: NG001
            logits = self.source_model(prompt)
            tokens.append(logits.argmax(-1).tolist())
        return tokens
