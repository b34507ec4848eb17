# corpus: NG001
"""A classification script that never imports torch itself: `torch.load` comes through the star
import. Scoring a name runs the network once per character with grad on; the output is only
read for its top classes. The second scorer runs under no_grad."""
from model import *

net = torch.load("char_rnn.pt")


def score(chars):
    h = net.empty_hidden()
    for c in chars:  # expect: NG001
        out, h = net(c, h)
    return out


def score_quietly(chars):
    with torch.no_grad():
        h = net.empty_hidden()
        for c in chars:
            out, h = net(c, h)
    return out


def top_classes(chars, k=3):
    values, indexes = score(chars).data.topk(k, 1, True)
    return [(v.item(), i.item()) for v, i in zip(values[0], indexes[0])]
