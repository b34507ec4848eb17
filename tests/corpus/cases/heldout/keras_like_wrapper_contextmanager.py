# corpus: NG001, NG003
"""A Keras-like wrapper whose own context managers set train mode and grad mode together (correct)."""
import contextlib
import timeit

import torch


@contextlib.contextmanager
def frozen(module):
    """Run a block with `module` in eval mode and gradients off."""
    was_training = module.training
    module.eval()
    with torch.no_grad():
        yield module
    module.train(was_training)


class Model:
    def __init__(self, network, optimizer, loss_function):
        self.network = network
        self.optimizer = optimizer
        self.loss_function = loss_function

    @contextlib.contextmanager
    def _set_training_mode(self, training):
        old_training = self.network.training
        self.network.train(training)
        with torch.set_grad_enabled(training):
            yield
        self.network.train(old_training)

    def fit_generator(self, train_generator, epochs=1):
        for epoch in range(epochs):
            with self._set_training_mode(True):
                for x, y in train_generator:
                    loss = self.loss_function(self.network(x), y)
                    self.optimizer.zero_grad()
                    loss.backward()
                    self.optimizer.step()

    def predict_generator(self, generator, convert_to_numpy=True):
        pred_y = []
        start = timeit.default_timer()
        with self._set_training_mode(False):
            for x in generator:
                batch_pred = self.network(x)
                pred_y.append(batch_pred.cpu().numpy() if convert_to_numpy else batch_pred)
        print(f"predicted in {timeit.default_timer() - start:.2f}s")
        return pred_y

    def evaluate_generator(self, generator):
        losses = []
        with frozen(self.network) as net:
            for x, y in generator:
                losses.append(self.loss_function(net(x), y).item())
        return sum(losses) / max(len(losses), 1)
