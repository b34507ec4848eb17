# corpus: NG001
"""A predictor's batch loop runs its network with whatever grad mode its caller chose. The service
calls it under `torch.no_grad()`; a unit test calls it with grad on, on a tiny network. How the
test calls it says nothing of how the code runs it: no finding. The export helper, which nothing
but a test calls, is judged by that call (grad on)."""
import torch


class Predictor:
    def __init__(self, network):
        self.network = network.eval()

    def predict(self, batches):
        labels = []
        for x in batches:
            labels.append(self.network(x).argmax(-1))
        return torch.cat(labels)

    def export_logits(self, batches):
        self.network.eval()
        return [self.network(x).tolist() for x in batches]  # expect: NG001


def serve(network, requests):
    predictor = Predictor(network)
    with torch.no_grad():
        return predictor.predict(requests)
