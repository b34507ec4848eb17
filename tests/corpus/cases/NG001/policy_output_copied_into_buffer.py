# corpus: NG001
# A low-level controller runs a pre-trained policy every few steps and copies its actions into a
# buffer the object keeps. With grad on, the in-place copy keeps the policy's graph in the buffer,
# and the next copy chains its graph to that one: memory grows with every step. The same copy
# under no_grad, and a buffer filled from the observations alone, are fine.
import torch


class LowLevelController:
    def __init__(self, path, n_envs, n_actions, decimation):
        self.policy = torch.jit.load(path).eval()
        self.actions = torch.zeros(n_envs, n_actions)
        self.last_obs = torch.zeros(n_envs, 8)
        self.decimation = decimation
        self.counter = 0

    def step(self, obs):
        if self.counter % self.decimation == 0:
            self.actions[:] = self.policy(obs)  # expect: NG001
        self.counter += 1

    def step_quietly(self, obs):
        if self.counter % self.decimation == 0:
            with torch.no_grad():
                self.actions[:] = self.policy(obs)
        self.counter += 1

    def remember(self, obs):
        self.last_obs[:] = obs.clamp(-5, 5)
