# corpus: NG015
"""Neural style transfer: the image is the only thing L-BFGS updates, yet the VGG feature
extractor built here is never frozen, so every closure call backpropagates into all its
convolution weights too."""
import torch
import torchvision


def gram(features):
    b, c, h, w = features.shape
    f = features.view(b * c, h * w)
    return f @ f.t() / (b * c * h * w)


def transfer(content, style, steps=300, style_weight=1e6):
    cnn = torchvision.models.vgg19(weights="DEFAULT").features.eval()
    image = content.clone().requires_grad_(True)
    optimizer = torch.optim.LBFGS([image])
    target_style = gram(cnn(style)).detach()
    target_content = cnn(content).detach()
    for _ in range(steps):
        def closure():
            optimizer.zero_grad()
            out = cnn(image)
            loss = style_weight * (gram(out) - target_style).pow(2).sum() + (out - target_content).pow(2).mean()
            loss.backward()
            return loss
        optimizer.step(closure)
    return image.detach()


def transfer_in_place(content, style_features, steps=300):
    vgg = torchvision.models.vgg19(weights="DEFAULT").features.eval()
    image = content.clone()
    image.requires_grad_()
    optimizer = torch.optim.Adam([image], lr=0.02)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = (gram(vgg(image)) - style_features).pow(2).sum()
        loss.backward()  # expect: NG015
        optimizer.step()
    return image.detach()
