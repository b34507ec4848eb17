# corpus: NG001
# A translation model's evaluation loop: it runs with grad off wherever the project calls it.
import torch


class NMT(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = torch.nn.GRU(8, 8)

    def forward(self, batch):
        return {"loss": self.enc(batch)[0].pow(2).mean()}

    def test_performance(self, data_loader):
        total = 0.0
        for batch in data_loader:
            total += self.forward(batch)["loss"].item()
        return total / len(data_loader)
