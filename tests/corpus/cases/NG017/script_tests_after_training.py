# corpus: NG017
# A script trains at module level, then measures test accuracy without model.eval().
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3)
        self.drop = nn.Dropout2d(0.25)
        self.fc = nn.Linear(8 * 26 * 26, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.drop(F.relu(self.conv(x))), 1))


model = Net()
optimizer = torch.optim.Adam(model.parameters())
for images, labels in train_loader:
    loss = F.cross_entropy(model(images), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

hits = 0
with torch.no_grad():
    for images, labels in test_loader:
        hits += model(images).argmax(1).eq(labels).sum().item()  # expect: NG017
print(hits / len(test_loader.dataset))
