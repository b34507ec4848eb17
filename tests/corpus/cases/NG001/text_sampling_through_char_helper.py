# corpus: NG001
"""A character-level language model samples text one character at a time through a helper that
runs the network and hands back a single character. The network runs with gradients enabled and
the helper drops the graph as it returns, so every sampled character builds a graph for nothing.
The quiet variant decorates its helper with `no_grad`; the agent's helper keeps each log-probability
on the policy for the update after the episode, and the caching helper keeps each step's logits in a
module-level table for a later loss, so their graphs are still needed."""
import numpy as np
import torch
import torch.nn.functional as F


def sample_char(network, vocabulary, context):
    features = torch.tensor([[vocabulary.index(ch) for ch in context]], dtype=torch.float32)
    probs = F.softmax(network(features)[0], dim=-1).detach().numpy()
    return np.random.choice(vocabulary, p=probs)


@torch.no_grad()
def sample_char_quietly(network, vocabulary, context):
    features = torch.tensor([[vocabulary.index(ch) for ch in context]], dtype=torch.float32)
    return vocabulary[int(network(features)[0].argmax())]


STEP_LOGITS = {}


def sample_char_cached(network, vocabulary, context):
    features = torch.tensor([[vocabulary.index(ch) for ch in context]], dtype=torch.float32)
    logits = network(features)[0]
    STEP_LOGITS[len(STEP_LOGITS)] = logits
    return float(logits.max())


def select_action(policy, state):
    probs = F.softmax(policy(torch.as_tensor(state, dtype=torch.float32)), dim=-1)
    action = torch.multinomial(probs, 1)
    policy.saved_log_probs.append(torch.log(probs[action]))
    return int(action)


def sample_text(n_chars, network, vocabulary, initial_text, window=5):
    text = initial_text
    for _ in range(n_chars):  # expect: NG001
        text += sample_char(network, vocabulary, text[-window:])
    return text


def sample_text_quietly(n_chars, network, vocabulary, initial_text, window=5):
    text = initial_text
    for _ in range(n_chars):
        text += sample_char_quietly(network, vocabulary, text[-window:])
    return text


def confidence_cached(network, vocabulary, contexts):
    total = 0.0
    for context in contexts:
        total += sample_char_cached(network, vocabulary, context)
    return total


def run_episode(env, policy, max_steps=500):
    state, total = env.reset(), 0.0
    for _ in range(max_steps):
        state, reward, done, _ = env.step(select_action(policy, state))
        total += reward
        if done:
            break
    return total
