# corpus: NG001
"""A unittest case in a module not named like a test: its loops over configurations are tests."""
import unittest

import torch


class LinearProbeTests(unittest.TestCase):
    def test_accuracy_over_settings(self):
        for bias in (True, False):
            classifier = torch.nn.Linear(4, 2, bias=bias)
            classifier.eval()
            inputs = torch.randn(8, 4)
            predictions = classifier(inputs)
            self.assertEqual(predictions.shape, (8, 2))
