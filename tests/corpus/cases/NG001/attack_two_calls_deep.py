# corpus: NG001
"""A robustness report whose loop builds adversarial inputs through a method that calls an
attack helper: the helper's backward is two calls away from the loop, which therefore needs
gradients. The clean-accuracy loop below it is a plain evaluation."""
import torch
import torch.nn.functional as F


def sign_shift(net, inputs, labels, eps):
    inputs = inputs.clone().requires_grad_(True)
    F.cross_entropy(net(inputs), labels).backward()
    return (inputs + eps * inputs.grad.sign()).detach()


class RobustnessReport:
    def __init__(self, net, eps=0.03):
        self.net = net
        self.eps = eps

    def hard_logits(self, inputs, labels):
        shifted = sign_shift(self.net, inputs, labels, self.eps)
        return self.net(shifted)

    def robust_accuracy(self, batches):
        self.net.eval()
        hits = 0
        for inputs, labels in batches:
            hits += (self.hard_logits(inputs, labels).argmax(1) == labels).sum().item()
        return hits

    def clean_accuracy(self, batches):
        self.net.eval()
        hits = 0
        for inputs, labels in batches:  # expect: NG001
            hits += (self.net(inputs).argmax(1) == labels).sum().item()
        return hits
