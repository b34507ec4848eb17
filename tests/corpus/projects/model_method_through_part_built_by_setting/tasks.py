# corpus: NG001
"""The task's evaluation loop runs whichever model it is given through `model_forward`, with grad
on, and keeps only counts: every model of the project that defines `model_forward` runs itself
there."""


def evaluate(model, loader):
    model.eval()
    correct = 0
    for x, y in loader:  # expect: NG001
        out = model.model_forward(x)
        correct += out.argmax(1).eq(y).sum().item()
    return correct
