# corpus: NG001
# A test suite's shared helper: every test class calls `_check_merge`, which compares the logits of
# a model before and after merging its adapters. Test code runs models to check behaviour.
import pytest
import torch


class AdapterTesterMixin:
    def _check_merge(self, model, inputs):
        model.eval()
        logits = model(**inputs)[0]
        model.merge_adapter()
        merged = model(**inputs)[0]
        assert torch.allclose(logits, merged, atol=1e-4)

    def _check_batches(self, model, batches):
        model.eval()
        outputs = [model(b).argmax(-1).tolist() for b in batches]
        if not outputs:
            pytest.skip("no batches")
        return outputs
