# corpus: NG004, NG003
"""Linear regression with hand-written gradient descent on leaf tensors."""
import torch

torch.manual_seed(0)
X = torch.randn(256, 3)
true_w = torch.tensor([[2.0], [-3.4], [1.5]])
y = X @ true_w + 4.2 + 0.01 * torch.randn(256, 1)

w = torch.normal(0, 0.01, size=(3, 1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.03

for epoch in range(10):
    for i in range(0, len(X), 32):
        xb, yb = X[i:i + 32], y[i:i + 32]
        loss = ((xb @ w + b - yb) ** 2 / 2).mean()
        loss.backward()
        w -= lr * w.grad  # expect: NG004
        b -= lr * b.grad  # expect: NG004
        w.grad.zero_()
        b.grad.zero_()
    print(f"epoch {epoch + 1}, loss {float(loss):f}")
