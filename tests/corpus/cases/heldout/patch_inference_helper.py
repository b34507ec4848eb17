# corpus: NG001, NG003
"""A library-style patch-wise inference helper whose caller decides grad mode: training backpropagates through it."""
import torch
import torch.nn.functional as F


def sliding_window_inference(inputs, roi_size, predictor, overlap=0.25):
    """Run ``predictor`` over overlapping windows of ``inputs`` and blend the results (grad mode is the caller's)."""
    _, _, h, w = inputs.shape
    stride = max(int(roi_size * (1 - overlap)), 1)
    out, count = None, torch.zeros(1, 1, h, w, device=inputs.device)
    for top in range(0, max(h - roi_size, 0) + 1, stride):
        for left in range(0, max(w - roi_size, 0) + 1, stride):
            window = inputs[:, :, top:top + roi_size, left:left + roi_size]
            pred = predictor(window)
            if out is None:
                out = torch.zeros(inputs.shape[0], pred.shape[1], h, w, device=inputs.device, dtype=pred.dtype)
            out = out + F.pad(pred, (left, w - left - roi_size, top, h - top - roi_size))
            count[:, :, top:top + roi_size, left:left + roi_size] += 1
    return out / count


def train_epoch(model, loader, optimizer, roi=96):
    model.train()
    for image, label in loader:
        logits = sliding_window_inference(image, roi, model)
        loss = F.cross_entropy(logits, label)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


@torch.no_grad()
def evaluate(model, loader, roi=96):
    model.eval()
    dice = []
    for image, label in loader:
        pred = sliding_window_inference(image, roi, model).argmax(1)
        inter = ((pred == 1) & (label == 1)).sum().item()
        dice.append(2 * inter / max((pred == 1).sum().item() + (label == 1).sum().item(), 1))
    return sum(dice) / len(dice)
