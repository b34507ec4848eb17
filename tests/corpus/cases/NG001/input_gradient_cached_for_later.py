# corpus: NG001
# A classifier wrapper keeps the graph of one input on purpose: another method backpropagates through
# it to get the gradient with respect to that input (used by attacks). Other inputs run under no_grad.
import torch


class Wrapper:
    def __init__(self, net):
        self.net = net
        self.keep_input_graph = False

    def scores(self, batches):
        self.net.eval()
        out = []
        for x in batches:
            if not self.keep_input_graph:
                with torch.no_grad():
                    y = self.net(x)
            else:
                x.requires_grad = True
                y = self.net(x)
                self.cached_x, self.cached_y = x, y
            out.append(y.detach())
        return torch.cat(out)

    def input_gradient(self, w):
        self.cached_y.backward(w)
        return self.cached_x.grad
