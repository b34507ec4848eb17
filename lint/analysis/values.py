"""Value facts: what an expression evaluates to, as far as the analysis can follow it.

A fact is a frozenset of *atoms*, the things the value may be (a union: ``x = 0`` then
``x += loss`` gives {number, graph}):

- ``GRAPH``: a tensor that carries an autograd graph (a loss, a model output, arithmetic on them);
- ``TENSOR``: a tensor without one (detached, made under ``no_grad``, an index or a comparison);
- ``NUMBER``: a Python number, string, bool or None (``.item()``, ``float()``, ``len()``, literals);
- ``MODULE``: an ``nn.Module`` (a torch.nn class, from torch_api.json);
- ``OBJECT``: something else that is certainly no tensor (a class instance, a function);
- ``UNKNOWN``: nothing is known (a parameter, an attribute of ``self``, an outside call);
- a *call atom* ``(CALL, ref, fallback, position, graph_args)``: the value a project function
  returns (all of it, ``position`` -1, or one element of the tuple it returns). ``ref`` is the
  call reference of ``walker`` (raw while the file is walked, resolved at its end),
  ``fallback`` is whether the call's syntax alone suggests a graph (``model(x)``, ``criterion(...)``):
  what counts when the reference names no project function, and ``graph_args`` whether an
  argument of the call carries a graph (True, False, or the arguments' own call atoms, which the
  project solve decides): then the callee's summary *given graph
  arguments* (``key@args``) applies, for a helper whose result derives from its parameters. Call atoms are replaced by the
  callees' *summaries* (the facts of what they return) once every file is analysed
  (``project.ProjectFacts.returns_graph``).

Facts flow through assignments, tuple unpacking, containers (a list or dict holds what its
elements are), loop targets (an element of what is iterated), attributes and subscripts of a
value (``outputs.loss``, ``losses["ce"]``), arithmetic, and calls of project functions.
Names decide only where nothing else is known: a call that names no project function and
whose result the torch API does not describe falls back to the name of its callee.
"""

from __future__ import annotations

from typing import Callable, Iterable, Optional, Union

import libcst as cst

from .atoms import CALL, FLAGGED_FORWARD, GRAPH, MODULE, NUMBER, OBJECT, PACKED, TENSOR, UNKNOWN  # noqa: F401  (re-exported)
from .names import AliasTable, string_index, string_value
from .network_names import names_network
from .patterns import bound_names, comprehension_fors
from .python_api import CONTAINER_METHODS, CONTAINER_TYPES, PLAIN_TYPES
from .tensors import Env, is_loss_call, is_model_call, no_history_torch_function
from .torch_api import (DISTRIBUTION_CLASSES, DISTRIBUTION_DETACHED_METHODS, DISTRIBUTION_HISTORY_METHODS,
                        NN_MODULE_METHODS, NN_MODULES, TENSOR_DETACHED_METHODS, TENSOR_INPLACE_DETACHED_METHODS,
                        TENSOR_METHODS, TENSOR_NUMBER_METHODS, TORCH_DETACHED_FUNCTIONS,
                        TORCH_FACTORIES, TORCH_MODULE_FACTORIES, TORCH_NUMBER_FUNCTIONS, TORCH_OBJECTS, TUPLE_OUTPUTS)


_NUMBERS = frozenset({NUMBER})
# The atoms of a value that certainly carries no graph (what `.item()`, `.detach()`, a constructor give).
NO_GRAPH_ATOMS = frozenset({NUMBER, TENSOR, OBJECT, MODULE})
_TENSORS = frozenset({TENSOR})
_GRAPHS = frozenset({GRAPH})
_UNKNOWN = frozenset({UNKNOWN})
_OBJECTS = frozenset({OBJECT})
_MODULES = frozenset({MODULE})
_MODULE_OR_NONE = frozenset({MODULE, NUMBER})
_PACKED = frozenset({PACKED})
_NOTHING: frozenset = frozenset()

# What torch's methods and functions return comes from torch itself (torch_api.json); `__len__`
# is a dunder the stubs leave out.
_NUMBER_METHODS = TENSOR_NUMBER_METHODS | {"__len__"}
_DETACHED_METHODS = TENSOR_DETACHED_METHODS | TENSOR_INPLACE_DETACHED_METHODS
# Builtins whose result is a Python value.
_NUMBER_BUILTINS = frozenset({"float", "int", "len", "bool", "round", "str", "repr", "isinstance", "hash",
                              "id", "format", "callable", "hasattr", "type", "print", "divmod", "ord", "chr",
                              "range"})  # (a range holds ints, whatever bounds it is given)
# Builtins whose result is made of their arguments' elements.
_THROUGH_BUILTINS = frozenset({"sum", "max", "min", "abs", "list", "tuple", "sorted", "reversed", "iter",
                               "next", "set", "frozenset", "dict", "zip", "enumerate", "filter"})
# A copy is what it copies (a target network `copy.deepcopy(self.actor)` is a module too).
_COPIES = frozenset({"copy.deepcopy", "copy.copy"})
# Modules whose functions never return a torch tensor (numbers, numpy arrays and scalars).
_NON_TENSOR_MODULES = frozenset({"numpy", "math", "statistics", "random"})
# Standard-library modules whose functions and classes never return a tensor (unlike `copy`,
# `functools`, `operator`, `pickle` or `contextlib`, which hand back what they are given).
_OBJECT_MODULES = frozenset({"weakref", "threading", "multiprocessing", "subprocess", "socket", "logging", "io",
                             "os", "sys", "time", "datetime", "re", "json", "csv", "pathlib", "shutil", "tempfile",
                             "argparse", "queue", "signal", "uuid", "hashlib", "urllib", "http", "sqlite3"})
