# corpus: NG003
"""An importance-weighted imputer: every few epochs of training it writes its current imputation
into a tensor made before the loop. The imputation is weighted by a distribution's `log_prob`,
which keeps the history of the decoder that gave the distribution its parameters, so each write
chains that epoch's graph to the tensor. The policy-gradient trainer below also keeps
`log_prob`s with their graph, on purpose: its list is made anew for every episode and feeds that
episode's backward pass."""
import torch
import torch.distributions as td


class Imputer:
    def impute(self, x, mask, draws):
        mu, log_sigma = self.decoder(self.encoder(x)).chunk(2, dim=-1)
        dist = td.Normal(loc=mu, scale=log_sigma.exp())
        samples = dist.sample((draws,))
        weights = torch.softmax(dist.log_prob(samples).sum(-1), 0)
        return torch.einsum("k...,k...d->...d", weights, samples)

    def fit(self, x, mask, optimizer, epochs):
        filled = x.clone()
        for epoch in range(epochs):
            optimizer.zero_grad()
            loss = -self.bound(x, mask)
            loss.backward()
            optimizer.step()
            if epoch % 100 == 0:
                filled[~mask] = self.impute(x, mask, draws=10)[~mask]  # expect: NG003
        return filled.detach()


def reinforce(policy, env, optimizer, episodes, gamma=0.99):
    for _ in range(episodes):
        log_probs, rewards = [], []
        state, done = env.reset(), False
        while not done:
            dist = td.Categorical(logits=policy(state))
            action = dist.sample()
            log_probs.append(dist.log_prob(action))
            state, reward, done = env.step(action.item())
            rewards.append(reward)
        returns = torch.tensor([gamma ** t * r for t, r in enumerate(rewards)]).flip(0).cumsum(0).flip(0)
        loss = -(torch.stack(log_probs) * returns).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
