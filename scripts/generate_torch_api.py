#!/usr/bin/env python
"""Generate lint/analysis/torch_api.json: what torch's API returns, as data the linter reads.

The linter never imports torch. This script does, once per torch release, and writes:

- ``tensor_methods``: each public ``Tensor`` method, by what it returns (from torch's own type
  stubs, ``torch/_C/__init__.pyi``): ``number`` (a Python value: ``item``, ``tolist``, ``size``),
  ``detached`` (a tensor that never carries autograd history, found by calling the method on a
  tensor that requires grad: ``argmax``, ``eq``, ``detach``), ``inplace`` (``add_``: it returns its
  receiver, changed), or ``tensor`` (the result keeps the receiver's history);
- ``template_methods``: the Tensor methods whose tensor argument gives the result only its shape,
  dtype or device (``type_as``, ``view_as``, ``to``), found by calling each with an argument that
  has history on a receiver that has none;
- ``functions``: the ``torch.*`` operators whose result never carries history (``torch.argmax``,
  ``torch.zeros_like``), found the same way, and those that return Python values;
- ``tuple_outputs``: the operators that return a named tuple (``torch.max(x, 1)``, ``sort``,
  ``topk``), with its fields and the positions that never carry history (the indices);
- ``grad_mode``: every public spelling of the grad-mode context managers (``torch.no_grad``,
  ``torch.autograd.grad_mode.no_grad``...) and the mode each sets;
- ``modules``: the ``torch.nn`` module classes, split into those that hold parameters and those
  that do not (a container, an activation, a pooling layer);
- ``distributions``: the ``torch.distributions`` classes (under each public name), and the methods
  of a distribution whose result keeps the history of its parameters (``log_prob``, ``rsample``,
  ``entropy``) or never has any (``sample``: drawn under ``no_grad``), found by calling each on a
  ``Normal`` whose parameters require grad.

Run it with the pinned torch (``pip install torch==2.13.0``)::

    python scripts/generate_torch_api.py            # rewrite the data file
    python scripts/generate_torch_api.py --check    # exit 1 if the committed data is stale

tests/lint/test_torch_api.py runs ``--check`` whenever torch is installed.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import json
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, os.pardir, "lint", "analysis", "torch_api.json")

# Return annotations in torch's stubs that are Python values, not tensors.
_PYTHON_VALUES = {"_int", "_bool", "_float", "Number", "list", "Size", "str", "_size", "Device", "_dtype",
                  "numpy.ndarray", "Storage", "TypedStorage", "UntypedStorage", "_complex", "int", "bool",
                  "float", "None"}
# Methods and functions not to call while probing (side effects on the process, or I/O).
_NEVER_CALL = {"backward", "register_hook", "retain_grad", "share_memory_", "pin_memory", "record_stream",
               "set_", "resize_", "storage", "untyped_storage", "cuda", "ipu", "xpu", "mps", "hpu", "mtia",
               "to_sparse", "coalesce"}


# Operators whose behaviour depends on the machine's backends, not on torch: left out so that the
# data is the same wherever it is generated.
_BACKEND_SPECIFIC = ("fbgemm", "cudnn", "mkldnn", "miopen", "vulkan", "is_vulkan", "mps", "xpu")


def _stub_returns() -> dict:
    import torch

    path = os.path.join(os.path.dirname(torch.__file__), "_C", "__init__.pyi")
    tree = ast.parse(open(path, encoding="utf-8").read())
    returns: dict = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "TensorBase":
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and not item.name.startswith("_"):
                    text = ast.unparse(item.returns) if item.returns is not None else "None"
                    returns.setdefault(item.name, set()).add(text)
    return returns


def _detached(result) -> bool:
    """A result that carries no autograd history: a tensor (or tuple of tensors) that does not
    require grad although computed from one that does."""
    import torch

    if isinstance(result, torch.Tensor):
        return not result.requires_grad
    if isinstance(result, (tuple, list)) and result and all(isinstance(r, torch.Tensor) for r in result):
        return all(not r.requires_grad for r in result)
    return False


def _probe(call) -> "bool | None":
    """Call on a float tensor that requires grad: True if the result carries no history, False if
    it does, None if the call cannot be made without more arguments."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = call()
    except Exception:
        return None
    return _detached(result)


