# corpus: NG003, NG007
"""Binary classifier whose epoch AUC is computed from logits gathered during training."""
import torch
import torch.nn.functional as F
from sklearn.metrics import roc_auc_score


def train_epoch(model, loader, optimizer, scaler):
    model.train()
    all_logits, all_targets = [], []
    for batch in loader:
        x, y = batch["features"].cuda(), batch["label"].float().cuda()
        with torch.autocast("cuda", dtype=torch.float16):
            logits = model(x).squeeze(-1)
            loss = F.binary_cross_entropy_with_logits(logits, y)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        all_logits.append(logits)  # expect: NG003
        all_targets.append(y)
    scores = torch.cat(all_logits).float().sigmoid().cpu().detach().numpy()
    return roc_auc_score(torch.cat(all_targets).cpu().numpy(), scores)
