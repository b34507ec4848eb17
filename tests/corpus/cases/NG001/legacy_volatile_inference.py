# corpus: NG001
"""Code written for torch before 0.4 asked for inference with `Variable(x, volatile=True)`; the
flag has done nothing since, so these loops record a graph per batch. A sentence encoder's batch
loop keeps numpy copies, and a demo script refills its input buffers in place on every frame and
runs the detector on them. Code that already runs under `no_grad` is fine whatever it passes."""
import torch
from torch import nn
from torch.autograd import Variable


class SentenceEncoder(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.rnn = nn.LSTM(width, width)

    def forward(self, x):
        return self.rnn(x)[0].max(0)[0]

    def embed_all(self, batches):
        rows = []
        for batch in batches:  # expect: NG001
            batch = Variable(batch, volatile=True)
            rows.append(self.forward(batch).data.cpu().numpy())
        return rows

    def embed_all_safely(self, batches):
        rows = []
        with torch.no_grad():
            for batch in batches:
                batch = Variable(batch, volatile=True)
                rows.append(self.forward(batch).cpu().numpy())
        return rows


def caption_lengths(text_model, token_batches):
    text_model.eval()
    return [len(text_model(t).argmax(-1).tolist()) for t in token_batches]  # expect: NG001


if __name__ == "__main__":
    detector = torch.load("detector.pt")
    detector.eval()
    frame = torch.zeros(1, 3, 64, 64)
    frame = Variable(frame, volatile=True)
    for i in range(100):  # expect: NG001
        frame.resize_(1, 3, 64, 64).copy_(torch.rand(1, 3, 64, 64))
        boxes = detector(frame)
        print(boxes.data.shape)
