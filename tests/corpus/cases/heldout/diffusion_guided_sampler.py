# corpus: NG001, NG002, NG006
"""DDPM sampler under no_grad, with classifier guidance that re-enables grad for its gradient (correct)."""
import torch
import torch.nn.functional as F


class GaussianDiffusion:
    def __init__(self, model, betas):
        self.model = model
        self.betas = betas
        self.alphas = 1.0 - betas
        self.alphas_cumprod = torch.cumprod(self.alphas, dim=0)
        self.num_timesteps = len(betas)

    def p_mean(self, x, t, guidance=None):
        eps = self.model(x, t)
        if guidance is not None:
            eps = eps - (1 - self.alphas_cumprod[t]).sqrt().view(-1, 1, 1, 1) * guidance
        coef = self.betas[t] / (1 - self.alphas_cumprod[t]).sqrt()
        return (x - coef.view(-1, 1, 1, 1) * eps) / self.alphas[t].sqrt().view(-1, 1, 1, 1)

    def cond_fn(self, classifier, x, t, y, scale):
        with torch.enable_grad():
            x_in = x.detach().requires_grad_(True)
            log_probs = F.log_softmax(classifier(x_in, t), dim=-1)
            selected = log_probs[range(len(log_probs)), y.view(-1)]
            return torch.autograd.grad(selected.sum(), x_in)[0] * scale

    @torch.no_grad()
    def sample(self, shape, classifier=None, y=None, scale=1.0, device="cpu"):
        self.model.eval()
        x = torch.randn(shape, device=device)
        for i in reversed(range(self.num_timesteps)):
            t = torch.full((shape[0],), i, device=device, dtype=torch.long)
            guidance = self.cond_fn(classifier, x, t, y, scale) if classifier is not None else None
            mean = self.p_mean(x, t, guidance)
            noise = torch.randn_like(x) if i > 0 else torch.zeros_like(x)
            x = mean + self.betas[t].sqrt().view(-1, 1, 1, 1) * noise
        return x.clamp(-1, 1)

    def training_loss(self, x0):
        t = torch.randint(0, self.num_timesteps, (x0.shape[0],), device=x0.device)
        noise = torch.randn_like(x0)
        a = self.alphas_cumprod[t].view(-1, 1, 1, 1)
        return F.mse_loss(self.model(a.sqrt() * x0 + (1 - a).sqrt() * noise, t), noise)
