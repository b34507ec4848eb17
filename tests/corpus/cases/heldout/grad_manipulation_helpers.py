# corpus: NG004
"""Touching gradients, optimizer state and hyper-parameters in place (all correct), and one weight clip that raises."""
import torch


def scale_gradients(model, factor):
    for p in model.parameters():
        if p.grad is not None:
            p.grad.mul_(factor)


def add_gradient_noise(model, std):
    for name, p in model.named_parameters():
        if p.grad is not None:
            p.grad.add_(torch.randn_like(p.grad) * std)
            p.grad.data.clamp_(-1.0, 1.0)


def set_lr(optimizer, lr):
    for group in optimizer.param_groups:
        group["lr"] = lr
        group["weight_decay"] *= 0.5


def reset_adam_moments(optimizer):
    for group in optimizer.param_groups:
        for p in group["params"]:
            state = optimizer.state[p]
            if "exp_avg" in state:
                state["exp_avg"].zero_()
                state["exp_avg_sq"].zero_()
                state["step"] = torch.zeros(())


def freeze(module):
    for p in module.parameters():
        p.requires_grad_(False)
        p.grad = None


def register_clip_hooks(model, clip):
    for p in model.parameters():
        p.register_hook(lambda g: g.clamp_(-clip, clip))


def train_critic(netD, real, fake, optimizerD, clip_value=0.01):
    optimizerD.zero_grad()
    loss_d = -netD(real).mean() + netD(fake.detach()).mean()
    loss_d.backward()
    optimizerD.step()
    for p in netD.parameters():
        p.clamp_(-clip_value, clip_value)  # expect: NG004
    return loss_d.item()
