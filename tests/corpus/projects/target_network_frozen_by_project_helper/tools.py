# corpus: NG001
"""Helpers of a value-learning agent: one copies weights, one freezes a network."""


def copy_weights(target, source):
    target.load_state_dict(source.state_dict())


def freeze(network):
    for p in network.parameters():
        p.requires_grad = False
