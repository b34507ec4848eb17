# corpus: NG005
"""Workers that serve predictions from a process or thread of their own: `run()` is that
thread's body, and grad mode is per thread, so switching it there changes nobody else's mode.
A plain class's `run()` has no such thread."""
import threading

import torch
import torch.multiprocessing as mp


class PredictionServer(mp.Process):
    def __init__(self, requests, replies):
        super().__init__()
        self.requests, self.replies = requests, replies

    def run(self):
        torch.set_grad_enabled(False)
        net = torch.nn.Linear(8, 2)
        for batch in iter(self.requests.get, None):
            self.replies.put(net(batch))


class Scorer(threading.Thread):
    def __init__(self, net, batches):
        super().__init__(daemon=True)
        self.net, self.batches, self.scores = net, batches, []

    def run(self):
        torch.set_grad_enabled(False)
        self.scores = [self.net(b).max().item() for b in self.batches]


class Job:
    def __init__(self, net):
        self.net = net

    def run(self, batches):
        torch.set_grad_enabled(False)  # expect: NG005
        return [self.net(b) for b in batches]
