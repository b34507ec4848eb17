# corpus: NG001
"""A test helper loops over trained models and checks each one's seed settings with a helper
whose name mentions "model": the helper only reads attributes and recurses into the children
of an ensemble, so no forward runs."""
import torch


def validate_fitted(predictor, names):
    for name in names:
        model = predictor.load_model(name)
        _verify_model_seed(model=model)
    return torch.__version__


def _verify_model_seed(model):
    assert model.random_seed is None or isinstance(model.random_seed, int)
    if model.seed_name is not None:
        assert model.random_seed == model.params[model.seed_name]
    for child in getattr(model, "models", []):
        _verify_model_seed(model.load_child(child))
