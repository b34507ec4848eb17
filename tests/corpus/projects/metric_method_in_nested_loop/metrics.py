# corpus: NG001
import numpy as np


class MeanOverlap:
    def __init__(self, labels):
        self.labels = list(labels)
        self.hits = np.zeros(len(self.labels))

    def add(self, actual, predicted):
        for i, label in enumerate(self.labels):
            self.hits[i] += float(((actual == label) & (predicted == label)).sum())

    def get(self):
        return float(self.hits.mean())
