"""A small per-function dataflow notion of tensors: a function's assignments (``Env``, read by
the value model in values.py, which decides what carries autograd history), the callee words
that name models and losses, and which names hold parameters or leaf tensors created with
``requires_grad=True``.

Rules record a function's assignments while the walker passes them (O(1) per assignment: the
value node is kept, not analysed); the expressions are analysed only when a rule has a
candidate finding (an accumulation, a return of ``forward``...), and then only that expression
and the assignments of the names it mentions.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator, Optional

import libcst as cst

from .names import AliasTable, dotted, string_value
from .network_names import names_network
from .torch_api import (NN_PARAMETER_CLASSES, NN_REPARAMETRIZING_FUNCTIONS, TENSOR_INPLACE_DETACHED_METHODS,
                        TENSOR_METHODS, TENSOR_NUMBER_METHODS, TORCH_MODULE_FACTORIES, TORCH_NUMBER_FUNCTIONS,
                        TORCH_OBJECTS)

# The last part of a callee that computes a loss: criterion(...), loss_fn(...), F.cross_entropy(...).
_LOSS_CALLEE = re.compile(
    r"(?:^|_)(?:loss|losses|criterion|criteria|crit|objective)(?:_|\d|$)|^(?:cross_entropy|nll_loss|"
    r"binary_cross_entropy\w*|mse_loss|l1_loss|smooth_l1_loss|huber_loss|kl_div|cosine_embedding_loss|"
    r"margin_ranking_loss|triplet_margin_loss|ctc_loss|poisson_nll_loss|gaussian_nll_loss)$",
    re.I,
)
# Methods that run a model's forward pass.
_FORWARD_METHODS = frozenset({"forward", "forward_features", "forward_head", "encode", "decode", "embed"})
# torch functions whose result has no autograd history (the value model's fallback beside torch_api.json).
_NO_HISTORY_TORCH = re.compile(
    r"^torch\.(?:argmax|argmin|argsort|eq|ne|lt|gt|le|ge|equal|allclose|isclose|isnan|isinf|isfinite|"
    r"no_grad|zeros\w*|ones\w*|empty\w*|full\w*|arange|linspace|randn?\w*|randint\w*|tensor|as_tensor|"
    r"from_numpy|is_tensor|is_grad_enabled|count_nonzero|nonzero|sign|round|floor|ceil|unique|bucketize|"
    r"searchsorted|topk_indices|manual_seed|device|dtype)$"
)


def no_history_torch_function(qualified: str) -> bool:
    """A torch function whose result never carries autograd history (factories, comparisons)."""
    return bool(_NO_HISTORY_TORCH.match(qualified))


_METADATA = frozenset(
    {"shape", "dtype", "device", "is_cuda", "ndim", "requires_grad", "grad", "layout", "is_leaf",
     "grad_fn", "data", "names", "T_shape"}
)


def integer_tensor(value: cst.BaseExpression, aliases: AliasTable) -> bool:
    """`torch.zeros(n, dtype=int)`, `torch.full(shape, -1, dtype=torch.long)`: a torch tensor made
    with an integer or bool dtype, which cannot require grad: values copied into it keep no graph."""
    if type(value) is not cst.Call:
        return False
    qualified = aliases.resolve(value.func)
    if qualified is None or not qualified.startswith("torch."):
        return False
    for arg in value.args:
        if arg.keyword is not None and arg.keyword.value == "dtype":
            dtype = dotted(arg.value)
            if dtype in ("int", "bool"):
                return True
            resolved = aliases.resolve(arg.value) if dtype is not None else None
            return resolved in _INTEGER_DTYPES
    return False


_INTEGER_DTYPES = frozenset(f"torch.{t}" for t in (
    "long", "int", "int64", "int32", "int16", "int8", "uint8", "uint16", "uint32", "uint64", "short", "bool"))


def callee_words(func: cst.BaseExpression) -> Optional[str]:
    """The last part of a callee's dotted name (``self.model`` -> "model"), or None."""
    if type(func) is cst.Name:
        return func.value
    if type(func) is cst.Attribute:
        return func.attr.value
    return None


_LOSS_HINTS = re.compile("loss|crit|objective|entropy|mse|l1|kl_div|nll")


def is_loss_word(name: str) -> bool:
    if not _LOSS_HINTS.search(name.lower()):
        return False  # the cheap test first: this runs on every call of a candidate file
    return bool(_LOSS_CALLEE.search(name))


