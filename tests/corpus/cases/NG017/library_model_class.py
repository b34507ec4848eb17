# corpus: NG017
# A library's network: whether it has dropout or batch norm is not known here (many have neither).
import torch
from torchvision.models import resnet18


def fit(loader, val_loader):
    model = resnet18(num_classes=10)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for x, y in loader:
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    with torch.no_grad():
        return [model(x).argmax(1) for x, _ in val_loader]
