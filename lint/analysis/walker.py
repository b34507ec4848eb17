"""One pass over a file's CST that keeps the grad-mode stack and calls the rules.

libcst's own visitor rebuilds every node it passes and costs as much as parsing; this walker
reads the dataclass fields directly and skips whitespace and punctuation, which keeps the
whole analysis a small fraction of the parse (see docs/benchmarks.md).
"""

from __future__ import annotations

import builtins
import dataclasses
import re
import sys
import typing
from typing import Callable, Iterable, Optional

import libcst as cst

from .context import OPTIMIZER_STEP, Branch, ClassInfo, FileContext, Frame, FunctionInfo
from .reaching import ReachingDefinitions, inplace_detaches, isinstance_test
from .escapes import FunctionEscapes, Store
from .class_parameters import parameterless_classes
from .context_managers import context_managers
from .freezes import finalize_freezes, freeze_of_call, freeze_of_loop, positions_frozen
from .framework_hooks import (IGNITE_CALLBACK_KEYWORDS, IGNITE_EVALUATORS, LIGHTNING_MARKERS, LIGHTNING_NO_GRAD_HOOKS,
                              MMENGINE_MARKERS, MMENGINE_NO_GRAD_HOOKS)
from .gradmode import Mode, disables_grad, mode_of_context, mode_of_switch_statement
from .names import (constructor_name as _constructor_name, decorated_with, dotted, parameter_names, positional_names,
                    root_name, string_index, string_value)
from .network_names import names_network
from .patterns import FORWARD_METHODS, comprehension_fors
from .project import CLASS, TRAIN, callers_closure, freezes_at, self_callers
from .tensors import Env, flows_into, names_in, requires_grad_flag
from .torch_api import (NN_MODULE_SELF_METHODS, NN_MODULES, NN_MODULES_WITH_PARAMETERS, NN_PARAMETER_CLASSES,
                        NN_PARAMETER_SWITCHES, TENSOR_INPLACE_DETACHED_METHODS, TENSOR_INPLACE_METHODS, TENSOR_METHODS)
from .values import (CALL, GRAPH, MODULE, NO_GRAPH_ATOMS, NUMBER, OBJECT, SAME_OBJECT_METHODS, TENSOR, UNKNOWN,
                     ValueModel, may_be_plain, no_graph)

# Fields that never hold code a rule looks at.
_SKIP_FIELD = re.compile(
    r"^(whitespace\w*|lpar|rpar|lbrace|rbrace|lbracket|rbracket|comma|semicolon|colon|dot|equal|"
    r"leading_lines|lines_after_decorators|header|footer|newline|operator|first_line|empty_lines|"
    r"trailing_whitespace|default_indent|default_newline|encoding|has_trailing_newline|indent|"
    r"star|arrow|walrus|between|asynchronous|relative)$"
)
_FIELDS: dict[type, tuple] = {}


def _may_hold_node(annotation) -> bool:
    """Whether a field with this annotation can hold a node (``str``, ``bool``, ``Literal`` and
    sentinel fields never do; an annotation it cannot read is walked, to be safe)."""
    if isinstance(annotation, type):
        return issubclass(annotation, cst.CSTNode)
    if typing.get_origin(annotation) is typing.Literal:
        return False
    args = typing.get_args(annotation)
    return not args or any(_may_hold_node(a) for a in args)


def child_fields(cls: type) -> tuple:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(
            f.name for f in dataclasses.fields(cls) if not _SKIP_FIELD.match(f.name) and _may_hold_node(f.type)
        )
    return names


def _node_types(base: type) -> set:
    out = {base}
    for sub in base.__subclasses__():
        out |= _node_types(sub)
    return out


# Every libcst node class. libcst's classes are ABCs, so `isinstance(x, cst.CSTNode)` goes through
# ABCMeta.__instancecheck__ (a Python-level call); the walker's per-child test is a set lookup of
# the exact type instead, about 5 % of a cold run.
NODE_TYPES = frozenset(_node_types(cst.CSTNode))

# Node types without code below them (Name, Integer, SimpleString, Pass, ...): the walker does
# not even call itself for one unless a rule visits that type.
_LEAVES = frozenset(
    t for t in vars(cst).values()
    if isinstance(t, type) and issubclass(t, cst.CSTNode) and not getattr(t, "__abstractmethods__", None)
    and dataclasses.is_dataclass(t) and not child_fields(t)
)


def iter_children(node: cst.CSTNode) -> Iterable[cst.CSTNode]:
    nodes = NODE_TYPES
    for name in child_fields(type(node)):
        value = getattr(node, name)
        tv = type(value)
        if tv in nodes:
            yield value
        elif tv is tuple or tv is list:
            for item in value:
                if type(item) in nodes:
                    yield item


