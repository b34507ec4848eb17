# corpus: NG001
"""An off-policy learner estimates its deterministic policy gradient with a Q-function estimator's
`predict`, which puts the Q-network in eval mode and runs it with gradients enabled. The helper that
calls it is annotated `-> float` but returns the prediction itself, and the training loop
backpropagates `-estimate.mean()` through the Q-network into the policy's actions: the predict needs
its graph."""
import torch
import torch.nn as nn


class QFunctionEstimator:
    def __init__(self, dim_context):
        self.nn_model = nn.Sequential(nn.Linear(dim_context + 1, 32), nn.ReLU(), nn.Linear(32, 1))

    def predict(self, context, action):
        self.nn_model.eval()
        x = torch.cat((context, action.unsqueeze(-1)), 1)
        return self.nn_model(x).flatten()


class PolicyLearner:
    def __init__(self, dim_context):
        self.policy = nn.Linear(dim_context, 1)
        self.q_estimator = QFunctionEstimator(dim_context)
        self.optimizer = torch.optim.Adam(self.policy.parameters(), lr=1e-3)

    def _estimate_policy_gradient(self, context, action_by_current_policy) -> float:
        return self.q_estimator.predict(context=context, action=action_by_current_policy)

    def fit(self, loader, epochs=10):
        for _ in range(epochs):
            for context in loader:
                action = self.policy(context).flatten()
                loss = -self._estimate_policy_gradient(context, action).mean()
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
