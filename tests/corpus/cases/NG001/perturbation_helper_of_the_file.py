# corpus: NG001
"""Active-learning node selection ranks nodes by how often their predicted label survives random
feature noise: `perturb_features` only adds noise (a function of this file, whose statements use
no gradients, whatever its name says), so each of the loop's forwards records a graph for an
argmax. A robust-accuracy evaluation whose helper of the same kind of name does backpropagate
(an FGSM step) needs gradients and is left alone."""
import torch
import torch.nn.functional as F


def perturb_features(features, noise_level=0.05):
    return features + torch.randn_like(features) * noise_level


def rank_perturb(net, graph, features, nodes, num_perturbations, noise_level):
    original = net(graph, features).argmax(-1)
    unchanged = torch.zeros_like(nodes)
    for _ in range(num_perturbations):  # expect: NG001
        features_p = perturb_features(features, noise_level=noise_level)
        labels_p = net(graph, features_p)[nodes].argmax(-1)
        unchanged += labels_p.eq(original[nodes]).int()
    _, order = torch.sort(unchanged)
    return nodes[order]


def perturb_input(model, x, y, eps=0.1):
    x = x.clone().requires_grad_(True)
    F.cross_entropy(model(x), y).backward()
    return (x + eps * x.grad.sign()).detach()


def robust_accuracy(model, loader):
    model.eval()
    correct = 0
    for x, y in loader:
        adv = perturb_input(model, x, y)
        correct += (model(adv).argmax(1) == y).sum().item()
    return correct
