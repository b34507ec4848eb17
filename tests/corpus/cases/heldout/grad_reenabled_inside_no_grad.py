# corpus: NG002, NG001
"""Gradients computed inside no_grad regions after re-enabling them explicitly (correct)."""
import torch
import torch.nn.functional as F


@torch.no_grad()
def hessian_trace(model, loss_fn, loader, n_samples=8):
    model.eval()
    params = [p for p in model.parameters() if p.requires_grad]
    estimates = []
    for x, y in loader:
        with torch.enable_grad():
            loss = loss_fn(model(x), y)
            grads = torch.autograd.grad(loss, params, create_graph=True)
            for _ in range(n_samples):
                vs = [torch.randint_like(p, 2) * 2 - 1 for p in params]
                hvs = torch.autograd.grad(grads, params, grad_outputs=vs, retain_graph=True)
                estimates.append(sum((h * v).sum() for h, v in zip(hvs, vs)).item())
    return sum(estimates) / len(estimates)


def fgsm_examples(model, x, y, eps):
    model.eval()
    with torch.no_grad():
        clean_pred = model(x).argmax(1)
    with torch.enable_grad():
        x_adv = x.clone().requires_grad_(True)
        F.cross_entropy(model(x_adv), y).backward()
    with torch.no_grad():
        x_adv = (x_adv + eps * x_adv.grad.sign()).clamp(0, 1)
        adv_pred = model(x_adv).argmax(1)
    return x_adv, clean_pred, adv_pred


def train_step_with_inference_targets(model, target_model, x, optimizer):
    with torch.inference_mode():
        target = target_model(x).softmax(-1)
    target = target.clone()
    loss = F.kl_div(model(x).log_softmax(-1), target, reduction="batchmean")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
