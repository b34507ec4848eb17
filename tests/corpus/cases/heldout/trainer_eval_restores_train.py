# corpus: NG012, NG001
"""Same trainer shape, but evaluate() switches back to train mode itself (correct)."""
import torch
import torch.nn.functional as F


def estimate_loss(model, batches, eval_iters=50):
    was_training = model.training
    model.eval()
    out = {}
    with torch.no_grad():
        for split, get_batch in batches.items():
            losses = torch.zeros(eval_iters)
            for k in range(eval_iters):
                x, y = get_batch()
                _, loss = model(x, y)
                losses[k] = loss.item()
            out[split] = losses.mean()
    model.train(was_training)
    return out


def train(model, optimizer, get_batch, batches, max_iters=5000, eval_interval=250):
    model.train()
    for it in range(max_iters):
        if it % eval_interval == 0:
            losses = estimate_loss(model, batches)
            print(f"step {it}: train {losses['train']:.4f}, val {losses['val']:.4f}")
        xb, yb = get_batch()
        logits, loss = model(xb, yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()


def check_generalization(model, val_loader):
    model.eval()
    with torch.no_grad():
        acc = [(model(x).argmax(-1) == y).float().mean().item() for x, y in val_loader]
    model.train()
    return sum(acc) / len(acc)


def fit(model, optimizer, loader, val_loader, epochs):
    for epoch in range(epochs):
        for x, y in loader:
            loss = F.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, check_generalization(model, val_loader))
