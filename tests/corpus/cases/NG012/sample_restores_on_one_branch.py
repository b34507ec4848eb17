# corpus: NG012
"""A fine-tuning loop prints a sample every few steps. The sampler switches the model to eval
mode and back only when the prompt fits; on the other branch the model stays in eval mode for
the rest of training. The second sampler restores the mode it found on every path."""
import torch
from torch import nn


@torch.no_grad()
def show_sample(model, prompt, limit):
    model.eval()
    if prompt.shape[-1] < limit:
        print(model(prompt).argmax(-1))
        model.train()
    else:
        print("prompt too long, skipping the sample")


@torch.no_grad()
def show_sample_kept(model, prompt):
    was_training = model.training
    model.eval()
    print(model(prompt).argmax(-1))
    if was_training:
        model.train()


def fit(model, loader, optimizer, limit):
    for step, (x, y) in enumerate(loader):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 50 == 0:
            show_sample(model, x, limit)  # expect: NG012


def fit_kept(model, loader, optimizer):
    for step, (x, y) in enumerate(loader):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 50 == 0:
            show_sample_kept(model, x)
