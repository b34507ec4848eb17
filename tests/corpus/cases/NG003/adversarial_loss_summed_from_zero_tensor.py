# corpus: NG003
"""A vocoder's generator step starts its adversarial loss as a constant tensor and adds each
discriminator scale's loss to it in place; the step keeps that loss in a history list for the log,
with the graph of every step. A running sum that an inner training loop already accumulates is
reported there once, not again where the outer loop keeps it."""
import torch


def train(generator, discriminators, loader, optimizer, epochs):
    adv_history = []
    for epoch in range(epochs):
        for mel, audio in loader:
            fake = generator(mel)
            adv_loss = torch.tensor(0.0)
            for disc in discriminators:
                score = disc(fake)
                adv_loss += torch.mean((score - 1.0) ** 2)
            adv_loss = adv_loss / len(discriminators)
            loss = (fake - audio).abs().mean() + 2.5 * adv_loss
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            adv_history.append(adv_loss)  # expect: NG003
    return adv_history


def fit(model, optimizer, loader, epochs):
    per_epoch = []
    for epoch in range(epochs):
        running = 0.0
        for x, y in loader:
            loss = torch.nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            running += loss  # expect: NG003
        per_epoch.append(running)
    return per_epoch
