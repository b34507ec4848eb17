# corpus: NG003
"""Per-step buffers created afresh at the start of every iteration (inside autocast) do not outlive it (correct)."""
import torch
import torch.nn.functional as F


def train_multihead(model, heads, loader, optimizer, scaler, log_every=100):
    for step, (x, y) in enumerate(loader):
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device_type="cuda", dtype=torch.bfloat16):
            head_logits = []
            loss = 0.0
            feats = model(x)
            for head in heads:
                logits = head(feats)
                loss = loss + F.cross_entropy(logits, y)
                head_logits.append(logits)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        if step % log_every == 0:
            accs = [(lg.argmax(-1) == y).float().mean().item() for lg in head_logits]
            print(step, loss.item(), accs)
