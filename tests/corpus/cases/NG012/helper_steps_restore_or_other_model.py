# corpus: NG012, NG001, NG003
"""Training steps run through helpers, but nothing leaves the trained model in eval mode: the
step restores train mode, or the model put in eval mode is a frozen teacher / an EMA copy."""
import torch


def train_step(model, batch, opt):
    model.train()
    loss = model(batch).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()


def evaluate(net, loader):
    net.eval()
    with torch.no_grad():
        return [net(x).mean().item() for x in loader]


def fit(model, loader, val_loader, opt, epochs):
    for epoch in range(epochs):
        for batch in loader:
            train_step(model, batch, opt)
        evaluate(model, val_loader)


def distill_step(student, teacher, x, opt):
    with torch.no_grad():
        target = teacher(x)
    loss = (student(x) - target).pow(2).mean()
    loss.backward()
    opt.step()


def distill(student, teacher, ema, loader, val_loader, opt):
    student.train()
    for step, x in enumerate(loader):
        distill_step(student, teacher, x, opt)
        teacher.eval()
        if step % 100 == 0:
            evaluate(ema, val_loader)