# Mapping views: their elements are the receiver's.
_VIEWS = frozenset({"items", "values", "keys", "get", "pop", "copy", "setdefault"})
# Tensor attributes that are Python values, and those that are tensors without history.
_NUMBER_ATTRS = frozenset({"shape", "dtype", "device", "is_cuda", "ndim", "requires_grad", "layout", "is_leaf",
                           "names", "grad_fn", "is_sparse", "is_quantized", "is_meta", "itemsize", "nbytes"})
_DETACHED_ATTRS = frozenset({"data", "grad"})
# Methods of both nn.Module and Tensor that give back the receiver, or a copy with its history.
SAME_OBJECT_METHODS = frozenset({"to", "cuda", "cpu", "float", "half", "double", "bfloat16", "type"})
# nn.Module methods that iterate its submodules (a tensor has none of these).
_SUBMODULE_ITERATORS = frozenset({"modules", "children"})

_PACKERS = frozenset({"torch.nn.utils.rnn.pack_padded_sequence", "torch.nn.utils.rnn.pack_sequence",
                      "torch.nn.utils.rnn.PackedSequence"})
_GRADIENT_FUNCTIONS = frozenset({"torch.autograd.grad", "torch.autograd.functional.jacobian",
                                 "torch.autograd.functional.hessian", "torch.autograd.functional.vjp"})


def plain_annotation(annotation) -> bool:
    """Whether a type annotation names only Python values, no tensor: `float`, `Dict[str, float]`,
    `Optional[List[int]]`, `float | None`, `"float"` (a string annotation is read as written)."""
    t = type(annotation)
    if t is cst.Name:
        return annotation.value in PLAIN_TYPES
    if t is cst.Attribute:
        return False  # `torch.Tensor`, `np.ndarray`, `typing.Any`: not a Python value for sure
    if t is cst.SimpleString:
        return annotation.value.strip("'\"") in PLAIN_TYPES
    if t is cst.BinaryOperation and type(annotation.operator) is cst.BitOr:
        return plain_annotation(annotation.left) and plain_annotation(annotation.right)
    if t is cst.Subscript:
        return _generic_name(annotation) in CONTAINER_TYPES and all(
            type(e.slice) is cst.Index and (plain_annotation(e.slice.value) or type(e.slice.value) is cst.Ellipsis)
            for e in annotation.slice)
    return False


def _generic_name(subscript: cst.Subscript) -> str:
    """The last name of a subscripted annotation's generic (`typing.Dict[str, float]`: `Dict`)."""
    generic = subscript.value
    return generic.attr.value if type(generic) is cst.Attribute else generic.value if type(generic) is cst.Name \
        else ""


def _container_annotation(annotation) -> bool:
    """`Dict[str, Tensor]`, `Optional[List[Tensor]]`: a Python container (or None), no tensor."""
    t = type(annotation)
    if t is cst.BinaryOperation and type(annotation.operator) is cst.BitOr:
        return all(_container_annotation(side) or plain_annotation(side) for side in (annotation.left, annotation.right))
    if t is not cst.Subscript:
        return False
    name = _generic_name(annotation)
    if name in ("Optional", "Union"):
        return all(type(e.slice) is cst.Index and (_container_annotation(e.slice.value) or plain_annotation(
            e.slice.value)) for e in annotation.slice)
    return name in CONTAINER_TYPES


def _torch_no_history(qualified: str) -> bool:
    return qualified in TORCH_DETACHED_FUNCTIONS or qualified in TORCH_FACTORIES or no_history_torch_function(qualified)


Fact = frozenset
_EMPTY_ENV = Env()
RefOf = Callable[[cst.BaseExpression], Optional[tuple]]


