# corpus: NG001
# An embedding wrapper puts its backbone in eval mode once, in the constructor, and then runs it
# with grad on in its public methods: a forward hook copies the features out (`o.data`), so the
# graph that the forward records is never used. `Finetuner` puts its backbone back in train mode
# in a method of its own, and `Head` is an `nn.Module` (its caller's `.train()` reaches the
# sub-module): their constructors' eval mode does not last, and nothing is reported there.
import torch
from torch import nn


class FeatureExtractor:
    def __init__(self, backbone, layer):
        self.model = backbone
        self.layer = layer
        self.model.eval()

    def get_vec(self, images):
        embedding = torch.zeros(len(images), 512)

        def copy_data(module, inputs, output):
            embedding.copy_(output.data.flatten(1))

        handle = self.layer.register_forward_hook(copy_data)
        h_x = self.model(images)  # expect: NG001
        handle.remove()
        return embedding.numpy()

    def embed_all(self, batches):
        vectors = []
        for batch in batches:  # expect: NG001
            vectors.append(self.model(batch).detach().cpu().numpy())
        return vectors


class Finetuner:
    def __init__(self, backbone):
        self.model = backbone
        self.model.eval()

    def adapt(self, batches, optimizer):
        self.model.train()
        for x, y in batches:
            loss = nn.functional.cross_entropy(self.model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    def scores(self, batches):
        return [self.model(x).softmax(-1) for x in batches]


class Head(nn.Module):
    def __init__(self, backbone):
        super().__init__()
        self.backbone = backbone
        self.backbone.eval()
        self.fc = nn.Linear(512, 10)

    def features(self, batches):
        return [self.backbone(x) for x in batches]
