# corpus: NG001
# An agent whose networks come from a configuration factory: only the optimizers it builds over
# their parameters say they are modules with parameters. `act` runs the actor.
import torch


def instantiate(config):
    return config["factory"](**config["kwargs"])


class Agent:
    def __init__(self, actor_config, critic_config, lr=3e-4):
        self.actor = instantiate(actor_config)
        self.critic = instantiate(critic_config)
        self.actor_optimizer = torch.optim.Adam(self.actor.parameters(), lr=lr)
        self.critic_optimizer = torch.optim.Adam(self.critic.parameters(), lr=lr)

    def act(self, observation):
        observation = torch.as_tensor(observation).unsqueeze(0)
        return self.actor(observation)[0].cpu().numpy()

    def describe(self):
        return {"actor": type(self.actor).__name__}
