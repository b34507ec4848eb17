# corpus: NG001, NG003, NG004
"""The MXNet flavour of a from-scratch textbook module (no torch here): NDArray updates are not torch leaves."""
from mxnet import autograd, np, npx
from mxnet.gluon import nn

npx.set_np()


def synthetic_data(w, b, num_examples):
    X = np.random.normal(0, 1, (num_examples, len(w)))
    y = np.dot(X, w) + b
    y += np.random.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


def linreg(X, w, b):
    return np.dot(X, w) + b


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    for param in params:
        param[:] = param - lr * param.grad / batch_size


def train(features, labels, data_iter, lr=0.03, num_epochs=3, batch_size=10):
    w = np.random.normal(0, 0.01, (2, 1))
    b = np.zeros(1)
    params = [w, b]
    for param in params:
        param.attach_grad()
    for epoch in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            with autograd.record():
                l = squared_loss(linreg(X, w, b), y)
            l.backward()
            sgd(params, lr, batch_size)
        train_l = squared_loss(linreg(features, w, b), labels)
        print(f"epoch {epoch + 1}, loss {float(train_l.mean()):f}")
    return w, b


def evaluate_accuracy(net: nn.Block, data_iter):
    correct, total = 0.0, 0
    for X, y in data_iter:
        correct += float((net(X).argmax(axis=1) == y.astype("float32")).sum())
        total += y.size
    return correct / total