def is_model_call(call: cst.Call) -> bool:
    """``model(x)``, ``self.net(x)``, ``self(x)``, ``model.forward(x)``, ``encoder.encode(x)``."""
    func = call.func
    if type(func) is cst.Name:
        return func.value == "self" or names_network(func.value)
    if type(func) is cst.Attribute:
        attr = func.attr.value
        if attr in _FORWARD_METHODS:
            base = callee_words(func.value)
            return base is not None and (base == "self" or names_network(base))
        return names_network(attr)
    return False


def is_loss_call(call: cst.Call, aliases: AliasTable) -> bool:
    name = callee_words(call.func)
    if name is None:
        return False
    if name in ("item", "detach"):
        return False
    return is_loss_word(name)


class Env:
    """The assignments of one function (or module level): name -> value nodes, in source order."""

    __slots__ = ("values", "backward_names", "reaching")

    def __init__(self) -> None:
        self.values: dict[str, list] = {}
        # Names whose value someone called .backward() on (certainly a tensor with history).
        self.backward_names: set = set()
        # Optional: the function's reaching definitions (reaching.ReachingDefinitions); a read of
        # a name then sees only what reaches it.
        self.reaching = None

    def derived(self, values: Optional[dict] = None, backward_names: Optional[set] = None,
                reaching=None) -> "Env":
        """An Env over the same assignments with some parts replaced (``values``, ``backward_names``:
        this one's, shared, where not given; ``reaching``: none unless given)."""
        out = Env()
        out.values = self.values if values is None else values
        out.backward_names = self.backward_names if backward_names is None else backward_names
        out.reaching = reaching
        return out

    def assign(self, target: cst.BaseExpression, value: Optional[cst.BaseExpression], history_ok: bool = True) -> None:
        """Record ``target = value``; ``history_ok`` False: assigned where grad is disabled."""
        if type(target) is cst.Name:
            self.values.setdefault(target.value, []).append(value if history_ok else None)
        elif type(target) in (cst.Tuple, cst.List):
            for position, element in enumerate(target.elements):
                inner = element.value
                if type(inner) is cst.StarredElement or any(
                        type(e.value) is cst.StarredElement for e in target.elements[:position]):
                    part = None if not type(value) is cst.Call else value  # position unknown
                elif type(value) in (cst.Tuple, cst.List) and len(value.elements) == len(target.elements):
                    part = value.elements[position].value  # `a, b = x, y`
                elif type(value) is cst.Call:
                    # `loss, acc = step(batch)`: the position of what the call returns, as a
                    # (synthetic) `step(batch)[i]` the value model reads through the call's summary.
                    part = position_of(value, position)
                elif not any(type(e.value) is cst.StarredElement for e in target.elements) and (
                        type(value) in (cst.Name, cst.Attribute) or type(value) is cst.Subscript and not (
                            type(value.value) is cst.Call and type(value.value.func) is cst.Name
                            and value.value.func.value in _PAIRING_BUILTINS)):
                    # `alpha, beta = params`, `a, b = self.net(s)[0]`: an element of what the value
                    # holds (a pair of tensors with the forward's graph), not a value made with grad off.
                    # (Not a loop's `(x, name)` over `enumerate(zip(...))`, nor `text, *_ = out[0]`:
                    # which argument or field each position comes from is not followed, and the ids or
                    # strings beside the tensors would take their graph.)
                    part = position_of(value, position)
                else:
                    part = None
                self.assign(inner, part, history_ok)
        elif type(target) is cst.StarredElement:
            self.assign(target.value, None, history_ok)


_PAIRING_BUILTINS = frozenset({"zip", "enumerate"})
_POSITIONS: dict = {}  # position -> the `[i]` slice, built once (libcst validates every node it builds)


def position_of(call: cst.Call, position: int) -> cst.Subscript:
    """``call[position]``: a node that stands for one element of what a call returns."""
    index = _POSITIONS.get(position)
    if index is None:
        index = _POSITIONS[position] = (cst.SubscriptElement(slice=cst.Index(value=cst.Integer(str(position)))),)
    return cst.Subscript(value=call, slice=index)


def names_in(expr: cst.CSTNode) -> Iterator[str]:
    """Every plain name read in an expression (a candidate-only subtree scan)."""
    from .walker import walk_nodes

    for node in walk_nodes(expr):
        if type(node) is cst.Name:
            yield node.value


