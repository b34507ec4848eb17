"""torch's API as data: what its functions and Tensor methods return, which are in place, which
switch grad mode, which nn classes hold parameters.

The facts come from torch itself (``scripts/generate_torch_api.py`` imports it, probes and reads
its type stubs, and writes ``torch_api.json`` beside this file); the linter only reads the data,
so it never needs torch. tests/lint/test_torch_api.py fails when the data is stale for the torch
that is installed.
"""

from __future__ import annotations

import json
import os

_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_api.json")

with open(_PATH, encoding="utf-8") as _fh:
    _DATA = json.load(_fh)

TORCH_VERSION: str = _DATA["torch_version"]

# Tensor methods whose result is a Python value (item, tolist, size, numel...).
TENSOR_NUMBER_METHODS = frozenset(_DATA["tensor_methods"]["number"])
# Tensor methods whose result never carries autograd history (argmax, eq, detach, long...).
TENSOR_DETACHED_METHODS = frozenset(_DATA["tensor_methods"]["detached"])
# In-place Tensor methods (add_, zero_, copy_...): they change and return their receiver.
TENSOR_INPLACE_METHODS = frozenset(_DATA["tensor_methods"]["inplace"])
# In-place methods that cut their receiver's history (`x.detach_()`): the name holds a leaf after.
TENSOR_INPLACE_DETACHED_METHODS = frozenset(_DATA["tensor_methods"]["inplace_detached"])
# Tensor methods whose tensor argument gives the result only its shape, dtype or device
# (`x.type_as(w)`, `x.view_as(w)`, `x.to(w)`): no history flows from the argument.
TENSOR_TEMPLATE_METHODS = frozenset(_DATA["template_methods"])
# Every Tensor method name torch 2.13 has (what a call through an unknown receiver most likely is).
TENSOR_METHODS = frozenset(n for names in _DATA["tensor_methods"].values() for n in names)

# `torch.<name>` operators whose result never carries history, factories of new tensors, and
# those that return Python values (qualified names).
TORCH_DETACHED_FUNCTIONS = frozenset(f"torch.{n}" for n in _DATA["functions"]["detached"])
TORCH_FACTORIES = frozenset(f"torch.{n}" for n in _DATA["functions"]["factories"])
TORCH_NUMBER_FUNCTIONS = frozenset(f"torch.{n}" for n in _DATA["functions"]["number"])
# Functions whose annotated result is no tensor (`torch.compile` gives a function,
# `torch.cuda.is_available` a bool) and classes whose instances are none (`torch.device`).
TORCH_OBJECTS = frozenset(f"torch.{n}" for n in _DATA["functions"]["objects"])
# Functions that build a module from a module (`torch.jit.trace(net, x)`): a module, never a tensor.
TORCH_MODULE_FACTORIES = frozenset(f"torch.{n}" for n in _DATA["functions"]["module_factories"])

# Every public spelling of a grad-mode context manager -> "disabled" / "enabled" / "inference" /
# "argument" (set_grad_enabled: the mode is its argument).
GRAD_MODE_SPELLINGS: dict = dict(_DATA["grad_mode"])

# torch.nn module classes (qualified as `torch.nn.<Name>`), by whether they hold parameters.
NN_MODULES_WITH_PARAMETERS = frozenset(f"torch.nn.{n}" for n in _DATA["modules"]["with_parameters"])
NN_MODULES = NN_MODULES_WITH_PARAMETERS | frozenset(f"torch.nn.{n}" for n in _DATA["modules"]["without_parameters"])

# nn classes with parameters -> the keywords that, passed False, build one without any
# (`BatchNorm1d(n, affine=False)`: probed by building each).
NN_PARAMETER_SWITCHES: dict = {f"torch.nn.{n}": frozenset(v) for n, v in _DATA["modules"]["parameter_switches"].items()}

# The class of a parameter, under both of its public names.
NN_PARAMETER_CLASSES = frozenset({"torch.nn.Parameter", "torch.nn.parameter.Parameter"})
# nn.Module's own public methods (`add_module`, `apply`, `register_buffer`, `state_dict`).
NN_MODULE_METHODS = frozenset(_DATA["modules"]["methods"])
# Those that return the module itself (`model.eval().requires_grad_(False)` freezes `model`).
NN_MODULE_SELF_METHODS = frozenset(_DATA["modules"]["returning_self"])
# Functions that replace a module's parameter `name` (default `weight`) with a tensor computed
# from new parameters (`weight_norm(nn.Conv1d(...))`): `conv.weight` is no parameter afterwards.
NN_REPARAMETRIZING_FUNCTIONS = frozenset(_DATA["reparametrizing"])

# torch.distributions classes (qualified, under each public name), and the methods of a
# distribution whose result keeps its parameters' history (`log_prob`, `rsample`, `entropy`) or
# never has any (`sample`).
DISTRIBUTION_CLASSES = frozenset(f"torch.{n}" for n in _DATA["distributions"]["classes"])
DISTRIBUTION_HISTORY_METHODS = frozenset(_DATA["distributions"]["history_methods"])
DISTRIBUTION_DETACHED_METHODS = frozenset(_DATA["distributions"]["detached_methods"])

# Operators that return a named tuple (`torch.max(x, 1)`, `x.sort()`, `torch.topk(x, k)`):
# name -> {"fields": [...], "detached": positions without history (the indices), "method": also a
# Tensor method, "needs_dim": the tuple needs an argument beyond the input (`torch.max(x)` is a
# tensor), "elementwise": a second tensor makes it elementwise (`torch.max(x, y)`)}.
TUPLE_OUTPUTS: dict = dict(_DATA["tuple_outputs"])


def transforms_path(qualified: str) -> bool:
    """torchvision's image transforms: the module itself (written as a type) or a class of it."""
    return qualified == "torchvision.transforms" or qualified.startswith("torchvision.transforms.")


def may_hold_parameters(qualified) -> bool:
    """Whether a constructor (its qualified name, None when unresolved) may build a module with
    parameters: anything but a torch.nn class the API data says holds none (a loss, an activation)
    and torchvision's image transforms (`transforms.Compose([...])`: preprocessing, no weights)."""
    if qualified is not None and transforms_path(qualified):
        return False
    # `torch.nn.Module` itself stands for any module (`net: nn.Module`, an annotation or an
    # `isinstance` test): the base class builds nothing, its subclasses do.
    return qualified is None or qualified == "torch.nn.Module" or qualified not in NN_MODULES \
        or qualified in NN_MODULES_WITH_PARAMETERS


# What `model.eval()` does not reach: `torch.nn.functional` functions whose `training` argument
# defaults to True (qualified name -> its position), functions that drop out whenever their
# `dropout_p` is positive, and nn classes without parameters whose `forward` reads `self.training`
# (one built inside a module's `forward` is always in training mode).
TRAINING_DEFAULT_FUNCTIONS: dict = {f"torch.nn.functional.{n}": p for n, p in _DATA["mode_blind"]["training_default"].items()}
DROPOUT_P_FUNCTIONS = frozenset(f"torch.nn.functional.{n}" for n in _DATA["mode_blind"]["dropout_p"])
MODE_STATELESS_MODULES = frozenset(f"torch.nn.{n}" for n in _DATA["mode_blind"]["stateless_modules"])

# torch.nn classes whose output differs between train and eval mode as built with their defaults
# (dropout, batch norm, RReLU, transformer layers): found by running each in both modes.
MODE_DEPENDENT_MODULES = frozenset(f"torch.nn.{n}" for n in _DATA["mode_dependent"])