# Nodes whose code runs in a scope of its own: their returns and bindings are not the enclosing one's.
_OWN_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def own_nodes(node: cst.CSTNode) -> Iterable[cst.CSTNode]:
    """``node`` and every code node below it outside nested functions, classes and lambdas (in no
    particular order): what belongs to one function's own body."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(c for c in iter_children(current) if not isinstance(c, _OWN_SCOPES))


def walk_nodes(node: cst.CSTNode) -> Iterable[cst.CSTNode]:
    """Every code node below ``node`` (pre-order), for rules that search a subtree."""
    # Rules call this on many subtrees: iter_children is inlined, and leaves push nothing.
    nodes = NODE_TYPES
    fields_of = _FIELDS
    stack = [node]
    pop = stack.pop
    while stack:
        current = pop()
        yield current
        t = type(current)
        fields = fields_of.get(t)
        if fields is None:
            fields = child_fields(t)
        if not fields:
            continue
        children = []
        for name in fields:
            value = getattr(current, name)
            tv = type(value)
            if tv in nodes:
                children.append(value)
            elif tv is tuple or tv is list:
                for item in value:
                    if type(item) in nodes:
                        children.append(item)
        if children:
            children.reverse()
            stack.extend(children)


_GRAD_CONTEXT_NAME = re.compile(r"no_?grad|grad_?mode|inference|eval(?:uat)?(?:ing|_mode)|frozen|freeze", re.I)
# nn.Module / Tensor methods: a call `x.train()` through an unknown object is almost always
# torch's, not a project method of that name (it would make `Trainer.train` look called).
_MODULE_API = frozenset({"train", "eval", "to", "cuda", "cpu", "float", "half", "double", "requires_grad_",
                         "zero_grad", "parameters", "named_parameters", "modules", "children", "state_dict",
                         "load_state_dict", "register_buffer", "detach", "item", "backward"})
_TRAINING_CALLS = frozenset({"backward", "grad"})


# Builtins that call the function given as their first argument where their result is consumed,
# almost always right there (lazily, but in the same frame).
_SYNCHRONOUS_BUILTINS = frozenset({"map", "filter"})
# Builtins that call the function they are given (`key=`) before they return.
_KEYED_BUILTINS = frozenset({"sorted", "min", "max"})


class Walker:
    def __init__(self, ctx: FileContext, rules: list) -> None:
        self.ctx = ctx
        self._visit: dict[type, list[Callable]] = {}
        self._leave: dict[type, list[Callable]] = {}
        for rule in rules:
            for attr, node_type in _callbacks_of(type(rule)):
                table = self._visit if attr[0] == "v" else self._leave
                table.setdefault(node_type, []).append(getattr(rule, attr))
        self._inert = _LEAVES.difference(self._visit, self._leave, _SPECIAL)
        self._walkable = NODE_TYPES - self._inert  # the child types worth a call of walk()
        self._hooks = _configured_hooks(ctx)
        self._scopes: list = []  # enclosing ClassInfo / FunctionInfo, innermost last
        self._trained: Optional[frozenset] = None  # _trained_globals, on first use
        # Names bound to a grad-mode context manager (`ctx = torch.no_grad()`), for `with ctx:`.
        self._bound_contexts: dict = {}
        self._lightning = None  # whether the file imports Lightning (a mixin's eval hooks)
        self._init_switch: dict = {}  # class key -> whether its `__init__` turns grad off (_init_disables_grad)
        self._grad_contexts: frozenset = frozenset()  # this file's context managers that switch grad
        self._train_re = ctx.settings.train_name_re
        self._decorating = None  # key of the function whose decorators are being walked
        # Per frame (module, then each function): local name -> constructor it was built with.
        self._local_types: list = [{}]
        self._loops: tuple = ()  # ids of the for/while loops around the current node, in this function
        # The value model (analysis/values.py): per frame, the assignments and what is returned.
        # Per frame, the bindings the value model reads, replayed into an Env only for a function
        # that returns something (most bodies never need theirs): (target or root name, value).
        self._bindings: list = [[]]
        # Per open function: names whose parameters it hands to a torch optimizer (`opt =
        # Adam(net.parameters())`): trained networks, their calls carry a graph (_built_module).
        self._trained_locals: list = [set()]
        self._narrowing_bodies: list = []  # functions (or the module) with an `isinstance` test of a file class
        # Per frame: name -> the number of bindings when `.backward()` was called on it.
        self._backwarded: list = [{}]
        # id(call) -> the names its result is assigned to (`f = wrap(f)`); by id: a libcst node's
        # hash walks the whole subtree.
        self._rebinding: dict = {}
        self._returns: list = [[]]  # per frame: (value node, grad disabled there) of each return / yield
        self._fallbacks: set = set()  # ids of `return v` in an `except` after `try: return v.item()`
        # Per frame: ids of the Assign statements directly in the function's body (run in order,
        # each replacing what its name held), and the indices of ``_bindings`` they made.
        self._straight: list = [frozenset()]
        self._straight_bindings: list = [set()]
        # Straight-line runs, to tell which `x = value` statement reaches a later `y = x`: each
        # `if` part, loop body, `try` clause and `match` case runs in a run of its own, pushed on
        # ``_open`` as (id, barrier) while it is walked; a loop body is a barrier (its back edge
        # brings what the body binds later). Per frame, the index of each binding an `x = value`
        # statement made -> its run. `y = x` reads that value alone when it is `x`'s last binding
        # and its run is still open below the nearest barrier (it ran on every path to here):
        # deepchem's `avg_loss = float(avg_loss) / n; ...; last_avg_loss = avg_loss` is a number.
        self._runs = 0
        self._open: list = [(0, True)]
        self._run_of: list = [{}]
        # Per frame: the function's parameter names, those it runs as a model (`net(x)`,
        # `net.forward(x)`), and (callee, position, parameter) for each parameter it passes on.
        self._params: list = [()]
        self._forwarded: list = [set()]
        self._passes: list = [[]]
        # Per frame: (call reference, callee position, parameter) for each parameter or part of
        # `self` handed to a call that another file may define (`self.policy.sample(s)`: -1, the
        # receiver): the function runs it when the callee runs that position (ProjectFacts).
        self._run_calls: list = [[]]
        self._reaching_of: dict = {}  # id(function or module node) -> (node, ReachingDefinitions)
        self._called_now: set = set()  # ids of lambdas handed to a call that runs them at once
        # Per frame: values the function adds to its object's state (`self.sum += v`,
        # `self.history.append(v)`): they outlive the call (see _kept_arguments).
        self._kept: list = [[]]
        # Per frame: values put where they may outlive the call (escapes.Store).
        self._stores: list = [[]]
        self._elements: list = [set()]  # per frame: names bound by `for` (elements of a container)
        # Per frame: (owner, frozen) for each freeze or unfreeze of a module's parameters, the
        # methods it calls on `self`, and loop names bound to an element of a dotted container
        # (`for head in self.heads`): what freezes.finalize_freezes reads.
        self._freezing: list = [([], set(), {})]
        # Per frame: dicts built with string keys (`out = {"loss": l}`, `out["acc"] = a`): name -> key
        # -> the values stored under it, or None once the name is bound to anything else.
        self._keyed: list = [{}]
        self._replayed = None  # (bindings list, its length, its Env): see _env_now
        ctx.trained_globals = self._trained_globals
        ctx.values = ValueModel(ctx.aliases, self._value_ref, self._built_module, self._built_parameter,
                                self._attribute_values, self._file_class, self._built_stateless,
                                self._field_annotation)
        ctx.graph_escapes = self._graph_escapes
        ctx.definitions_of = self._definitions_of
        ctx.env_now = self._env_now
        ctx.value_of = lambda expr: ctx.values.infer(expr, self._env_now())
        ctx.constructor_of = self._type_of
        ctx.attribute_values = self._attribute_values

    # -- traversal -------------------------------------------------------------------------
    def walk(self, node: cst.CSTNode) -> None:
        # The hottest code of the linter (every node of every parsed file): lookups inlined.
        t = type(node)
        special = _SPECIAL.get(t)
        if special is not None:
            special(self, node)
            return
        callbacks = self._visit.get(t)
        if callbacks:
            for cb in callbacks:
                cb(node)
        fields = _FIELDS.get(t)
        if fields is None:
            fields = child_fields(t)
        if fields:
            walkable = self._walkable
            for name in fields:
                value = getattr(node, name)
                tv = type(value)
                if tv is tuple or tv is list:
                    for item in value:
                        if type(item) in walkable:
                            self.walk(item)
                elif tv in walkable:
                    self.walk(value)
        callbacks = self._leave.get(t)
        if callbacks:
            for cb in callbacks:
                cb(node)

    def _children(self, node: cst.CSTNode, *names: str) -> None:
        walkable = self._walkable
        for name in names:
            value = getattr(node, name)
            tv = type(value)
            if tv is tuple or tv is list:
                for item in value:
                    if type(item) in walkable:
                        self.walk(item)
            elif tv in walkable:
                self.walk(value)

    def _enter(self, t: type, node: cst.CSTNode) -> None:
        callbacks = self._visit.get(t)
        if callbacks:
            for cb in callbacks:
                cb(node)

    def _exit(self, t: type, node: cst.CSTNode) -> None:
        callbacks = self._leave.get(t)
        if callbacks:
            for cb in callbacks:
                cb(node)

    # -- nodes that change the analysis state ----------------------------------------------
    def _module(self, node: cst.Module) -> None:
        self._grad_contexts, self.ctx.context_managers = context_managers(node, self.ctx.aliases, self.ctx.module)
        self._enter(cst.Module, node)
        self._children(node, "body")
        self._exit(cst.Module, node)

    def _import(self, node: cst.Import) -> None:
        self.ctx.aliases.add_import(node)
        self._enter(cst.Import, node)
        self._exit(cst.Import, node)

    def _import_from(self, node: cst.ImportFrom) -> None:
        self.ctx.aliases.add_import_from(node)
        self._enter(cst.ImportFrom, node)
        self._exit(cst.ImportFrom, node)

    def _class(self, node: cst.ClassDef) -> None:
        ctx = self.ctx
        key = _join(self._scope_key(), node.name.value)
        bases = tuple(ctx.aliases.resolve(arg.value) or dotted(arg.value) or "" for arg in node.bases)
        methods = frozenset(
            s.name.value for s in node.body.body if type(s) is cst.FunctionDef
        ) if type(node.body) is cst.IndentedBlock else frozenset()
        types, registered, filled, parts, switched_off, unpacked = _attribute_types(node)
        info = ClassInfo(key, node.name.value, node, bases, methods, types, switched_off)
        info.unpacked_parts = unpacked
        info.filled_containers = filled
        info.parameter_parts = parts
        unparameters = registered | {attr for attr, built in types.items()
                                     if ctx.aliases.resolve_dotted(built) not in _PARAMETER_CLASSES
                                     # an unresolved `Parameter` (a star import, a subclass): keep it one
                                     and not built.endswith("Parameter")}
        if unparameters:
            ctx.class_attributes[key] = tuple(sorted(unparameters))
        info.file_bases = tuple(ctx.class_infos[b] for b in bases if b in ctx.class_infos)
        ctx.class_infos[node.name.value] = info
        ctx.class_keys.add(key)
        if any(bases):
            ctx.defs[key] = (CLASS, None) + tuple(b for b in bases if b)
        self._children(node, "decorators", "bases", "keywords")
        ctx.classes.append(info)
        self._scopes.append(info)
        self._enter(cst.ClassDef, node)
        # A class body runs where it is defined; its methods get their own frames.
        self._children(node, "body")
        self._exit(cst.ClassDef, node)
        self._scopes.pop()
        ctx.classes.pop()

    def _scope_key(self) -> str:
        if not self._scopes:
            return self.ctx.module
        inner = self._scopes[-1]
        return f"{inner.key}.<locals>" if isinstance(inner, FunctionInfo) else inner.key

    def _function(self, node: cst.FunctionDef) -> None:
        ctx = self.ctx
        name = node.name.value
        inner = self._scopes[-1] if self._scopes else None
        klass = inner if isinstance(inner, ClassInfo) else None
        key = _join(self._scope_key(), name)
        mode, reason = Mode.INHERIT, ""
        for decorator in node.decorators:
            dmode = mode_of_context(decorator.decorator, ctx.aliases)
            if dmode is not None:
                mode, reason = dmode, "decorator"
            elif mode is Mode.INHERIT:
                # A project's own grad decorator (`@smart_inference_mode()`, `@utils.no_grad_if(x)`):
                # it may disable grad.
                expr = decorator.decorator
                target = dotted(expr.func if type(expr) is cst.Call else expr)
                if target is not None and _GRAD_CONTEXT_NAME.search(target.rpartition(".")[2]):
                    mode, reason = Mode.UNKNOWN, "decorator"
        if mode is Mode.INHERIT:
            mode, reason = self._framework_mode(name, key, klass)
        info = FunctionInfo(key, name, node, klass, mode, reason)
        if self._train_re.search(name) and _hands_back_value(node):
            # Lightning's training_step returns the loss and the framework backpropagates it:
            # a training-named function that hands back a value trains even without a backward
            # call of its own. (One that returns nothing, an encoder's `_fit` of statistics or a
            # method that only raises, trains only by what its statements do.)
            ctx.training_functions.add(key)
        ctx.defs[key] = (name, klass.key if klass else None) + _arity(node, klass is not None)
        from .quiet_branches import flag_tests, quiet_literals, quiet_outputs  # (they read the tree with this module's helpers)

        if name == "forward" and klass is not None:
            quiet = quiet_literals(node, ctx.aliases)
            if quiet:
                ctx.quiet[key] = quiet
            if node.params.star_kwarg is None:
                # The keywords a call can pass it: `model(x, freeze=True)` cannot run a forward without `freeze`.
                ctx.keywords[key] = tuple(p.name.value for p in (*node.params.params, *node.params.kwonly_params))
        tests = flag_tests(node)
        if tests:
            outputs = quiet_outputs(node, ctx.aliases, tests)
            if outputs:
                ctx.flag_outputs[key] = outputs
        if klass is not None and abstract_body(node):
            ctx.abstract.add(key)
        # Decorators and defaults run where the function is defined. A function handed to a
        # decorator (`@dispatch(single_tensor_fn=_single_tensor_adam)`) is called by the wrapper,
        # i.e. whenever the decorated function runs: in that function's mode, not the module's.
        outer, self._decorating = self._decorating, key
        self._children(node, "decorators")
        self._decorating = outer
        self._children(node, "params", "returns")
        ctx.functions.append(info)
        ctx.frames.append(Frame(mode, info))
        self._scopes.append(info)
        # `def evaluate(detector: Detector, ...)`: a parameter annotated with a class is built as
        # one (its calls and methods resolve to that class's, like `detector = Detector(...)`).
        self._local_types.append({
            p.name.value: annotated for p in (*node.params.posonly_params, *node.params.params,
                                              *node.params.kwonly_params)
            if p.annotation is not None and (annotated := _class_annotation(p.annotation.annotation)) is not None})
        self._bindings.append([])
        self._trained_locals.append(set())
        self._backwarded.append({})
        self._run_of.append({})
        self._returns.append([])
        body = node.body
        self._straight.append(frozenset(
            id(small) for line in body.body if type(line) is cst.SimpleStatementLine for small in line.body
            if type(small) is cst.Assign) if type(body) is cst.IndentedBlock else frozenset())
        self._straight_bindings.append(set())
        self._params.append(positional_names(node))
        self._forwarded.append(set())
        self._passes.append([])
        self._run_calls.append([])
        self._kept.append([])
        self._stores.append([])
        self._elements.append(set())
        self._keyed.append({})
        self._freezing.append(([], set(), {}))
        outer_loops, self._loops = self._loops, ()
        outer_branches, ctx.branches = ctx.branches, []
        self._enter(cst.FunctionDef, node)
        self._children(node, "body")
        self._exit(cst.FunctionDef, node)
        ctx.branches = outer_branches
        self._loops = outer_loops
        self._summary(key)
        kept = self._kept.pop()
        if kept:
            self._kept_arguments(key, kept)
        self._stores.pop()
        self._elements.pop()
        self._keyed.pop()
        params, forwarded = self._params.pop(), self._forwarded.pop()
        events, self_calls, _ = self._freezing.pop()
        method = klass is not None and bool(params) and params[0] == "self"
        if events or method and self_calls:
            defaults = {p.name.value: requires_grad_flag(p.default) for p in node.params.params
                        if p.default is not None}
            frozen, thawed, flagged = positions_frozen(params, method, events, defaults)
            if frozen or method and self_calls:
                ctx.freeze_entries[key] = (frozen, thawed, frozenset(self_calls) if method else frozenset())
            if flagged:
                ctx.flag_freezes[key] = flagged
        self._straight.pop()
        self._straight_bindings.pop()
        passes = self._passes.pop()
        run_calls = self._run_calls.pop()
        if run_calls:
            ctx.run_calls[key] = (info, params, run_calls)
        ctx.forwards[node] = (params, forwarded, passes)
        if forwarded:
            ctx.forward_keys[key] = _runs_entry(info, params, forwarded, ctx.aliases)
        handed = [(callee.value, at, p) for callee, at, p in passes if type(callee) is cst.Name]
        if handed:
            ctx.run_passes[key] = (info, params, handed)
        self._returns.pop()
        self._bindings.pop()
        self._backwarded.pop()
        self._run_of.pop()
        self._trained_locals.pop()
        self._local_types.pop()
        self._scopes.pop()
        ctx.frames.pop()
        ctx.functions.pop()

    def _framework_mode(self, name: str, key: str, klass) -> tuple:
        if klass is not None and name != "__init__" and self._init_disables_grad(klass):
            return Mode.DISABLED, "the class's `__init__` turns gradients off for the whole process"
        if klass is not None:
            if name in LIGHTNING_NO_GRAD_HOOKS and (
                klass.derives_from("LightningModule", "LightningDataModule", "Callback")
                or klass.method_names & LIGHTNING_MARKERS
                or self._imports_lightning()
            ):
                return Mode.DISABLED, f"Lightning runs `{name}` with grad disabled"
            if name == "step" and klass.derives_from("Optimizer"):
                return Mode.DISABLED, OPTIMIZER_STEP
            if name in MMENGINE_NO_GRAD_HOOKS and (klass.derives_from("BaseModel")
                                                   or MMENGINE_MARKERS and MMENGINE_MARKERS <= klass.method_names):
                return Mode.DISABLED, f"mmengine's validation and test loops run `{name}` with grad disabled"
        if self._hooks and _matches_hook(self._hooks, key, klass):
            return Mode.DISABLED, f"`{name}` is a configured grad-disabled hook"
        return Mode.INHERIT, ""

    def _init_disables_grad(self, klass) -> bool:
        """Whether a class's `__init__` turns grad off for the process (`torch.set_grad_enabled(False)`
        as a statement of its body, a test-only or translate-only command object) and no method of
        the class turns it back on: its methods run after construction, with grad off."""
        cached = self._init_switch.get(klass.key)
        if cached is None:
            cached = False
            body = klass.node.body
            methods = [m for m in body.body if type(m) is cst.FunctionDef] if type(body) is cst.IndentedBlock else []
            init = next((m for m in methods if m.name.value == "__init__"), None)
            if init is not None and type(init.body) is cst.IndentedBlock:
                def switches(fn) -> list:
                    return [mode for st in fn.body.body if type(st) is cst.SimpleStatementLine
                            for small in st.body if type(small) is cst.Expr
                            for mode in (mode_of_switch_statement(small.value, self.ctx.aliases),) if mode is not None]
                own = switches(init)
                cached = bool(own) and own[-1].disabled and not any(
                    not mode.disabled for m in methods if m is not init and type(m.body) is cst.IndentedBlock
                    for mode in switches(m))
            self._init_switch[klass.key] = cached
        return cached

    def _imports_lightning(self) -> bool:
        if self._lightning is None:
            self._lightning = any(
                v.split(".", 1)[0] in ("lightning", "pytorch_lightning") for v in self.ctx.aliases.names.values()
            )
        return self._lightning

    def _with(self, node: cst.With) -> None:
        ctx = self.ctx
        self._enter(cst.With, node)
        self._children(node, "items")
        mode = None
        contexts: "tuple | None" = ()  # references of the context managers guessed by name (None: one has none)
        guessed = False
        for item in node.items:
            expr = item.item
            item_mode = mode_of_context(expr, ctx.aliases)
            if item_mode is None and self._bound_contexts and type(expr) is cst.Name:
                # `ctx = torch.no_grad() if frozen else nullcontext()` ... `with ctx:`
                item_mode = self._bound_contexts.get(expr.value)
            elif item_mode is None and self._bound_contexts and type(expr) is cst.Call and type(expr.func) is cst.Name \
                    and not expr.args:
                # `grad_context = nullcontext if with_grad else torch.no_grad` ... `with grad_context():`
                item_mode = self._bound_contexts.get(expr.func.value)
            if item_mode is None and type(expr) is cst.Call:
                # A project's own context manager that switches grad mode (a @contextmanager of
                # this file around `torch.set_grad_enabled(training)`), or one named like it
                # (`with evaluating(model):`, `with utils.no_grad_if(cond):`): it may disable grad.
                name = dotted(expr.func)
                if name is not None:
                    short = name.rpartition(".")[2]
                    if short in self._grad_contexts:
                        item_mode, contexts = Mode.UNKNOWN, None
                    elif _GRAD_CONTEXT_NAME.search(short):
                        # By its name only: the project may show it switches no grad mode.
                        item_mode, guessed = Mode.UNKNOWN, True
                        ref = self._ref(expr.func)
                        contexts = None if ref is None or contexts is None else contexts + (ref,)
            elif item_mode is not None:
                contexts = None
            if item_mode is not None:
                mode = item_mode
        if mode is None:
            self._children(node, "body")
        else:
            named = contexts if mode is Mode.UNKNOWN and contexts else ()
            ctx.frames.append(Frame(mode, ctx.frames[-1].function, "with", named, guessed))
            self._children(node, "body")
            ctx.frames.pop()
        self._exit(cst.With, node)

    def _assign(self, node: cst.Assign) -> None:
        value = node.value
        recording = self._may_record()
        bound = self._reaching(value) if len(node.targets) == 1 and type(value) is cst.Name else value
        if id(node) not in self._fallbacks:  # (`except ...: out = v` after `out = v.item()`)
            for target in node.targets:
                self._bind(target.target, bound, recording)
            if len(node.targets) == 1 and type(node.targets[0].target) is cst.Name:
                self._run_of[-1][len(self._bindings[-1]) - 1] = self._open[-1][0]
                if id(node) in self._straight[-1]:
                    self._straight_bindings[-1].add(len(self._bindings[-1]) - 1)
        if (len(node.targets) == 1 and type(node.targets[0].target) is cst.Attribute and recording
                and root_name(node.targets[0].target) == "self" and _reads(value, node.targets[0].target)):
            # `self.v = (self.v * self.n + x) / (self.n + 1)`: a running value built on its own last
            # state accumulates like `self.v += x` (each call's graph links to the one before).
            self._kept[-1].append(self._returned(value, gate=False))
        if type(value) is cst.Call and value.args and len(self._trained_locals) > 1:
            trained = _optimized_name(value, self.ctx.aliases)
            if trained is not None:
                self._trained_locals[-1].add(trained)
        if len(node.targets) == 1:
            # `meter = RunningMean()`, `a, b = Meter(), Meter()`: what each name was built as.
            target = node.targets[0].target
            pairs = ((target, value),) if type(target) is cst.Name else (
                zip((e.value for e in target.elements), (e.value for e in value.elements))
                if type(target) in (cst.Tuple, cst.List) and type(value) in (cst.Tuple, cst.List)
                and len(target.elements) == len(value.elements) else ())
            local_types = self._local_types[-1]
            for name, part in pairs:
                if type(name) is not cst.Name:
                    continue
                constructor = _constructor_name(part)
                if constructor is not None and "." not in constructor and (
                        constructor in local_types or constructor in self._params[-1]):
                    # `out = TransformerNetwork(x)` where `TransformerNetwork = Net()` in the function:
                    # an instance called, whatever its name says; what it returns is no instance of it.
                    constructor = None
                    if local_types:
                        local_types.pop(name.value, None)
                    continue
                if constructor is None:
                    # `Model(...).to(device)`, `model = model.to(device)`: the same instance, so
                    # the same class (a parameter annotated `model: TemporalSetPrediction` keeps it).
                    same = _same_instance(part)
                    if same is not part:
                        constructor = (self._type_of(same.value) if type(same) is cst.Name
                                       else _constructor_name(same))
                if constructor is not None:
                    known = local_types.get(name.value)
                    # `trainer = MUNIT_Trainer(c)` under one `if`, `trainer = UNIT_Trainer(c)` under the
                    # other: either class (`_AMBIGUOUS`), so none of their methods is the one called.
                    local_types[name.value] = constructor if known in (None, constructor) or not self.ctx.branches \
                        else _AMBIGUOUS
                elif local_types:
                    local_types.pop(name.value, None)
                # `meters = defaultdict(AverageMeter)`, `{k: Meter() for k in keys}`: what its items
                # are built as, under "name[]" (`meters[k].update(v)` calls that class's method).
                element = _element_constructor(part)
                if element is not None:
                    local_types[name.value + "[]"] = element
                elif local_types:
                    local_types.pop(name.value + "[]", None)
        if type(value) in (cst.Call, cst.IfExp) and len(node.targets) == 1:
            target = node.targets[0].target
            if type(target) is cst.Name:
                mode = mode_of_context(value, self.ctx.aliases)
                if mode is not None:
                    self._bound_contexts[target.value] = mode
                elif self._bound_contexts:
                    self._bound_contexts.pop(target.value, None)
        # `func = _single_tensor_sgd`, `eval_func = self._full_sort_batch_eval` (or `a if c else b`):
        # the function is called later through the name, from this frame; count the reference as
        # a call site in the mode in force here.
        for ref_node in (value.body, value.orelse) if type(value) is cst.IfExp else (value,):
            self._reference_site(ref_node)
        if type(value) is cst.Call:
            # `self.f = torch.compile(self.f)`, `step = wrap(step)`: the function is wrapped and
            # rebound, not called (its calls through the new binding are counted where they are).
            self._rebinding[id(value)] = {dotted(t.target) for t in node.targets} - {None}
        self._enter(cst.Assign, node)
        self._children(node, "targets", "value")
        self._exit(cst.Assign, node)
        self._rebinding.pop(id(value), None)
        mode = mode_of_switch_statement(value, self.ctx.aliases)
        if mode is not None:
            # `_ = torch.set_grad_enabled(False)` (a notebook's way to keep the repr quiet): the
            # switch happens when the object is made, whatever name it is bound to.
            frame = self.ctx.frames[-1]
            frame.mode = mode
            frame.origin = "switch"

    # -- the value model's records ---------------------------------------------------------
    def _may_record(self) -> bool:
        """Whether autograd may record here (grad not certainly disabled)."""
        return not self.ctx.frames[-1].mode.disabled

    def _bind(self, target: cst.BaseExpression, value: Optional[cst.BaseExpression], recording: bool) -> None:
        t = type(target)
        if t is cst.Name or t is cst.Subscript and type(target.value) is cst.Name:
            self._key_store(target, value, recording)
        if t is cst.Subscript or t is cst.Attribute:
            # `d[k] = v`, `out.loss = v`: the container (a local) now holds v too.
            root = root_name(target)
            if root is not None and root != "self":
                self._bindings[-1].append((root, value if recording else None))
            if recording and value is not None:
                read = target.value if type(target.value) is cst.Name else None
                self._stores[-1].append(Store(None if root in (None, "self", "cls") else root, value, read))
            return
        self._bindings[-1].append((target, value if recording else None))
        if (t is cst.Tuple or t is cst.List) and recording and value is not None:
            # `out, self.hidden = self.rnn(x)`: a part of the value goes where the target element says.
            for element in target.elements:
                part = element.value
                if type(part) in (cst.Subscript, cst.Attribute):
                    root = root_name(part)
                    self._stores[-1].append(Store(None if root in (None, "self", "cls") else root, value))

    def _key_store(self, target, value, recording: bool) -> None:
        """Keep the string keys of a dict the function builds: `d = {"a": x}` / `d["a"] = x` (one
        string key each); any other binding of the name forgets them."""
        keyed = self._keyed[-1]
        if type(target) is cst.Name:
            name = target.value
            entries = _string_keyed(value)
            if entries is not None:
                entry = keyed.setdefault(name, {})
                if entry is not None:
                    for key, part in entries:
                        entry.setdefault(key, []).append(part if recording else None)
            elif name in keyed:  # (most names never hold a dict: nothing to forget)
                keyed[name] = None
            return
        name = target.value.value
        index = string_index(target)
        entry = keyed.get(name)
        if entry is None:
            return
        if type(index) is cst.SimpleString:
            entry.setdefault(string_value(index), []).append(value if recording else None)
        else:
            keyed[name] = None

    def _aug_assign(self, node: cst.AugAssign) -> None:
        # `total += x`: total is what it was, or what x makes it (a union of both).
        self._bind(node.target, node.value, self._may_record())
        if type(node.target) is not cst.Name and root_name(node.target) == "self" and self._may_record():
            # `self.sum += val * n`, `self.losses[k] += loss[k]`; `v = v.data.sum()` before it cut the graph.
            self._kept[-1].append(self._returned(node.value, gate=False))
        self._enter(cst.AugAssign, node)
        self._children(node, "target", "value")
        self._exit(cst.AugAssign, node)

    def _ann_assign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value, self._may_record())
        self._enter(cst.AnnAssign, node)
        self._children(node, "target", "annotation", "value")
        self._exit(cst.AnnAssign, node)

    def _return(self, node: cst.Return) -> None:
        if id(node) not in self._fallbacks:
            self._returns[-1].append((self._returned(node.value), not self._may_record()))
        fn = self.ctx.function
        if fn is not None and type(node.value) is cst.Name:
            # `return perform_val_step_fn`: a closure handed to whoever calls the factory.
            closure = f"{fn.key}.<locals>.{node.value.value}"
            if closure in self.ctx.defs:
                self.ctx.returned_closures.add(closure)
        self._enter(cst.Return, node)
        self._children(node, "value")
        self._exit(cst.Return, node)

    def _yield(self, node: cst.Yield) -> None:
        # A generator's call is iterated: its elements are what it yields.
        value = node.value
        if not type(value) is cst.From:
            self._returns[-1].append((value, not self._may_record()))
        self._enter(cst.Yield, node)
        self._children(node, "value")
        self._exit(cst.Yield, node)

    def _returned(self, value: Optional[cst.BaseExpression], gate: bool = True) -> Optional[cst.BaseExpression]:
        """What a `return name` gives, for the summary: the value of the name's last assignment
        when that is a statement of the function's own body (it replaced whatever the name held:
        `loss = loss.item(); return loss` returns a number, whatever `loss` was before), else the
        name (all its assignments). Not in a loop, where a later assignment reaches the next turn.
        Each element of a returned tuple alike (`return aux, loss`). ``gate``: only a value whose
        syntax may make it plain is inferred (every return asks; a value kept in the object's state,
        rarer, is always inferred: `v = v.data.sum()` cuts the graph too)."""
        if self._loops or not self._straight_bindings[-1]:
            return value
        if type(value) is cst.Tuple:
            elements = [e.with_changes(value=self._returned(e.value)) if type(e.value) is cst.Name else e
                        for e in value.elements]
            if any(new.value is not old.value for new, old in zip(elements, value.elements)):
                return value.with_changes(elements=elements)
            return value
        if type(value) is not cst.Name:
            if type(value) not in _PINNED_EXPRESSIONS:
                return value
            # `return (out + 1) / 2` after `out = out.cpu().detach()`: each name read as its value
            # there (a new expression; the tree is not changed).
            for name in _read_names(value):
                bound = self._returned(name, gate)
                if bound is not name:
                    value = value.deep_replace(name, bound)
            return value
        name = value.value
        bindings = self._bindings[-1]
        assigned = [i for i, (target, _) in enumerate(bindings)
                    if target == name or type(target) is cst.Name and target.value == name]
        if len(assigned) < (1 if name in self._params[-1] else 2):
            return value  # one assignment (a parameter is one too): the name says what it says
        last = assigned[-1]
        bound = bindings[last][1]
        # None: assigned where grad was disabled; the name (all its values) then says more. Only a
        # value that certainly has no graph (`.item()`, `.detach()`) replaces the name: a call's
        # result read alone would lose what its arguments' other values bring (`m = f(m); return m`).
        if last not in self._straight_bindings[-1] or bound is None or gate and not may_be_plain(bound):
            return value
        env = self._env_now()
        fact = self.ctx.values.infer(bound, env)
        if name in env.backward_names and TENSOR in fact:
            return value  # `loss = a + b; loss.backward(); return loss`: a tensor with a graph, whatever its terms say
        return bound if fact and fact <= NO_GRAPH_ATOMS else value

    def _summary(self, key: str) -> None:
        """What the function returns (its summary's value fact, call atoms still raw), and, when
        every return is a tuple of one length (`return loss, acc`), each position's fact under
        ``key#i`` (so `loss, acc = step(b)` gives acc what the function puts there)."""
        returns = self._returns[-1]
        env = self._env_now() if any(v is not None for v, _ in returns) else None
        fact = self._store_summary(key, returns, env)
        fn = self.ctx.function
        annotation = fn.node.returns if fn is not None else None
        if annotation is not None and type(annotation.annotation) is cst.Name \
                and annotation.annotation.value in _SCALAR_ANNOTATIONS \
                and not any(a == GRAPH or a == TENSOR or type(a) is tuple for a in fact):
            # `def get_loss(...) -> float:` whose value the file cannot type (a loss callback's
            # result): the annotation says a number; a value that is a tensor on some path, or that
            # a project function returns, says more (`-> float` over `return q.predict(x, a)`).
            self.ctx.returns[key] = (NUMBER,)
            return
        if env is not None and fn is not None and any(a == GRAPH or type(a) is tuple for a in fact) and \
                self._returns_read_rebound(returns, env):
            # By names alone it may return a graph; by the assignments each read sees, maybe not
            # (`loss.backward(); loss = loss.item(); total += loss; return total`).
            reaching = self._definitions_of(fn.node)
            if reaching.supported:
                flowing = env.derived(reaching=reaching)
                out = self.ctx.returns
                before = {k: v for k, v in out.items() if k == key or k.startswith(key + "#")}
                fact = self._store_summary(key, returns, flowing)
                # The narrowed summary drops graphs no read sees; what else the names alone said
                # stays (an unknown or a number keeps a `.detach()` fix from being offered).
                for name, old in before.items():
                    new = out.get(name, ())
                    merged = set(new) | {a for a in old if a != GRAPH and type(a) is not tuple}
                    out[name] = tuple(sorted(merged, key=repr))
                fact = frozenset(out.get(key, ())) or fact
                env = flowing
        params = self._params[-1]
        if params and self.ctx.function is not None and self.ctx.function.klass is not None:
            params = params[1:]  # the receiver: a method's arguments are what its callers pass
        # Only a summary that may still depend on the arguments: one with no graph yet, and with
        # something unknown, a tensor, or a call's result in it (a number stays a number).
        if env is not None and params and GRAPH not in fact and any(
                a in (UNKNOWN, TENSOR) or type(a) is tuple for a in fact):
            # The summary given arguments that carry a graph (key@args, used by calls whose
            # arguments do): parameters read as graph-carrying tensors. Kept only where it differs.
            self._store_summary(key, returns, _with_graphs(env, params), "@args")
            if len(params) > 1 and GRAPH in self.ctx.returns.get(key + "@args", ()):
                self._store_graph_params(key, returns, env, params)

    def _store_graph_params(self, key: str, returns: list, env, params: tuple) -> None:
        """Which parameters alone make what the function returns carry a graph (key@params, as
        call markers: `#i` by position, `:name` by keyword): `def score(logits, labels): ...
        return one_hots * labels` given a graph in `logits` returns none. Only for signatures
        whose every parameter a call can name so (no keyword-only or starred parameters)."""
        fn = self.ctx.function
        node = fn.node if fn is not None else None
        if node is None or node.params.kwonly_params or type(node.params.star_arg) is cst.Param \
                or node.params.star_kwarg is not None:
            return
        values = self.ctx.values
        markers: list = []
        # Only the parameters the returned values read, through the assignments (names alone).
        reached = flows_into({n for value, _ in returns if value is not None for n in names_in(value)}, env)
        for i, name in enumerate(params):
            if name not in reached:
                continue
            alone = _with_graphs(env, (name,))
            if any(value is not None and not disabled and GRAPH in values.infer(value, alone)
                   for value, disabled in returns):
                markers += (f"#{i}", f":{name}")
        self.ctx.returns[key + "@params"] = tuple(markers)

    def _returns_read_rebound(self, returns: list, env: Env) -> bool:
        """Whether what the function returns reads, through its assignments, a name bound more
        than once: only then can the assignments each read sees tell more than the names do
        (reaching definitions are built for a few hundred functions instead of every function
        that rebinds some name)."""
        values = env.values
        if not any(len(bound) > 1 for bound in values.values()):
            return False
        roots = {n for value, _ in returns if value is not None for n in names_in(value)}
        return any(len(values.get(n, ())) > 1 for n in flows_into(roots, env))

    def _graph_escapes(self, handed: Optional[list] = None, sources=frozenset(), sinks=None,
                       callers: bool = True) -> bool:
        """Whether a graph computed in the current function reaches its callers (escapes.py): asked
        by a rule when it leaves the function, whose body is walked and whose class is still the
        current one (`self.head(x)` is a module of it); most functions are never asked.
        ``handed``: filled with the call references the graph is handed to otherwise; ``sources``:
        calls the rule takes for forwards (escapes.FunctionEscapes.graph_escapes). With ``sinks``
        (the function's gradient uses), only the graph of ``sources`` counts, and reaching a sink
        counts too (FunctionEscapes.graph_reaches); ``callers`` False: only the sinks do."""
        calls: "list | None" = [] if handed is not None else None
        function = FunctionEscapes(self.ctx.values, self._env_now(), self._stores[-1], self._returns[-1],
                                   self._params[-1], self._elements[-1])
        escapes = (function.graph_escapes(calls, sources) if sinks is None
                   else function.graph_reaches(sources, sinks, calls, callers))
        fn = self.ctx.function
        body = fn.node if fn is not None else self.ctx.module_node if len(self._params) == 1 else None
        if escapes and (sinks is not None or sources) and body is not None:
            # By names alone it reaches; by the assignments each read sees, maybe not (a reused
            # `pred`; `descs = net(p)` in a loop, then `descs = descs.detach().numpy()` before the
            # return, all under one `if`). Without sinks, only the forwards' graph is followed.
            flow_calls: "list | None" = [] if handed is not None else None
            if function.graph_reaches_flow(self._definitions_of(body), sources, sinks or (), flow_calls,
                                           callers) is False:
                escapes, calls = False, flow_calls
        for call in calls or ():
            ref = self.ctx.values.ref_of(call.func)
            if ref is not None:
                handed.append(ref)
        return escapes

    def _definitions_of(self, body) -> ReachingDefinitions:
        """The reaching definitions of a function (or the module), built once per body: a summary
        and several rules' escape questions ask about the same function."""
        cached = self._reaching_of.get(id(body))
        if cached is None or cached[0] is not body:
            cached = self._reaching_of[id(body)] = (body, ReachingDefinitions(body))
        return cached[1]

    def _env_now(self) -> Env:
        """The current function's assignments so far, replayed once per function summary."""
        bindings = self._bindings[-1]
        cached = self._replayed
        if cached is None or cached[0] is not bindings or cached[1] != len(bindings):
            cached = self._replayed = (bindings, len(bindings), _replay(bindings))
        env = cached[2]
        if self._backwarded[-1]:
            # `loss.backward()`: it had a graph, unless the name is bound again after the call
            # (`loss = loss.item()`).
            env.backward_names = env.backward_names | {
                name for name, at in self._backwarded[-1].items()
                if not any(t == name or type(t) is cst.Name and t.value == name for t, _ in bindings[at:])}
        return env

    def _kept_arguments(self, key: str, kept: list) -> None:
        """The positions of a method's arguments whose graph it keeps in its object's state: a
        value it adds there reads the argument and may carry a graph when the argument does
        (`self.sum += hvd.allreduce(val)`), not when it goes through `.item()` or `.detach()`."""
        fn = self.ctx.function
        params = self._params[-1]
        if fn is None or fn.klass is None or len(params) < 2:
            return
        args = params[1:]
        # `if isinstance(val, torch.Tensor): val = val.item()` (a meter's idiom): a value that reads only
        # names converted so is never kept as a tensor.
        converted = _converted_when_tensor(fn.node, self.ctx.values, self._env_now())
        if converted:
            kept = [value for value in kept if not set(names_in(value)) <= converted or not names_in(value)]
        # What each kept value reads (through the function's assignments), once per value.
        reads = [(value, flows_into(names_in(value), self._env_now())) for value in kept]
        reads = [(value, read) for value, read in reads if not read.isdisjoint(args)]
        if not reads:
            return
        env = self._env_now()
        values = self.ctx.values
        positions = []
        for position, param in enumerate(args):
            with_graph = _with_graphs(env, (param,))
            if any(param in read and _may_carry(value, values, with_graph) for value, read in reads):
                positions.append(position)
        if positions:
            self.ctx.keeps[key] = tuple(positions)

    def _store_summary(self, key: str, returns: list, env, suffix: str = "") -> frozenset:
        values = self.ctx.values
        out = self.ctx.returns

        def fact_of(value, disabled: bool) -> frozenset:
            one = values.infer(value, env)
            return no_graph(one) if disabled else one

        def store(name: str, fact: frozenset) -> None:
            fact = tuple(sorted(fact, key=repr))
            if not suffix or out.get(name) != fact:
                out[name + suffix] = fact

        widths = {len(v.elements) if type(v) is cst.Tuple and not any(
            type(e) is cst.StarredElement for e in v.elements) else 0 for v, _ in returns}
        fact: frozenset = frozenset()
        if returns and len(widths) == 1 and 0 not in widths:
            # The whole is the union of the positions (a tuple's fact is its elements'): infer once.
            for position in range(widths.pop()):
                part: frozenset = frozenset()
                for value, disabled in returns:
                    part = part | fact_of(value.elements[position].value, disabled)
                store(f"{key}#{position}", part)
                fact = fact | part
        else:
            for value, disabled in returns:
                # `return` alone is None; an inferred fact is never empty.
                fact = fact | ({NUMBER} if value is None else fact_of(value, disabled))
            # Every return a dict with string keys (`return {"loss": l, "acc": a}`, or a name built
            # so): each key's fact under ``key#'name`` (so `step(b)["acc"]` is what is stored there).
            keyed = [self._keys_of(value) for value, _ in returns]
            if returns and all(k is not None for k in keyed):
                for name in {k for entry in keyed for k in entry}:
                    part: frozenset = frozenset()
                    for entry, (_, disabled) in zip(keyed, returns):
                        for value in entry.get(name, ()):
                            # None: stored where grad was disabled (a tensor without history).
                            part = part | (frozenset({TENSOR}) if value is None else fact_of(value, disabled))
                    store(f"{key}#'{name}", part)
        # No return at all: the call gives None.
        store(key, fact or {NUMBER})
        return fact

    def _keys_of(self, value) -> Optional[dict]:
        """The string keys of a returned dict and the values stored under each, or None."""
        entries = _string_keyed(value)
        if entries is not None:
            out: dict = {}
            for key, part in entries:
                out.setdefault(key, []).append(part)
            return out
        if type(value) is cst.Name:
            return self._keyed[-1].get(value.value)
        return None

    def _record_forward(self, node: cst.Call, params: tuple) -> None:
        """What the function does with its parameters: runs one as a model, or hands one on (with
        grad possibly on: a forward under the function's own `no_grad` is no forward for its callers)."""
        mode = self.ctx.frames[-1].mode
        if mode.disabled or mode is Mode.UNKNOWN:
            return  # under the function's own no_grad, or a context that may be one (`with ctx():`)
        func = node.func
        callee = func.value if type(func) is cst.Attribute and func.attr.value in FORWARD_METHODS else func
        if type(callee) is cst.Name and callee.value in params:
            self._forwarded[-1].add(callee.value)
            return
        if (type(callee) is cst.Attribute and type(callee.value) is cst.Name and callee.value.value == "self"
                and params[0] == "self" and (node.args or callee is not func)):
            # A method that runs one of its object's attributes (`self.policy(obs)`): "self.policy".
            # (`self._first_module()`, given nothing, is an accessor an external base defines.)
            self._forwarded[-1].add(f"self.{callee.attr.value}")
            fn = self.ctx.function
            if callee is not func and func.attr.value == "forward" and fn is not None and fn.klass is not None:
                fn.klass.forward_parts.add(callee.attr.value)
        ref = None
        if callee is func and type(func) is cst.Attribute:
            # `self.policy.sample(s)`, `model.sample(s)`: a method of a part of `self` or of a
            # parameter, which runs it when that method runs its receiver (another file's, maybe).
            receiver = func.value
            part = "self" if (type(receiver) is cst.Attribute and type(receiver.value) is cst.Name
                              and receiver.value.value == "self" and params[0] == "self") else (
                receiver.value if type(receiver) is cst.Name and receiver.value in params
                and receiver.value != "self" else None)
            if part is not None:
                ref = self._ref(func)
                refs = self._alternative_refs(receiver, func.attr.value) if part == "self" and ref is not None \
                    and ref[0] == "anyattr" else None
                if refs or ref is not None:
                    self._run_calls[-1].append((refs or (ref,), -1, part))
        position = 0
        for arg in node.args:
            if arg.keyword is not None or arg.star:
                break
            value = arg.value
            if type(value) is cst.Name and value.value in params:
                self._passes[-1].append((func, position, value.value))
                if type(func) is not cst.Name:  # a function of the file by name: _passed_runs
                    ref = ref or self._ref(func)
                    if ref is not None:
                        self._run_calls[-1].append(((ref,), position, value.value))
            position += 1

    def _alternative_refs(self, receiver: cst.Attribute, method: str) -> Optional[tuple]:
        """`self.policy.sample(s)` where the class's methods build `self.policy` as one of several
        classes (`GaussianPolicy(...)` or `DeterministicPolicy(...)` by a branch): that method of
        each, every one of which must run its receiver (None unless every value stored is built
        by a constructor, placeholders aside)."""
        found = self._stored_constructors(receiver.attr.value)
        if found is None or len(found) < 2:
            return None
        scopes = tuple(f.key for f in reversed(self.ctx.functions))
        return tuple(("typed", c, method, scopes) for c in sorted(found))

    def _built_module(self, func: cst.BaseExpression) -> bool:
        """`self.head(x)` where the class built `self.head = nn.Linear(...)`: a torch module with
        parameters (torch's API data), whatever the attribute's name (also one level down, in a part
        of a class of this file: `self.model.conv1(x)`); `aD(x)` in a function, where
        the script hands `aD.parameters()` to a torch optimizer at its top level."""
        if type(func) is cst.Name:
            name = func.value
            if self._local_torch_class(name) in NN_MODULES_WITH_PARAMETERS or name in self._trained_locals[-1]:
                # `cell = nn.GRUCell(4, 8)`, or `opt = Adam(net.parameters())` in the function: a
                # module with parameters
                return True
            return name in self.ctx.trained_globals() and name not in self._env_now().values \
                and name not in self._params[-1]
        fn = self.ctx.function
        klass = fn.klass if fn is not None else None
        if type(func) is cst.Attribute and type(func.value) is cst.Attribute and klass is not None \
                and type(func.value.value) is cst.Name and func.value.value.value == "self":
            # `self.model.conv1(x)`, where `__init__` builds `self.model = Backbone()` of this file
            # and `Backbone.__init__` builds `self.conv1 = nn.Linear(...)`: a part's torch layer.
            built = klass.attr_types.get(func.value.attr.value)
            part = self.ctx.class_infos.get(built) if built is not None else None
            return part is not None and part is not klass and part.builds_torch_module(func.attr.value,
                                                                                       self.ctx.aliases)
        if type(func) is not cst.Attribute or type(func.value) is not cst.Name or func.value.value != "self":
            return False
        return klass is not None and klass.builds_torch_module(func.attr.value, self.ctx.aliases)

    def _trained_globals(self) -> frozenset:
        """Globals whose parameters a module-level statement hands to a torch optimizer
        (`optimizer_d = torch.optim.Adam(aD.parameters(), lr=LR)`): trained networks, whatever their
        names or however they were built (`torch.load`, a class star-imported from another file)."""
        found = self._trained
        if found is None:
            names = set()
            module = self.ctx.module_node
            for statement in module.body if module is not None else ():
                if type(statement) is not cst.SimpleStatementLine:
                    continue
                for small in statement.body:
                    value = small.value if type(small) in (cst.Assign, cst.Expr) else None
                    trained = _optimized_name(value, self.ctx.aliases) if type(value) is cst.Call and value.args \
                        else None
                    if trained is not None:
                        names.add(trained)
            found = self._trained = frozenset(names)
        return found

    def _built_stateless(self, func: cst.BaseExpression) -> bool:
        """`self.act(x)` where the class built `self.act = nn.LeakyReLU(...)`: a torch module
        without parameters (an activation, a pooling, a loss), whose output is its inputs' work."""
        if type(func) is cst.Name:  # `mse = nn.MSELoss().to(device)` in the function
            return self._local_torch_class(func.value) in _STATELESS_MODULES
        if type(func) is not cst.Attribute or type(func.value) is not cst.Name or func.value.value != "self":
            return False
        fn = self.ctx.function
        klass = fn.klass if fn is not None else None
        if klass is None:
            return False
        attr = func.attr.value
        if klass.built_as(attr, self.ctx.aliases, _STATELESS_MODULES) or klass.built_without_parameters(
                attr, self.ctx.aliases):
            return True
        # `self.bn = nn.BatchNorm1d(1, affine=False)` under a setting, `self.bn = None` otherwise.
        values = [v for v in class_attribute_values(klass, self.ctx.aliases).get(attr, ())
                  if not (type(v) is cst.Name and v.value == "None")]
        return bool(values) and all(self._parameterless_construction(v) for v in values)

    def _parameterless_construction(self, value) -> bool:
        """A torch module built without parameters: a class that holds none, or one told to make
        none (`nn.LayerNorm(d, elementwise_affine=False)`, torch's API data)."""
        if type(value) is not cst.Call:
            return False
        qualified = self.ctx.aliases.resolve(value.func)
        if qualified in _STATELESS_MODULES:
            return True
        return bool(NN_PARAMETER_SWITCHES.get(qualified, frozenset()) & _false_keywords(value))

    def _local_torch_class(self, name: str) -> Optional[str]:
        """The torch class (qualified) a name of the function was built from, or None."""
        constructor = self._type_of(name)
        qualified = self.ctx.aliases.resolve_dotted(constructor) if constructor is not None else None
        return qualified if qualified is not None and qualified.startswith("torch.") else None

    def _built_parameter(self, attr: str) -> bool:
        """`self.weight` where the class's `__init__` builds `self.weight = nn.Parameter(...)`."""
        fn = self.ctx.function
        klass = fn.klass if fn is not None else None
        return klass is not None and klass.built_as(attr, self.ctx.aliases, NN_PARAMETER_CLASSES)

    def _file_class(self, name: str):
        """`Net(...)` where this file defines `class Net` (and the name is no local of the
        function): MODULE when it derives from an nn.Module (through bases of the file, or torch's
        classes), else OBJECT."""
        info = self.ctx.class_infos.get(name)
        if info is None or self._type_of(name) is not None or name in self._params[-1]:
            return None
        if info.derives_from("Module") or any(b in NN_MODULES for b in info.bases):
            return _MODULE_FACT
        return _OBJECT_FACT

    def _field_annotation(self, name: cst.Name, attr: str):
        """The annotation of the field ``attr`` in this file's class that an enclosing `if
        isinstance(name, C):` names, for this read of ``name`` (None: no such test reaches it, or
        a class of another file, not read here). Only the bodies that hold such a test are asked
        (their reaching definitions, built once each)."""
        for body in self._narrowing_bodies:
            klass = self._definitions_of(body).narrowed_class(name)
            if klass is not None:
                info = self.ctx.class_infos.get(klass.value) if type(klass) is cst.Name else None
                return info.field_annotation(attr) if info is not None else None
        return None

    def _attribute_values(self, attr: str) -> Optional[tuple]:
        """What the methods of the current method's class store in `self.<attr>` (collected once
        per class, on first use)."""
        fn = self.ctx.function
        klass = fn.klass if fn is not None else None
        if klass is None:
            return None
        return class_attribute_values(klass, self.ctx.aliases).get(attr)

    def _tensor_receiver(self, func: cst.Attribute) -> bool:
        """Whether the receiver of a call of a Tensor method's name (`user.clone()`, `x.expand(n).clone()`)
        may be taken for a tensor: the value model does not know it to be a module, another object or
        what a project function returns. Matched by name alone, such a call would link any project
        method so named (a recommender's `clone`) into the call graph, and with it whatever that
        method calls."""
        value = func.value
        while type(value) is cst.Call and type(value.func) is cst.Attribute and value.func.attr.value in TENSOR_METHODS:
            value = value.func.value  # `x.expand(n).clone()`: judged by `x`
        if type(value) is not cst.Name:
            # `self.buffer.clone()`: an attribute of the object may be anything; `xs[i].clone()`,
            # `f(x).clone()`: an element or a result, most likely a tensor (not worth an inference).
            return root_name(value) not in ("self", "cls")
        env = self._env_now()
        if value.value not in env.values:
            return value.value not in ("self", "cls")  # a parameter or a global: nothing is known of it
        fact = self.ctx.values.infer(value, env)
        return not any(a in (MODULE, OBJECT) or type(a) is tuple for a in fact)

    def _value_ref(self, func: cst.BaseExpression):
        """The raw reference of a callee that may be a project function whose summary tells what
        the call returns (see values.ValueModel); None when only syntax can tell."""
        ref = self._ref(func)
        if ref is None or ref[0] == "anyattr":
            return None  # `x.sum()` through an unknown receiver: a tensor method, most likely
        if ref[0] == "method":
            fn = self.ctx.function
            klass = fn.klass if fn is not None else None
            attr = ref[2]
            if klass is None or not (attr in klass.method_names or any(
                    b and not b.startswith("torch.") and b not in ("object", "Module", "nn.Module") for b in klass.bases)):
                return None  # `self.model(x)`: an attribute holding a module, not a method
            if attr not in klass.method_names and (attr in klass.attr_types or self._attribute_values(attr)):
                # Built in `__init__` (`self.emb = nn.Embedding(...)`) or by a method
                # (`self._generator = Generator(...)` in `fit`): an attribute, whatever the bases define.
                return None
        return ref

    def _loop(self, node: cst.CSTNode) -> None:
        t = type(node)
        if t is cst.For:
            # The loop target is an element of what is iterated (containers hold their elements).
            self._bind(node.target, node.iter, self._may_record())
            # ...and the same object: what is stored into it goes where the container is.
            self._elements[-1].update(n.value for n in walk_nodes(node.target) if type(n) is cst.Name)
            events, _, iterated = self._freezing[-1]
            if type(node.target) is cst.Name:
                container = dotted(node.iter)
                if container is not None:
                    iterated[node.target.value] = container
            freeze = freeze_of_loop(node, iterated, symbolic=True)
            if freeze is not None:
                events.append(freeze)
        self._enter(t, node)
        outer = self._loops
        self._loops = outer + (id(node),)
        for name in child_fields(t):
            # The body, and the `else` after zero or more turns of it: runs of their own.
            self._in_run(node, name, barrier=name == "body")
        self._loops = outer
        self._exit(t, node)

    def _if(self, node: cst.If) -> None:
        branches = self.ctx.branches
        narrowed = isinstance_test(node.test)
        if narrowed is not None and type(narrowed[1]) is cst.Name and narrowed[1].value in self.ctx.class_infos:
            # `if isinstance(out, StepOutput):` with a class of this file: its fields' annotations
            # tell what `out.<field>` holds in the body (_field_annotation).
            fn = self.ctx.function
            body = fn.node if fn is not None else self.ctx.module_node
            if body is not None and not any(b is body for b in self._narrowing_bodies):
                self._narrowing_bodies.append(body)
        self._enter(cst.If, node)
        self._children(node, "test")
        # `if True: ... else: ...` (code switched off by hand): the branch that never runs is
        # not walked, as CPython's compiler drops it.
        constant = _constant_truth(node.test)
        if constant is not False:
            branches.append(Branch(node, False))
            self._in_run(node, "body")
            branches.pop()
        if node.orelse is not None and constant is not True:
            branches.append(Branch(node, True))
            self._in_run(node, "orelse")
            branches.pop()
        self._exit(cst.If, node)

    def _in_run(self, node: cst.CSTNode, name: str, barrier: bool = False) -> None:
        """Walk one part of a compound statement in a straight-line run of its own."""
        self._runs += 1
        self._open.append((self._runs, barrier))
        self._children(node, name)
        self._open.pop()

    def _clauses(self, node: cst.CSTNode) -> None:
        """`try` / `match`: each clause and case starts a new straight-line run."""
        t = type(node)
        if t is cst.Try and node.handlers:
            self._fallbacks.update(_fallback_returns(node))
        self._enter(t, node)
        for name in child_fields(t):
            self._in_run(node, name)
        self._exit(t, node)

    def _reaching(self, value: cst.Name) -> cst.BaseExpression:
        """What `y = x` binds: the value of the `x = ...` statement that reaches it when that is the
        last binding of `x` and was made in the same straight-line run; else the name itself."""
        bindings = self._bindings[-1]
        name = value.value
        for i in range(len(bindings) - 1, -1, -1):
            target = bindings[i][0]
            if target == name or type(target) is cst.Name and target.value == name:
                bound = bindings[i][1]
                run = self._run_of[-1].get(i)
                if bound is None or run is None:
                    return value
                for open_run, barrier in reversed(self._open):
                    if open_run == run:
                        return bound
                    if barrier:
                        break
                return value
        return value

    def _expr(self, node: cst.Expr) -> None:
        value = node.value
        for call in inplace_detaches(value):
            # `x_adv.detach_(), loss.detach_()`: each name holds a leaf from here on, as after
            # `loss = loss.detach()` (reaching.py defines the name there too).
            self._bindings[-1].append((call.func.value.value, call if self._may_record() else None))
        if type(value) is cst.Call and value.args and self._may_record():
            self._dropped_call(value)
        elif type(value) in (cst.ListComp, cst.SetComp, cst.GeneratorExp) and type(value.elt) is cst.Call \
                and self._may_record():
            # `[arr.append(el) for arr, el in zip((outs, idx), (out, i))]`: a comprehension run for
            # what its calls do; the values they keep come from what it iterates, into whatever
            # object its targets name.
            self._stores[-1].extend(Store(None, f.iter) for f in comprehension_fors(value.for_in))
        self._enter(cst.Expr, node)
        self._children(node, "value")
        self._exit(cst.Expr, node)
        mode = mode_of_switch_statement(node.value, self.ctx.aliases)
        if mode is not None:
            # A global switch: what follows in this frame runs in the new mode.
            frame = self.ctx.frames[-1]
            frame.mode = mode
            frame.origin = "switch"

    def _dropped_call(self, node: cst.Call) -> None:
        """`buffer.push(obs, logp)`, `log(loss)`: a call whose result is dropped is made for what
        it does with its arguments, which may keep them (a method: in its object; a function:
        anywhere)."""
        func = node.func
        if type(func) is cst.Name and func.value in _LOOKING_BUILTINS and func.value not in self.ctx.aliases.names:
            return
        qualified = self.ctx.aliases.resolve(func)
        if qualified is not None and qualified.startswith("torch."):
            # torch's own functions keep no reference to what they are given (`dist.all_gather_into_tensor(
            # out, x)` copies x's values, without history, into out).
            return
        stores = self._stores[-1]
        if qualified is not None:
            # A function reached through an import (`save_image(fake, path)`, `np.save(path, x)`):
            # handed its arguments (escapes.Store.callee), not an object that keeps them.
            for arg in node.args:
                stores.append(Store(None, arg.value, None, node))
            return
        root = root_name(func.value) if type(func) is cst.Attribute else None
        if root in ("self", "cls"):
            root = None
        read = func.value if type(func) is cst.Attribute and type(func.value) is cst.Name else None
        for arg in node.args:
            stores.append(Store(root, arg.value, read))

    def _call(self, node: cst.Call) -> None:
        self._record_call(node)
        func = node.func
        if type(func) is cst.Attribute:
            if func.attr.value == "requires_grad_":
                freeze = freeze_of_call(node, symbolic=True)
                if freeze is not None:
                    self._freezing[-1][0].append(freeze)
            elif type(func.value) is cst.Name and func.value.value == "self":
                self._freezing[-1][1].add(func.attr.value)
        builtin = func.value if type(func) is cst.Name and func.value not in self.ctx.aliases.names else None
        if node.args and (type(func) is cst.Attribute and func.attr.value == "apply" or builtin in _SYNCHRONOUS_BUILTINS):
            # `model.apply(init_fn)` (nn.Module.apply), `map(f, xs)`: the function passed runs now,
            # once per item, in the mode in force here (a reference passed to anything else may
            # be kept and called later: a hook, a callback).
            self._reference_site(node.args[0].value)
            self._called_now.update(id(a.value) for a in node.args if type(a.value) is cst.Lambda)
        elif builtin in _KEYED_BUILTINS:
            self._called_now.update(id(a.value) for a in node.args if type(a.value) is cst.Lambda)
        params = self._params[-1]
        if params:
            self._record_forward(node, params)
        if (type(func) is cst.Attribute and func.attr.value in TENSOR_INPLACE_METHODS and node.args
                and type(func.value) is cst.Attribute and func.value.attr.value not in ("data", "grad")
                and root_name(func.value) == "self" and self._may_record()):
            # `self._total.add_(v)`, `self._last.copy_(v)`: v's graph joins the object's tensor state.
            self._kept[-1].append(self._returned(node.args[0].value, gate=False))
        if type(func) is cst.Attribute and func.attr.value in _FILLING_METHODS and node.args:
            # `xs.append(v)`, `xs.extend(vs)`, `d.update(...)`: the container holds v too.
            root = root_name(func.value)
            if root is not None and root != "self":
                self._bindings[-1].append((root, node.args[-1].value if self._may_record() else None))
            elif root == "self" and type(func.value) is not cst.Name and self._may_record():
                self._kept[-1].append(self._returned(node.args[-1].value, gate=False))  # `self.history.append(val)`
            if self._may_record():
                read = func.value if type(func.value) is cst.Name else None
                self._stores[-1].append(Store(None if root in (None, "self", "cls") else root, node.args[-1].value, read))
        self._enter(cst.Call, node)
        self._children(node, "func", "args")
        self._exit(cst.Call, node)

    def _lambda(self, node: cst.Lambda) -> None:
        """A lambda's body runs when the lambda is called: now, when it is handed to `map`,
        `sorted(key=...)` or `Module.apply`; else later, somewhere else (a dict of replacement
        functions, a callback), in a grad mode not known here."""
        later = id(node) not in self._called_now
        frames = self.ctx.frames
        if later:
            frames.append(Frame(Mode.UNKNOWN, frames[-1].function, "lambda"))
        else:
            self._called_now.discard(id(node))
        self._enter(cst.Lambda, node)
        self._children(node, "params", "body")
        self._exit(cst.Lambda, node)
        if later:
            frames.pop()

    def _reference_site(self, expr: cst.BaseExpression) -> None:
        """A function named (`f`, `self.f`) where it will be called from this frame: a call site in
        the mode in force here."""
        if type(expr) is cst.Name or (type(expr) is cst.Attribute and type(expr.value) is cst.Name
                                      and expr.value.value in ("self", "cls")):
            ref = self._ref(expr)
            if ref is not None:
                frame = self.ctx.frames[-1]
                caller = frame.function.key if frame.function is not None else None
                self.ctx.raw_sites.append((ref, _site_mode(self.ctx), caller, self._loops))

    def _record_call(self, node: cst.Call) -> None:
        ctx = self.ctx
        frame = ctx.frames[-1]
        caller = frame.function.key if frame.function is not None else None
        mode = _site_mode(ctx)
        func = node.func
        if caller is not None and type(func) is cst.Name and self._loops and func.value in self._params[-1] \
                and caller in ctx.training_functions and node.args:
            # `backprop(loss)` in a training-named function's batch loop: the step is the callable
            # its caller hands it (`self._train_epoch_impl(progress, ctx, self._backprop)`).
            ctx.delegated_loops.setdefault(caller, set()).add(self._loops[-1])
        if caller is not None and (type(func) is cst.Attribute and func.attr.value in _TRAINING_CALLS
                                   or type(func) is cst.Name and func.value in _TRAINING_CALLS):
            # `loss.backward()`, `torch.autograd.grad(...)` (or `grad(...)` imported from
            # `torch.autograd`): this function trains (NG001 leaves the evaluation-named helpers it
            # calls to their callers).
            attr = func.attr.value if type(func) is cst.Attribute else func.value
            if attr == "backward" and type(func) is cst.Attribute \
                    or ctx.aliases.resolve(func) in ("torch.autograd.grad", "torch.autograd.backward"):
                if attr == "backward" and type(func.value) is cst.Name:
                    self._backwarded[-1][func.value.value] = len(self._bindings[-1])
                ctx.training_functions.add(caller)
                ctx.backward_loops.setdefault(caller, set()).add(self._loops[-1] if self._loops else None)
                if attr == "backward" and ctx.aliases.resolve(func) != "torch.autograd.grad":
                    # A backward pass proper (not a Jacobian or a saliency map): it trains.
                    ctx.backward_functions.add(caller)
        if caller is not None and type(func) is cst.Attribute and func.attr.value == "step":
            ctx.step_functions.add(caller)  # `optimizer.step()`, `scaler.step(opt)`
        ref = self._ref(func)
        if ref is not None and ref[0] == "anyattr" and ref[1] in TENSOR_METHODS and self._tensor_receiver(func):
            ref = None  # `emb.clone()` on a tensor: torch's method, not a project method of that name
        if ref is not None:
            if ref[0] == "anyattr":
                # A method matched by its name alone: only methods the call's arguments fit.
                arity = call_arity(node)
                if arity is not None:
                    ref = ref + arity
            ctx.raw_sites.append((ref, mode, caller, self._loops))
        # A function handed to another call may be called from there: count it as a call site
        # in the current mode (callbacks registered with grad on make it reachable with grad on).
        # ignite's create_supervised_evaluator calls its callbacks inside torch.no_grad().
        evaluator = _callee_name(ref) in IGNITE_EVALUATORS
        decorated = self._decorating
        rebound = self._rebinding.get(id(node), ()) if self._rebinding else ()
        for arg in node.args:
            value = arg.value
            if type(value) in (cst.Name, cst.Attribute) and not (rebound and dotted(value) in rebound):
                arg_ref = self._ref(value)
                if arg_ref is not None:
                    # Grad on here (or the caller's mode): the callback is reachable in that mode.
                    # Under a local no_grad it is called later, somewhere else
                    # (`optimizer.step(closure)` in a no_grad step runs it under enable_grad): unknown.
                    arg_mode = mode if mode in ("enabled", "inherit") else "unknown"
                    if evaluator and arg.keyword is not None and arg.keyword.value in IGNITE_CALLBACK_KEYWORDS:
                        arg_mode = "disabled"
                    if decorated is not None:
                        ctx.raw_sites.append((arg_ref, "inherit", decorated, ()))
                    else:
                        ctx.raw_sites.append((arg_ref, arg_mode, caller, self._loops))

    def _type_of(self, name: str) -> Optional[str]:
        """The constructor a name was built with: in this function, or a script's global
        (`model = Attention()` at module level, used in `def test():`) that the function has not
        bound (as a parameter or an assignment) before this point."""
        local = self._local_types[-1].get(name)
        if local is not None or len(self._local_types) == 1:
            return None if local is _AMBIGUOUS else local
        built = self._local_types[0].get(name)
        if built is None or built is _AMBIGUOUS or name in self._params[-1]:
            return None
        for target, _ in self._bindings[-1]:
            if target == name or type(target) is cst.Name and target.value == name:
                return None
        return built

    def _receiver_type(self, base: cst.BaseExpression) -> Optional[str]:
        """The constructor a receiver was built with: a local `x = Cls(...)`, `Cls(...)` itself, or
        `self.x` with `self.x = Cls(...)` in the class's `__init__`."""
        if type(base) is cst.Name:
            return self._type_of(base.value)
        if type(base) is cst.Call:  # `Other().predict(...)`
            return _constructor_name(base)
        if type(base) is cst.Subscript and type(base.value) is cst.Name:  # `meters[k].update(v)`
            return self._type_of(base.value.value + "[]")
        if type(base) is cst.Attribute and type(base.value) is cst.Name and base.value.value == "self":
            fn = self.ctx.function
            klass = fn.klass if fn is not None else None
            if klass is not None:
                return self._attribute_constructor(klass, base.attr.value)
        return None

    def _attribute_constructor(self, klass: ClassInfo, attr: str) -> Optional[str]:
        """The class `self.<attr>` is an instance of: built in `__init__` (`self.net = Net()`), or
        the one class the class's methods construct there, None being a placeholder
        (`self.vae = None` in `__init__`, `self.vae = JTVAE(...).cuda()` in `get_model`)."""
        built = klass.attr_types.get(attr)
        if built is not None:
            return built
        fn = self.ctx.function
        if fn is None or fn.klass is not klass:
            return None
        built = self._stored_constructors(attr)
        return next(iter(built)) if built is not None and len(built) == 1 else None

    def _stored_constructors(self, attr: str) -> Optional[set]:
        """The classes the current class's methods construct in `self.<attr>` (`Net(...).cuda()`,
        `.to(device)`: the same instance), placeholders (`None`) aside; None when some value
        stored there is no construction."""
        found = set()
        for value in self._attribute_values(attr) or ():
            if type(value) is cst.Name and value.value == "None":
                continue
            constructor = _constructor_name(_same_instance(value))
            if constructor is None:
                return None
            found.add(constructor)
        return found

    def _ref(self, func: cst.BaseExpression):
        ctx = self.ctx
        if type(func) is cst.Name:
            scopes = tuple(f.key for f in reversed(ctx.functions))
            constructor = self._type_of(func.value)
            if constructor is not None:  # `searcher = BeamSearch(...); searcher(x)`: its __call__
                if (ctx.aliases.resolve_dotted(constructor) or "").startswith("torch."):
                    return None  # `mse = nn.MSELoss()`: torch's class, judged by its API data
                return ("typed", constructor, "__call__", scopes)
            return ("name", func.value, scopes)
        if type(func) is cst.Attribute:
            base = func.value
            attr = func.attr.value
            if type(base) is cst.Call and type(base.func) is cst.Name and base.func.value == "super":
                fn = ctx.function
                if fn is not None and fn.klass is not None:
                    # `super().evaluate(...)`: the method a base class of this one defines.
                    return ("super", fn.klass.key, attr)
            constructor = self._receiver_type(base)
            if constructor is not None:
                # `self.duration.inference(x)` with `self.duration = DurationPredictor(...)`: that
                # class's method, not every project method named `inference`.
                return ("typed", constructor, attr, tuple(f.key for f in reversed(ctx.functions)))
            if type(base) is cst.Name and base.value in ("self", "cls"):
                fn = ctx.function
                klass = fn.klass if fn is not None else None
                if klass is not None:
                    built = self._attribute_constructor(klass, attr) if attr not in klass.method_names else None
                    if built is not None and not (ctx.aliases.resolve_dotted(built) or "").startswith("torch."):
                        # `self.net(x)` with `self.net = Net()` in `__init__`: calling that instance.
                        return ("typed", built, "__call__", tuple(f.key for f in reversed(ctx.functions)))
                    return ("method", klass.key, attr)
                return ("anyattr", attr)
            qualified = ctx.aliases.resolve(func)
            if qualified is not None:
                if qualified.startswith("torch."):
                    return None
                return ("qual", qualified)
            if attr in _MODULE_API:
                return None  # model.train() / model.eval() / model.to(device): nn.Module's own
            return ("anyattr", attr)
        return None



_SPECIAL = {
    cst.Module: Walker._module,
    cst.Import: Walker._import,
    cst.ImportFrom: Walker._import_from,
    cst.ClassDef: Walker._class,
    cst.FunctionDef: Walker._function,
    cst.With: Walker._with,
    cst.Assign: Walker._assign,
    cst.Expr: Walker._expr,
    cst.Call: Walker._call,
    cst.Lambda: Walker._lambda,
    cst.For: Walker._loop,
    cst.While: Walker._loop,
    cst.If: Walker._if,
    cst.Try: Walker._clauses,
    cst.TryStar: Walker._clauses,
    cst.Match: Walker._clauses,
    cst.AugAssign: Walker._aug_assign,
    cst.AnnAssign: Walker._ann_assign,
    cst.Return: Walker._return,
    cst.Yield: Walker._yield,
}
_MODULE_FACT = frozenset({MODULE})
_OBJECT_FACT = frozenset({OBJECT})
# A value stored where grad is disabled: read as a tensor without history.
_NO_HISTORY = cst.Call(func=cst.Attribute(value=cst.Name("_"), attr=cst.Name("detach")))
# A value a method checked to be a torch module (`_attribute_stores`): of a class the caller chooses.
CHECKED_MODULE = cst.Name("_checked_module")
# Methods that return the object itself: those a tensor has too, and nn.Module's own (torch's API data).
_SAME_OBJECT = SAME_OBJECT_METHODS | NN_MODULE_SELF_METHODS
# A name bound to instances of two classes on different branches: its class is not known.
_AMBIGUOUS = "<either>"


def _constant_truth(test: cst.BaseExpression) -> Optional[bool]:
    """The truth of a test that is a constant (`True`, `False`, `None`, `0`, `1`); else None."""
    t = type(test)
    if t is cst.Name and test.value in ("True", "False", "None"):
        return test.value == "True"
    if t is cst.Integer:
        return test.evaluated_value != 0
    return None


# Builtins that read their arguments and keep nothing.
_LOOKING_BUILTINS = frozenset({"print", "len", "isinstance", "hasattr", "getattr", "repr", "str", "id", "type",
                               "callable", "format", "sorted", "list", "tuple", "set", "dict", "next", "iter"})
_FILLING_METHODS = frozenset({"append", "extend", "insert", "add", "update", "appendleft", "put"})


_CALLBACKS: dict = {}


def _callbacks_of(rule_class: type) -> tuple:
    """(method name, node type) of a rule class's visit_/leave_ methods, looked up once per class."""
    found = _CALLBACKS.get(rule_class)
    if found is None:
        found = []
        for attr in dir(rule_class):
            if attr.startswith("visit_") or attr.startswith("leave_"):
                node_type = getattr(cst, attr[6:], None)
                if isinstance(node_type, type):
                    found.append((attr, node_type))
        found = _CALLBACKS[rule_class] = tuple(found)
    return found


def _may_carry(value: cst.BaseExpression, values: ValueModel, env: Env) -> bool:
    """Whether a value may carry a graph, where an outside call nothing is known about hands
    back what its arguments carry (`hvd.allreduce(val.cpu())` does, `.detach()` first does not)."""
    fact = values.infer(value, env)
    if GRAPH in fact:
        return True
    if fact <= NO_GRAPH_ATOMS or type(value) is not cst.Call:
        return False
    return any(_may_carry(arg.value, values, env) for arg in value.args)


def _converted_when_tensor(fn: cst.FunctionDef, values: ValueModel, env: Env) -> set:
    """The names the function rebinds to a value without a graph whenever they hold a tensor:
    `if isinstance(loss, torch.Tensor): loss = loss.item()` (no `else`), anywhere in its body."""
    out: set = set()
    for node in walk_nodes(fn.body):
        if type(node) is not cst.If or node.orelse is not None:
            continue
        tested = values.tensor_test(node.test)
        if tested is None or not tested[1]:
            continue
        name = tested[0]
        if any(type(b) is cst.Assign and len(b.targets) == 1 and type(b.targets[0].target) is cst.Name
               and b.targets[0].target.value == name and values.infer(b.value, env) <= NO_GRAPH_ATOMS
               for b in small_statements(node.body)):
            out.add(name)
    return out


def _with_graphs(env: Env, names: Iterable[str]) -> Env:
    """``env`` with ``names`` read as tensors that carry a graph (a summary given arguments that
    do): the same assignments, more backpropagated names."""
    return env.derived(backward_names=env.backward_names | set(names))


_SCALAR_ANNOTATIONS = frozenset({"float", "int", "bool", "str"})
_PINNED_EXPRESSIONS = (cst.BinaryOperation, cst.UnaryOperation, cst.Call, cst.Subscript, cst.Attribute)


def _read_names(expr: cst.BaseExpression) -> list:
    """The names an expression reads, as nodes: not attribute names or keywords, nor names of
    comprehensions and lambdas (their own variables)."""
    out = []
    stack = [expr]
    while stack:
        node = stack.pop()
        t = type(node)
        if t is cst.Name:
            out.append(node)
        elif t is cst.Attribute:
            stack.append(node.value)
        elif t is cst.Arg:
            stack.append(node.value)
        elif t is cst.Lambda or t in (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp):
            continue
        else:
            stack.extend(iter_children(node))
    return out


def _replay(bindings: list) -> Env:
    """The Env of a frame's bindings (a name: into a container by that name; else an assignment)."""
    env = Env()
    for target, value in bindings:
        if type(target) is str:
            env.values.setdefault(target, []).append(value)
        else:
            env.assign(target, value)
    return env


def _class_annotation(annotation: cst.BaseExpression) -> Optional[str]:
    """`Detector` / `models.Detector` (a capitalised name): the class a parameter is annotated
    with; None for builtins, `Optional[...]`, strings and the like."""
    name = dotted(annotation)
    if name is None:
        return None
    last = name.rpartition(".")[2]
    if name.startswith(("torch.", "torchvision.")) and not last[:1].isupper():
        # A torch module path written as the type (`tf: torchvision.transforms`, `model: torch.nn`):
        # what torch's API data says of that path (a transform holds no weights).
        return name
    return name if last[:1].isupper() and last not in _TYPING_NAMES else None


_TYPING_NAMES = frozenset({"Any", "Optional", "Union", "List", "Dict", "Tuple", "Callable", "Iterable",
                           "Iterator", "Sequence", "Mapping", "Type", "Tensor"})


_MAPPINGS = frozenset({"dict", "OrderedDict", "collections.OrderedDict", "defaultdict", "collections.defaultdict"})


def _element_constructor(value: cst.BaseExpression) -> Optional[str]:
    """The one class a container's items are built as: `[Meter() for _ in range(n)]`,
    `{k: Meter() for k in keys}`, `{"loss": Meter(), "acc": Meter()}`, `defaultdict(Meter)`,
    `OrderedDict([(k, Meter(k)) for k in keys])`; None otherwise."""
    t = type(value)
    if t in (cst.ListComp, cst.SetComp, cst.GeneratorExp):
        return _constructor_name(value.elt)
    if t is cst.DictComp:
        return _constructor_name(value.value)
    if t in (cst.List, cst.Tuple, cst.Dict):
        found = {_constructor_name(e.value) for e in value.elements
                 if type(e) in (cst.Element, cst.DictElement)} if value.elements else {None}
        return found.pop() if len(found) == 1 else None
    if t is cst.Call and value.args and dotted(value.func) in _MAPPINGS:
        first = value.args[0].value
        if dotted(value.func).endswith("defaultdict"):
            name = dotted(first) if type(first) in (cst.Name, cst.Attribute) else None
            return name if name is not None and name.rpartition(".")[2][:1].isupper() else None
        if type(first) in (cst.ListComp, cst.GeneratorExp) and type(first.elt) is cst.Tuple and len(first.elt.elements) == 2:
            return _constructor_name(first.elt.elements[1].value)
    return None


def _same_instance(value: cst.BaseExpression) -> cst.BaseExpression:
    """``value`` under the calls that return their receiver (`Net(...).to(device).eval()` ->
    `Net(...)`, `model.cuda()` -> `model`)."""
    while type(value) is cst.Call and type(value.func) is cst.Attribute and value.func.attr.value in _SAME_OBJECT:
        value = value.func.value
    return value


def _hands_back_value(fn: cst.FunctionDef) -> bool:
    """Whether a function returns or yields a value, or hands one to a callable it is given
    (`backprop(loss)`: the step its caller chose), nested functions aside; and is not only a
    placeholder its subclasses override."""
    if abstract_body(fn):
        return False
    params = set(parameter_names(fn))
    for node in own_nodes(fn.body):
        t = type(node)
        if (t is cst.Return or t is cst.Yield) and node.value is not None:
            return True
        if t is cst.Call and node.args and type(node.func) is cst.Name and node.func.value in params:
            return True
    return False


def abstract_body(node: cst.FunctionDef) -> bool:
    """Whether a function's body only raises (`raise NotImplementedError`), passes or holds a
    docstring or `...`: a method its subclasses override, never the one that runs."""
    if type(node.body) is not cst.IndentedBlock:
        return False
    for stmt in node.body.body:
        if type(stmt) is not cst.SimpleStatementLine:
            return False
        for small in stmt.body:
            if type(small) in (cst.Raise, cst.Pass):
                continue
            if type(small) is cst.Expr and type(small.value) in (cst.SimpleString, cst.ConcatenatedString, cst.Ellipsis):
                continue
            return False
    return True


def _arity(node: cst.FunctionDef, method: bool) -> tuple:
    """(required positional parameters, most positional parameters or -1 for `*args`), without
    the receiver of a method: which calls could reach the function at all."""
    params = list(node.params.posonly_params) + list(node.params.params)
    if method and params and not decorated_with(node, "staticmethod"):
        params = params[1:]  # self / cls
    required = sum(1 for p in params if p.default is None)
    most = -1 if type(node.params.star_arg) is cst.Param else len(params)
    return (required, most)


def call_arity(call: cst.Call) -> Optional[tuple]:
    """(positional arguments, keyword arguments) of a call, None with `*args` / `**kwargs`."""
    positional = keywords = 0
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is None:
            positional += 1
        else:
            keywords += 1
    return (positional, keywords)


# What a `try` returns as a Python value, so that its handler's `return v` is a fallback for
# values that are no one-element tensor (`try: return v.item()  except ...: return v`).
_TO_PYTHON = frozenset({"item", "tolist"})
_TO_PYTHON_BUILTINS = frozenset({"float", "int"})


def _fallback_returns(node: cst.Try) -> list:
    """The `return v` (or `out = v`) statements of a `try`'s handlers whose body returns (binds
    `out` to) `v` converted to a Python value (`v.item()`, `float(v)`): a scalar loss converts, so
    the handler's path hands back only what is no one-element tensor (a number already, a string).
    Left out of the summary (the binding unrecorded), the helper returns a number for a loss
    (`extract_item(loss)` in a training loop)."""
    converted = set()  # (target or None for a return, the converted name)
    for _, target, value in _results(node.body):
        if type(value) is not cst.Call:
            continue
        func = value.func
        if type(func) is cst.Attribute and func.attr.value in _TO_PYTHON and type(func.value) is cst.Name \
                and not value.args:
            converted.add((target, func.value.value))
        elif type(func) is cst.Name and func.value in _TO_PYTHON_BUILTINS and len(value.args) == 1 \
                and type(value.args[0].value) is cst.Name:
            converted.add((target, value.args[0].value.value))
    if not converted:
        return []
    return [id(small) for handler in node.handlers for small, target, value in _results(handler.body)
            if type(value) is cst.Name and (target, value.value) in converted]


def _results(block: cst.BaseSuite):
    """(statement, target, value) of each `return value` (target None) and `target = value` (one
    name) among a block's simple statements."""
    for statement in block.body:
        if type(statement) is not cst.SimpleStatementLine:
            continue
        for small in statement.body:
            if type(small) is cst.Return:
                yield small, None, small.value
            elif type(small) is cst.Assign and len(small.targets) == 1 and type(small.targets[0].target) is cst.Name:
                yield small, small.targets[0].target.value, small.value


_COMPOUND = (cst.If, cst.Else, cst.For, cst.While, cst.With, cst.Try, cst.TryStar, cst.ExceptHandler,
             cst.ExceptStarHandler, cst.Finally, cst.IndentedBlock, cst.Match, cst.MatchCase)


def small_statements(block: cst.CSTNode):
    """The simple statements (`x = ...`, `return ...`) of a block and of the compound statements
    in it, without walking into expressions or nested functions and classes."""
    stack = [block]
    while stack:
        node = stack.pop()
        t = type(node)
        if t is cst.SimpleStatementLine or t is cst.SimpleStatementSuite:
            yield from node.body
        elif t in _COMPOUND:
            stack.extend(reversed(_blocks(node)))  # in source order


def _blocks(node: cst.CSTNode) -> list:
    """The blocks and clauses of a compound statement (body, cases, handlers, else, finally)."""
    out = []
    for name in ("body", "cases", "handlers", "orelse", "finalbody"):
        child = getattr(node, name, None)
        if type(child) in (tuple, list):
            out.extend(child)
        elif child is not None:
            out.append(child)
    return out


def _false_keywords(call: cst.Call) -> frozenset:
    """The keywords a call passes a literal False (`affine=False`): the parameter switches it turns off."""
    return frozenset(a.keyword.value for a in call.args
                     if a.keyword is not None and requires_grad_flag(a.value) is False)


def _attribute_types(node: cst.ClassDef) -> tuple:
    """`self.<attr> = Cls(...)` in the class's `__init__` (attributes assigned two different
    constructors are left out: their type is not known), the names `__init__` registers as
    buffers or submodules (`self.register_buffer("bias", ...)`, `self.add_module("head", m)`), and
    the attributes built as module containers given their layers (`nn.Sequential(...)` with
    arguments); and the attributes bound by unpacking one call's result (`self.actor, self.critic =
    make_nets(...)`: attr -> (the callee, its element's index)), which calls of the same callee
    fill with the same classes."""
    init = None
    if type(node.body) is cst.IndentedBlock:
        init = next((s for s in node.body.body if type(s) is cst.FunctionDef and s.name.value == "__init__"), None)
    if init is None:
        return {}, frozenset(), frozenset(), frozenset(), {}, {}
    unpacked: dict = {}
    types: dict = {}
    switched_off: dict = {}  # attr -> keywords its constructor is passed False (`affine=False`)
    parts = set()  # `self.actor.parameters()` read in `__init__`: `self.actor` holds parameters
    registered: set = set()
    filled: set = set()  # containers built with their layers: `nn.Sequential(nn.Linear(...), ...)`
    for stmt in small_statements(init.body):
        if type(stmt) is cst.Assign and type(stmt.value) is cst.Call:
            for arg in stmt.value.args:
                read = arg.value
                if (type(read) is cst.Call and type(read.func) is cst.Attribute and not read.args
                        and read.func.attr.value in ("parameters", "named_parameters")
                        and type(read.func.value) is cst.Attribute and type(read.func.value.value) is cst.Name
                        and read.func.value.value.value == "self"):
                    parts.add(read.func.value.attr.value)
        if type(stmt) is cst.Expr:
            call = stmt.value
            if (type(call) is cst.Call and type(call.func) is cst.Attribute and call.func.attr.value in _REGISTERS
                    and type(call.func.value) is cst.Name and call.func.value.value == "self" and call.args
                    and type(call.args[0].value) is cst.SimpleString):
                registered.add(string_value(call.args[0].value))
            continue
        if not type(stmt) is cst.Assign or len(stmt.targets) != 1:
            continue
        target = stmt.targets[0].target
        if type(target) in (cst.Tuple, cst.List) and type(stmt.value) is cst.Call:
            callee = dotted(stmt.value.func)
            for index, element in enumerate(target.elements):
                part = element.value
                if type(part) is cst.Attribute and type(part.value) is cst.Name and part.value.value == "self":
                    attr = part.attr.value
                    found = (callee, index) if callee is not None and type(element) is not cst.StarredElement \
                        and unpacked.get(attr, (callee, index)) == (callee, index) else None
                    unpacked[attr] = found
            continue
        if not (type(target) is cst.Attribute and type(target.value) is cst.Name and target.value.value == "self"):
            continue
        attr = target.attr.value
        unpacked[attr] = None  # bound some other way too
        value = _same_instance(stmt.value)  # `Actor(...).to(device)`: the same instance
        constructor = _constructor_name(value)
        if constructor is None or types.get(attr, constructor) != constructor:
            types[attr] = None
        else:
            types[attr] = constructor
            if value.args and constructor.rpartition(".")[2] in _FILLED_CONTAINERS:
                filled.add(attr)
            off = _false_keywords(value)
            switched_off[attr] = switched_off.get(attr, off) & off  # (every construction passes it)
    return ({k: v for k, v in types.items() if v is not None}, frozenset(registered),
            frozenset(a for a in filled if a in types and types[a] is not None), frozenset(parts),
            {k: v for k, v in switched_off.items() if v and types.get(k) is not None},
            {k: v for k, v in unpacked.items() if v is not None})


# torch.nn classes without parameters (activations, pooling, dropout, losses): built with no
# arguments they hold none, and what they are given is no module. Containers and wrappers hold
# the parameters of the modules they are given, which the API data (built from empty instances)
# cannot see.
_MODULE_CONTAINERS = frozenset(f"torch.nn.{n}" for n in (
    "Module", "Container", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict",
    "DataParallel", "TransformerEncoder", "TransformerDecoder"))
_STATELESS_MODULES = NN_MODULES - NN_MODULES_WITH_PARAMETERS - _MODULE_CONTAINERS
# Module containers whose layers are their constructor's arguments.
_FILLED_CONTAINERS = frozenset({"Sequential", "ModuleList", "ModuleDict"})
# `nn.Module` methods that give an attribute a tensor or module that is no parameter.
_REGISTERS = frozenset({"register_buffer", "register_module", "add_module"})
# Constructors whose instance is a parameter (any other constructor builds something that is not):
# torch's, and the lazy ones that become parameters on the first forward.
_PARAMETER_CLASSES = NN_PARAMETER_CLASSES | {"torch.nn.UninitializedParameter",
                                             "torch.nn.parameter.UninitializedParameter"}


def _optimized_name(call: cst.Call, aliases) -> Optional[str]:
    """`torch.optim.Adam(net.parameters(), ...)` (or `list(net.parameters())`): `net`, else None."""
    part = call.args[0].value
    if type(part) is cst.Call and type(part.func) is cst.Name and part.func.value == "list" and part.args:
        part = part.args[0].value
    # The argument's shape first (cheap), then the callee (resolving costs more).
    if type(part) is cst.Call and type(part.func) is cst.Attribute \
            and part.func.attr.value in ("parameters", "named_parameters") and type(part.func.value) is cst.Name \
            and type(call.func) in (cst.Name, cst.Attribute) \
            and (aliases.resolve(call.func) or "").startswith("torch.optim."):
        return part.func.value.value
    return None


def _string_keyed(value) -> Optional[list]:
    """`{"loss": l, "acc": a}`: (key, value) of a dict literal whose keys are all string literals;
    None for anything else."""
    if type(value) is not cst.Dict or not all(type(e) is cst.DictElement and type(e.key) is cst.SimpleString
                                              for e in value.elements):
        return None
    return [(string_value(e.key), e.value) for e in value.elements]


def _reads(value: cst.BaseExpression, target: cst.Attribute) -> bool:
    """Whether an expression reads the attribute chain ``target`` (`self.v` in `self.v * n + x`)."""
    wanted = dotted(target)
    return wanted is not None and any(
        type(n) is cst.Attribute and n.attr.value == target.attr.value and dotted(n) == wanted
        for n in walk_nodes(value))


def class_attribute_values(klass: ClassInfo, aliases) -> dict:
    """`self.<attr>` -> the values a class's methods store there (_attribute_stores, once per class)."""
    if klass.attr_values is None:
        klass.attr_values = _attribute_stores(klass.node, aliases)
    return klass.attr_values


def _attribute_stores(node: cst.ClassDef, aliases) -> dict:
    """`self.<attr>` -> the values the class's methods store there: `self.x = v`, `self.x += v`,
    `self.x[k] = v`, `self.x.append(v)`. A store under a grad-disabling `with` or decorator is a
    tensor without history (`_NO_HISTORY`); one the analysis cannot follow (a tuple target whose
    value is no tuple of as many elements) is None (unknown). A parameter the method checked to be a
    module (`if not isinstance(network, nn.Module): raise TypeError(...)`) is ``CHECKED_MODULE``.
    Statements only: stores are statements, so expressions are never walked."""
    stores: dict = {}

    def add(target, value, disabled: bool) -> None:
        if type(target) is cst.Subscript:
            target = target.value
        if type(target) is cst.Attribute and type(target.value) is cst.Name and target.value.value == "self":
            if type(value) is cst.Name and value.value in checked:
                value = CHECKED_MODULE
            stores.setdefault(target.attr.value, []).append(_NO_HISTORY if disabled and value is not None else value)

    checked: frozenset = frozenset()
    stack = [(node.body, False, checked)]
    while stack:
        block, disabled, checked = stack.pop()
        t = type(block)
        if t is cst.SimpleStatementLine or t is cst.SimpleStatementSuite:
            for small in block.body:
                ts = type(small)
                if ts is cst.Assign:
                    for target in small.targets:
                        if type(target.target) in (cst.Tuple, cst.List):
                            elements = target.target.elements
                            value = small.value
                            # `self.target_net, self.act_net = Net(), Net()`: element by element.
                            pairs = type(value) in (cst.Tuple, cst.List) and len(value.elements) == len(elements) \
                                and not any(type(e) is cst.StarredElement for e in (*elements, *value.elements))
                            for i, element in enumerate(elements):
                                add(element.value, value.elements[i].value if pairs else None, disabled)
                        else:
                            add(target.target, small.value, disabled)
                elif ts is cst.AugAssign or ts is cst.AnnAssign and small.value is not None:
                    add(small.target, small.value, disabled)
                elif ts is cst.Expr and type(small.value) is cst.Call:
                    call = small.value
                    if type(call.func) is cst.Attribute and call.func.attr.value in _FILLING_METHODS and call.args \
                            and call.args[0].keyword is None:
                        add(call.func.value, call.args[0].value, disabled)
        elif t is cst.FunctionDef:
            stack.append((block.body, disabled or any(disables_grad(d.decorator, aliases) for d in block.decorators),
                          _checked_modules(block, aliases)))
        elif t is cst.With:
            stack.append((block.body, disabled or any(disables_grad(item.item, aliases) for item in block.items),
                          checked))
        elif t in _COMPOUND:
            stack.extend((child, disabled, checked) for child in _blocks(block))
    return {attr: tuple(values) for attr, values in stores.items()}


def _checked_modules(fn: cst.FunctionDef, aliases) -> frozenset:
    """Names a function's body checks to be a torch module before anything else can use them:
    `if not isinstance(network, torch.nn.Module): raise TypeError(...)` at its top level."""
    out = set()
    for statement in fn.body.body if type(fn.body) is cst.IndentedBlock else ():
        if type(statement) is not cst.If or statement.orelse is not None:
            continue
        test = statement.test
        tested = isinstance_test(test.expression) if type(test) is cst.UnaryOperation \
            and type(test.operator) is cst.Not else None
        if tested is None or aliases.resolve(tested[1]) not in ("torch.nn.Module", "torch.nn.modules.module.Module"):
            continue
        body = statement.body.body
        if body and type(body[-1]) in (cst.SimpleStatementLine, cst.SimpleStatementSuite) \
                and any(type(small) is cst.Raise for small in body[-1].body):
            out.add(tested[0])
    return frozenset(out)


def _callee_name(ref) -> str:
    """The last name of a call reference ("evaluate" for ``utils.evaluate(...)``)."""
    if ref is None:
        return ""
    kind = ref[0]
    if kind == "name":
        return ref[1]
    if kind == "typed":
        return ref[2]
    if kind == "anyattr":
        return ref[1]
    return ref[-1].rpartition(".")[2]


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _configured_hooks(ctx: FileContext) -> tuple:
    """``grad-disabled-hooks`` entries, split into dotted parts: ``mylib.Trainer.eval_step``
    names the method ``eval_step`` of ``mylib.Trainer`` (and of its subclasses);
    ``mylib.hooks.evaluate`` names the function ``evaluate`` of module ``mylib.hooks``; a bare
    ``eval_step`` names every function and method with that name."""
    return tuple(tuple(entry.split(".")) for entry in getattr(ctx.settings, "grad_disabled_hooks", ()))


def _suffix_match(parts: tuple, dotted_name: str) -> bool:
    """Whether ``dotted_name`` ends with the dotted ``parts`` (whole components only)."""
    names = dotted_name.split(".")
    return len(parts) <= len(names) and tuple(names[len(names) - len(parts):]) == parts


def _matches_hook(hooks: tuple, key: str, klass) -> bool:
    name = key.rpartition(".")[2]
    for parts in hooks:
        if parts[-1] != name:
            continue
        if len(parts) == 1:
            return True
        owner = parts[:-1]
        # The function itself, by its qualified name (module.function or module.Class.method);
        # the owner may be written with or without its package prefix.
        if _suffix_match(parts, key):
            return True
        if klass is not None:
            # A method of a class that derives from the configured class: compare the owner with
            # the qualified base name, or only its class name when the base is not imported.
            if klass.name == owner[-1] and owner[-1][:1].isupper():
                return True
            for base in klass.bases:
                if base and (_suffix_match(owner, base) or base == owner[-1]):
                    return True
    return False


def _resolve_class(ctx: FileContext, constructor: str, scopes: tuple, module_prefix: str) -> Optional[str]:
    """The project key of a constructor's class: one defined in this file (also a local class), or
    an imported one (whether the project has it is decided across files). None for torch's and
    for names that do not resolve."""
    if "." not in constructor:
        for scope in scopes:
            candidate = f"{scope}.<locals>.{constructor}"
            if candidate in ctx.class_keys:
                return candidate
        if module_prefix + constructor in ctx.class_keys:
            return module_prefix + constructor
        # A class local to another function of the file (`self.model = Backdoor(...)` stored by
        # the method that defines `Backdoor`, called from another method): the one by that name.
        local = [k for k in ctx.class_keys if k.endswith(f".<locals>.{constructor}")]
        if len(local) == 1:
            return local[0]
    qualified = ctx.aliases.resolve_dotted(constructor)
    if qualified is None or qualified.startswith("torch."):
        return None
    return qualified


def resolve_ref(ctx: FileContext, ref: tuple, module_prefix: str) -> Optional[tuple]:
    """A raw call reference resolved once all the file's definitions are known (None: it names
    nothing the project may define)."""
    kind = ref[0]
    if kind == "name":
        name, scopes = ref[1], ref[2]
        for scope in scopes:
            candidate = f"{scope}.<locals>.{name}"
            if candidate in ctx.defs:
                return ("qual", candidate)
        candidate = module_prefix + name
        if candidate in ctx.defs:
            return ("qual", candidate)
        qualified = ctx.aliases.resolve_dotted(name)
        if qualified is None:
            qualified = _star_imported(ctx, name)
        if qualified is not None and not qualified.startswith("torch.") and not _standard_library(qualified):
            return ("qual", qualified)
        return None
    if kind == "typed":
        constructor, attr = ref[1], ref[2]
        class_key = _resolve_class(ctx, constructor, ref[3], module_prefix)
        if class_key is not None and attr == "__call__":
            # Calling an instance: the class's `__call__` when the project defines one in its
            # hierarchy, else its `forward` (an nn.Module's call runs it). Decided across files.
            return ("call", class_key)
        if class_key is not None:
            return ("method", class_key, attr)
        if attr != "__call__" and attr not in _MODULE_API:
            # Not a project class: the same reference an untyped receiver gives (and none
            # for nn.Module's own API, `self.encoder.train()` is not `Trainer.train`).
            return ("anyattr", attr)
        return None
    if kind == "qual" and _standard_library(ref[1]):
        return None  # `time.time()`, `copy.copy(x)`: never a function of the project
    return ref


def _star_imported(ctx: FileContext, name: str) -> Optional[str]:
    """`hard_update` after `from util import *`, the file's one star import of a module outside
    torch and the standard library (with several, which one defines it is not known here); never
    a builtin."""
    modules = [m for m in dict.fromkeys(ctx.aliases.star_modules)
               if m != "torch" and not m.startswith("torch.") and not _standard_library(m)]
    if len(modules) != 1 or name in _BUILTIN_NAMES:
        return None
    return f"{modules[0]}.{name}"


_BUILTIN_NAMES = frozenset(dir(builtins))


def _site_mode(ctx: FileContext) -> str:
    """The grad mode a call made here runs in, as the project solve reads it: in an optimizer's
    undecorated `step`, only assumed disabled (torch's own optimizers are; a custom one called with
    grad on is not: a conjugate-gradient step that differentiates a KL), so unknown."""
    return Mode.UNKNOWN.value if ctx.mode_is_assumed else ctx.frames[-1].mode.value


def finalize_fact(ctx: FileContext, fact, module_prefix: str) -> tuple:
    """A value fact with its call atoms resolved: an atom that names no project function
    becomes what its syntax suggests (its fallback)."""
    out = set()
    for atom in fact:
        if type(atom) is not tuple:
            out.add(atom)
            continue
        resolved = _finalize_atom(ctx, atom, module_prefix)
        out.add(resolved if resolved is not None else GRAPH if atom[2] else UNKNOWN)
    return tuple(sorted(out, key=repr))


def _finalize_atom(ctx: FileContext, atom: tuple, module_prefix: str) -> Optional[tuple]:
    """A call atom with its reference (and its arguments' atoms) resolved; None when it names
    nothing the project may define (its fallback then decides)."""
    ref = resolve_ref(ctx, atom[1], module_prefix)
    if ref is None or ref[0] == "anyattr" and len(ref) < 4:
        return None  # (an untyped receiver's method matched with the call's arity stays: values._any_method)
    if ref[0] == "field":
        # A field of what calls return (values.field_read): a call that names nothing the project
        # defines is what its syntax suggests, a graph only if its fallback says so.
        fallback, calls = atom[2], []
        for inner in atom[4] if type(atom[4]) is tuple else ():
            resolved = _finalize_atom(ctx, inner, module_prefix)
            if resolved is None:
                fallback = fallback or inner[2]
            else:
                calls.append(resolved)
        if not calls and not fallback:
            return None  # (what it is read from carries no graph: neither does the field)
        return (CALL, ref, fallback, atom[3], tuple(calls) or False)
    return (CALL, ref, atom[2], atom[3], _finalize_arguments(ctx, atom[4], module_prefix), *atom[5:])


def _finalize_arguments(ctx: FileContext, arguments, module_prefix: str):
    """A call atom's ``graph_args`` with its own call atoms resolved; True when one names nothing
    the project defines (its syntax suggests a graph, which then decides)."""
    if type(arguments) is not tuple:
        return arguments
    out = []
    for atom in arguments:
        resolved = _finalize_atom(ctx, atom, module_prefix)
        if resolved is None:
            return True
        out.append(resolved)
    return tuple(out)


def finalize_returns(ctx: FileContext) -> dict:
    """Every function's summary of what it returns, its call atoms resolved."""
    module_prefix = ctx.module + "." if ctx.module else ""
    return {key: finalize_fact(ctx, fact, module_prefix) for key, fact in ctx.returns.items()}


def _runs_entry(info: FunctionInfo, params: tuple, forwarded: set, aliases) -> tuple:
    """(parameter names, the ones run as a model, runs `self` or a part built in `__init__`, the
    methods of its class it calls on `self`) of a method; for a plain function, no receiver."""
    klass = info.klass
    if klass is None or not params or params[0] != "self":
        return params, forwarded, False, frozenset(), False
    attrs = {name[5:] for name in forwarded if name.startswith("self.")}
    direct = "self" in forwarded or any(a in klass.attr_types or a in klass.parameter_parts or a in klass.forward_parts
                                        for a in attrs)
    if not direct and attrs - klass.method_names:
        if klass.attr_values is None:  # (collected once per class, shared with the value model)
            klass.attr_values = _attribute_stores(klass.node, aliases)
        for attr in attrs - klass.method_names:
            values = klass.attr_values.get(attr)
            if values is None:
                # `return self._base_model(x)` in a class whose base is another file's (or another
                # distribution's) and that never binds `_base_model` itself: the base builds it;
                # nothing but its name says what it is (a network-named part counts).
                direct = bool(klass.bases) and not klass.file_bases and names_network(attr)
            else:
                # `self._base_model = LogisticRegression(...)` or `MultiLayerPerceptron(...)` by a
                # setting: a part built from one of several classes (or left None until then).
                direct = any(type(v) is cst.Call for v in values) and all(
                    type(v) is cst.Name and v.value == "None" or v is not _NO_HISTORY and _constructor_name(v)
                    for v in values)
            if direct:
                break
    return params, forwarded, direct, frozenset(a for a in attrs if a in klass.method_names), True


def finalize_runs(ctx: FileContext) -> dict:
    """Function key -> the call positions of the arguments it runs as a model with grad on (-1:
    the receiver of a method call, when the method runs `self`, a part built in `__init__`, or
    another method of its class that does): what a call of it in another file runs
    (``FileFacts.runs``). Computed once the file is walked, for its conditions and its facts."""
    if ctx.local_runs is None:
        ctx.local_runs = _receiver_runs(_passed_runs(ctx))
    return ctx.local_runs


def file_freezes(ctx: FileContext) -> dict:
    """Function key -> the call positions whose parameters it freezes (-1: a method's receiver),
    through the methods of its class it calls (``FileFacts.freezes``); once the file is walked."""
    if ctx.local_freezes is None:
        ctx.local_freezes = finalize_freezes(ctx.freeze_entries)
    return ctx.local_freezes


def _passed_runs(ctx: FileContext) -> dict:
    """``ctx.forward_keys`` with the parameters a function hands to another function of the file
    that runs them (`def conditional_loss(model, x): return _weibull_loss(model, x)`, where the
    helper calls `model.forward(x)`), to a fixpoint."""
    entries = dict(ctx.forward_keys)
    if not ctx.run_passes:
        return entries
    prefix = ctx.module + "." if ctx.module else ""
    changed = True
    while changed:
        changed = False
        for key, (info, params, handed) in ctx.run_passes.items():
            entry = entries.get(key)
            forwarded = set(entry[1]) if entry is not None else set()
            before = len(forwarded)
            for callee, at, param in handed:
                target = entries.get(prefix + callee)
                if target is not None and not target[4] and at < len(target[0]) and target[0][at] in target[1]:
                    forwarded.add(param)
            if len(forwarded) > before:
                entries[key] = _runs_entry(info, params, forwarded, ctx.aliases)
                changed = True
    return entries


def finalize_run_calls(ctx: FileContext) -> dict:
    """Function key -> ((call references, callee position, own position), ...): the calls that
    run one of its arguments (-1: its receiver, through a part of `self`) when the function they
    name runs that position (``FileFacts.run_calls``, solved across the project); several
    references: the alternatives a receiver may be, all of which must. References that name
    nothing the project may define are left out."""
    module_prefix = ctx.module + "." if ctx.module else ""
    out: dict = {}
    for key, (info, params, calls) in ctx.run_calls.items():
        shift = 1 if info.klass is not None and params and params[0] == "self" else 0
        entries = []
        for raws, at, part in calls:
            refs = tuple(resolve_ref(ctx, raw, module_prefix) for raw in raws)
            if any(ref is None or ref[0] == "anyname" or ref[0] == "anyattr" and (at != -1 or len(refs) > 1)
                   for ref in refs):
                continue  # of alternatives, every one must be a project class
            mine = -1 if part == "self" else params.index(part) - shift
            if mine >= -1:
                entries.append((refs, at, mine))
        if entries:
            out[key] = tuple(dict.fromkeys(entries))
    return out


def _receiver_runs(entries: dict) -> dict:
    """``finalize_runs`` from the walker's per-function entries (``_runs_entry``)."""
    # Through the class's own methods (`self.calculate_loss(x)` -> `self.forward`).
    receivers = callers_closure((key for key, entry in entries.items() if entry[2]),
                                self_callers({key: entry[3] for key, entry in entries.items() if entry[4]}))
    out: dict = {}
    for key, (params, forwarded, _, _, method) in entries.items():
        shift = 1 if method else 0
        positions = [i - shift for i, p in enumerate(params) if i >= shift and p in forwarded]
        if key in receivers:
            positions.insert(0, -1)
        if positions:
            out[key] = tuple(positions)
    return out


def finalize_condition(ctx: FileContext, condition):
    """A finding's condition with its call references resolved. Returns (keep, condition): what
    this file's own definitions settle is settled here (a finding whose every call atom names no
    project function is kept or dropped by the atoms' syntax); the rest is left to the project."""
    if condition is None or not condition.needs_project():
        return True, condition
    module_prefix = ctx.module + "." if ctx.module else ""
    if condition.contexts:
        # (a class of this file without bases is in no defs: named here)
        contexts = tuple(("qual", module_prefix + ref[1]) if ref[0] == "name" and module_prefix + ref[1] in ctx.class_keys
                         else resolve_ref(ctx, ref, module_prefix) for ref in condition.contexts)
        if None in contexts or any(ctx.context_managers.get(r[1]) for r in contexts if r[0] == "qual"):
            return False, None  # a context manager from outside the project, or this file's that switches grad
        condition = dataclasses.replace(condition, contexts=contexts)
    if condition.grads:
        grads = _grads(ctx, condition.grads, module_prefix)
        if grads is None:
            return False, None  # the loop calls a function of this file that uses gradients
        condition = dataclasses.replace(condition, grads=grads)
    if condition.fix_tensors:
        condition = dataclasses.replace(condition, fix_tensors=_fix_tensors(ctx, condition.fix_tensors, module_prefix))
    if condition.keeps:
        keeps = _keeps(ctx, condition.keeps, module_prefix)
        if keeps is None:
            return False, None  # no call of the finding names a method that keeps its argument
        condition = dataclasses.replace(condition, keeps=keeps)
    if condition.freezes:
        freezes = _argument_pairs(ctx, condition.freezes, module_prefix, lambda: file_freezes(ctx), any_method=True,
                                  flagged=ctx.flag_freezes)
        if freezes == ():
            return False, None  # a function of this file freezes the model first
        condition = dataclasses.replace(condition, freezes=freezes or ())
    if condition.handed:
        handed = _handed(ctx, condition.handed, module_prefix)
        if handed is None:
            return False, None  # a function that may freeze what it is handed
        condition = dataclasses.replace(condition, handed=handed)
    if condition.classes:
        # A class of this file is settled here; another file's by the project.
        if all(c in ctx.class_keys for c in condition.classes):
            if set(condition.classes) <= set(parameterless_classes(ctx)):
                return False, None  # the model's class builds no parameter
            condition = dataclasses.replace(condition, classes=())
    if condition.runs:
        runs = _runs(ctx, condition.runs, module_prefix)
        if runs is None:
            return False, None  # no call of the finding names a function that runs the model
        condition = dataclasses.replace(condition, runs=runs)
    if condition.trains:
        # The raw references of the calls that may train: one that names a function of this file
        # with a backward call of its own settles it; one that names nothing stays unresolved.
        # Only calls the analysis can name: a method matched by its name alone (an untyped
        # receiver) would make any loop that calls some `update` a training loop.
        trains = [r for r in (resolve_ref(ctx, ref, module_prefix) for ref in condition.trains)
                  if r is not None and r[0] not in ("anyattr", "anyname")]
        # A function of this file trains only if it, or what it calls in this file, takes a
        # training step; one of another file is left to the project.
        steps = _local_training(ctx, module_prefix)
        trains = [r for r in trains if _target_key(r) not in ctx.defs or _target_key(r) in steps]
        if not trains:
            return False, None
        local = any(_target_key(r) in steps for r in trains)
        condition = dataclasses.replace(condition, trains=() if local else tuple(dict.fromkeys(trains)))
    if condition.graphless:
        fact = finalize_fact(ctx, condition.graphless, module_prefix)
        if any(type(a) is not tuple for a in fact):
            return False, None  # a call names nothing the project may define: what it returns is not known
        condition = dataclasses.replace(condition, graphless=fact)
    if condition.returns:
        fact = finalize_fact(ctx, condition.returns, module_prefix)
        if GRAPH in fact:
            remaining = ()  # one of the calls certainly returns a graph
        else:
            remaining = tuple(a for a in fact if type(a) is tuple)
            if not remaining:
                return False, None
        condition = dataclasses.replace(condition, returns=remaining)
    return True, condition if (condition.function or condition.needs_project()) else None


def _keeps(ctx: FileContext, pairs: tuple, module_prefix: str) -> Optional[tuple]:
    """The (reference, position) pairs of a finding's calls, resolved: () when one names a
    method of this file that keeps that argument; None when none can (they name this file's
    methods that do not, or nothing the analysis can name); else those naming other files'."""
    return _argument_pairs(ctx, pairs, module_prefix, lambda: ctx.keeps)


def _runs(ctx: FileContext, pairs: tuple, module_prefix: str) -> Optional[tuple]:
    """Like ``_keeps``, for functions that run an argument as a model (``finalize_runs``). A
    method through a receiver of unknown class (`model.pi(obs)`) stays for the project, which
    asks every project method of that name that fits the call (ProjectFacts.runs)."""
    return _argument_pairs(ctx, pairs, module_prefix, lambda: finalize_runs(ctx), any_method=True)


def _argument_pairs(ctx: FileContext, pairs: tuple, module_prefix: str, local_facts,
                    any_method: bool = False, flagged: Optional[dict] = None) -> Optional[tuple]:
    """``pairs`` resolved against a per-function fact about argument positions (``local_facts()``:
    function key -> positions, this file's, computed only when a pair names this file).
    ``flagged``: this file's freezes by a flag (key -> freezes.positions_frozen's ``flagged``),
    read against the flags a freeze pair's call passes (its third item)."""
    local = None
    out = []
    for pair in pairs:
        ref, position, rest = pair[0], pair[1], pair[2:]
        target = resolve_ref(ctx, ref, module_prefix)
        if target is not None and target[0] == "anyattr" and any_method and position in (-1, -2):
            out.append((target, position) + rest)
            continue
        if target is None or target[0] in ("anyattr", "anyname"):
            continue
        key = _target_key(target)
        if key in ctx.defs:
            if local is None:
                local = local_facts()
            if freezes_at(local.get(key, ()), (flagged or {}).get(key, ()), position, rest[0] if rest else None):
                return ()
            if not (any_method and (key in ctx.run_calls or key in ctx.abstract)):
                continue  # else it may run it through a call (or its overrides, in any file) the project resolves
        out.append((target, position) + rest)
    return tuple(dict.fromkeys(out)) or None


def _handed(ctx: FileContext, pairs: tuple, module_prefix: str) -> Optional[tuple]:
    """Condition.handed resolved: None when a pair names nothing the analysis can name, or a
    function of this file that freezes that argument; else the pairs naming other files'."""
    local = None
    out = []
    for ref, position in pairs:
        target = resolve_ref(ctx, ref, module_prefix)
        if target is None or target[0] in ("anyattr", "anyname"):
            return None
        key = _target_key(target)
        if key in ctx.defs:
            if local is None:
                local = file_freezes(ctx)
            if position in local.get(key, ()):
                return None
            continue
        out.append((target, position))
    return tuple(dict.fromkeys(out))


def _grads(ctx: FileContext, refs: tuple, module_prefix: str) -> Optional[tuple]:
    """The references of a loop's calls that may use gradients, resolved: None when one names
    a function of this file that does (itself or through what it calls in this file); else the
    rest, for the project to decide (what they call in other files). A method matched by its
    name alone names nothing here."""
    local = _local_gradients(ctx, module_prefix)
    out = []
    for ref in refs:
        if ref[0] == "modelmethod":
            # A method of a model of unknown class (`model.compute_gradient_penalty(...)`): any
            # project method of that name; one of this file that uses gradients settles it here.
            if any(key.rpartition(".")[2] == ref[1] for key in local):
                return None
            out.append(ref)
            continue
        target = resolve_ref(ctx, ref, module_prefix)
        if target is None or target[0] in ("anyattr", "anyname"):
            continue
        if target[0] == "anyforward":
            # A module of unknown class: any of the project's; one of this file whose `forward`
            # uses gradients settles it here.
            if any(key.endswith(".forward") for key in local):
                return None
        elif _target_key(target) in local:
            return None
        out.append(target)  # of another file, or of this one calling into another
    return tuple(dict.fromkeys(out))


def _fix_tensors(ctx: FileContext, atoms: tuple, module_prefix: str) -> tuple:
    """The call atoms a fix's "it is a tensor" assumption still rests on, resolved: a call that
    names no project function is a tensor when its syntax says so (`model(x)`); one that says
    nothing leaves the marker ``(UNKNOWN,)``, which no project summary satisfies."""
    out = []
    for atom in atoms:
        if type(atom) is not tuple:
            if atom not in (GRAPH, TENSOR):
                out.append((UNKNOWN,))
            continue
        resolved = _finalize_atom(ctx, atom, module_prefix)
        if resolved is not None:
            out.append(resolved)
        elif not atom[2] or atom[3] not in (-1, 0):
            # Its syntax says nothing, or says only that the call runs a network (`loss, kl, acc =
            # vae(batch)` with `vae` of no known class): not that every element is a tensor.
            out.append((UNKNOWN,))
    return tuple(dict.fromkeys(out))


def _standard_library(qualified: str) -> bool:
    return qualified.partition(".")[0] in sys.stdlib_module_names


def _target_key(ref: tuple) -> Optional[str]:
    """The function key a resolved reference names directly (`qual`, or a method of a class)."""
    if ref[0] == "qual":
        return ref[1]
    if ref[0] == "method":
        return f"{ref[1]}.{ref[2]}"
    return None


def _local_gradients(ctx: FileContext, module_prefix: str) -> set:
    """The functions of this file that use gradients, or call (in this file) one that does."""
    if ctx.local_gradients is None:
        ctx.local_gradients = callers_closure(ctx.training_functions, _local_callers(ctx, module_prefix))
    return ctx.local_gradients


def _local_callers(ctx: FileContext, module_prefix: str) -> dict:
    """This file's call graph: function -> the functions of this file that call it (built once,
    when the file is walked, for both closures)."""
    if ctx.local_callers is None:
        callers: dict = {}
        for ref, _, caller, _ in ctx.raw_sites:
            if caller is None:
                continue
            target = resolve_ref(ctx, ref, module_prefix)
            key = _target_key(target) if target is not None else None
            if key is not None and key in ctx.defs:
                callers.setdefault(key, set()).add(caller)
        ctx.local_callers = callers
    return ctx.local_callers


def _local_training(ctx: FileContext, module_prefix: str) -> set:
    """The functions of this file that take a training step, or call (in this file) one that does."""
    if ctx.local_training is None:  # once the file is walked (asked for each finding's condition)
        ctx.local_training = callers_closure(ctx.training_steps(), _local_callers(ctx, module_prefix))
    return ctx.local_training


def finalize_sites(ctx: FileContext) -> list[tuple]:
    """Resolve the raw call references of one file once all its definitions are known."""
    resolved = []
    module_prefix = ctx.module + "." if ctx.module else ""
    loops_of = []  # the loop stack of each resolved site
    for ref, mode, caller, loops in ctx.raw_sites:
        target = resolve_ref(ctx, ref, module_prefix)
        if target is not None:
            resolved.append((target, mode, caller))
            loops_of.append(loops)
    if ctx.training_functions:
        # Calls made by a function that trains are used for training (NG001 leaves such
        # evaluation-named helpers alone): the calls in the loop that runs backward, or anywhere
        # when backward is not in a loop. A `validate(...)` once per epoch, outside the batch
        # loop, is not part of the training step. A function that trains by its name only
        # (Lightning's training_step returns the loss) trains through its calls outside loops.
        training = []
        for (r, _, c), loops in zip(resolved, loops_of):
            if c not in ctx.training_functions:
                continue
            backward = ctx.backward_loops.get(c) or ctx.delegated_loops.get(c)
            if backward is None:
                trains = not loops
            else:
                trains = None in backward or any(loop in loops for loop in backward)
            if trains:
                training.append((r, TRAIN, c))
        resolved.extend(training)
    return resolved