def flows_into(names: Iterable[str], env: Env, stop: frozenset = frozenset()) -> set:
    """The names given, and (transitively) every name their assigned values read; the values of
    the names in ``stop`` are not followed."""
    out: set = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name in out:
            continue
        out.add(name)
        if name in stop:
            continue
        for value in env.values.get(name, ()):
            if value is not None:
                stack.extend(n for n in names_in(value) if n not in out)
    return out


# --------------------------------------------------------------------------------------------
# parameters and leaves

_PARAM_ITERATORS = frozenset({"parameters", "named_parameters"})
_MODULE_ITERATORS = frozenset({"modules", "children", "named_modules", "named_children"})


def iterates_modules(it: cst.BaseExpression, module_lists=()) -> bool:
    """``model.children()``, ``list(model.modules())[:-1]``, or a name in ``module_lists`` (bound
    to such a list): what the loop target is bound to is a module."""
    if type(it) is cst.Subscript:
        it = it.value
    if type(it) is cst.Call and type(it.func) is cst.Name and it.func.value in ("list", "tuple") and it.args:
        it = it.args[0].value
    if type(it) is cst.Subscript:
        it = it.value
    if type(it) is cst.Name:
        return it.value in module_lists
    return type(it) is cst.Call and type(it.func) is cst.Attribute and it.func.attr.value in _MODULE_ITERATORS


def _iter_source_kind(expr: cst.BaseExpression, params: set, collections: set) -> Optional[str]:
    """What iterating ``expr`` yields: "param", "named_param" (pairs), "zip" etc. None: unknown."""
    if type(expr) is cst.Call:
        func = expr.func
        if type(func) is cst.Attribute:
            if func.attr.value == "parameters":
                return "param"
            if func.attr.value == "named_parameters":
                return "named"
        if type(func) is cst.Name and func.value in ("list", "tuple", "reversed", "iter") and expr.args:
            return _iter_source_kind(expr.args[0].value, params, collections)
    if type(expr) is cst.Name and expr.value in collections:
        return "param"
    if type(expr) is cst.Subscript and _is_params_key(expr):
        return "param"
    return None


def _is_params_key(expr: cst.Subscript) -> bool:
    """``group["params"]`` (an optimizer param group)."""
    if len(expr.slice) != 1:
        return False
    index = expr.slice[0].slice
    return type(index) is cst.Index and type(index.value) is cst.SimpleString and index.value.value[1:-1] == "params"


def param_source(iterable: cst.BaseExpression) -> Optional[str]:
    """The module whose parameters a loop iterates: "self.ema" for ``self.ema.parameters()``."""
    if type(iterable) is cst.Call:
        func = iterable.func
        if type(func) is cst.Attribute and func.attr.value in _PARAM_ITERATORS:
            return dotted(func.value)
        if type(func) is cst.Name and func.value in ("list", "tuple", "enumerate", "reversed") and iterable.args:
            return param_source(iterable.args[0].value)
    return None


def loop_parameter_sources(target: cst.BaseExpression, iterable: cst.BaseExpression, collections: set) -> list:
    """(name, module or None) for each name :func:`loop_parameters` finds."""
    names = loop_parameters(target, iterable, collections)
    if not names:
        return []
    if type(iterable) is cst.Call and type(iterable.func) is cst.Name and iterable.func.value == "zip":
        out = []
        if type(target) in (cst.Tuple, cst.List):
            for element, arg in zip(target.elements, iterable.args):
                if type(element.value) is cst.Name and element.value.value in names:
                    out.append((element.value.value, param_source(arg.value)))
        return out
    source = param_source(iterable)
    return [(n, source) for n in names]


def loop_parameters(target: cst.BaseExpression, iterable: cst.BaseExpression, collections: set) -> list:
    """The names a ``for`` loop binds to parameters: ``for p in model.parameters()``,
    ``for name, p in m.named_parameters()``, ``for p in group["params"]``,
    ``for a, b in zip(m1.parameters(), m2.parameters())``, ``for i, p in enumerate(params)``."""
    kind = _iter_source_kind(iterable, set(), collections)
    if kind == "param":
        return [target.value] if type(target) is cst.Name else []
    if kind == "named":
        if type(target) in (cst.Tuple, cst.List) and len(target.elements) == 2:
            second = target.elements[1].value
            return [second.value] if type(second) is cst.Name else []
        return []
    if type(iterable) is cst.Call and type(iterable.func) is cst.Name:
        fname = iterable.func.value
        if fname == "zip" and type(target) in (cst.Tuple, cst.List) and len(target.elements) == len(iterable.args):
            out = []
            for element, arg in zip(target.elements, iterable.args):
                if type(element.value) is cst.Name and _iter_source_kind(arg.value, set(), collections) == "param":
                    out.append(element.value.value)
            return out
        if fname == "enumerate" and iterable.args and type(target) in (cst.Tuple, cst.List) and len(target.elements) == 2:
            return loop_parameters(target.elements[1].value, iterable.args[0].value, collections)
    return []