class ValueModel:
    """The value facts of one file. ``ref_of`` gives the (raw) call reference of a callee
    expression when it may name a project function (from ``walker``), else None; ``built_module``
    whether a callee is an attribute the class built as a torch module with parameters
    (`self.head = nn.Linear(...)`: calling it is a forward pass)."""

    __slots__ = ("aliases", "ref_of", "built_module", "built_parameter", "attribute_values", "file_class",
                 "built_stateless", "field_annotation", "field_reads")

    def __init__(self, aliases: AliasTable, ref_of: Optional[RefOf] = None,
                 built_module: Optional[Callable[[cst.BaseExpression], bool]] = None,
                 built_parameter: Optional[Callable[[str], bool]] = None,
                 attribute_values: Optional[Callable[[str], tuple]] = None,
                 file_class: Optional[Callable[[str], Optional[Fact]]] = None,
                 built_stateless: Optional[Callable[[cst.BaseExpression], bool]] = None,
                 field_annotation: Optional[Callable[[cst.Name, str], object]] = None) -> None:
        self.aliases = aliases
        self.ref_of = ref_of
        self.built_module = built_module
        # Whether `self.<attr>` is a parameter the class builds (`self.w = nn.Parameter(...)`):
        # what is computed from it carries a graph.
        self.built_parameter = built_parameter
        # What the class's methods store in `self.<attr>` (None for a store the analysis cannot
        # follow): the attribute is any of them.
        self.attribute_values = attribute_values
        # What constructing a class of this file by its name gives (MODULE or OBJECT), or None.
        self.file_class = file_class
        # Whether a callee is an attribute the class built as a torch module without parameters
        # (`self.act = nn.LeakyReLU(0.2)`): its result carries what its inputs carry.
        self.built_stateless = built_stateless
        # The annotation of a field (`components: Dict[str, float]`) that the class an enclosing
        # `if isinstance(name, C):` names declares, given the read of the name and the field, or None.
        self.field_annotation = field_annotation
        # Whether an attribute read of a value that may carry a graph is a *field atom* (the
        # project's class declarations of that field decide it) rather than the value's own fact.
        self.field_reads = False

    # -- the fact of an expression ---------------------------------------------------------
    def infer(self, expr: cst.BaseExpression, env, _seen: Optional[set] = None) -> Fact:
        """The fact of ``expr`` in a function whose assignments are ``env`` (``tensors.Env``)."""
        seen = _seen if _seen is not None else set()
        t = type(expr)
        if t is cst.Name:
            name = expr.value
            if name in env.backward_names:
                return _GRAPHS  # something called .backward() on it
            values = env.values.get(name)
            if values is None:
                if name in ("True", "False", "None"):
                    return _NUMBERS
                return _UNKNOWN
            # None: assigned where grad is disabled, or a value the analysis does not keep.
            if env.reaching is not None:
                kept = env.reaching.narrow(expr, values)
                if kept and len(kept) < len(values):  # only what reaches this read (a rebound `loss`)
                    return self._union((name, tuple(id(v) for v in kept)), kept, env, seen, _TENSORS)
            return self._union(name, values, env, seen, _TENSORS)
        if t is cst.Call:
            return self._call(expr, env, seen)
        if t is cst.Attribute:
            attr = expr.attr.value
            if attr in _NUMBER_ATTRS:
                return _NUMBERS
            if attr in _DETACHED_ATTRS:
                if attr == "data":
                    packed = self.infer(expr.value, env, seen)
                    if PACKED in packed:  # the PackedSequence's field: the packed tensor, history and all
                        return graph_part(packed) | _TENSORS
                return _TENSORS
            base = expr.value
            if type(base) is cst.Name and base.value in ("self", "cls"):
                return self._attribute(attr, seen)
            if type(base) is cst.Call:
                part = self._tuple_field(base, attr)
                if part is not None:
                    return part  # `torch.max(x, 1).indices`
            elif type(base) is cst.Name and self.field_annotation is not None:
                # `if isinstance(out, LossOutput): out.components`, a field the class declares as
                # Python values (`Dict[str, float]`): whatever else `out` may be (a loss tensor).
                # Declared a container (`Optional[Dict[str, Tensor]]`): what `out` holds, in
                # something that is no tensor itself.
                annotation = self.field_annotation(base, attr)
                if annotation is not None:
                    if plain_annotation(annotation):
                        return _NUMBERS
                    if _container_annotation(annotation):
                        return self.infer(base, env, seen) | _OBJECTS
            fact = self.infer(base, env, seen)  # outputs.loss, out.logits
            return field_read(attr, fact) if self.field_reads else fact
        if t is cst.Subscript:
            base = expr.value
            if type(base) is cst.Call or type(base) is cst.Name:
                position = _constant_index(expr)
                if position is None:
                    key = string_index(expr)  # `step(batch)["acc"]`: what the function stores under it
                    position = "'" + string_value(key) if type(key) is cst.SimpleString else None
                if position is not None:
                    if type(base) is cst.Call:
                        return self._call(base, env, seen, position)  # `step(batch)[1]`
                    # `out = step(batch); out["acc"]`: the element of what each call bound there returns.
                    bound = env.values.get(base.value)
                    if bound and base.value not in env.backward_names and all(
                            type(v) is cst.Call for v in bound) and (base.value, position) not in seen:
                        seen.add((base.value, position))
                        out = _NOTHING
                        for value in bound:
                            out = out | self._call(value, env, seen, position)
                        return out
            return self.infer(base, env, seen)
        if t is cst.BinaryOperation:
            left = self.infer(expr.left, env, seen)
            right = self.infer(expr.right, env, seen)
            # A number combined with anything else is that other thing (`loss * n_tokens` is a tensor).
            if left == _NUMBERS:
                return right or left
            if right == _NUMBERS:
                return left or right
            return left | right
        if t is cst.UnaryOperation:
            if type(expr.operator) is cst.Not:
                return _NUMBERS
            return self.infer(expr.expression, env, seen)
        if t is cst.BooleanOperation:
            return self.infer(expr.left, env, seen) | self.infer(expr.right, env, seen)
        if t is cst.Comparison:
            return _NUMBERS  # a bool, or a bool tensor: no history either way
        if t is cst.IfExp:
            # `v.detach() if isinstance(v, Tensor) else v`: the side the test rules out for a
            # tensor holds no tensor (so no graph) when it is that name itself.
            guarded = self.tensor_test(expr.test)
            body = _OBJECTS if guarded is not None and not guarded[1] and _is_name(expr.body, guarded[0]) \
                else self.infer(expr.body, env, seen)
            orelse = _OBJECTS if guarded is not None and guarded[1] and _is_name(expr.orelse, guarded[0]) \
                else self.infer(expr.orelse, env, seen)
            return body | orelse
        if t in (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString,
                 cst.FormattedString):
            return _NUMBERS
        if t in (cst.List, cst.Tuple, cst.Set):
            out = _NOTHING
            for element in expr.elements:
                out = out | self.infer(element.value, env, seen)
            return out or _NUMBERS  # an empty container holds no graph
        if t is cst.Dict:
            out = _NOTHING
            for element in expr.elements:
                out = out | self.infer(element.value, env, seen)  # a value, or a `**spread` mapping
            return out or _NUMBERS
        if t in (cst.ListComp, cst.SetComp, cst.GeneratorExp):
            return self.infer(expr.elt, _comprehension_env(expr, env), seen)
        if t is cst.DictComp:
            return self.infer(expr.value, _comprehension_env(expr, env), seen)
        if t is cst.Lambda:
            return _OBJECTS
        if t is cst.NamedExpr:
            return self.infer(expr.value, env, seen)
        return _UNKNOWN

    def _attribute(self, attr: str, seen: set) -> Fact:
        """The fact of `self.<attr>`: a parameter the class builds carries a graph; else the union
        of what the class's methods store there, each read on its own (its names unknown)."""
        if self.built_parameter is not None and self.built_parameter(attr):
            return _GRAPHS
        stored = self.attribute_values(attr) if self.attribute_values is not None else None
        if not stored:
            return _UNKNOWN
        return self._union(("self", attr), stored, _EMPTY_ENV, seen, _UNKNOWN)

    def _union(self, key, values, env, seen: set, missing: Fact) -> Fact:
        """What a name or attribute bound to each of ``values`` may be (``missing`` for a None:
        a value not kept); ``key`` guards against cycles (`x = x + 1`)."""
        if key in seen:
            return _NOTHING
        seen.add(key)
        out: frozenset = _NOTHING
        for value in values:
            out = out | (missing if value is None else self.infer(value, env, seen))
        return out or _UNKNOWN

    def _call(self, expr: cst.Call, env, seen: set, position: Union[int, str] = -1) -> Fact:
        """The fact of a call's result, or of one element of it (``position``: a tuple index, or
        `'key` for a string key of a returned dict)."""
        func = expr.func
        if type(func) is cst.Attribute and func.attr.value == "__call__":
            # `self.__call__(*batch)` is `self(*batch)` (a new node: the tree is not changed).
            return self._call(expr.with_changes(func=func.value), env, seen, position)
        aliases = self.aliases
        if type(position) is str:
            ref = self.ref_of(func) if self.ref_of is not None else None
            if ref is None:
                return self._call(expr, env, seen)  # a dict from outside the project: the whole of it
            facts = [self.infer(a.value, env, seen) for a in expr.args]
            return frozenset({_call_atom(ref, _looks_like_graph(expr, aliases), position, expr.args, facts)})
        if position >= 0 and _detached_output(expr, aliases, position):
            return _TENSORS  # `_, predicted = torch.max(out, 1)`: the indices
        if type(func) is cst.Attribute:
            attr = func.attr.value
            if (attr in DISTRIBUTION_HISTORY_METHODS or attr in DISTRIBUTION_DETACHED_METHODS) and \
                    self._distribution(func.value, env):
                # `dist.log_prob(a)` keeps the history of the distribution's parameters (a policy's
                # output); `dist.sample()` is drawn without any.
                if attr in DISTRIBUTION_DETACHED_METHODS:
                    return _TENSORS
                return graph_part(self.infer(func.value, env, seen)) | _TENSORS
            if attr in _NUMBER_METHODS:
                return _NUMBERS
            if attr in _DETACHED_METHODS:
                return _TENSORS
            if attr in _VIEWS:
                return self.infer(func.value, env, seen)
            if attr in SAME_OBJECT_METHODS:
                # `Generator(...).to(device)`, `x.cuda()`: the receiver itself (a module returns
                # itself; a tensor's copy keeps its history), whatever class it is.
                return self.infer(func.value, env, seen)
            if attr in _SUBMODULE_ITERATORS and not expr.args:
                return _MODULES  # `net.modules()`: nn.Module's own iterators yield modules
            if _root_imported(func, aliases):  # resolving costs: only names rooted at an import
                library = self._library(aliases.resolve(func), expr, env, seen)
                if library is not None:
                    return library
        elif type(func) is cst.Name:
            name = func.value
            bound = env.values.get(name) if env is not None else None
            if bound and len(bound) == 1 and type(bound[0]) is cst.Attribute and bound[0].attr.value == "forward":
                # `forward_func = self.model.forward; out, e = forward_func(x, last=True)`: the module's forward.
                return self._call(expr.with_changes(func=bound[0]), env, seen, position)
            qualified = aliases.resolve(func) if name in aliases.names or aliases.star_modules else None
            library = self._library(qualified, expr, env, seen)
            if library is not None:
                return library
            if name in _NUMBER_BUILTINS and qualified is None:
                return _NUMBERS
            if qualified is None and self.file_class is not None:
                built = self.file_class(name)
                if built is not None:
                    return built  # `net = Net()`: a module (or another object), never a tensor
            if name in _THROUGH_BUILTINS and qualified is None:
                out = _NOTHING
                for arg in expr.args:
                    out = out | self.infer(arg.value, env, seen)
                if name == "enumerate":
                    out = out | _NUMBERS
                return out or _UNKNOWN
        else:  # `self.layers[i](x)`: a module from a container
            return _UNKNOWN | self._packed_result(expr, env, seen, position)
        fallback = _looks_like_graph(expr, aliases, position)
        if fallback and type(func) is cst.Name and _bound_to_functions(func.value, env, aliases):
            # `stat_fn = flags["stats"] if "stats" in flags else util.empty_stat_fn`: a function
            # chosen at run time, whatever its name says (`_model_stat_fn` is no model).
            fallback = False
        if not fallback and (type(func) is cst.Name or type(func) is cst.Attribute and type(func.value) is cst.Attribute) \
                and self.built_module is not None and self.built_module(func):
            # A torch module with parameters (a trained global; a part's layer, `self.model.conv1`,
            # which no project method of that name answers for): its output has a graph.
            fallback = True
        ref = self.ref_of(func) if self.ref_of is not None else None
        if ref is None and self.ref_of is not None and type(position) is int and position >= 1:
            # A later element of what an untyped receiver's method returns (`loss, log =
            # model.forward(batch)`), where the call's syntax guesses a graph and is weakest: the
            # project methods that fit answer (none: the guess stands). The whole result and its
            # first element keep the syntax's answer (a summary computed without the arguments'
            # graphs would lose the losses it returns), and so does a result the syntax thinks plain.
            method = _any_method(expr)
            if method is not None:
                # What the syntax says decides where no project method fits the call.
                syntax = self._syntax(expr, env, seen, position, fallback)
                if GRAPH not in syntax:
                    return syntax  # the summaries only refine a graph the syntax guesses
                facts = [self.infer(a.value, env, seen) for a in expr.args]
                return frozenset({(CALL, method, True, position, _graph_arguments(facts))})
        if ref is None and fallback and self.ref_of is not None and type(position) is int and position >= 0 \
                and _bool_flags(expr.args):
            # `out, e = self.model(x, last=True, freeze=True)` on a module of unknown class: the
            # syntax's graph, unless every project forward the call can run computes that element
            # without grad under these flags (ProjectFacts._call_fact).
            facts = [self.infer(a.value, env, seen) for a in expr.args]
            return frozenset({_call_atom(FLAGGED_FORWARD, True, position, expr.args, facts)})
        if ref is not None:
            # Whether an argument may carry a graph: the callee's summary may say that what it
            # returns derives from its arguments (`def align(a, b): return F.mse_loss(a, b)`).
            # One pass over the arguments for both questions (a name met twice, `f(out, out)`,
            # is inferred at its first place: the cycle guard is shared, as everywhere).
            facts = [self.infer(a.value, env, seen) for a in expr.args]
            return frozenset({_call_atom(ref, fallback, position, expr.args, facts)}) | _packed_result(facts, position)
        return self._syntax(expr, env, seen, position, fallback)

    def _syntax(self, expr: cst.Call, env, seen: set, position, fallback: bool) -> Fact:
        """The fact of a call no project function is known to answer for: by its syntax."""
        func = expr.func
        # A later element of a forward's output (`out, var, extras = self.forward(x)`) may carry
        # its graph, but nothing says it is a tensor: a dict or a list of them just as well.
        later = _UNKNOWN if type(position) is int and position >= 1 else _NOTHING
        if fallback or self.built_module is not None and self.built_module(func):
            return _GRAPHS | later | self._packed_result(expr, env, seen, position)
        if self.built_stateless is not None and self.built_stateless(func):
            return graph_part(self._arguments(expr, env, seen)) | _TENSORS
        if type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value == "self":
            held = self._attribute(func.attr.value, seen)
            if MODULE in held and not held - _MODULE_OR_NONE:
                # `self._generator(z)` where the class's methods store `Generator(...)` (and None
                # until then): a forward of a module, recording a graph of its parameters.
                return _GRAPHS | later | self._packed_result(expr, env, seen, position)
        if type(func) is cst.Attribute:
            # A tensor method (x.sum(), x.mean(), x.cpu()) keeps the receiver's history. The
            # receiver first: the cycle guard is shared, and the arguments (read here only for a
            # PackedSequence) may name what the receiver was built from (`dist.log_prob(dist.sample())`).
            receiver = self.infer(func.value, env, seen)
            return receiver | self._packed_result(expr, env, seen, position)
        packed = self._packed_result(expr, env, seen, position)
        last = func.value
        if last[:1].isupper():
            return _OBJECTS | packed  # a class is constructed
        return _UNKNOWN | packed

    def _tuple_field(self, expr: cst.Call, field: str) -> Optional[Fact]:
        """The fact of a named field of a torch operator's tuple result (`.indices`), or None."""
        return _TENSORS if _detached_field(expr, field, self.aliases) else None

    def _torch(self, qualified: str, expr: cst.Call, env, seen: set) -> Fact:
        kind = _torch_kind(qualified)
        if kind == "distribution":
            # An object that holds its parameters, history and all (`Normal(mu, sigma)`).
            return graph_part(self._arguments(expr, env, seen)) | _OBJECTS
        if kind == "packer":
            return _PACKED | graph_part(self._arguments(expr, env, seen))
        if kind == "gradient":
            # Gradients have history only when asked for: `create_graph=True`. A variable
            # (`create_graph=create_graph`) hands the choice to the caller, who wants the graph
            # when it passes True (training on second derivatives): a deliberate graph, not a
            # leak, so the result counts as a tensor without one.
            create = any(a.keyword is not None and a.keyword.value == "create_graph"
                         and type(a.value) is cst.Name and a.value.value == "True" for a in expr.args)
            return _GRAPHS if create else _TENSORS
        if kind == "number":
            return _NUMBERS
        if kind == "module":
            return _MODULES  # `nn.Linear(4, 2)`, `torch.jit.trace(net, x)`: a module, not a tensor
        if kind == "object":
            return _OBJECTS  # `torch.compile(fn)`, `torch.device("cuda")`: no tensor at all
        if kind == "no history":
            return _TENSORS
        # A torch function keeps its tensor arguments' history (torch.stack(losses), F.relu(x)).
        return graph_part(self._arguments(expr, env, seen)) | _TENSORS

    def passes_history(self, expr: cst.BaseExpression) -> bool:
        """Whether a call is of a torch function whose result keeps its tensor arguments' history
        (`torch.cat(samples)`, `F.relu(x)`): its fact says `tensor` when no argument is known to
        carry a graph, which is no proof that none does (an object's `sample(...)` of unknown kind)."""
        if type(expr) is not cst.Call or type(expr.func) not in (cst.Name, cst.Attribute):
            return False
        func = expr.func
        if type(func) is cst.Attribute and func.attr.value in TENSOR_METHODS \
                and func.attr.value not in _NUMBER_METHODS and func.attr.value not in _DETACHED_METHODS \
                and not _root_imported(func, self.aliases):
            return True  # `samples.reshape(...)`: the receiver's history, whatever its fact says
        if not _root_imported(func, self.aliases):
            return False
        qualified = self.aliases.resolve(expr.func)
        return bool(qualified) and qualified.startswith("torch.") and _torch_kind(qualified) == "history"

    def _packed_result(self, expr: cst.Call, env, seen: set, position: int) -> Fact:
        """An RNN given a PackedSequence returns one (first in its tuple): `out, h = self.lstm(packed)`."""
        return _packed_result((self.infer(a.value, env, seen) for a in expr.args), position)

    def _library(self, qualified: Optional[str], expr: cst.Call, env, seen: set) -> Optional[Fact]:
        """What a call of a library function returns, when the library says: torch's by its data,
        and `numpy` / `math` / ... never a torch tensor (`np.mean(losses)`, `math.exp(x)`)."""
        if qualified is None:
            return None
        if qualified.startswith("torch."):
            return self._torch(qualified, expr, env, seen)
        if _network_factory(qualified):
            return _MODULES  # `torchvision.models.vgg19(weights=...)`, `timm.create_model(name)`
        if qualified in _COPIES and expr.args:
            return self.infer(expr.args[0].value, env, seen)  # `copy.deepcopy(self.actor)`: another actor
        top = qualified.partition(".")[0]
        if top in _NON_TENSOR_MODULES:
            return _NUMBERS
        if top in _OBJECT_MODULES:
            return _OBJECTS  # `weakref.finalize(obj, cb)`, `threading.Thread(...)`: never a tensor
        return None

    def _distribution(self, expr: cst.BaseExpression, env) -> bool:
        """Whether ``expr`` is a torch distribution: built here (`Normal(mu, s).log_prob(a)`), or a
        name every assignment of which builds one."""
        if type(expr) is cst.Name:
            bound = env.values.get(expr.value)
            return bool(bound) and all(type(v) is cst.Call and self._builds_distribution(v) for v in bound)
        return type(expr) is cst.Call and self._builds_distribution(expr)

    def _builds_distribution(self, call: cst.Call) -> bool:
        func = call.func
        return _root_imported(func, self.aliases) and self.aliases.resolve(func) in DISTRIBUTION_CLASSES

    def _arguments(self, expr: cst.Call, env, seen: set) -> Fact:
        out = _NOTHING
        for arg in expr.args:
            out = out | self.infer(arg.value, env, seen)
        return out

    # -- questions the rules ask -----------------------------------------------------------
    def tensor_test(self, test: cst.BaseExpression) -> Optional[tuple]:
        """(name, True) for `isinstance(name, torch.Tensor)`, (name, False) for its `not`."""
        positive = True
        if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
            test, positive = test.expression, False
        if (type(test) is cst.Call and type(test.func) is cst.Name and test.func.value == "isinstance"
                and len(test.args) == 2 and type(test.args[0].value) is cst.Name
                and self.aliases.resolve(test.args[1].value) in ("torch.Tensor", "torch.tensor")):
            return test.args[0].value.value, positive
        return None

    def infer_fields(self, expr: cst.BaseExpression, env) -> Fact:
        """``infer``, where a field read of a value of unknown class is a field atom (field_read)."""
        self.field_reads = True
        try:
            return self.infer(expr, env)
        finally:
            self.field_reads = False

    def graph(self, expr: cst.BaseExpression, env, fields: bool = False) -> Union[bool, tuple]:
        """True: ``expr`` certainly may carry a graph; False: it carries none; a tuple of call
        atoms: it does if one of those project functions returns a graph (a Condition's
        ``returns``). ``fields``: a field read of a value of unknown class (`out.metrics`) is
        a field atom, which the project's declarations of that field decide (field_read)."""
        fact = self.infer_fields(expr, env) if fields else self.infer(expr, env)
        if GRAPH in fact:
            return True
        calls = tuple(sorted((a for a in fact if type(a) is tuple), key=repr))
        return calls or False


