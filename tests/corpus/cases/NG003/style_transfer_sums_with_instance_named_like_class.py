# corpus: NG003
"""A style-transfer training script keeps its networks in locals named like their classes
(`TransformerNetwork = transformer.TransformerNetwork()`), builds its loss module in the loop,
and sums the content and style losses of every batch for a log it never prints: each sum chains
every batch's graph. The networks' classes live in other files; the transformer is known to be a
network because its parameters go to the optimizer, and the feature network called on the
generated images computes from them. The total is summed as a number and is fine."""
import torch
import torch.nn as nn
import torch.optim as optim

import transformer
import vgg


def gram(features):
    b, c, h, w = features.shape
    flat = features.view(b, c, h * w)
    return flat.bmm(flat.transpose(1, 2)) / (c * h * w)


def train(loader, style_gram, device):
    TransformerNetwork = transformer.TransformerNetwork().to(device)
    VGG = vgg.VGG16().to(device)
    optimizer = optim.Adam(TransformerNetwork.parameters(), lr=1e-3)
    content_sum, style_sum, total_sum = 0, 0, 0
    for content_batch, _ in loader:
        optimizer.zero_grad()
        generated_batch = TransformerNetwork(content_batch)
        content_features = VGG(content_batch.add(1.0))
        generated_features = VGG(generated_batch.add(1.0))
        MSELoss = nn.MSELoss().to(device)
        content_loss = 1e-5 * MSELoss(content_features["relu2_2"], generated_features["relu2_2"])
        content_sum += content_loss  # expect: NG003
        style_loss = 0
        for key, value in generated_features.items():
            style_loss += MSELoss(gram(value), style_gram[key])
        style_sum += style_loss  # expect: NG003
        total_loss = content_loss + style_loss
        total_sum += total_loss.item()
        total_loss.backward()
        optimizer.step()
    return total_sum
