# corpus: NG001
# A sequential recommender whose `predict` scores candidate items for inference.
import torch


class SeqRec(torch.nn.Module):
    def __init__(self, items, dim=32):
        super().__init__()
        self.item_emb = torch.nn.Embedding(items + 1, dim)
        self.encoder = torch.nn.GRU(dim, dim, batch_first=True)

    def forward(self, seqs, pos, neg):
        feats, _ = self.encoder(self.item_emb(seqs))
        return (feats * self.item_emb(pos)).sum(-1), (feats * self.item_emb(neg)).sum(-1)

    def predict(self, users, seqs, candidates):
        feats, _ = self.encoder(self.item_emb(torch.as_tensor(seqs)))
        return self.item_emb(torch.as_tensor(candidates)) @ feats[:, -1, :].unsqueeze(-1)
