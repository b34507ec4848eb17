# corpus: NG001
"""ODIN's out-of-distribution score: a helper backpropagates the temperature-scaled loss to the
input, moves the input against its gradient, and runs the network a second time on it. The first
forward needs its graph (the input gradient comes from it); the second runs with grad on and only
its softmax, as NumPy, leaves the helper. The caller put the network in eval mode."""
import torch
import torch.nn.functional as F


def perturbed_score(net, images, logits, temperature, epsilon):
    loss = F.cross_entropy(logits / temperature, logits.argmax(1))
    loss.backward()
    moved = images.data - epsilon * images.grad.sign()
    second = net(moved)  # expect: NG001
    return F.softmax(second.data / temperature, 1).max(1)[0].cpu().numpy()


def odin_scores(net, loader, temperature=1000.0, epsilon=0.0014):
    net.eval()
    scores = []
    for images, _ in loader:
        images.requires_grad_(True)
        logits = net(images)
        scores.append(perturbed_score(net, images, logits, temperature, epsilon))
    return scores