def _tuple_output(expr: cst.Call, aliases: AliasTable) -> Optional[dict]:
    """The named tuple a torch operator call returns (its spec in torch_api.json), or None when
    the call returns something else: `torch.max(x)` and `torch.max(x, y)` are tensors, and a
    method call counts only for a Tensor method name."""
    func = expr.func
    if type(func) is cst.Attribute:
        name = func.attr.value
        spec = TUPLE_OUTPUTS.get(name)
        if spec is None:
            return None
        qualified = aliases.resolve(func) if _root_imported(func, aliases) else None
        if qualified is not None:
            if qualified != f"torch.{name}":
                return None
            args = expr.args[1:]  # torch.max(x, 1): the input comes first
        elif spec["method"]:
            args = expr.args  # x.max(1)
        else:
            return None
    elif type(func) is cst.Name:
        spec = TUPLE_OUTPUTS.get(func.value)
        if spec is None or aliases.resolve(func) != f"torch.{func.value}":
            return None
        args = expr.args[1:]
    else:
        return None
    if spec["needs_dim"]:
        positional = [a for a in args if a.keyword is None and not a.star]
        if not positional and not any(a.keyword is not None and a.keyword.value == "dim" for a in args):
            return None  # `torch.max(x)`: one tensor
        if spec["elementwise"] and positional and not _integer(positional[0].value):
            return None  # `torch.max(x, y)` (or a name that may hold a tensor): elementwise
    return spec


