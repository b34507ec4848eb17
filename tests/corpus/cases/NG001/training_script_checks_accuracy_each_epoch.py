# corpus: NG001
"""A training script with no functions: each epoch it trains on the batch, then runs the network
once more for an accuracy it prints. That second forward records a graph the script never uses."""
import torch
from torch import nn

net = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 3))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
inputs = torch.randn(256, 20)
labels = torch.randint(0, 3, (256,))

if __name__ == "__main__":
    for epoch in range(20):
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()
        scores = net(inputs)  # expect: NG001
        accuracy = (scores.argmax(1) == labels).float().mean().item()
        print(epoch, loss.item(), accuracy)
