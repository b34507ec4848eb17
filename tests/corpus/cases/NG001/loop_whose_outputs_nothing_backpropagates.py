# corpus: NG001
"""Functions whose names say nothing about evaluation. A loop that runs a network per batch and
keeps only numbers, indices or detached copies of what it computes records a graph per batch
that nothing can backpropagate through: evaluation, whatever the name. A loop whose outputs
reach the caller, the object, a parameter or a call that may keep them is not judged: a
backward pass may follow elsewhere."""
import torch
from torch.distributions import Categorical


def count_hits(net, batches):
    hits = 0
    for images, labels in batches:  # expect: NG001
        scores = net(images)
        hits += (scores.argmax(1) == labels).sum().item()
    return hits / len(batches)


def export_labels(model, loader, path):
    rows = []
    for x in loader:  # expect: NG001
        rows.extend(model(x).argmax(-1).tolist())
    with open(path, "w") as handle:
        handle.write("\n".join(map(str, rows)))


def collect_logits(model, loader):
    logits = []
    for x in loader:
        logits.append(model(x))  # the caller may build a loss from them
    return torch.cat(logits)


def fill(model, loader, sink):
    for x in loader:
        sink.append(model(x))  # the caller's list: it outlives the call


def hand_over(model, loader, learner):
    for x, y in loader:
        learner.observe(model(x), y)  # a call that may keep the output (and backpropagate later)


class Reinforce:
    def __init__(self, policy):
        self.policy = policy
        self.log_probs = []

    def run_episode(self, env, steps):
        state = env.reset()
        for _ in range(steps):
            dist = Categorical(logits=self.policy(state))
            action = dist.sample()
            # The log-probability holds the policy's graph: the update backpropagates through it.
            self.log_probs.append(dist.log_prob(action))
            state = env.step(action.item())


class FieldEmbedder(torch.nn.Module):
    def __init__(self, sizes, width):
        super().__init__()
        self.tables = torch.nn.ModuleList([torch.nn.Embedding(n, width) for n in sizes])

    def embed_fields(self, fields):
        # Each table taken from the module list is a network: what it returns carries a graph
        # to the caller, which trains through it.
        parts = []
        for i, field in enumerate(fields):
            table = self.tables[i]
            parts.append(table(field).mean(dim=1))
        return torch.stack(parts, dim=1)


def fit(model, loader, optimizer):
    for x, y in loader:
        loss = (model(x) - y).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