def tensor_methods() -> dict:
    import torch

    out = {"number": [], "detached": [], "inplace": [], "inplace_detached": [], "tensor": []}
    for name, texts in sorted(_stub_returns().items()):
        if all(t in _PYTHON_VALUES or t.startswith(("Tuple[_int", "tuple[_int", "List[", "list[")) for t in texts):
            out["number"].append(name)
            continue
        if name.endswith("_"):
            out["inplace"].append(name)
            # Called with no argument on a non-leaf with history: the ones that cut it (`detach_`).
            y = torch.randn(4, 3, requires_grad=True) * 1.0
            method = getattr(y, name, None)
            if callable(method) and name not in _NEVER_CALL and _probe(method) is True:
                out["inplace_detached"].append(name)
            continue
        if name in _NEVER_CALL:
            out["tensor"].append(name)
            continue
        x = torch.randn(4, 3, requires_grad=True) * 1.0  # a non-leaf with history
        method = getattr(x, name, None)
        if not callable(method):
            out["tensor"].append(name)
            continue
        # No argument (x.argmax()), else one tensor like the receiver (x.eq(y)).
        verdict = _probe(method)
        if verdict is None:
            verdict = _probe(lambda: method(x))
        if verdict is None:  # an int argument (x.multinomial(1) on positive weights)
            verdict = _probe(lambda: getattr(x.abs() + 0.1, name)(1))
        out["detached" if verdict else "tensor"].append(name)
    return out


def functions() -> dict:
    import torch

    out = {"detached": [], "number": [], "factories": []}
    for name in sorted(dir(torch._C._VariableFunctions)):
        if name.startswith("_") or name.endswith("_") or name in _NEVER_CALL or name.startswith(_BACKEND_SPECIFIC):
            continue
        fn = getattr(torch, name, None)
        if fn is None or not callable(fn):
            continue
        x = torch.randn(4, 3, requires_grad=True) * 1.0
        # Every arity that works must agree: torch.where(x) gives indices, but
        # torch.where(c, x, y) keeps the history of x and y.
        results = []
        # (x.abs() + 0.1, 1): positive weights and a count, `torch.multinomial(probs, 1)`.
        for args in ((x,), (x, x), (x > 0, x, x), (x.abs() + 0.1, 1)):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    results.append(fn(*args))
            except Exception:
                continue
        if not results:
            # A factory (torch.zeros(3), torch.arange(2, 3)): a new tensor, no history to keep.
            for args in ((3,), (2, 3)):
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        made = fn(*args)
                except Exception:
                    continue
                if isinstance(made, torch.Tensor) and not made.requires_grad:
                    out["factories"].append(name)
                break
            continue
        if all(isinstance(r, (bool, int, float)) for r in results):
            out["number"].append(name)
        elif all(_detached(r) for r in results):
            out["detached"].append(name)
    # `torch.autograd`'s public callables that make a tensor of a tensor: `Variable(x)` gives it
    # back without its history (a detach, since torch 0.4 merged Variable into Tensor).
    import torch.autograd as autograd

    for name in sorted(dir(autograd)):
        fn = getattr(autograd, name)
        if name.startswith("_") or inspect.ismodule(fn) or not callable(fn):
            continue
        if _probe(lambda: fn(torch.randn(4, 3, requires_grad=True) * 1.0)) is True:
            out["detached"].append("autograd." + name)
    out["objects"] = objects()
    out["module_factories"] = module_factories()
    return out


def module_factories() -> list:
    """Functions of ``torch.jit`` that turn a module into another module (``trace``, ``script``,
    ``freeze``...) or read one back (``load``), found by calling each on a small module or a saved one (and an example input where it asks
    for one): a new ``nn.Module`` as the result makes the function a module factory, never a tensor."""
    import torch

    import io

    net = torch.nn.Linear(2, 2).eval()
    example = torch.zeros(1, 2)
    scripted = _try(torch.jit.script, net)
    saved = io.BytesIO()
    _try(torch.jit.save, scripted, saved)
    out = set()
    for name in dir(torch.jit):
        value = getattr(torch.jit, name, None)
        if name.startswith("_") or not inspect.isfunction(value):
            continue
        # (A loader is handed a saved module: `jit.load` reads one back.)
        for args in ((net,), (net, (example,)), (net, {"forward": (example,)}), (scripted,),
                     (io.BytesIO(saved.getvalue()),)):
            result = _try(value, *args)
            # A decorator that hands its argument back (`jit.ignore`) builds nothing.
            if isinstance(result, torch.nn.Module) and result is not args[0]:
                out.add("jit." + name)
                break
    return sorted(out)


