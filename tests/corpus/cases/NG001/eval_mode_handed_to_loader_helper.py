# corpus: NG001
"""A script that puts its model in eval mode and then measures the loss over whole loaders with a
helper of the file. The helper loops over batches running the model it is given, so the caller's
eval mode makes that loop an evaluation with gradients enabled: reported at the call, and on the
helper's loop (a batch loss through a helper of the file, `.item()`-ed, that nothing backpropagates).
The call under no_grad is fine, and so is the training helper, which backpropagates."""
import torch
import torch.nn.functional as F


def batch_loss(inputs, targets, model):
    return F.cross_entropy(model(inputs), targets)


def loader_loss(loader, model):
    total = 0.0
    for inputs, targets in loader:  # expect: NG001
        total += batch_loss(inputs, targets, model).item()
    return total / max(len(loader), 1)


def train_pass(loader, model, optimizer):
    for inputs, targets in loader:
        optimizer.zero_grad()
        batch_loss(inputs, targets, model).backward()
        optimizer.step()


model = torch.nn.Linear(8, 3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = [(torch.randn(4, 8), torch.randint(0, 3, (4,)))]
val_loader = [(torch.randn(4, 8), torch.randint(0, 3, (4,)))]

train_pass(train_loader, model, optimizer)
model.eval()
train_loss = loader_loss(train_loader, model)  # expect: NG001
with torch.no_grad():
    val_loss = loader_loss(val_loader, model)
model.train()
train_pass(train_loader, model, optimizer)
