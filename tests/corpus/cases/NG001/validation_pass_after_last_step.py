# corpus: NG001
"""Full-batch training steps that check the model in eval mode once the optimizer has stepped.
The first records a graph of the validation forward that nothing backpropagates. The others are
fine: one protects the check, one returns the validation output to its caller, one trains again
after the check, and one differentiates the check's loss with respect to the input."""
import torch
import torch.nn.functional as F


def train_step(net, optimizer, feats, adj, labels, train_idx, val_idx):
    net.train()
    optimizer.zero_grad()
    out = net(feats, adj)
    loss = F.nll_loss(out[train_idx], labels[train_idx])
    loss.backward()
    optimizer.step()
    net.eval()
    out = net(feats, adj)  # expect: NG001
    val_loss = F.nll_loss(out[val_idx], labels[val_idx])
    print(f"train {loss.item():.3f} val {val_loss.item():.3f}")


def train_step_protected(net, optimizer, feats, adj, labels, train_idx, val_idx):
    net.train()
    optimizer.zero_grad()
    F.nll_loss(net(feats, adj)[train_idx], labels[train_idx]).backward()
    optimizer.step()
    net.eval()
    with torch.no_grad():
        out = net(feats, adj)
    return F.nll_loss(out[val_idx], labels[val_idx]).item()


def train_step_returning(net, optimizer, feats, adj, labels, train_idx):
    net.train()
    optimizer.zero_grad()
    F.nll_loss(net(feats, adj)[train_idx], labels[train_idx]).backward()
    optimizer.step()
    net.eval()
    return net(feats, adj)


def alternate(generator, critic, g_opt, noise, real):
    critic.train()
    g_opt.zero_grad()
    generator.eval()
    fake = generator(noise)
    critic.eval()
    score = critic(fake).mean() - critic(real).mean()
    score.backward()
    g_opt.step()
    generator.train()
    sample = generator(noise)
    F.mse_loss(sample, real).backward()
    g_opt.step()


def sensitivity(net, optimizer, feats, adj, labels, train_idx):
    optimizer.zero_grad()
    F.nll_loss(net(feats, adj)[train_idx], labels[train_idx]).backward()
    optimizer.step()
    net.eval()
    feats = feats.clone().requires_grad_(True)
    out = net(feats, adj)
    (grad,) = torch.autograd.grad(out.sum(), feats)
    return grad.abs().mean().item()