# Namespaces whose public Python functions and classes are read for ``objects``.
_OBJECT_NAMESPACES = ("torch", "torch.jit", "torch.cuda", "torch.autograd", "torch.fx", "torch.compiler")
# Return annotations that may hold tensors (or say nothing): never "not a tensor".
_MAY_HOLD_TENSORS = ("Tensor", "Any", "tuple", "list", "dict", "Sequence", "Iterable", "Iterator", "object",
                     "Optional[", "Union[")


def _instance(value, cls) -> bool:
    try:
        return isinstance(value, cls)
    except Exception:  # a class whose metaclass's check itself fails: no evidence
        return False


def objects() -> list:
    """What is certainly no tensor, as qualified names relative to ``torch`` (``compile``,
    ``cuda.is_available``): the public Python functions of these namespaces whose return annotation
    names neither a tensor nor a container nor a type variable (``torch.compile`` returns a function,
    ``torch.manual_seed`` a Generator), and their public classes that are not Tensor or Module
    subclasses (``torch.device``, ``torch.Size``, ``torch.Generator``): what such a call builds."""
    import importlib
    import typing

    import torch

    # torch's C functions (`torch.is_grad_enabled`) have no signature; their stubs say what they return.
    path = os.path.join(os.path.dirname(torch.__file__), "_C", "__init__.pyi")
    stubs: dict = {}
    for node in ast.parse(open(path, encoding="utf-8").read()).body:
        if isinstance(node, ast.FunctionDef):
            stubs.setdefault(node.name, set()).add(ast.unparse(node.returns) if node.returns is not None else "None")
    out = set()
    for namespace in _OBJECT_NAMESPACES:
        module = importlib.import_module(namespace)
        prefix = namespace[len("torch."):] + "." if namespace != "torch" else ""
        for name in dir(module):
            if name.startswith("_"):
                continue
            value = getattr(module, name, None)
            if inspect.isclass(value):
                # `torch.FloatTensor(3)` (a legacy type, no Tensor subclass) still builds a tensor.
                # `autograd.Variable(x)` builds a tensor too (its metaclass says a tensor is one).
                if (not issubclass(value, (torch.Tensor, torch.nn.Module)) and not name.endswith("Tensor")
                        and not _instance(torch.empty(0), value) and value.__module__.startswith("torch")):
                    out.add(prefix + name)
                continue
            if inspect.isbuiltin(value):
                returns = stubs.get(getattr(value, "__name__", ""), ())
                if namespace == "torch" and returns and returns <= _PYTHON_VALUES:
                    out.add(prefix + name)
                continue
            if not inspect.isfunction(value):
                continue
            try:
                annotation = inspect.signature(value).return_annotation
            except (TypeError, ValueError):
                continue
            if annotation is inspect.Signature.empty or isinstance(annotation, typing.TypeVar):
                continue
            text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", None) or str(annotation)
            if len(text) <= 2 or any(word in text for word in _MAY_HOLD_TENSORS):
                continue  # `_T`, `T`: a type variable named in a string
            out.add(prefix + name)
    return sorted(out)


def _try(fn, *args):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args)
    except Exception:
        return None


def tuple_outputs() -> dict:
    """Operators that return a named tuple (``torch.return_types``): its field names, and the
    positions that never carry history (the ``indices`` of ``max(x, 1)``, ``sort``, ``topk``),
    found by calling the function and the Tensor method on a tensor that requires grad."""
    import torch
    import torch.return_types as return_types

    out: dict = {}
    for name in sorted(dir(return_types)):
        kind = getattr(return_types, name)
        fields = getattr(kind, "__match_args__", None)
        if not isinstance(kind, type) or name.startswith("_") or name.endswith("_out") or not fields:
            continue
        fn = getattr(torch, name, None)
        if fn is None:
            continue
        x = torch.randn(4, 3, requires_grad=True) * 1.0
        made = (_try(fn, *args) for args in ((x, 1), (x,), (x, 1, 1), (x, 2)))
        result = next((m for m in made if isinstance(m, kind)), None)
        if result is None:
            continue
        detached = [i for i, part in enumerate(result) if isinstance(part, torch.Tensor) and not part.requires_grad]
        out[name] = {"fields": list(fields), "detached": detached,
                     "method": callable(getattr(torch.Tensor, name, None)),
                     # `torch.max(x)` is a tensor: the tuple needs a dim; `torch.max(x, y)` is
                     # elementwise, a tensor too: then only an integer dim makes the tuple.
                     "needs_dim": not isinstance(_try(fn, x), kind),
                     "elementwise": isinstance(_try(fn, x, x), torch.Tensor)}
    return out


