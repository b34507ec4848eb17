# corpus: NG001
# A DDPG agent: evaluation acts with the deterministic actor.
from base_agent import BaseAgent


class DDPGAgent(BaseAgent):
    def __init__(self, config):
        BaseAgent.__init__(self, config)
        self.network = config.network_fn()
        self.optimizer = config.optimizer_fn(self.network.parameters())

    def eval_step(self, state):
        action = self.network(self.config.state_normalizer(state))
        return action.detach().cpu().numpy()
