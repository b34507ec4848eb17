# corpus: NG001
"""A saliency script puts the classifier in eval mode, runs it on an image that requires grad and
backpropagates the top score to the image: the forward's graph is used."""
import torch

from network import build_net, load_image

net = build_net()
net.eval()
image = load_image("cat.png").unsqueeze(0).requires_grad_()
scores = net(image)
scores[0, scores.argmax()].backward()
saliency = image.grad.abs().max(1)[0]
torch.save(saliency, "saliency.pt")
