# corpus: NG001
import torch

from speechkit import exporting
from speechkit.clustering import SpeakerClusterer
from speechkit.encoder import StepEncoder


class Pipeline:
    def __init__(self, dim):
        self.encoder = StepEncoder(dim)
        self.cluster_model = SpeakerClusterer()

    @torch.no_grad()
    def embed(self, frames):
        self.encoder.eval()
        return self.encoder(frames).mean(dim=1)

    def inference_with_speakers(self, recordings):
        labels = []
        for frames in recordings:
            embeddings = self.embed(frames)
            labels.append(self.cluster_model(embeddings))
        return labels

    def export(self, samples, path):
        self.encoder.eval()
        with torch.no_grad():
            exporting.export(self.encoder, samples, path)

    def transcribe_unprotected(self, recordings):
        self.encoder.eval()
        texts = []
        for frames in recordings:  # expect: NG001
            texts.append(self.encoder(frames).argmax(-1))
        return texts