def is_param_collection(value: cst.BaseExpression) -> bool:
    """``list(model.parameters())``, ``model.parameters()``, ``[p for p in m.parameters() if ...]``."""
    if type(value) is cst.Call:
        func = value.func
        if type(func) is cst.Attribute and func.attr.value == "parameters":
            return True
        if type(func) is cst.Name and func.value in ("list", "tuple") and value.args:
            return is_param_collection(value.args[0].value)
    if type(value) is cst.ListComp and type(value.elt) is cst.Name:
        comp = value.for_in
        return (
            type(comp.target) is cst.Name
            and comp.target.value == value.elt.value
            and _iter_source_kind(comp.iter, set(), set()) == "param"
        )
    return False


def creates_leaf(value: cst.BaseExpression, aliases: AliasTable) -> bool:
    """``torch.zeros(..., requires_grad=True)``, ``nn.Parameter(...)``, ``x.requires_grad_()``."""
    if not type(value) is cst.Call:
        return False
    func = value.func
    last = func.value if type(func) is cst.Name else func.attr.value if type(func) is cst.Attribute else ""
    if last not in ("Parameter", "requires_grad_") and not any(
            a.keyword is not None and a.keyword.value == "requires_grad" for a in value.args):
        return False  # the cheap test first: this runs on every assignment of a call
    qualified = aliases.resolve(func)
    if qualified in NN_PARAMETER_CLASSES:
        # nn.Parameter(x, requires_grad=False): a parameter that autograd does not track.
        return not any(a.keyword is not None and a.keyword.value == "requires_grad" and not _true(a.value)
                       for a in value.args) and not (len(value.args) > 1 and value.args[1].keyword is None
                                                     and not _true(value.args[1].value))
    if type(func) is cst.Attribute and func.attr.value == "requires_grad_":
        return not value.args or _true(value.args[0].value)
    if qualified is not None and qualified.startswith("torch."):
        for arg in value.args:
            if arg.keyword is not None and arg.keyword.value == "requires_grad" and _true(arg.value):
                return True
    return False


def returns_leaf(fn: cst.FunctionDef, aliases: AliasTable) -> bool:
    """A function whose every ``return`` gives a new leaf that requires grad (``def init_params(size):
    return torch.randn(size).requires_grad_()``): what a call of it returns is such a leaf."""
    from .walker import iter_children

    found = False
    stack = [fn.body]
    while stack:
        node = stack.pop()
        t = type(node)
        if t in (cst.FunctionDef, cst.ClassDef, cst.Lambda):
            continue  # a nested function's returns are its own
        if t is cst.Return:
            if node.value is None or not creates_leaf(node.value, aliases):
                return False
            found = True
        elif t in (cst.Yield, cst.Await):
            return False
        else:
            stack.extend(iter_children(node))
    return found


def _true(expr: cst.BaseExpression) -> bool:
    return type(expr) is cst.Name and expr.value == "True"


def metadata_use(parent_attr: Optional[str]) -> bool:
    return parent_attr in _METADATA or parent_attr in ("size", "dim", "numel", "cpu", "numpy", "item", "tolist")


def dotted_or_none(expr: cst.BaseExpression) -> Optional[str]:
    return dotted(expr)


def parameters_owner(iterable: cst.BaseExpression) -> Optional[str]:
    """``model.parameters()`` / ``model.named_parameters()`` (also in ``list(...)``): ``model``."""
    if type(iterable) is cst.Call and type(iterable.func) is cst.Name and iterable.func.value in (
            "list", "tuple", "iter") and iterable.args:
        return parameters_owner(iterable.args[0].value)
    if (type(iterable) is cst.Call and type(iterable.func) is cst.Attribute
            and iterable.func.attr.value in ("parameters", "named_parameters")):
        return dotted(iterable.func.value)
    return None


def requires_grad_flag(value: cst.BaseExpression) -> Optional[bool]:
    """`True` / `False` as written (a `requires_grad` value); None for anything else."""
    if type(value) is cst.Name and value.value in ("True", "False"):
        return value.value == "True"
    return None


