# corpus: NG001
# The evaluation episodes run the agent's actor with grad on at every step; the actions only go
# to the environment. The agent comes from a builder, so its class is known only by its methods.
import torch


def evaluate(build_agent, env, episodes=5):
    agent = build_agent()
    total = 0.0
    for episode in range(episodes):
        observation, done = env.reset(), False
        while not done:  # expect: NG001
            action = agent.act(observation)
            observation, reward, done, _ = env.step(action)
            total += reward
    return total / episodes


def summarize(build_agent, runs=3):
    agent = build_agent()
    names = []
    for run in range(runs):
        names.append(agent.describe()["actor"])
    return names