def grad_mode() -> dict:
    import torch.autograd.grad_mode as gm

    modes = {gm.no_grad: "disabled", gm.enable_grad: "enabled", gm.inference_mode: "inference",
             gm.set_grad_enabled: "argument"}
    out: dict = {}
    for namespace_name in ("torch", "torch.autograd", "torch.autograd.grad_mode"):
        namespace = sys.modules[namespace_name]
        for name in dir(namespace):
            obj = getattr(namespace, name, None)
            try:
                mode = modes.get(obj)
            except TypeError:  # unhashable
                continue
            if mode is not None:
                out[f"{namespace_name}.{name}"] = mode
    return dict(sorted(out.items()))


def modules() -> dict:
    import torch.nn as nn

    sources: dict = {}
    for name in sorted(dir(nn)):
        cls = getattr(nn, name)
        if not (inspect.isclass(cls) and issubclass(cls, nn.Module)) or name.startswith("_"):
            continue
        # The constructors along the class's bases (Conv2d's parameters are made by _ConvNd).
        source = ""
        for base in cls.__mro__:
            if base is nn.Module or not issubclass(base, nn.Module) or "__init__" not in vars(base):
                continue
            try:
                source += inspect.getsource(base.__init__)
            except (OSError, TypeError):
                pass
        sources[name] = source
    # A class holds parameters if it makes them, or builds a module that does (Transformer ->
    # TransformerEncoderLayer -> Linear): a fixpoint over the constructors' text.
    holds = {n for n, src in sources.items()
             if any(word in src for word in ("Parameter(", "register_parameter", "self.weight"))}
    # A class that builds with no arguments says itself: a loss keeps its class weights as a buffer
    # (`self.weight` in the text), not a parameter.
    for n in sorted(sources):
        built = _try(getattr(nn, n))
        if isinstance(built, nn.Module):
            (holds.add if any(True for _ in built.parameters()) else holds.discard)(n)
        # A container holds what it is given (`nn.Sequential(nn.Linear(...), ...)`, `nn.ModuleList([...])`),
        # though it holds nothing when built empty: one whose first argument is what it holds.
        if _container(getattr(nn, n)):
            holds.add(n)
    changed = True
    while changed:
        changed = False
        for n, src in sources.items():
            if n not in holds and any(f"{other}(" in src for other in holds):
                holds.add(n)
                changed = True
    # nn.Module's own public methods (`add_module`, `apply`, `state_dict`): calling one on a model
    # is no forward pass of a part of it.
    methods = sorted(n for n, v in vars(nn.Module).items() if callable(v) and not n.startswith("_"))
    return {"with_parameters": sorted(holds), "without_parameters": sorted(set(sources) - holds), "methods": methods,
            "returning_self": [n for n in methods if _returns_self(getattr(nn.Module, n))],
            "parameter_switches": parameter_switches(sorted(holds))}


def parameter_switches(names: list) -> dict:
    """nn classes with parameters -> the keywords, True by default, that passed False build the
    module without any (`BatchNorm1d(n, affine=False)`, `LayerNorm(d, elementwise_affine=False)`):
    found by building each with the smallest arguments and that keyword False."""
    import torch.nn as nn

    out: dict = {}
    for name in names:
        cls = getattr(nn, name)
        try:
            params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        except (TypeError, ValueError):
            continue
        switches = []
        for param in params:
            if param.default is not True:
                continue
            for args in _BUILD_ARGS:
                built = _try(lambda: cls(*args, **{param.name: False}))
                if isinstance(built, nn.Module):
                    if not any(True for _ in built.parameters()):
                        switches.append(param.name)
                    break
        if switches:
            out[name] = switches
    return out


