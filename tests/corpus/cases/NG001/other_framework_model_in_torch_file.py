# corpus: NG001
"""A federated server that evaluates the global model exported to MNN (another framework with
its own `train(False)`), in a file that also uses torch for its metrics: the MNN module's forward
records no torch graph."""
import MNN
import numpy as np
import torch

F = MNN.expr


class Aggregator:
    def test_on_server(self, path, batches):
        var_map = F.load_as_dict(path)
        inputs, outputs = F.get_inputs_and_outputs(var_map)
        module = MNN.nn.load_module(list(inputs.values()), list(outputs.values()), False)
        module.train(False)
        correct = 0
        for data, label in batches:
            result = module.forward(data)
            predict = np.array(F.argmax(result, 1).read())
            correct += int((predict == label).sum())
        return torch.tensor(correct)
