# corpus: NG001
"""A graph attention network built from PyTorch Geometric's layers has a `test` method that puts it
in eval mode and runs it once with gradients enabled, only to print a loss and an accuracy: the
library's layers hold parameters, so the forward records a graph nothing backpropagates."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch_geometric.nn import GATConv


class GAT(nn.Module):
    def __init__(self, nfeat, nhid, nclass, heads=8, dropout=0.5):
        super().__init__()
        self.conv1 = GATConv(nfeat, nhid, heads=heads, dropout=dropout)
        self.conv2 = GATConv(nhid * heads, nclass, heads=1, concat=False, dropout=dropout)
        self.dropout = dropout

    def forward(self, data):
        x = F.dropout(data.x, p=self.dropout, training=self.training)
        x = F.elu(self.conv1(x, data.edge_index))
        x = F.dropout(x, p=self.dropout, training=self.training)
        return F.log_softmax(self.conv2(x, data.edge_index), dim=1)

    def fit(self, data, epochs=200):
        optimizer = torch.optim.Adam(self.parameters(), lr=0.005)
        for _ in range(epochs):
            self.train()
            optimizer.zero_grad()
            F.nll_loss(self.forward(data)[data.train_mask], data.y[data.train_mask]).backward()
            optimizer.step()

    def test(self, data):
        self.eval()
        output = self.forward(data)  # expect: NG001
        loss = F.nll_loss(output[data.test_mask], data.y[data.test_mask])
        acc = (output.argmax(1)[data.test_mask] == data.y[data.test_mask]).float().mean()
        print(f"test loss {loss.item():.4f} accuracy {acc.item():.4f}")
        return acc.item()
