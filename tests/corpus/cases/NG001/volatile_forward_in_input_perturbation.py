# corpus: NG001
"""Out-of-distribution scores by input perturbation (ODIN, Mahalanobis), written for torch before
0.4: the gradient of the score with respect to the input is taken, the input is nudged, and the
nudged input is scored again through `Variable(x, volatile=True)`, which then meant "no graph".
Since 0.4 the flag does nothing: the second forward records a graph that nothing backpropagates.
A function that does backpropagate through what it computed from a volatile input (written after
0.4, where the flag is ignored) is left alone, and so is one already under `no_grad`."""
import torch
import torch.nn.functional as F
from torch.autograd import Variable


def odin_scores(model, loader, magnitude, temperature):
    model.eval()
    scores = []
    for x, _ in loader:
        data = Variable(x, requires_grad=True)
        outputs = model(data) / temperature
        loss = F.cross_entropy(outputs, outputs.argmax(1))
        loss.backward()
        perturbed = data.data - magnitude * torch.sign(-data.grad.data)
        noisy = model.intermediate_forward(Variable(perturbed, volatile=True), 3)  # expect: NG001
        scores.extend(noisy.data.max(1)[0].cpu().numpy())
    return scores


def adversarial_step(model, x, y, optimizer):
    # The flag is ignored and the loss backpropagates through the output: the graph is used.
    out = model(Variable(x, volatile=True))
    loss = F.cross_entropy(out, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def odin_scores_protected(model, loader, magnitude):
    model.eval()
    scores = []
    for x, _ in loader:
        data = Variable(x, requires_grad=True)
        loss = model(data).max(1)[0].sum()
        loss.backward()
        perturbed = data.data - magnitude * torch.sign(-data.grad.data)
        with torch.no_grad():
            noisy = model(Variable(perturbed, volatile=True))
        scores.extend(noisy.max(1)[0].cpu().numpy())
    return scores