def _container(cls) -> bool:
    """Whether an nn class is built from the modules or parameters it holds: its first argument is
    `*args` (`Sequential`) or named for them (`ModuleList(modules)`, `ParameterList(values)`,
    `DataParallel(module)`)."""
    import torch.nn as nn

    try:
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    except (TypeError, ValueError):
        return False
    if not params:
        return False
    layer = nn.Linear(1, 1)
    if params[0].kind is inspect.Parameter.VAR_POSITIONAL:
        built = _try(cls, layer)
    elif params[0].name in ("modules", "values", "parameters"):
        built = _try(cls, [layer]) or _try(cls, {"layer": layer})
    elif params[0].name == "module":
        built = _try(cls, layer)  # a wrapper of one module (`DataParallel(model)`)
    else:
        return False
    # (What `Identity(*args)` is given it ignores.)
    return isinstance(built, nn.Module) and any(p is layer.weight for p in built.parameters())


def _returns_self(method) -> bool:
    """Whether a method is annotated to return its receiver (`def eval(self) -> Self`), in every
    overload where it has them (`to`)."""
    import typing

    signatures = [inspect.signature(m) for m in typing.get_overloads(method)] or [inspect.signature(method)]
    return all(s.return_annotation is typing.Self for s in signatures)


def distributions() -> dict:
    import torch
    import torch.distributions as D

    classes = set()
    for name in dir(D):
        value = getattr(D, name)
        if inspect.isclass(value) and issubclass(value, D.Distribution):
            classes.add(f"distributions.{name}")
            classes.add(f"{value.__module__[len('torch.'):]}.{value.__name__}")
    # Both parameters with history: `entropy` of a Normal reads only its scale.
    dist = D.Normal(torch.zeros(3, requires_grad=True), torch.ones(3, requires_grad=True))
    x = torch.full((3,), 0.5)
    probes = {"log_prob": (x,), "cdf": (x,), "icdf": (x,), "sample": (), "rsample": (), "sample_n": (2,),
              "entropy": (), "perplexity": ()}
    keeps, detached = [], []
    for name, args in sorted(probes.items()):
        result = _try(getattr(dist, name), *args)
        if isinstance(result, torch.Tensor):
            (keeps if result.requires_grad else detached).append(name)
    return {"classes": sorted(classes), "history_methods": keeps, "detached_methods": detached}


def template_methods(tensor: list) -> list:
    """Tensor methods (of those that keep the receiver's history) whose tensor argument gives the
    result only its shape, dtype or device: ``x.type_as(w)``, ``x.view_as(w)``, ``x.to(w)``. Found by
    calling each on a receiver without history and an argument with history."""
    import torch

    out = []
    for name in tensor:
        if name in _NEVER_CALL:
            continue
        x = torch.randn(4, 3, requires_grad=True) * 1.0
        w = torch.randn(4, 3, requires_grad=True) * 1.0
        with_history = _try(lambda: getattr(x, name)(w))
        without = _try(lambda: getattr(x.detach(), name)(w))
        if isinstance(with_history, torch.Tensor) and with_history.requires_grad \
                and isinstance(without, torch.Tensor) and not without.requires_grad:
            out.append(name)
    return out


