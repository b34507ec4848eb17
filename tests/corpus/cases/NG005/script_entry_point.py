# corpus: NG005, NG001
"""Batch inference script: one switch at the top of the entry point."""
import argparse

import torch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("checkpoint")
    parser.add_argument("inputs")
    args = parser.parse_args()
    model = torch.jit.load(args.checkpoint).eval()
    data = torch.load(args.inputs)
    preds = model(data).argmax(-1)
    torch.save(preds, "preds.pt")


if __name__ == "__main__":
    torch.set_grad_enabled(False)
    main()
