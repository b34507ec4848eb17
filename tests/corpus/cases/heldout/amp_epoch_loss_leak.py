# corpus: NG003, NG012
"""A DDP/AMP training function that sums the tensor loss for logging (graph chained across steps)."""
import torch
import torch.distributed as dist
import torch.nn.functional as F


def train_one_epoch(model, loader, optimizer, scaler, device, epoch, log_every=50):
    model.train()
    epoch_loss = torch.zeros((), device=device)
    seen = 0
    per_step = []
    for it, (x, y) in enumerate(loader):
        x, y = x.to(device), y.to(device)
        with torch.autocast(device_type="cuda", dtype=torch.float16):
            out = model(x)
            loss = F.cross_entropy(out, y)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        epoch_loss += loss  # expect: NG003
        per_step.append(loss)  # expect: NG003
        seen += 1
        if it % log_every == 0:
            print(f"epoch {epoch} it {it} loss {loss.item():.4f}")
    if dist.is_initialized():
        dist.all_reduce(epoch_loss)
        epoch_loss /= dist.get_world_size()
    return epoch_loss.item() / max(seen, 1), per_step
