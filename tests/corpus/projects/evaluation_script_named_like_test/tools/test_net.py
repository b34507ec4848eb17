# corpus: NG001
"""A repository's evaluation entry point, `tools/test_net.py`: its name matches pytest's file
pattern, but it holds no tests (no `test_*` function, no `Test*` class, no pytest import). Its
multi-view evaluation loop runs the network with gradients enabled."""
import torch


def perform_test(loader, model, meter):
    model.eval()
    for inputs, labels in loader:  # expect: NG001
        preds = model(inputs)
        meter.update(preds.softmax(dim=-1), labels)
    return meter.summary()


def test(cfg, build_model, build_loader, meter):
    model = build_model(cfg)
    return perform_test(build_loader(cfg, "test"), model, meter)
