# corpus: NG001
"""Clean: an encoder built on a sentence-embedding base class of another package encodes a list of
batches by calling itself per batch; each call tokenizes through an accessor the base defines
(`self._first_module()`, given nothing) and runs its forward under `no_grad`."""
import torch

from sentence_transformers import SentenceTransformer


class Retriever(SentenceTransformer):
    def tokenize(self, texts):
        return self._first_module().tokenize(texts)

    def encode(self, sentences):
        if isinstance(sentences[0], list):
            out = []
            for batch in sentences:
                out.append(self.encode(batch))
            return out
        self.eval()
        features = self.tokenize(sentences)
        with torch.no_grad():
            return self.forward(features)