def _integer(expr: cst.BaseExpression) -> bool:
    if type(expr) is cst.UnaryOperation and type(expr.operator) is cst.Minus:
        expr = expr.expression
    return type(expr) is cst.Integer


def _detached_field(expr: cst.Call, field: str, aliases: AliasTable) -> bool:
    """Whether a named field of a torch operator's tuple result never carries history (`.indices`)."""
    spec = _tuple_output(expr, aliases)
    fields = spec["fields"] if spec is not None else ()
    return field in fields and fields.index(field) in spec["detached"]


def _detached_output(expr: cst.Call, aliases: AliasTable, position: int) -> bool:
    spec = _tuple_output(expr, aliases)
    return spec is not None and position in spec["detached"]


def detached_part(expr: cst.BaseExpression, aliases: AliasTable) -> bool:
    """``torch.max(x, 1)[1]``, ``x.sort()[1]``, ``torch.topk(x, k).indices``: an element of a torch
    operator's tuple result that never carries history, whatever its input carries."""
    if type(expr) is cst.Subscript and type(expr.value) is cst.Call:
        position = _constant_index(expr)
        return position is not None and _detached_output(expr.value, aliases, position)
    if type(expr) is cst.Attribute and type(expr.value) is cst.Call:
        return _detached_field(expr.value, expr.attr.value, aliases)
    return False


