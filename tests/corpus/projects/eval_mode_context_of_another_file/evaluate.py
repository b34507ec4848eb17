# corpus: NG001
# Evaluation episodes inside `with utils.eval_mode(agent.actor):`. The context manager only puts
# the network in eval mode: every step still records a graph. Under `no_grad_unless(False)` or
# `FrozenMode()` (which do switch grad off) and under a context manager from outside the
# project, nothing is reported.
import torch

import utils
from accelerate_like import inference_context
from agent import Agent
from utils import FrozenMode, eval_mode_logged, no_grad_unless


def evaluate(env, episodes=5):
    agent = Agent()
    total = 0.0
    for episode in range(episodes):
        observation, done = env.reset(), False
        while not done:  # expect: NG001
            with utils.eval_mode(agent.actor):
                action = agent.act(observation)
            observation, reward, done, _ = env.step(action)
            total += reward
    return total / episodes


def evaluate_logged(env, episodes=5):
    agent = Agent()
    rewards = []
    for episode in range(episodes):
        observation, done = env.reset(), False
        while not done:  # expect: NG001
            with eval_mode_logged(agent.actor):
                action = agent.act(observation)
            observation, reward, done, _ = env.step(action)
            rewards.append(reward)
    return rewards


def evaluate_without_grad(env, episodes=5):
    agent = Agent()
    total = 0.0
    for episode in range(episodes):
        observation, done = env.reset(), False
        while not done:
            with no_grad_unless(False):
                action = agent.act(observation)
            observation, reward, done, _ = env.step(action)
            total += reward
    return total / episodes


def evaluate_frozen(env, episodes=5):
    agent = Agent()
    total = 0.0
    for episode in range(episodes):
        observation, done = env.reset(), False
        while not done:
            with FrozenMode():
                action = agent.act(observation)
            observation, reward, done, _ = env.step(action)
            total += reward
    return total / episodes


def evaluate_elsewhere(env, episodes=5):
    agent = Agent()
    total = 0.0
    for episode in range(episodes):
        observation, done = env.reset(), False
        while not done:
            with inference_context():
                action = agent.act(observation)
            observation, reward, done, _ = env.step(action)
            total += reward
    return total / episodes
