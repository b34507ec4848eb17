# corpus: NG001
"""Infer an encoding pipeline per dataset field ("infer" is type inference here): the loop
calls a plain helper function of this file, never a network."""
from collections import OrderedDict

import torch
from torch import Tensor


def _image_encoder(params):
    return ("jpeg", params.get("quality", 90), False)


def _infer_field_encoder(value, params):
    if hasattr(value, "getexif"):  # a PIL image
        return _image_encoder(params)
    if isinstance(value, Tensor):
        return ("ndarray", value.dtype, params.get("compress", False))
    if isinstance(value, int):
        return ("int", None, False)
    return None


def encoder_infer_all(dataset, params):
    types = OrderedDict()
    for i, item in enumerate(dataset[0]):
        inferred = _infer_field_encoder(item, params)
        if inferred is None:
            return None
        types[f"field_{i}"] = inferred
    return types