def mode_blind(without_parameters: list) -> dict:
    """What `model.eval()` does not reach: torch.nn.functional functions whose `training` parameter
    defaults to True (name -> its position), functions that drop out whenever their `dropout_p` is
    positive (found by calling them), and nn classes without parameters whose `forward` reads
    `self.training` (a copy built inside a module's `forward` is always in training mode)."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    training: dict = {}
    dropping: list = []
    q = torch.randn(1, 2, 8, 4)
    for name in sorted(dir(F)):
        fn = getattr(F, name)
        if name.startswith("_") or not callable(fn):
            continue
        try:
            parameters = list(inspect.signature(fn).parameters.values())
        except (TypeError, ValueError):
            parameters = []
        for position, parameter in enumerate(parameters):
            if parameter.name == "training" and parameter.default is True:
                training[name] = position
        kept = _try(lambda: fn(q, q, q, dropout_p=0.0))
        dropped = _try(lambda: fn(q, q, q, dropout_p=0.99))
        if isinstance(kept, torch.Tensor) and isinstance(dropped, torch.Tensor) and not torch.equal(kept, dropped):
            dropping.append(name)
    stateless = []
    for name in without_parameters:
        try:
            source = inspect.getsource(getattr(nn, name).forward)
        except (OSError, TypeError):
            continue
        if "self.training" in source:
            stateless.append(name)
    return {"training_default": dict(sorted(training.items())), "dropout_p": dropping, "stateless_modules": stateless}


# Constructor arguments and inputs tried on each torch.nn class: the smallest that build it and run
# its forward (a norm over 4 channels, attention of width 4 with 2 heads, a 4 -> 4 layer).
_BUILD_ARGS = ((), (4,), (4, 2), (4, 4))
_PROBE_SHAPES = ((8, 4), (8, 4, 6), (8, 4, 6, 6), (8, 4, 6, 6, 6), (8, 6, 4))


def mode_dependent(names: list) -> list:
    """torch.nn classes whose output differs between train and eval mode when built with their
    default arguments (dropout, batch norm's batch statistics, RReLU's random slope, a transformer
    layer's dropout), found by running each on the same input in both modes. A class that only
    reads `self.training` with a default that makes no difference (`MultiheadAttention`'s dropout
    0.0, `InstanceNorm` without running statistics) is left out: `model.eval()` changes nothing
    for it."""
    import torch
    import torch.nn as nn

    found = []
    for name in names:
        cls = getattr(nn, name)
        differs = False
        for args in _BUILD_ARGS:
            built = _try(lambda: cls(*args))
            if not isinstance(built, nn.Module):
                continue
            for shape in _PROBE_SHAPES:
                torch.manual_seed(0)
                x = torch.randn(*shape)
                for inputs in ((x,), (x, x), (x, x, x)):  # an input; a decoder's (tgt, memory); attention's
                    built.train()
                    torch.manual_seed(1)
                    trained = _try(lambda: built(*inputs))
                    if trained is not None:
                        break
                built.eval()
                torch.manual_seed(1)
                evaluated = _try(lambda: built(*inputs))
                if isinstance(trained, tuple):
                    trained, evaluated = trained[0], evaluated[0] if isinstance(evaluated, tuple) else evaluated
                if isinstance(trained, torch.Tensor) and isinstance(evaluated, torch.Tensor):
                    differs = differs or trained.shape != evaluated.shape or not torch.allclose(trained, evaluated, equal_nan=True)
                    break
            if differs:
                break
        if differs:
            found.append(name)
    return sorted(found)


def reparametrizing() -> list:
    """The functions of `torch.nn.utils` (and its `parametrizations`) that take `(module, name=...)`
    and leave `module.<name>` a plain tensor (computed from new parameters), no parameter any more
    (`weight_norm(nn.Conv1d(...))`): probed on a fresh `nn.Linear`."""
    import torch.nn as nn
    import torch.nn.utils as utils
    import torch.nn.utils.parametrizations as parametrizations

    out = []
    for module in (utils, parametrizations):
        for name in sorted(dir(module)):
            fn = getattr(module, name)
            if name.startswith("_") or inspect.isclass(fn) or not callable(fn):
                continue
            try:
                params = list(inspect.signature(fn).parameters)
            except (TypeError, ValueError):
                continue
            if params[:2] != ["module", "name"]:
                continue
            layer = nn.Linear(2, 2)
            if _try(fn, layer) is None:
                continue
            if not isinstance(layer.weight, nn.Parameter):
                out.append(f"{module.__name__}.{name}")
    return sorted(set(out))


def generate() -> dict:
    import torch

    torch.manual_seed(0)
    methods = tensor_methods()
    nn_modules = modules()
    return {
        "torch_version": torch.__version__.split("+")[0],
        "tensor_methods": methods,
        "template_methods": template_methods(methods["tensor"]),
        "functions": functions(),
        "tuple_outputs": tuple_outputs(),
        "grad_mode": grad_mode(),
        "modules": nn_modules,
        "mode_blind": mode_blind(nn_modules["without_parameters"]),
        "mode_dependent": mode_dependent(nn_modules["with_parameters"] + nn_modules["without_parameters"]),
        "distributions": distributions(),
        "reparametrizing": reparametrizing(),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed data differs")
    parser.add_argument("--output", default=DATA, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    text = json.dumps(generate(), indent=1, sort_keys=True) + "\n"
    if args.check:
        with open(args.output, encoding="utf-8") as fh:
            if fh.read() != text:
                print(f"{args.output} is stale: run python scripts/generate_torch_api.py", file=sys.stderr)
                return 1
        return 0
    with open(args.output, "w", encoding="utf-8") as fh:
        fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
