# corpus: NG001
# An agent whose `act` runs its actor network.
import torch


class Actor(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Linear(4, 2)

    def forward(self, x):
        return torch.tanh(self.net(x))


class Agent:
    def __init__(self):
        self.actor = Actor()
        self.optimizer = torch.optim.Adam(self.actor.parameters())

    def act(self, observation):
        observation = torch.as_tensor(observation).unsqueeze(0)
        return self.actor(observation)[0].cpu().numpy()