def freezing_loop(node: cst.For, flags: Optional[dict] = None) -> Optional[tuple]:
    """``for p in model.parameters(): p.requires_grad = False`` (or ``p.requires_grad_(False)``):
    (``model``, True) when the loop freezes the module's parameters, (``model``, False) when it
    makes them trainable again, None otherwise. With every parameter frozen, a forward builds no
    graph unless its inputs require grad: what code that needs grad mode for input gradients
    (forces as ``-dE/dx`` in a model's forward) does instead of ``no_grad``. ``flags``: the values
    of names the loop may set the flag to (a helper's parameter, as a call passes it)."""
    owner = parameters_owner(node.iter)
    if owner is None:
        return None
    for value in _requires_grad_values(node):
        flag = _flag_value(value, flags)
        if flag is not None:
            return owner, not flag
    return None


def flag_of_loop(node: cst.For) -> Optional[tuple]:
    """``for p in model.parameters(): p.requires_grad = requires_grad``: (``model``,
    ``"requires_grad"``), the name of the flag the loop sets every parameter's `requires_grad`
    to (a helper's parameter: it freezes when a call passes False), else None."""
    owner = parameters_owner(node.iter)
    if owner is None:
        return None
    for value in _requires_grad_values(node):
        if type(value) is cst.Name and requires_grad_flag(value) is None:
            return owner, value.value
    return None


def _requires_grad_values(node: cst.For):
    """The values a loop over parameters sets each one's `requires_grad` to, in order
    (`p.requires_grad = v`, `p.requires_grad_(v)`)."""
    from .walker import walk_nodes

    bound = loop_parameters(node.target, node.iter, set())
    if not bound:
        return
    for child in walk_nodes(node.body):
        value = requires_grad_set(child, bound)
        if value is not None:
            yield value


def requires_grad_set(node: cst.CSTNode, bound, bare: Optional[cst.BaseExpression] = None
                      ) -> Optional[cst.BaseExpression]:
    """The value `p.requires_grad = v` or `p.requires_grad_(v)` sets for a name in ``bound`` (a
    loop's parameters), or None for any other node. `p.requires_grad_()` without a value: ``bare``
    (`True` for a caller that reads it so; None for one that looks for an explicit flag)."""
    if type(node) is cst.Assign and len(node.targets) == 1:
        target = node.targets[0].target
        if (type(target) is cst.Attribute and target.attr.value == "requires_grad"
                and type(target.value) is cst.Name and target.value.value in bound):
            return node.value
    elif (type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "requires_grad_"
          and type(node.func.value) is cst.Name and node.func.value.value in bound):
        return node.args[0].value if node.args else bare
    return None


def reparametrized(value: cst.BaseExpression, aliases: AliasTable) -> Optional[frozenset]:
    """The attributes whose parameters a stored value's call chain replaced with computed tensors
    (`weight_norm(nn.Conv1d(...))`: {"weight"}; `spectral_norm(conv, name="w")`: {"w"}); None when
    a reparametrizing call names its attribute by a value the analysis cannot read."""
    out: set = set()
    while type(value) is cst.Call:
        name = dotted(value.func)
        if name is None or (aliases.resolve_dotted(name) or name) not in NN_REPARAMETRIZING_FUNCTIONS:
            break
        positional = [a.value for a in value.args if a.keyword is None and not a.star]
        named = next((a.value for a in value.args if a.keyword is not None and a.keyword.value == "name"), None)
        attr = named if named is not None else positional[1] if len(positional) > 1 else None
        if attr is None:
            out.add("weight")
        elif type(attr) is not cst.SimpleString:
            return None
        else:
            out.add(string_value(attr))
        if not positional:
            break
        value = positional[0]
    return frozenset(out)


def _flag_value(value: cst.BaseExpression, flags: Optional[dict]) -> Optional[bool]:
    flag = requires_grad_flag(value)
    if flag is None and flags and type(value) is cst.Name:
        return flags.get(value.value)
    return flag


