# corpus: NG001
"""A captioning script puts its encoder in eval mode in `__main__` and hands it to a function that
runs it once with gradients on and only draws the result. A helper that the script also calls from
its training step (the model in train mode there) is left."""
import argparse

import torch

from models import Decoder, Encoder


def show_caption(encoder, decoder, image, vocab):
    features = encoder(image.unsqueeze(0))  # expect: NG001
    words = decoder.greedy(features.detach(), 20)
    print(" ".join(vocab[w] for w in words))


def encode(encoder, image):
    return encoder(image.unsqueeze(0))


def train_step(encoder, decoder, image, caption, opt):
    encoder.train()
    loss = decoder.loss(encode(encoder, image), caption)
    opt.zero_grad()
    loss.backward()
    opt.step()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("image")
    args = parser.parse_args()
    encoder, decoder = Encoder(), Decoder()
    encoder.load_state_dict(torch.load("encoder.pt"))
    encoder.eval()
    decoder.eval()
    image = torch.load(args.image)
    show_caption(encoder, decoder, image, {})
    print(encode(encoder, image).shape)
