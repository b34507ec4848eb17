# corpus: NG001
# A timing harness builds its inference input once as a volatile Variable; the timed loop drops
# each output, but every forward still records a graph, so the figures time training-mode autograd.
import time

import torch
from torch.autograd import Variable


class Harness:
    def __init__(self, model, shape):
        self.model = model
        x = torch.rand(*shape)
        self.infer_input = Variable(x, volatile=True)
        self.train_input = Variable(x, requires_grad=True)

    def time_inference(self, steps):
        self.model.eval()
        spent = []
        for _ in range(steps):
            start = time.time()
            self.model(self.infer_input)  # expect: NG001
            spent.append(time.time() - start)
        return spent
