"""What the file's values and classes are as networks: which classes of the file are `nn.Module`s
that hold parameters and record a graph when called, which attributes and locals hold such a
module, and what a class's constructions pass for what its `__init__` stores.

The questions a forward-pass rule asks of a receiver (`self.encoder`, `net`, `self.model`) before it
takes a call for a forward: built from the file's ClassInfos, the value model (`ctx.value_of`,
`ctx.constructor_of`, `ctx.values.attribute_values`) and torch's API data; per file, answers
cached. Names decide nothing here: a rule that falls back on a name does so itself.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from .atoms import MODULE, NUMBER
from .framework_hooks import OTHER_FRAMEWORKS
from .gradmode import disables_grad
from .names import dotted, positional_names
from .torch_api import NN_PARAMETER_CLASSES, may_hold_parameters, transforms_path
from .walker import CHECKED_MODULE, iter_children, walk_nodes

# Builtins that look at an object without computing with it.
_INTROSPECTION = frozenset({"getattr", "hasattr", "isinstance", "callable", "type", "id", "len", "print", "repr"})
_MODULE_FACT = frozenset({MODULE})
_NONE_FACT = frozenset({NUMBER})


class Networks:
    """One file's answers (rules build one per file, or per notebook cell)."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self._constructions: dict = {}  # (class, attribute) -> constructed_with's answer
        self._name_calls: Optional[list] = None  # calls_by_name of the file, on first use
        self._stored_params: dict = {}  # class -> {"self.<attr>": the __init__ parameter stored there}
        self._untrained: dict = {}  # class key -> (trained parts, untrained parts, handed parts)

    def module_class(self, name: str) -> bool:
        """Whether ``name`` is a class of this file deriving from `nn.Module` (here or through a
        base of the same file)."""
        info = self.ctx.class_infos.get(name)
        return info is not None and info.derives_from("Module")

    def untrained_parts(self, info) -> frozenset:
        """The networks a plain class (an agent) holds that none of its torch optimizers trains:
        `self.critic_target = Critic(...)` beside `self.critic_local = Critic(...)` and
        `Adam(self.critic_local.parameters())`. A part counts when `__init__` builds it from the
        class of an optimized part (or copies one: `copy.deepcopy(self.q)`, or unpacks it from the
        same element of the same call's result: `self.actor_target, self.critic_target =
        make_nets(...)` beside `self.actor_local, self.critic_local = make_nets(...)`), no optimizer of the
        class reads it, no code of the class hands it to a function (other than the class's own
        methods: a soft update; a function the project defines may be asked: handed_parts) or
        mentions `requires_grad` (a freeze). Empty when the class builds no optimizer (who trains
        what is then not the class's to say)."""
        return self._optimizer_parts(info)[1]

    def handed_parts(self, info) -> dict:
        """Untrained parts the class hands to functions (`hard_update(self.actor_target,
        self.actor)`): part -> the (call, argument position) pairs. Such a part is untrained when
        each of those names a function of the project that freezes nothing (Condition.handed)."""
        return self._optimizer_parts(info)[2]

    def trained_parts(self, info) -> frozenset:
        """The parts of a plain class whose parameters its torch optimizers take (untrained_parts'
        other side; empty where that is)."""
        return self._optimizer_parts(info)[0]

    def _optimizer_parts(self, info) -> tuple:
        """(trained parts, untrained parts) of a class, once per class (untrained_parts)."""
        cached = self._untrained.get(info.key)
        if cached is not None:
            return cached
        found: frozenset = frozenset()
        optimized: set = set()
        # (Only a class whose `__init__` reads some part's parameters, for an optimizer, is walked.)
        handed: dict = {}
        if info.parameter_parts and info.plain():
            passed: dict = {}
            frozen = False
            resolve = self.ctx.aliases.resolve
            for node in walk_nodes(info.node):
                t = type(node)
                if t is cst.Attribute and node.attr.value in ("requires_grad", "requires_grad_"):
                    frozen = True
                    break
                if t is not cst.Call:
                    continue
                func = node.func
                qualified = resolve(func) if type(func) in (cst.Name, cst.Attribute) else None
                if qualified is not None and qualified.startswith("torch.optim.") \
                        and not qualified.startswith(("torch.optim.lr_scheduler.", "torch.optim.swa_utils.")):
                    for arg in node.args:
                        optimized |= _self_attributes(arg.value)
                elif not (type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value == "self") \
                        and qualified not in ("copy.deepcopy", "copy.copy"):
                    # `hard_update(self.target, self.q)`, `lib.freeze(self.target)`: what it does is unknown.
                    known = type(func) is cst.Name or qualified is not None and not qualified.startswith("torch.")
                    for position, a in enumerate(node.args):
                        if type(a.value) is cst.Attribute and type(a.value.value) is cst.Name \
                                and a.value.value.value == "self":
                            # (None: a call the project cannot be asked of, or a keyword or star argument)
                            pair = (node, position) if known and not a.keyword and not a.star else None
                            passed.setdefault(a.value.attr.value, []).append(pair)
            if optimized and not frozen:
                classes = {info.attr_types[a] for a in optimized if a in info.attr_types}
                copies = self._copied_parts(info, optimized)
                # A part handed only to functions the project may define: asked of it (handed_parts).
                askable = {a for a, pairs in passed.items() if None not in pairs}
                # Parts unpacked from the same element of the same call's result (`self.actor_target,
                # self.critic_target = make_nets(...)` beside the optimized `self.actor_local, ...`).
                sources = {info.unpacked_parts[a] for a in optimized if a in info.unpacked_parts}
                found = frozenset(a for a, built in info.attr_types.items()
                                  if a not in optimized and (a not in passed or a in askable) and built in classes) | frozenset(
                    a for a in copies if a not in optimized and (a not in passed or a in askable)) | frozenset(
                    a for a, source in info.unpacked_parts.items()
                    if a not in optimized and (a not in passed or a in askable) and source in sources)
                handed = {a: tuple(passed[a]) for a in found if a in passed}
        result = self._untrained[info.key] = (frozenset(optimized) if found else frozenset(), found, handed)
        return result

    def _copied_parts(self, info, optimized: set) -> set:
        """Attributes `__init__` binds to a copy of an optimized part (`self.target = copy.deepcopy(self.q)`)."""
        init = info.method_def("__init__")
        out: set = set()
        for node in walk_nodes(init.body) if init is not None else ():
            if type(node) is cst.Assign and len(node.targets) == 1 and type(node.value) is cst.Call:
                target = node.targets[0].target
                value = node.value
                if type(target) is cst.Attribute and type(target.value) is cst.Name and target.value.value == "self" \
                        and self.ctx.aliases.resolve(value.func) in ("copy.deepcopy", "copy.copy") and value.args \
                        and _self_attributes(value.args[0].value) & optimized:
                    out.add(target.attr.value)
        return out

    def holds_network(self, receiver: str) -> bool:
        """`self.<attr>` that the value model knows is a network, not by its name: built in
        `__init__` from a module with parameters, or stored by a method as one (`torch.jit.load(w)`,
        `Net(...)`); a CTC decoder named `self.decoder` is no network."""
        root, _, attr = receiver.partition(".")
        if root != "self" or not attr or "." in attr:
            return False
        stored = self.ctx.values.attribute_values(attr)
        return self.module_attribute(receiver) or bool(stored) and self.stores_network(stored)

    def built_network(self, name: str) -> bool:
        """A local the value model says is a module, built from a torch.nn class with parameters
        (`nn.GRU`, not `nn.CrossEntropyLoss`) or from a class of the project (`Seq2Seq(...)`)."""
        if MODULE not in self.ctx.value_of(cst.Name(name)) or self.built_non_network(name):
            return False
        built = self.ctx.constructor_of(name)
        if built is not None:
            return may_hold_parameters(self.ctx.aliases.resolve_dotted(built))
        # No one constructor (bound on several paths: `loss_fn = nn.CrossEntropyLoss()` or an imported
        # function): a network when one of the values it may hold is a module that may hold parameters.
        env = self.ctx.env_now()
        bound = env.values.get(name) if env is not None else None
        if not bound:
            return True
        for value in bound:
            if value is None:
                return True  # a value the analysis does not keep: it may be a network
            if MODULE not in self.ctx.value_of(value):
                continue
            built = dotted(value.func) if type(value) is cst.Call else None
            if built is None or may_hold_parameters(self.ctx.aliases.resolve_dotted(built)):
                return True
        return False

    def built_non_network(self, name: str) -> bool:
        """A local built by a constructor that makes no network, whatever the name says (`g =
        GaussianLoss(pred, sigma)`): a torch class without parameters (`nn.MSELoss()`), a module
        class of this file without parameters whose `forward` computes nothing with its state
        (`class Capture(nn.Module): def forward(self, *a): return a` records nothing), or a loss of
        another file. The last by name: whether another file's class holds parameters is no
        project fact yet, and all but two of torch's own `*Loss` classes hold none (its API data)."""
        built = self.ctx.constructor_of(name)
        if built is None:
            return False
        klass = built.rpartition(".")[2]
        if self.module_class(klass):
            return not (self.holds_parameters(klass) or self.forward_runs(klass))
        qualified = self.ctx.aliases.resolve_dotted(built)
        if qualified is not None and (qualified.startswith("torch.") or transforms_path(qualified)):
            return not may_hold_parameters(qualified)
        return klass.endswith("Loss") and klass not in self.ctx.class_infos

    def stores_network(self, stored: tuple) -> bool:
        """What a class's methods store in an attribute is a network: at least one construction
        of a module with parameters (`self._generator = Generator(...)` in `fit`), and otherwise
        only placeholders (`self._generator = None` in `__init__`) or a model loaded whole
        (`torch.load(path)` on the other side of an `if`)."""
        built = False
        for value in stored:
            if value is None:
                return False
            if value is CHECKED_MODULE:
                built = True  # `if not isinstance(network, nn.Module): raise` before it was stored
                continue
            value = _default_of(value)
            fact = self.ctx.value_of(value)
            if fact == _NONE_FACT:
                continue
            if type(value) is cst.Call and self.ctx.aliases.resolve_dotted(dotted(value.func) or "") == "torch.load":
                # `self.critic = torch.load(path) if is_load else Critic(...)`: what was pickled
                # (any object) stands in for the module built on the other path.
                continue
            if fact != _MODULE_FACT or type(value) is not cst.Call:
                return False
            name = dotted(value.func) or ""
            if not may_hold_parameters(self.ctx.aliases.resolve_dotted(name) if name else None):
                return False  # a loss or an activation: no parameters to record a graph with
            if self.module_class(name) and not (self.holds_parameters(name) and self.forward_runs(name)):
                return False  # a module of this file that holds only buffers is a function of its input
            built = True
        return built

    def stores_imported_instance(self, receiver: str) -> bool:
        """`self.g12 = G12(conv_dim=64)` in a `build_model` method, with `G12` imported from
        another file (not torch's; `model.Actor(...)` through a module import too): whether
        calling it records a graph is that class's `forward`'s to say, by the project's summaries
        (the caller asks with the call's atom). Every stored value is such a construction or a
        placeholder (`self.g12 = None` in `__init__`)."""
        root, _, attr = receiver.partition(".")
        if root != "self" or not attr or "." in attr:
            return False
        built = False
        for value in self.ctx.values.attribute_values(attr) or ():
            if value is not None and self.ctx.value_of(value) == _NONE_FACT:
                continue
            if type(value) is not cst.Call:
                return False
            qualified = self.ctx.aliases.resolve(value.func) if type(value.func) in (cst.Name, cst.Attribute) else None
            if qualified is None or qualified.startswith("torch") or not qualified.rpartition(".")[2][:1].isupper():
                return False
            built = True
        return built

    def names_a_class(self, name: str) -> bool:
        """Whether every value the function binds to ``name`` is a class itself (`model_cls = GIN`,
        a class of the file or an imported capitalised name), so that calling it builds one."""
        env = self.ctx.env_now()
        bound = env.values.get(name) if env is not None else None
        if not bound:
            return False
        for value in bound:
            target = dotted(value) if value is not None and type(value) in (cst.Name, cst.Attribute) else None
            if target is None or not target.rpartition(".")[2][:1].isupper():
                return False
            root = target.partition(".")[0]
            if root not in self.ctx.aliases.names and target not in self.ctx.class_infos:
                return False
        return True

    def class_of(self, model: str) -> Optional[str]:
        """The qualified class a model was built from (`net = Net()`, `self.net = Net()` in
        `__init__`), by the file's assignments; None when they do not say."""
        root, _, attr = model.partition(".")
        if root == "self":
            klass = self.ctx.klass
            built = klass.attr_types.get(attr) if klass is not None and attr and "." not in attr else None
        else:
            built = self.ctx.constructor_of(model) if not attr else None
        if built is None:
            return None
        info = self.ctx.class_infos.get(built)
        return info.key if info is not None else self.ctx.aliases.resolve_dotted(built)

    def module_attribute(self, receiver: str) -> bool:
        """`self.cell(...)` where the class builds `self.cell = nn.LSTMCell(...)`: a torch.nn module
        with parameters (torch's API data), a forward pass whatever the attribute's name says."""
        root, _, attr = receiver.partition(".")
        klass = self.ctx.klass
        if root != "self" or not attr or "." in attr or klass is None:
            return False
        return self.builds_module(klass, attr)

    def builds_module(self, info, attr: str) -> bool:
        """Whether a class's `__init__` builds `self.<attr>` as a module with parameters: a torch.nn
        class (torch's API data), or `self.scaler = Scaler(n)`, an nn.Module of this file with
        parameters whose forward records a graph (a module holding only buffers, `Integral`, is a
        function of its input)."""
        built = info.attr_types.get(attr)
        if self.module_class(built):
            return self.holds_parameters(built) and self.forward_runs(built)
        return info.builds_torch_module(attr, self.ctx.aliases)

    def constructed_with(self, klass: str, attr: str) -> set:
        """The classes of this file that the file's constructions of ``klass`` (`Pipeline(model=
        Wrapper(...))`, `cls(model=Wrapper(...))` in its class methods) pass for the `__init__`
        parameter stored as ``self.<attr>``; empty when any construction passes something else."""
        key = (klass, attr)
        if key not in self._constructions:
            self._constructions[key] = self._find_constructions(klass, attr)
        return self._constructions[key]

    def _find_constructions(self, klass: str, attr: str) -> set:
        init = self.method(klass, "__init__")
        if init is None or self.ctx.module_node is None:
            return set()
        params = positional_names(init)[1:]
        stored_of = self._stored_params.get(klass)
        if stored_of is None:  # `self.<attr> = <parameter>` among __init__'s statements, read once per class
            stored_of = self._stored_params[klass] = {
                dotted(s.targets[0].target): s.value.value
                for line in (init.body.body if type(init.body) is cst.IndentedBlock else ())
                if type(line) is cst.SimpleStatementLine for s in line.body
                if type(s) is cst.Assign and type(s.value) is cst.Name and s.value.value in params}
        stored = stored_of.get(f"self.{attr}")
        if stored is None:
            return set()
        position = params.index(stored)
        found: set = set()
        if self._name_calls is None:
            self._name_calls = calls_by_name(self.ctx.module_node)
        for node, inside in self._name_calls:
            if not (node.func.value == klass or node.func.value == "cls" and inside == klass):
                continue
            arg = next((a for a in node.args if a.keyword is not None and a.keyword.value == stored), None)
            if arg is None and position < len(node.args) and node.args[position].keyword is None:
                arg = node.args[position]
            if arg is None or type(arg.value) is not cst.Call or (dotted(arg.value.func) or "").rpartition(".")[2] \
                    not in self.ctx.class_infos:
                return set()  # something the file does not define: it may be any model
            found.add(dotted(arg.value.func).rpartition(".")[2])
        return found

    def holds_parameters(self, klass: str, depth: int = 0) -> bool:
        """Whether an nn.Module class of this file holds parameters: an attribute built in its
        `__init__` as an `nn.Parameter`, a torch module with parameters (torch's API data) or such
        a class of the file. True when it cannot tell (a base class that is not torch's own)."""
        info = self.module_info(klass)
        if info is None or depth > 4:
            return True
        resolve = self.ctx.aliases.resolve_dotted
        if any(not (resolve(b) or b).startswith("torch.") for b in info.bases):
            return True
        for attr, built in info.attr_types.items():
            qualified = resolve(built) or built
            # (`nn.Sequential(nn.Linear(...), ...)`: a container given layers with parameters)
            if info.builds_torch_module(attr, self.ctx.aliases) or qualified in NN_PARAMETER_CLASSES or (
                    self.module_class(built) and self.holds_parameters(built, depth + 1)):
                return True
        return False

    def forward_runs(self, klass: str) -> bool:
        """Whether calling an instance of a class of this file records a graph: its `forward`
        runs a model (itself, a part, an argument: the function's summary) or reads its object's
        state other than to call a method on it (`x @ self.weight`). A wrapper whose `forward` only
        calls `self.model.generate(...)` (a method that disables grad itself) runs none. True when
        the file does not define the class or its `forward`."""
        fn = self.method(klass, "forward")
        summary = self.ctx.forwards.get(fn) if fn is not None else None
        if summary is None or summary[1]:
            return True
        if any(disables_grad(d.decorator, self.ctx.aliases) for d in fn.decorators):
            return False
        # `self.config.top_k`, `self.model.generate(...)`, `getattr(self.model, "generate")`: the
        # object's members looked up, not computed with.
        looked_up, read = set(), []
        for node in walk_nodes(fn.body):
            if type(node) is cst.Attribute:
                looked_up.add(id(node.value))
                if type(node.value) is cst.Name and node.value.value == "self":
                    read.append(node)
            elif type(node) is cst.Call and type(node.func) is cst.Name and node.func.value in _INTROSPECTION:
                looked_up.update(id(a.value) for a in node.args)
        return any(id(node) not in looked_up and self.method(klass, node.attr.value) is None for node in read)

    def method(self, klass: str, name: str) -> Optional[cst.FunctionDef]:
        """The method ``name`` of this file's class ``klass`` (or of a base of the same file)."""
        info = self.ctx.class_infos.get(klass)
        return info.method_def(name) if info is not None else None

    def module_info(self, klass: str):
        """The ClassInfo of this file's nn.Module subclass ``klass``, or None."""
        return self.ctx.class_infos.get(klass) if self.module_class(klass) else None

    def foreign_value(self, value: cst.Call) -> bool:
        """`MNN.nn.load_module(...)`, `paddle.jit.load(...)`: a model of another framework, in a file
        that also imports torch (its `.train(False)` and forward are no torch's)."""
        name = dotted(value.func)
        qualified = self.ctx.aliases.resolve_dotted(name) if name is not None else None
        return qualified is not None and qualified.split(".", 1)[0] in OTHER_FRAMEWORKS

    def other_framework(self) -> bool:
        modules = list(self.ctx.aliases.names.values()) + list(self.ctx.aliases.star_modules)
        return any(m.split(".", 1)[0] in OTHER_FRAMEWORKS for m in modules)


