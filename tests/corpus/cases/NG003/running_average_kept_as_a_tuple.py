# corpus: NG003
"""A language-model fine-tuning loop keeps its smoothed loss as a (numerator, denominator) tuple
and prints their ratio. The numerator adds the loss tensor itself, so each step's value holds the
previous one's graph: the whole run's graphs stay chained in memory."""
import torch


def fine_tune(model, optimizer, batches, log_every=10):
    avg_loss = (0.0, 0.0)
    for step, (context, labels) in enumerate(batches):
        loss = model(context, lm_labels=labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        avg_loss = (avg_loss[0] * 0.99 + loss, avg_loss[1] * 0.99 + 1.0)  # expect: NG003
        if step % log_every == 0:
            print(f"step {step} loss {loss.item():.3f} avg {avg_loss[0] / avg_loss[1]:.3f}")
