# corpus: NG001
"""A searched model picks its network from a setting, and its `model_forward` runs it directly:
calling it runs the model like its base class's does."""
from base import BaseModel, LogisticRegression, Perceptron


class SearchedModel(BaseModel):
    def __init__(self, d_in, d_out, hidden=0):
        super().__init__()
        if hidden:
            self._base_model = Perceptron(d_in, hidden, d_out)
        else:
            self._base_model = LogisticRegression(d_in, d_out)

    def model_forward(self, x):
        return self._base_model(x)