def _root_imported(func: cst.BaseExpression, aliases: AliasTable) -> bool:
    """Whether a name or dotted name starts at an import (or the file has a star import)."""
    root = func
    while type(root) is cst.Attribute:
        root = root.value
    return type(root) is cst.Name and (root.value in aliases.names or bool(aliases.star_modules))


def _packed_result(facts: Iterable[Fact], position: int) -> Fact:
    """PACKED when an argument is a PackedSequence and the call's result (or its first element)
    is asked for: an RNN returns one. ``facts``: the arguments' facts (a generator is read lazily)."""
    return _PACKED if position <= 0 and any(PACKED in f for f in facts) else _NOTHING


def _call_atom(ref: tuple, looks: bool, position, args, facts: list) -> tuple:
    """A call atom; when arguments certainly carry a graph, also which parameters they bind
    (``param_markers``), so a summary that says which parameters reach the result can tell
    `score(pred, labels.data)` (the graph goes to a parameter the result never reads) apart."""
    graph_args = _graph_arguments(facts)
    markers = param_markers(args, facts) if graph_args else None
    # `model(x, last=True, freeze=True)`: the flags the callee's branches may read (what a flag
    # selects may compute without grad: ProjectFacts._call_fact, quiet_branches.quiet_outputs).
    flags = _bool_flags(args) if type(position) is int and position >= 0 else ()
    if flags:
        return (CALL, ref, looks, position, graph_args, markers, flags)
    if markers is not None:
        return (CALL, ref, looks, position, graph_args, markers)
    return (CALL, ref, looks, position, graph_args)


