# corpus: NG015
"""A feature-visualisation script: it maximises one channel's activation over an input image,
at module level, through a pretrained network it never freezes."""
import torch
import torchvision

net = torchvision.models.resnet18(weights="DEFAULT").eval()
image = torch.randn(1, 3, 224, 224, requires_grad=True)
optimizer = torch.optim.Adam([image], lr=0.05)
for step in range(256):
    optimizer.zero_grad()
    activation = net.layer3(net.layer2(net.layer1(net.maxpool(net.relu(net.bn1(net.conv1(image)))))))
    loss = -activation[0, 42].mean()
    loss.backward()  # expect: NG015
    optimizer.step()
torch.save(image.detach(), "channel42.pt")
