# corpus: NG003
"""A test environment derives from gym's `Env`; its reward is computed from the action it is given."""
import gym
import numpy as np


class Dummy(gym.Env):
    def __init__(self):
        self.observation_space = gym.spaces.Box(-np.ones(5), np.ones(5))

    def step(self, action):
        next_state = self.observation_space.sample()
        reward = action.sum()
        return next_state, reward, False, {}
