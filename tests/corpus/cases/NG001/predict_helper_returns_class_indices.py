# corpus: NG001
"""A tutorial's `predict` helper runs the network once over the whole test set and returns the
predicted classes as a numpy array. Nobody put the model in eval mode and nothing disables
gradients, so the forward records a graph of the whole test set that nothing can backpropagate
through: the function hands back only integers."""
import torch
from torch import nn


def build_model(n_in, n_out):
    return nn.Sequential(nn.Linear(n_in, 64), nn.ReLU(), nn.Linear(64, n_out))


def train(model, loss_fn, optimizer, x, y):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def predict(model, x):
    scores = model.forward(x)  # expect: NG001
    return scores.detach().numpy().argmax(axis=1)


def main(x_train, y_train, x_test, y_test):
    model = build_model(x_train.shape[1], 10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(100):
        cost = train(model, nn.CrossEntropyLoss(), optimizer, x_train, y_train)
        accuracy = (predict(model, x_test) == y_test.numpy()).mean()
        print(epoch, cost, accuracy)
