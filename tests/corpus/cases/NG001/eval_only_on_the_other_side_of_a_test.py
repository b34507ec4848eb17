# corpus: NG001
"""A learner that runs either its torch model or an exported runtime session, kept in the same
attribute. It puts the model in eval mode only when it is not in export mode, and calls the export
path only in export mode: that path never finds a torch model in eval mode. The torch path predicts
under `inference_mode`. A method whose own `.eval()` and forward sit on the same side is reported."""
import torch

from runtime import load_session


class Learner:
    def __init__(self, model, path, exported):
        self.exported = exported
        self.model = load_session(path) if exported else model

    def predict(self, x):
        with torch.inference_mode():
            return self.model(x).argmax(1)

    def _run_exported(self, x):
        return self.model(x)

    def run_all(self, batches):
        if self.exported:
            print("running the exported session")
        else:
            self.model.eval()
        out = []
        for x in batches:
            if self.exported:
                out.append(self._run_exported(x))
            else:
                out.append(self.predict(x))
        return out

    def score_all(self, batches):
        if not self.exported:
            self.model.eval()
            hits = 0
            for x, y in batches:  # expect: NG001
                hits += (self.model(x).argmax(1) == y).sum().item()
            return hits
        return None
