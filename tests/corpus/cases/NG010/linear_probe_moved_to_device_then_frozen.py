# corpus: NG010
"""A probe built and moved to the device in one expression, then "frozen" with an assignment to
`requires_grad`: `.to(device)` hands back the same module, so the assignment sets a plain
attribute and the probe keeps training. The tensor made on the device is a tensor, where the
same assignment does freeze it."""
import torch


def fit(backbone, loader, device, epochs=2):
    probe = torch.nn.Linear(512, 10).to(device)
    probe.requires_grad = False  # expect: NG010
    scale = torch.ones(1).to(device)
    scale.requires_grad = False
    optimizer = torch.optim.AdamW(backbone.parameters(), lr=1e-3)
    for _ in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(probe(backbone(x.to(device))) * scale, y.to(device))
            loss.backward()
            optimizer.step()