def _bool_flags(args) -> tuple:
    """((keyword, "True" / "False"), ...): the keywords a call passes a bool literal."""
    return tuple((a.keyword.value, a.value.value) for a in args if a.keyword is not None
                 and type(a.value) is cst.Name and a.value.value in ("True", "False"))


def param_markers(args, facts: list) -> Optional[tuple]:
    """The parameters the arguments that may carry a graph bind (a graph, or a call whose syntax
    suggests one): `#i` for the i-th positional argument, `:name` for a keyword; None after a
    `*args` / `**kwargs` (positions unknown)."""
    out = []
    for i, (arg, fact) in enumerate(zip(args, facts)):
        if arg.star:
            return None
        if GRAPH in fact or any(_may_bring_graph(a) for a in fact):
            out.append(f":{arg.keyword.value}" if arg.keyword is not None else f"#{i}")
    return tuple(out)


def _graph_arguments(facts: list):
    """Whether a call's arguments hand the callee a graph: True when one certainly carries one;
    else the call atoms among them whose syntax suggests one (`a` of `loss, a = self.forward_model(x)`),
    for the project solve to decide by their summaries; False when none may."""
    if any(GRAPH in f for f in facts):
        return True
    atoms = {a for f in facts for a in f if _may_bring_graph(a)}
    return tuple(sorted(atoms, key=repr)) if atoms else False


def _may_bring_graph(atom) -> bool:
    """A call atom whose syntax suggests a graph, or that is given arguments that may carry one
    (`gram(vgg(gen))` with `vgg` of unknown class): the project solve decides."""
    return type(atom) is tuple and bool(atom[2] or atom[4])


def may_be_plain(expr: cst.BaseExpression) -> bool:
    """Whether an expression's own syntax may make it a value without a graph (`loss.item()`,
    `x.detach()`, `float(v)`, a literal, a conditional of those): a cheap gate before asking
    ``ValueModel.infer`` about it."""
    t = type(expr)
    if t is cst.IfExp:
        return may_be_plain(expr.body) and may_be_plain(expr.orelse)
    if t is cst.Call:
        func = expr.func
        if type(func) is cst.Attribute:
            return func.attr.value in _NUMBER_METHODS or func.attr.value in _DETACHED_METHODS
        return type(func) is cst.Name and func.value in _NUMBER_BUILTINS
    return t in (cst.Integer, cst.Float, cst.SimpleString, cst.Name)


def _torch_kind(qualified: str) -> str:
    """What a torch function's result is, by torch's API data (``ValueModel._torch`` says what
    each kind's fact is): "history" for a function whose result keeps its tensor arguments'
    history (`torch.stack`, `F.relu`)."""
    if qualified in DISTRIBUTION_CLASSES:
        return "distribution"
    if qualified in _PACKERS:
        return "packer"
    if qualified in _GRADIENT_FUNCTIONS:
        return "gradient"
    if qualified in TORCH_NUMBER_FUNCTIONS:
        return "number"
    if qualified in NN_MODULES or qualified in TORCH_MODULE_FACTORIES:
        return "module"
    if qualified in TORCH_OBJECTS:
        return "object"
    if _torch_no_history(qualified):
        return "no history"
    return "history"


def _comprehension_env(comp, env) -> Env:
    """The assignments a comprehension's element sees: the function's, with each `for` target
    bound to an element of what it iterates (`[o.squeeze(-1) for o in outputs]`: `o` is what
    `outputs` holds), as a `for` statement binds its target."""
    inner = env.derived(values=dict(env.values), reaching=env.reaching)
    for clause in comprehension_fors(comp.for_in):
        names: set = set()
        bound_names(clause.target, names)
        for n in names:
            inner.values.pop(n, None)  # (the comprehension's own variable, not the function's)
        if names & inner.backward_names:
            inner.backward_names = inner.backward_names - names
        inner.assign(clause.target, clause.iter)
    return inner


