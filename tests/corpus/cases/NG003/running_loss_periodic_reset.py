# corpus: NG003
"""Near misses: accumulators reset only every N steps chain the graphs of every step in between."""
import torch
import torch.nn as nn


def train(net, trainloader, optimizer, epochs=2, print_every=2000):
    criterion = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        running_loss = 0.0
        for i, (inputs, labels) in enumerate(trainloader):
            optimizer.zero_grad()
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            running_loss += loss  # expect: NG003
            if i % print_every == print_every - 1:
                print(f"[{epoch + 1}, {i + 1:5d}] loss: {running_loss / print_every:.3f}")
                running_loss = 0.0


def finetune(model, loader, optimizer, window=50):
    recent = []
    for batch in loader:
        out = model(**batch)
        out.loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        recent.append(out.loss)  # expect: NG003
        if len(recent) > window:
            recent = recent[-window:]
            print(sum(r.item() for r in recent) / window)
