# corpus: NG003
"""An epoch function that trains through a helper of the same file: the helper takes the
optimizer step and hands back the loss as a number but the Dice score as a tensor computed from
the network's output with gradients on. Summing that score over the epoch chains every batch's
graph to the running total, which the epoch hands on to a history list. A helper that takes no
step hands back what the caller may still backpropagate: nothing to say there."""
import torch


def dice(pred, target, eps=1e-5):
    inter = (pred * target).sum()
    return 2 * (inter + eps) / (pred.sum() + target.sum() + eps)


def train_batch(model, x, y, opt):
    out = model(x)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(out, y)
    score = dice(torch.sigmoid(out), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item(), score


def score_batch(model, x, y):
    out = model(x)
    return dice(torch.sigmoid(out), y)


def train_epoch(model, loader, opt):
    total_loss, total_score = 0.0, 0.0
    for x, y in loader:
        loss, score = train_batch(model, x, y, opt)
        total_loss += loss
        total_score += score  # expect: NG003
    return total_loss / len(loader), total_score / len(loader)


def summed_scores(model, loader):
    total = 0.0
    for x, y in loader:
        total += score_batch(model, x, y)
    return total
