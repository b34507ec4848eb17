# corpus: NG001
"""A question-answering callback object is given the model when it is built and, in a method that
hands nothing back, runs it once over the whole evaluation set with gradients enabled, only to print
exact-match scores from NumPy copies of the logits. An agent of the same file whose `act` returns
an action is left to the loop that calls it, and a decoder object built from a library factory is no
network, whatever the attribute is named."""
import numpy as np
import torch
import torch.nn.functional as F
from torchaudio.models.decoder import ctc_decoder


class ExactMatch:
    def __init__(self, inputs, model, examples):
        self.model = model
        self.examples = examples
        self.input_ids = torch.tensor(inputs[0])
        self.attention_mask = torch.tensor(inputs[1])

    def results(self):
        outputs = self.model(input_ids=self.input_ids, attention_mask=self.attention_mask)  # expect: NG001
        start = F.softmax(outputs.start_logits, dim=-1).cpu().detach().numpy()
        end = F.softmax(outputs.end_logits, dim=-1).cpu().detach().numpy()
        hits = sum(int(np.argmax(s) == e.start and np.argmax(t) == e.end)
                   for s, t, e in zip(start, end, self.examples))
        print(f"exact match: {hits / len(self.examples):.3f}")


class Agent:
    def __init__(self, policy):
        self.policy = policy

    def act(self, observation):
        return self.policy(torch.as_tensor(observation)).argmax(-1).item()


class Transcriber:
    def __init__(self, lexicon, tokens):
        self.decoder = ctc_decoder(lexicon=lexicon, tokens=tokens)

    def show(self, emissions):
        hypotheses = self.decoder(emissions.detach().cpu(), None)
        print([h[0].tokens.tolist() for h in hypotheses])
