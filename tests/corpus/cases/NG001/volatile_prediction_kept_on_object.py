# corpus: NG001
# An old-style model wrapper: the test split asks for no graph with `volatile=True`, which torch
# ignores since 0.4, and keeps the prediction on the object for later metrics.
import torch
from torch.autograd import Variable


class SegmentationModel(object):
    def __init__(self, net, criterion):
        self.net = net
        self.criterion = criterion

    def set_input(self, image, label):
        self.image, self.label = image, label

    def forward(self, split):
        if split == "train":
            self.prediction = self.net(Variable(self.image))
        else:
            self.prediction = self.net(Variable(self.image, volatile=True))  # expect: NG001

    def validate(self):
        self.net.eval()
        self.forward(split="test")
        self.loss = self.criterion(self.prediction, Variable(self.label))
