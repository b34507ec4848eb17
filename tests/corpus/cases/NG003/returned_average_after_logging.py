# corpus: NG003
"""A fitting helper sums its batch losses as tensors and, when it logs, turns the sum into a
float, keeps it as the last average and resets the sum. It returns that float, so callers that
add its result up across rounds keep no graph. A second helper returns the running sum itself
before turning it into a float on a later line, and a third reads the loss of the previous turn
through a name the loop rebinds after the read: both keep graphs."""
import logging

import torch.nn.functional as F

log = logging.getLogger(__name__)


class Trainer:
    def __init__(self, net, optimizer, history=None):
        self.net = net
        self.optimizer = optimizer
        self.history = history

    def fit_steps(self, batches, log_every=10):
        total = 0.0
        last_average = 0.0
        seen = 0
        for step, (x, y) in enumerate(batches):
            self.optimizer.zero_grad()
            loss = F.mse_loss(self.net(x), y)
            loss.backward()
            self.optimizer.step()
            total += loss  # expect: NG003
            seen += 1
            if step % log_every == 0:
                total = float(total) / seen
                log.info("average loss %g", total)
                if self.history is not None:
                    self.history.append(total)
                last_average = total
                total = 0.0
                seen = 0
        return last_average

    def fit_steps_raw(self, batches):
        total = 0.0
        for x, y in batches:
            self.optimizer.zero_grad()
            loss = F.mse_loss(self.net(x), y)
            loss.backward()
            self.optimizer.step()
            total = total + loss  # expect: NG003
        result = total
        total = float(total)
        return result

    def rounds(self, make_batches, n):
        error = 0.0
        for _ in range(n):
            error += self.fit_steps(make_batches())
        return error

    def raw_rounds(self, make_batches, n):
        error = 0.0
        for _ in range(n):
            error += self.fit_steps_raw(make_batches())  # expect: NG003
        return error

    def lagged(self, batches):
        seen = 0.0
        previous = 0.0
        for x, y in batches:
            self.optimizer.zero_grad()
            seen += previous  # expect: NG003
            loss = F.mse_loss(self.net(x), y)
            loss.backward()
            self.optimizer.step()
            previous = loss
        return seen