def _self_attributes(expr: cst.BaseExpression) -> set:
    """The attributes of `self` an expression reads (`list(self.actor.parameters())`: actor)."""
    return {n.attr.value for n in walk_nodes(expr) if type(n) is cst.Attribute and type(n.value) is cst.Name
            and n.value.value == "self"}


def calls_by_name(module: cst.Module) -> list:
    """(call, name of the innermost enclosing class or None) for each call of a bare name."""
    out = []
    stack = [(module, None)]
    while stack:
        node, klass = stack.pop()
        if type(node) is cst.ClassDef:
            klass = node.name.value
        elif type(node) is cst.Call and type(node.func) is cst.Name:
            out.append((node, klass))
        stack.extend((child, klass) for child in iter_children(node))
    return out


def _default_of(value: cst.BaseExpression) -> cst.BaseExpression:
    """`network if network is not None else Net()` (or `Net() if network is None else network`): the
    default built when the caller passes none, which stands for what a caller would pass; any
    other value as it is."""
    if type(value) is not cst.IfExp or type(value.test) is not cst.Comparison or len(value.test.comparisons) != 1:
        return value
    test = value.test
    target = test.comparisons[0]
    if type(test.left) is not cst.Name or type(target.comparator) is not cst.Name or target.comparator.value != "None":
        return value
    name = test.left.value
    if type(target.operator) is cst.IsNot and type(value.body) is cst.Name and value.body.value == name:
        return value.orelse
    if type(target.operator) is cst.Is and type(value.orelse) is cst.Name and value.orelse.value == name:
        return value.body
    return value