def field_read(attr: str, fact: Fact) -> Fact:
    """The fact of a field ``attr`` read from a value of fact ``fact`` whose class is not known
    here (`out.metrics` of `out = self.loss_fn(model, x)`): what may bring a graph along becomes
    one *field atom*, ``(CALL, ("field", attr), fallback, -1, calls)``, where ``fallback`` says
    the value itself may carry a graph and ``calls`` are its call atoms. The project decides it
    (ProjectFacts._call_fact): a field that every class of the project declaring it annotates as
    Python values (`metrics: dict[str, float]`) holds no graph; one declared a container
    (`Optional[Dict[str, Tensor]]`) is no tensor itself; otherwise it is what the value is."""
    graph = graph_part(fact)
    if not graph:
        return fact
    calls = tuple(sorted((a for a in graph if type(a) is tuple), key=repr))
    return (fact - graph) | {(CALL, ("field", attr), GRAPH in graph, -1, calls or False)}


def graph_part(fact: Fact) -> Fact:
    """The atoms of a fact that may bring a graph along (GRAPH and call atoms)."""
    return frozenset(a for a in fact if a == GRAPH or type(a) is tuple)


def no_graph(fact: Fact) -> Fact:
    """The fact of a value made where grad is disabled: no atom carries a graph."""
    if not any(a == GRAPH or type(a) is tuple for a in fact):
        return fact
    return frozenset(TENSOR if (a == GRAPH or type(a) is tuple) else a for a in fact)


# Names of methods a receiver of unknown class most likely has from torch or Python (a tensor's,
# nn.Module's own, a container's or a string's): no evidence of a project method of that name.
_API_METHODS = TENSOR_METHODS | (NN_MODULE_METHODS - {"forward"}) | CONTAINER_METHODS


def _any_method(call: cst.Call) -> Optional[tuple]:
    """`model.forward(pos_g, neg_g, gpu)`, `agent.act(obs)` through a receiver of unknown class
    (not `self`): the project methods of that name that fit the call's arguments, whose summaries
    say what the call returns (a call none fits falls back to its syntax). Torch's, nn.Module's
    and the containers' own method names are left to the syntax."""
    func = call.func
    if type(func) is not cst.Attribute or func.attr.value in _API_METHODS:
        return None
    base = func.value
    if type(base) is cst.Name and base.value in ("self", "cls") or type(base) is cst.Call:
        return None
    if any(a.star for a in call.args):
        return None
    return method_arity_ref(call)


def method_arity_ref(call: cst.Call) -> tuple:
    """The reference of `x.m(...)` by the method's name and the call's (positional, other)
    argument counts: the project methods named `m` that fit the call (ProjectFacts._targets);
    -1 positional when the call unpacks arguments (`m(*args)`: any method of that name fits)."""
    if any(a.star for a in call.args):
        return ("anyattr", call.func.attr.value, -1, 0)
    positional = sum(1 for a in call.args if a.keyword is None and not a.star)
    return ("anyattr", call.func.attr.value, positional, len(call.args) - positional)


def _looks_like_graph(expr: cst.Call, aliases: AliasTable, position: int = -1) -> bool:
    """The last resort, for a call the analysis knows nothing about: its callee is named like a
    network (all it returns may carry a graph) or a loss (the loss comes first: `loss, metrics =
    criterion(...)`; what follows it is usually detached statistics)."""
    return is_model_call(expr) or (position <= 0 and is_loss_call(expr, aliases))


def _constant_index(expr: cst.Subscript) -> Optional[int]:
    """``x[1]``: the integer index of a one-element subscript (None for slices, names, negatives)."""
    if len(expr.slice) != 1:
        return None
    index = expr.slice[0].slice
    if type(index) is cst.Index and type(index.value) is cst.Integer:
        try:
            return int(index.value.value, 0)
        except ValueError:
            return None
    return None


def _is_name(expr: cst.BaseExpression, name: str) -> bool:
    return type(expr) is cst.Name and expr.value == name


# Well-known model zoos: their builders return an nn.Module with parameters (torchvision's model
# functions and classes, not its weight enums and registry helpers; timm's `create_model`).
_MODEL_ZOO_HELPERS = frozenset({"get_weight", "get_model_weights", "list_models", "get_model_builder"})


def _bound_to_functions(name: str, env, aliases: AliasTable) -> bool:
    """Whether every assignment of a local binds a function chosen without calling anything: a
    lowercase function name, a function of an imported module (`util.empty_stat_fn`), a lookup in
    a table of callables (`flags["custom_stats"]`), or a conditional between such; never a call's
    result (`model = build(cfg)`), a class, or an attribute of an object (`encoder = ae.g_a`)."""
    bound = env.values.get(name) if env is not None else None
    if not bound:
        return False
    stack = list(bound)
    while stack:
        value = stack.pop()
        if type(value) is cst.IfExp:
            stack.extend((value.body, value.orelse))
        elif type(value) is cst.Subscript:
            # `flags["custom_stats"]`: a table of callables, by a string key (not a loop's element)
            if type(value.value) not in (cst.Name, cst.Attribute) or len(value.slice) != 1 \
                    or type(value.slice[0].slice) is not cst.Index \
                    or type(value.slice[0].slice.value) is not cst.SimpleString:
                return False
        elif type(value) in (cst.Name, cst.Attribute):
            last = value.value if type(value) is cst.Name else value.attr.value
            if not last[:1].islower() or names_network(last) \
                    or type(value) is cst.Attribute and aliases.resolve(value) is None:
                return False  # a class, a network's name, or an attribute of an object (`self.model`)
        else:
            return False
    return True


def _network_factory(qualified: str) -> bool:
    if qualified == "timm.create_model":
        return True
    if not qualified.startswith("torchvision.models."):
        return False
    last = qualified.rpartition(".")[2]
    return not last.endswith("_Weights") and last != "Weights" and last not in _MODEL_ZOO_HELPERS \
        and last[:1] != "_"
