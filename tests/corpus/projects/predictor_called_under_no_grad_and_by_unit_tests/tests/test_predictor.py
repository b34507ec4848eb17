# corpus: NG001
"""Unit tests of the predictor, with a tiny network."""
import unittest

import torch
from predictor import Predictor


class TestPredictor(unittest.TestCase):
    def test_labels_have_one_entry_per_row(self):
        predictor = Predictor(torch.nn.Linear(3, 2))
        self.assertEqual(predictor.predict([torch.randn(4, 3)]).shape, (4,))

    def test_export(self):
        predictor = Predictor(torch.nn.Linear(3, 2))
        self.assertEqual(len(predictor.export_logits([torch.randn(4, 3)])), 1)
