# corpus: NG001
"""A GAN script saves a grid of generated samples every few hundred steps: it switches the
generator to eval mode, runs it once and writes the images. Nothing is handed back, so no caller
can backpropagate through the samples, yet with gradients on the forward records its whole graph.
The second helper does the same under no_grad; the third returns its samples to a caller; the
fourth measures memory in its caller's mode and may run code its caller passes in."""
import torch
from torchvision.utils import save_image


def save_samples(generator, noise, path):
    generator.eval()
    images = generator(noise)  # expect: NG001
    save_image(images, path, nrow=8, normalize=True)
    generator.train()


@torch.no_grad()
def save_samples_quietly(generator, noise, path):
    generator.eval()
    images = generator(noise)
    save_image(images, path, nrow=8, normalize=True)
    generator.train()


def make_samples(generator, noise):
    generator.eval()
    images = generator(noise)
    generator.train()
    return images


def measure_peak_memory(model, inputs, run_fn=None):
    # A benchmark helper: the caller decides the mode, and a `run_fn` it passes may train.
    torch.cuda.reset_peak_memory_stats()
    model.eval()
    if run_fn is not None:
        run_fn(model, inputs)
    else:
        model(inputs)
    return torch.cuda.max_memory_allocated()