def frozen_argument(fn: cst.FunctionDef, call: Optional[cst.Call] = None) -> Optional[int]:
    """The position of the parameter whose module parameters ``fn`` freezes (a helper or a
    context manager such as ``with frozen(model):``), or None. With ``call``, a flag parameter
    takes the literal the call passes (`toggle_grad(model, False)` freezes with
    `p.requires_grad_(requires_grad)` in its loop)."""
    from .walker import walk_nodes

    names = [p.name.value for p in fn.params.params]
    flags: dict = {}
    if call is not None:
        for index, arg in enumerate(call.args):
            if arg.star:
                break
            name = arg.keyword.value if arg.keyword is not None else names[index] if index < len(names) else None
            flag = requires_grad_flag(arg.value)
            if name is not None and flag is not None:
                flags[name] = flag
    if not flags:
        # Rules ask this for every call of a file's function: walk each body once.
        hit = _FROZEN_ARGUMENT.get(id(fn))
        if hit is not None and hit[0] is fn:
            return hit[1]
    position = None
    for child in walk_nodes(fn.body):
        if type(child) is cst.For:
            found = freezing_loop(child, flags)
            if found is not None and found[1] and found[0] in names:
                position = names.index(found[0])
                break
    if not flags:
        if len(_FROZEN_ARGUMENT) > 1024:
            _FROZEN_ARGUMENT.clear()
        _FROZEN_ARGUMENT[id(fn)] = (fn, position)  # the node is kept, so its id is not reused
    return position


# id(function) -> (function, frozen_argument(function)): CST nodes take no weak references.
_FROZEN_ARGUMENT: dict = {}


# `x = x.detach()`, `x = x.item()`, `x = x.tolist()`, and the in-place `x.detach_()` (torch's API data).
_DETACHING_REBINDS = frozenset({"detach", "item", "tolist"}) | TENSOR_INPLACE_DETACHED_METHODS


def detached_somewhere(name: str, env: Env) -> bool:
    """`loss_mb = loss_mb.detach()` (or `.item()`) somewhere in the function: on some path at least
    (`if not self.differentiable: x = x.detach()`), the author handles the graph."""
    for value in env.values.get(name, ()):
        if (type(value) is cst.Call and type(value.func) is cst.Attribute
                and value.func.attr.value in _DETACHING_REBINDS
                and type(value.func.value) is cst.Name and value.func.value.value == name):
            return True
    return False


# Tensor methods whose result is a (new) tensor, whatever their receiver.
_NEW_TENSOR_METHODS = frozenset(
    {"clone", "to", "cuda", "cpu", "float", "half", "double", "bfloat16", "view", "reshape", "permute",
     "transpose", "contiguous", "detach", "softmax", "log_softmax", "sigmoid", "tanh", "relu", "mean", "sum",
     "squeeze", "unsqueeze", "expand", "repeat", "matmul", "mm", "bmm", "exp", "log", "sqrt", "pow", "norm",
     "flatten", "masked_fill", "type_as", "new_zeros", "new_ones", "new_empty", "new_full", "new_tensor",
     "cos", "sin", "outer", "embed", "forward", "abs", "clamp", "amax", "amin", "argmax", "topk", "gather",
     "index_select", "narrow", "unfold", "roll", "flip", "expand_as"}
)


def tensor_valued(value: cst.BaseExpression, aliases: AliasTable, bound: dict, depth: int = 0) -> bool:
    """Whether ``value`` is certainly a tensor: a torch function's tensor result, a Tensor method's
    result on a tensor, a model's output, arithmetic or an index of one, or a name ``bound`` (name ->
    the value assigned to it in the function) to one of these."""
    if depth > 3:
        return False
    if type(value) is cst.Call:
        func = value.func
        qualified = aliases.resolve(func)
        if qualified is not None and qualified.startswith("torch."):
            # torch's API data: what returns a Python value, a module or another object is no tensor.
            return (qualified not in TORCH_OBJECTS and qualified not in TORCH_NUMBER_FUNCTIONS
                    and qualified not in TORCH_MODULE_FACTORIES)
        if type(func) is cst.Attribute and func.attr.value in _NEW_TENSOR_METHODS:
            return True
        if type(func) is cst.Attribute and func.attr.value in TENSOR_METHODS \
                and func.attr.value not in TENSOR_NUMBER_METHODS:
            # torch's API data: a Tensor method of a tensor gives a tensor (`torch.stack(xs).max()`).
            return tensor_valued(func.value, aliases, bound, depth + 1)
        if type(func) is cst.Name and qualified is not None:
            # An imported function or class (`remove_hook_from_module(self.model)`), not a model
            # instance: its name says nothing about a forward pass.
            return False
        return is_model_call(value)
    if type(value) is cst.Name:
        assigned = bound.get(value.value)
        return assigned is not None and assigned is not value and tensor_valued(assigned, aliases, bound, depth + 1)
    if type(value) is cst.BinaryOperation:
        return (tensor_valued(value.left, aliases, bound, depth + 1)
                or tensor_valued(value.right, aliases, bound, depth + 1))
    if type(value) is cst.Subscript:
        return tensor_valued(value.value, aliases, bound, depth + 1)
    return False
