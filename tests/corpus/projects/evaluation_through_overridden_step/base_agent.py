# corpus: NG001
# The base agent runs evaluation episodes through `eval_step`, which it leaves to its subclasses
# (its own only raises). Every subclass in the project runs its network with grad on there.
import torch


class BaseAgent:
    def __init__(self, config):
        self.config = config

    def eval_step(self, state):
        raise NotImplementedError("eval_step not implemented")

    def eval_episode(self):
        env = self.config.eval_env
        state = env.reset()
        total = 0.0
        while True:  # expect: NG001
            action = self.eval_step(state)
            state, reward, done, _ = env.step(action)
            total += reward
            if done:
                break
        return total

    def save(self, path):
        torch.save(self.network.state_dict(), path)
