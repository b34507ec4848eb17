# corpus: NG001
# A DQN agent: its network comes from the configuration's factory and its optimizer trains it.
from base_agent import BaseAgent


class DQNAgent(BaseAgent):
    def __init__(self, config):
        BaseAgent.__init__(self, config)
        self.network = config.network_fn()
        self.optimizer = config.optimizer_fn(self.network.parameters())

    def eval_step(self, state):
        q = self.network(self.config.state_normalizer(state))
        return q.argmax(-1).cpu().numpy()
