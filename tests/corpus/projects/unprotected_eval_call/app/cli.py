# corpus: NG001
"""...but the command-line entry point calls it directly: one unprotected call is enough."""
import sys

import torch

from app.evaluation import evaluate


def main(argv=None):
    model = torch.load(sys.argv[1], weights_only=False)
    loader = torch.load(sys.argv[2], weights_only=False)
    print(evaluate(model, loader))
