# corpus: NG001
"""Evaluation loops whose forward pass hides behind a helper, a name or a no_grad that covers
only the data loading; and loops that look alike but are fine."""
import torch


def run_network(net, batch):
    return net(batch).softmax(-1)


def forward_twice(net, batch):
    return run_network(net, batch)


def count_items(things, batch):
    return len(things) + len(batch)


def evaluate_through_helper(model, loader):
    model.eval()
    outputs = []
    for x, _ in loader:  # expect: NG001
        outputs.append(forward_twice(model, x))
    return outputs


def evaluate_clearing_grads(model, loader, optimizer):
    model.eval()
    correct = 0
    for x, y in loader:  # expect: NG001
        optimizer.zero_grad()
        correct += (model(x).argmax(1) == y).sum().item()
    return correct


def evaluate_no_grad_on_loading_only(model, loader):
    model.eval()
    total = 0.0
    for batch in loader:  # expect: NG001
        with torch.no_grad():
            x = batch[0].float() / 255
        total += model(x).sum().item()
    return total


def score_surrogate(attack_model, loader):
    attack_model.eval()
    hits = 0
    for x, y in loader:  # expect: NG001
        hits += (attack_model(x).argmax(1) == y).sum().item()
    return hits


def evaluate_helper_without_model(model, loader):
    model.eval()
    sizes = []
    for x, _ in loader:
        sizes.append(count_items(model, x))
    return sizes


def evaluate_protected(model, loader):
    model.eval()
    total = 0.0
    for batch in loader:
        x = batch[0].float()
        with torch.no_grad():
            total += model(x).sum().item()
    return total


def finetune_on_validation(model, loader, optimizer):
    model.eval()
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()


class Agent:
    def __init__(self, policy):
        self.policy = policy

    def act(self, observation):
        return self.policy(observation).argmax(-1)

    @torch.no_grad()
    def act_quietly(self, observation):
        return self.policy(observation).argmax(-1)


def predict_quietly(net, batch):
    with torch.no_grad():
        return net(batch)


def evaluate_agent(agent, observations):
    agent.policy.eval()
    actions = []
    for observation in observations:  # expect: NG001
        actions.append(agent.act(observation))
    return actions


def evaluate_agent_quietly(agent, observations):
    agent.policy.eval()
    return [agent.act_quietly(observation) for observation in observations]


def evaluate_with_protected_helper(model, loader):
    model.eval()
    return [predict_quietly(model, x) for x, _ in loader]


class Linearised:
    def __init__(self, model):
        self.model = model

    def _features(self, x):
        # Jacobian-vector products: derivatives of the model, so the loop needs autograd.
        params = dict(self.model.named_parameters())
        tangents = {k: torch.ones_like(v) for k, v in params.items()}
        return torch.func.jvp(lambda p: torch.func.functional_call(self.model, p, (x,)), (params,), (tangents,))

    def fit(self, loader):
        self.model.eval()
        gram = 0.0
        for x, _ in loader:
            output, product = self._features(x)
            gram += (product * product).sum().item()
        return gram
