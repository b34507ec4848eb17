"""NG017 evaluation-in-train-mode."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import NamedTuple, Optional

import libcst as cst

from ..analysis.conditions import Condition
from ..analysis.modes import ENCLOSING, HelperModes, final_modes, helper_modes, mode_switches, switch_mode
from ..analysis.names import dotted, positional_names
from ..analysis.networks import Networks
from ..analysis.patterns import grad_use, is_test_file, model_receiver, prefixes, pretrained_in_eval_mode, related
from ..analysis.torch_api import (MODE_DEPENDENT_MODULES, NN_MODULE_METHODS, NN_MODULES, NN_MODULES_WITH_PARAMETERS,
                                  TENSOR_METHODS, TORCH_FACTORIES)
from ..analysis.walker import walk_nodes
from .base import Rule, RuleDocs

# nn.Module methods that leave the train/eval mode as it is (`apply(fn)` may not: `fn` can call `.eval()`).
_KEEPS_MODE = NN_MODULE_METHODS - {"eval", "train", "apply", "load_state_dict"}
# Builtins and torch functions that look at a model or copy it without running or switching it.
_LOOKS_AT = frozenset({"print", "len", "isinstance", "type", "id", "repr", "str", "getattr", "hasattr", "vars",
                       "torch.save", "copy.deepcopy", "deepcopy"})
_MOVES = frozenset({"to", "cuda", "cpu", "float", "double", "half", "bfloat16", "train"})
_WRAPPERS = frozenset({"DataParallel", "DistributedDataParallel"})
# nn.Module methods that no tensor has: a value they are called on is a module.
_MODULE_ONLY = frozenset({"parameters", "named_parameters", "train", "eval", "load_state_dict", "state_dict",
                          "modules", "named_modules", "children", "apply"})
_BUILTINS = frozenset(dir(builtins))
# torch factories of random tensors: a forward of noise is sampling (a GAN generator's progress
# images, which run in training mode on purpose: batch norm with batch statistics).
_RANDOM = frozenset(f for f in TORCH_FACTORIES if f.rpartition(".")[2].startswith(("rand", "normal")))


@dataclass(eq=False)
class _Event:
    """Something a scope does to a model, in source order (``seq``): kind "built" (data: the
    constructor's class names; None when the value is no known construction), "loaded"
    (`load_state_dict`), "trained" (a loop with a backward pass ran it with grad on), "eval" /
    "train" (a switch), "unknown" (handed to code that may switch it), "alias" (an attribute bound
    to a local model, moved or wrapped: `self.model = model.to(device)`; data: the local). Calls of the file's helpers
    are kept apart (_Scope.helper_calls) and resolved when the module ends."""

    kind: str
    target: str
    seq: int
    loops: tuple  # ids of the scope's loops around it
    data: object = None
    node: Optional[cst.CSTNode] = None  # the assignment of a "built" or "alias" event


@dataclass(eq=False)
class _Forward:
    target: str
    node: cst.Call
    seq: int
    loops: tuple
    region: Optional[object]  # the innermost loop around it (a _Loop), or None: the scope's body
    classes: tuple  # qualified class names it may be an instance of, as known where it runs


@dataclass(eq=False)
class _Loop:
    node: cst.CSTNode
    backward: bool = False  # a backward pass at its own level (not in a nested loop)
    trains: bool = False  # a backward pass anywhere inside
    ran: set = field(default_factory=set)  # targets it runs with grad on, anywhere inside
    calls: list = field(default_factory=list)  # (helper key, call) at its own level, resolved later


@dataclass(eq=False)
class _Scope:
    node: Optional[cst.CSTNode]
    key: str  # "" for the module
    params: tuple = ()
    is_method: bool = False
    events: list = field(default_factory=list)
    forwards: list = field(default_factory=list)
    loops: list = field(default_factory=list)  # open loops, innermost last
    backward: bool = False  # a backward pass at the scope's own level
    calls: list = field(default_factory=list)  # helper calls at the scope's own level
    # Helper calls with their arguments: (helper key, kind, call node, seq, loops, {param: (target, classes)})
    helper_calls: list = field(default_factory=list)
    noise: dict = field(default_factory=dict)  # name -> whether its last assignment is random noise


class EvaluationInTrainMode(Rule):
    code = "NG017"
    name = "evaluation-in-train-mode"
    message = "the model is evaluated under no_grad in training mode; call `model.eval()` first"
    triggers = (r"no_grad", r"inference_mode", r"set_grad_enabled")
    # (No word the file must have: a model may be loaded by a project function of another file,
    # which the project's facts say once every file is read.)
    docs = RuleDocs(
        what=(
            "Checks for a model run under `torch.no_grad()` (or `inference_mode`, or in a function "
            "decorated with either) to evaluate it, while it is still in training mode: the code trained it "
            "before (a loop that backpropagates through its forward, in the same function or script, or "
            "through a function of the file that trains it, itself or through the helpers it hands the model "
            "to), or built it and loaded weights into it (by its class, or by a project function that builds "
            "and returns it without `.eval()`: `model = vgg19()`, in any file) "
            "(`model = Net(); model.load_state_dict(...)`; or `model = build(weights=path)` where the project "
            "function `build` loads them itself, through the helpers it calls), and nothing put it in eval mode "
            "since (`model.eval()`, `model.train(False)`, a function or method of the file that calls them, on "
            "it or on an object that holds it). A plain class (an inference wrapper) whose `__init__` stores "
            "such a model (`self.model = model.to(device)`) and whose methods run it under `no_grad` "
            "(`self.model(x)`, or submodules of it: `self.model.text_encoder(ids)`) is reported once, where "
            "`__init__` stores it, when no method of the class switches, rebinds or hands the model away, and "
            "what the methods call on it are attributes its class assigns (submodules, a tokenizer), no methods "
            "that might switch its mode (the project's class facts decide); code outside the class that "
            "switches the model through the object (`wrapper.model.eval()`) is not seen. The forward may be in a function of the file that the code "
            "calls with the trained model (`evaluate(model, val_loader)` with no `.eval()` inside), also "
            "through helpers that hand it on (`show_samples(model)` calling `translate(model, s)`): it is "
            "reported there. A method of the model's own class that switches no mode (`decoder.init_hidden()`) "
            "leaves it in training mode. Only models whose class behaves differently in the two modes are reported: a "
            "torch layer such as dropout or batch norm (found by running torch's classes in both modes), or a "
            "class of the project, in any file, that builds one, reads `self.training`, sets a non-zero "
            "dropout rate, or builds or derives from such a class; or a model of a class the file cannot name (a "
            "parameter) that the training loop switches back with `.train()` at every epoch, which says the "
            "author expects it to leave training mode in between. A forward inside a loop that trains at "
            "the same level (a teacher's or pseudo-label forward in a training step, or beside a call of a "
            "step helper that backpropagates once per call; not beside a helper that trains over a whole loop of "
            "its own, `train_loop(loader, model, ...)`, which has finished by then), a forward of random "
            "noise (a generator's progress images, made in training mode on purpose), a model handed to code "
            "the file does not show (which may switch its mode), a model whose class the project does not "
            "show (unless it is switched back to training at every epoch, as above), and `.train()` called right before the forwards with no training in between (recomputing "
            "batch norm statistics, as `swa_utils.update_bn` does) are not reported; nor are test modules (as "
            "for NG001), which compare outputs in whatever mode they set up."
        ),
        why=(
            "`torch.no_grad()` stops the graph, not training behaviour: in training mode dropout still zeroes "
            "activations and batch norm normalises with the statistics of each evaluation batch, and updates "
            "its running statistics with them. Validation scores come out noisy and too low, predictions "
            "change from run to run and with the batch size, and the running statistics drift towards the "
            "validation data. Nothing fails."
        ),
        example=(
            "for epoch in range(epochs):\n"
            "    model.train()\n"
            "    for x, y in train_loader:\n"
            "        loss = criterion(model(x), y)\n"
            "        optimizer.zero_grad()\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
            "    with torch.no_grad():\n"
            "        val_loss = sum(criterion(model(x), y).item() for x, y in val_loader)\n"
        ),
        use_instead=(
            "for epoch in range(epochs):\n"
            "    model.train()\n"
            "    for x, y in train_loader:\n"
            "        loss = criterion(model(x), y)\n"
            "        optimizer.zero_grad()\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
            "    model.eval()\n"
            "    with torch.no_grad():\n"
            "        val_loss = sum(criterion(model(x), y).item() for x, y in val_loader)\n"
        ),
        fix_safety=(
            "This rule has no automatic fix: `model.eval()` must be followed by `model.train()` before the next training "
            "step (NG012), and where that goes depends on the loop."
        ),
    )

    _NET = (
        "import torch\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.fc = nn.Linear(4, 2)\n        self.drop = nn.Dropout(0.5)\n\n"
        "    def forward(self, x):\n        return self.fc(self.drop(x))\n\n"
    )
    _PLAIN_NET = (
        "import torch\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n"
        "    def forward(self, x):\n        return self.fc(x)\n\n"
    )
    VALID = (
        # eval() before evaluating
        _NET + "def fit(loader, val, opt):\n    model = Net()\n    for epoch in range(3):\n        model.train()\n"
        "        for x, y in loader:\n            model(x).sum().backward()\n            opt.step()\n"
        "        model.eval()\n        with torch.no_grad():\n            for x, y in val:\n                model(x)\n",
        # a class with no dropout or batch norm: eval() changes nothing
        _PLAIN_NET + "def fit(loader, val, opt):\n    model = Net()\n    for x, y in loader:\n"
        "        model(x).sum().backward()\n        opt.step()\n    with torch.no_grad():\n"
        "        for x, y in val:\n            model(x)\n",
        # a pseudo-label forward inside the training step, in training mode on purpose
        _NET + "def fit(loader, opt):\n    model = Net()\n    for x, y in loader:\n        with torch.no_grad():\n"
        "            target = model(x).argmax(1)\n        model(x).sum().backward()\n        opt.step()\n",
        # the evaluation helper puts the model in eval mode itself
        _NET + "def evaluate(model, val):\n    model.eval()\n    with torch.no_grad():\n"
        "        return [model(x) for x in val]\n\ndef fit(loader, val, opt):\n    model = Net()\n"
        "    for x, y in loader:\n        model(x).sum().backward()\n        opt.step()\n    evaluate(model, val)\n",
        # samples from noise: a generator's progress images
        _NET + "def fit(loader, opt):\n    G = Net()\n    for x in loader:\n        G(x).sum().backward()\n"
        "        opt.step()\n    with torch.no_grad():\n        z = torch.randn(16, 4)\n        images = G(z)\n",
        # handed to code the file does not show, which may switch the mode
        _NET + "from helpers import prepare\n\ndef fit(loader, val, opt):\n    model = Net()\n"
        "    for x, y in loader:\n        model(x).sum().backward()\n        opt.step()\n    prepare(model)\n"
        "    with torch.no_grad():\n        for x, y in val:\n            model(x)\n",
        # the wrapper puts the model its builder loaded in eval mode
        _NET + "def restore(model, path):\n    model.load_state_dict(torch.load(path))\n    return model\n\n"
        "def build(path):\n    return restore(Net(), path)\n\nclass Predictor:\n    def __init__(self, path):\n"
        "        self.model = build(path)\n        self.model.eval()\n\n    @torch.no_grad()\n"
        "    def __call__(self, x):\n        return self.model(x)\n",
                # batch norm statistics recomputed in training mode on purpose
        _NET + "def recalibrate(path, loader):\n    model = Net()\n    model.load_state_dict(torch.load(path))\n"
        "    model.train()\n    with torch.no_grad():\n        for x in loader:\n            model(x)\n",
    )
    INVALID = (
        _NET + "def fit(loader, val, opt):\n    model = Net()\n    for epoch in range(3):\n        model.train()\n"
        "        for x, y in loader:\n            model(x).sum().backward()\n            opt.step()\n"
        "        with torch.no_grad():\n            for x, y in val:\n                model(x)\n",
        # built, weights loaded, never put in eval mode
        _NET + "model = Net()\nmodel.load_state_dict(torch.load('weights.pt'))\nwith torch.no_grad():\n"
        "    prediction = model(torch.ones(1, 4))\n",
        # the evaluation helper the training code calls never calls eval()
        _NET + "def evaluate(model, val):\n    with torch.no_grad():\n        return [model(x) for x in val]\n\n"
        "def fit(loader, val, opt):\n    model = Net()\n    for x, y in loader:\n        model(x).sum().backward()\n"
        "        opt.step()\n    evaluate(model, val)\n",
        # an inference wrapper storing a model its builder loaded, never put in eval mode
        _NET + "def restore(model, path):\n    model.load_state_dict(torch.load(path))\n    return model\n\n"
        "def build(path):\n    return restore(Net(), path)\n\nclass Predictor:\n    def __init__(self, path):\n"
        "        model = build(path)\n        self.model = model.to('cpu')\n\n    @torch.no_grad()\n"
        "    def __call__(self, x):\n        return self.model(x)\n",
                # a trainer's validation method, called after the training loop
        _NET + "class Trainer:\n    def __init__(self, opt):\n        self.model = Net()\n        self.opt = opt\n\n"
        "    def validate(self, val):\n        with torch.no_grad():\n            return [self.model(x) for x in val]\n\n"
        "    def fit(self, loader, val):\n        for epoch in range(3):\n            for x in loader:\n"
        "                self.model(x).sum().backward()\n                self.opt.step()\n"
        "            self.validate(val)\n",
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._networks = Networks(ctx)
        # Module-level state outlives a notebook cell: a later cell evaluates what an earlier one trained.
        shared = ctx.shared.setdefault("NG017", {"module": _Scope(None, ""), "seq": [0], "defs": {}, "done": set()})
        self._module = shared["module"]
        self._seq = shared["seq"]
        self._defs = shared["defs"]  # helper key -> _Scope ("f" for functions, "self.f" for methods)
        self._done = shared["done"]  # ids of the forwards already reported
        self._scopes: list = [self._module]
        self._all: list = []  # this cell's function scopes
        self._modes: dict = {}  # id(FunctionDef) -> HelperModes
        self._held_models: dict = {}  # (class key, model attribute) -> _held_in_class's answer
        self._modules = shared.setdefault("modules", set())  # receivers of nn.Module-only methods
        # Project functions a model was built by (`_factory`): the project says which load weights.
        self._factories = shared.setdefault("factories", set())

    def _next(self) -> int:
        self._seq[0] += 1
        return self._seq[0]

    # -- scopes ----------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        fn = self.ctx.function
        is_method = fn is not None and fn.klass is not None
        names = tuple(positional_names(node))
        if is_method and names and names[0] in ("self", "cls"):
            names = names[1:]
        scope = _Scope(node, fn.key if fn is not None else node.name.value, names, is_method)
        self._scopes.append(scope)
        self._all.append(scope)
        self._defs["self." + node.name.value if is_method else node.name.value] = scope

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        if len(self._scopes) > 1 and self._scopes[-1].node is node:
            self._scopes.pop()

    def _event(self, kind: str, target: str, data=None, node=None) -> None:
        scope = self._scopes[-1]
        scope.events.append(_Event(kind, target, self._next(), tuple(id(l) for l in scope.loops), data, node))

    # -- loops -----------------------------------------------------------------------------
    def _open(self, node) -> None:
        self._scopes[-1].loops.append(_Loop(node))

    visit_For = _open
    visit_While = _open

    def _close(self, node) -> None:
        scope = self._scopes[-1]
        if not scope.loops or scope.loops[-1].node is not node:
            return
        loop = scope.loops.pop()
        if scope.loops:
            outer = scope.loops[-1]
            outer.trains = outer.trains or loop.trains
            outer.ran |= loop.ran
        if loop.trains:
            for target in sorted(loop.ran):
                self._event("trained", target)

    leave_For = _close
    leave_While = _close

    # -- assignments -----------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        noise = self._random(node.value)
        same = _same_model(node.value)
        for t in node.targets:
            if type(t.target) is cst.Name:
                self._scopes[-1].noise[t.target.value] = noise
            target = dotted(t.target) if type(t.target) in (cst.Name, cst.Attribute) else None
            if target is not None and target != same:
                if same is not None and "." not in same and target.startswith("self."):
                    self._event("alias", target, same, node)  # the local's model, in the local's state
                else:
                    self._event("built", target, self._built(node.value), node)

    def _built(self, value: cst.BaseExpression) -> Optional[tuple]:
        """The class names a value is a fresh instance of (training mode), or None."""
        while type(value) is cst.Call and type(value.func) is cst.Attribute \
                and value.func.attr.value in ("to", "cuda", "cpu", "float", "double", "half", "train"):
            value = value.func.value  # `Net().to(device)`
        if type(value) is not cst.Call or pretrained_in_eval_mode(value, self.ctx.aliases):
            return None
        name = dotted(value.func)
        if name is None:
            return None
        if not name.rpartition(".")[2][:1].isupper():
            return self._factory(name)
        info = self.ctx.class_infos.get(name)
        qualified = info.key if info is not None else self.ctx.aliases.resolve_dotted(name) or name
        if qualified in NN_MODULES:
            # `nn.Sequential(nn.Linear(4, 2), nn.Dropout())`: the layers it is given decide.
            inner = [self._built(a.value) for a in value.args if type(a.value) is cst.Call]
            found = [c for names in inner if names for c in names]
            return (qualified, *found)
        return (qualified,)

    def _factory(self, name: str) -> Optional[tuple]:
        """A call of a project function that builds a model and returns it (`model = vgg19()`,
        from `models.py` or this file): its qualified name, which the project's class facts key like
        a class (class_modes: it reads the mode as the classes it builds do; one that calls
        `.eval()` is no such fact). None for anything else (a library's factory: not known)."""
        if "." in name:
            return None
        if name in self.ctx.top_functions():
            qualified = f"{self.ctx.module}.{name}" if self.ctx.module else name
        else:
            qualified = self.ctx.aliases.resolve_dotted(name)
            if qualified is None or qualified.startswith("torch") or qualified == name:
                return None
        self._factories.add(qualified)
        return (qualified,)

    # -- calls -----------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        scope = self._scopes[-1]
        func = node.func
        if grad_use(node, self.ctx.aliases) and not (type(func) is cst.Attribute and func.attr.value == "zero_grad"):
            if scope.loops:
                scope.loops[-1].backward = True
                for loop in scope.loops:
                    loop.trains = True
            else:
                scope.backward = True
            return
        if type(func) is cst.Attribute:
            attr = func.attr.value
            receiver = dotted(func.value)
            if receiver is not None and attr in _MODULE_ONLY:
                self._modules.add(receiver)
            if receiver is not None:
                if attr in ("eval", "train"):
                    mode = switch_mode(attr, node)
                    if mode is not None:
                        self._event(mode, receiver)
                    return
                if attr == "load_state_dict":
                    self._event("loaded", receiver)
                elif attr == "apply":
                    self._event("unknown", receiver)
                elif receiver != "self" and attr not in _KEEPS_MODE and attr not in TENSOR_METHODS \
                        and model_receiver(func) != receiver:
                    # A method of the model's own class: it may switch (its class, once known, tells).
                    self._event("unknown", receiver, attr)
        name = dotted(func)
        if receiver_is_self_method(func):
            self._helper_call(scope, "self." + func.attr.value, node)
        elif type(func) is cst.Name and func.value not in self.ctx.aliases.names and func.value not in _LOOKS_AT:
            # A function of the file, maybe defined further down: resolved at the end of the module.
            self._helper_call(scope, func.value, node)
        elif name is not None and name not in _LOOKS_AT and name.rpartition(".")[2] not in _WRAPPERS \
                and (self.ctx.aliases.resolve_dotted(name) or name) not in _LOOKS_AT:
            for arg in node.args:
                handed = dotted(arg.value) if type(arg.value) in (cst.Name, cst.Attribute) else None
                if handed is not None:
                    self._event("unknown", handed)  # code the file does not show may switch it
        target = model_receiver(func)
        if target is None or target.partition(".")[0] in self.ctx.aliases.names or not self._may_be_model(func, target):
            return
        if not self.ctx.grad_mode.disabled:
            for loop in scope.loops:
                loop.ran.add(target)
            return
        if self._from_noise(node):
            return
        scope.forwards.append(_Forward(target, node, self._next(), tuple(id(l) for l in scope.loops),
                                       scope.loops[-1] if scope.loops else None, self._classes(target)))

    def _may_be_model(self, func: cst.BaseExpression, target: str) -> bool:
        """What a call's syntax rules out as a forward: a builtin, a Tensor method (`loss.item()`),
        a method of the current class (`self._preprocess(x)`)."""
        if type(func) is cst.Name:
            return func.value not in _BUILTINS
        if type(func) is cst.Attribute and model_receiver(func) == dotted(func):
            if func.attr.value in TENSOR_METHODS or func.attr.value in NN_MODULE_METHODS:
                return False  # `loss.item()`, `model.parameters()`
            klass = self.ctx.klass
            if target.count(".") == 1 and target.startswith("self.") and klass is not None \
                    and klass.method_def(func.attr.value) is not None:
                return False
        return True

    def _is_model(self, target: str, classes: tuple) -> bool:
        """A model by what the file does with it: a module's own method called on it
        (`.parameters()` for an optimizer, `.train()`, `.load_state_dict()`), on it or on the
        model it is a part of; or built from a class that is not a torch class without parameters
        (a loss)."""
        if classes:
            return any(c not in NN_MODULES or c in NN_MODULES_WITH_PARAMETERS or c in MODE_DEPENDENT_MODULES
                       for c in classes)
        return any(p in self._modules for p in prefixes(target))

    def _helper_call(self, scope: _Scope, key: str, node: cst.Call) -> None:
        """A call of what may be a function or method of the file: its arguments' targets and
        classes, as the caller names them (resolved against the helper at the end)."""
        handed = []
        for arg in node.args:
            if arg.star:
                continue
            target = dotted(arg.value) if type(arg.value) in (cst.Name, cst.Attribute) else None
            handed.append((arg.keyword.value if arg.keyword is not None else None, target,
                           self._classes(target) if target is not None and target.startswith("self.") else ()))
        seq = self._next()
        loops = tuple(id(l) for l in scope.loops)
        scope.helper_calls.append((key, node, seq, loops, handed, scope.loops[-1] if scope.loops else None))
        if scope.loops:
            scope.loops[-1].calls.append((key, node))
        else:
            scope.calls.append((key, node))

    def _classes(self, target: str) -> tuple:
        """The classes an attribute of `self` may be an instance of, by the class's `__init__` or
        what the file's constructions of the class pass for it (a local's class comes from its
        "built" event instead)."""
        root, _, attr = target.partition(".")
        klass = self.ctx.klass
        if root != "self" or not attr or "." in attr or klass is None:
            return ()
        built = self._networks.class_of(target)
        if built is not None:
            return (built,)
        found = self._networks.constructed_with(klass.name, attr)
        return tuple(sorted(self.ctx.class_infos[c].key for c in found if c in self.ctx.class_infos))

    def _from_noise(self, call: cst.Call) -> bool:
        """Whether the forward's first argument is random noise (`G(torch.randn(n, z))`, or a name
        the function bound to such a call)."""
        if not call.args:
            return False
        value = call.args[0].value
        if type(value) is cst.Name:
            return self._scopes[-1].noise.get(value.value, False)
        return self._random(value)

    def _random(self, value: cst.BaseExpression) -> bool:
        while type(value) is cst.Call and type(value.func) is cst.Attribute \
                and value.func.attr.value in ("to", "cuda", "float", "half"):
            value = value.func.value  # `torch.randn(n, z).to(device)`
        return type(value) is cst.Call and (self.ctx.aliases.resolve(value.func) or "") in _RANDOM

    # -- decide ----------------------------------------------------------------------------
    def leave_Module(self, node: cst.Module) -> None:
        if is_test_file(self.ctx.path, node, self.ctx.aliases):
            return  # a test compares outputs on purpose, in whatever mode it sets up
        for scope in [self._module, *self._all]:
            for forward in scope.forwards:
                if id(forward.node) in self._done:
                    continue
                found = self._judge(scope, forward)
                if found is not None:
                    self._done.add(id(forward.node))
                    if found.store is not None:
                        # A wrapper's model, judged from `__init__`: reported once, where `__init__`
                        # stores it (one `.eval()` there fixes every method), for the whole class.
                        if id(found.store) not in self._done:
                            self._done.add(id(found.store))
                            self.report(found.store, f"`{found.model}` is stored in training mode {found.how}, and "
                                        "the class's methods run it under no_grad: dropout and batch norm still "
                                        f"behave as in training; call `{found.model}.eval()` here",
                                        condition=Condition("", "", mode_classes=found.classes, loaded=found.loaded,
                                                            parts=found.parts))
                        continue
                    self.report(forward.node, f"`{forward.target}` runs under no_grad in training mode {found.how}: "
                                f"dropout and batch norm still behave as in training; call `{forward.target}.eval()` "
                                "before evaluating (and `.train()` before training again)",
                                condition=Condition("", "", mode_classes=found.classes, loaded=found.loaded))
        self._module.forwards = [f for f in self._module.forwards if id(f.node) not in self._done]

    def _judge(self, scope: _Scope, forward: _Forward) -> "Optional[_Verdict]":
        """How the forward runs a model in training mode to evaluate it; None when it does not."""
        if self._trains_here(scope, forward.region):
            return None
        state = self._state(scope, forward.target, forward.seq, forward.loops)
        if state is not None:
            mode, classes = state
            classes = classes or forward.classes
            if mode in ("trained", "loaded") and self._is_model(forward.target, classes) and (
                    self._may_depend(classes) or not classes and _retrains(scope, forward.target, forward.loops)):
                return _Verdict("after training it" if mode == "trained" else "after loading its weights", classes)
            return self._built_loaded(forward.target, mode, classes, "")
        # In a helper of the file: the callers' models (its parameters, `self.` attributes, or a
        # script's global the function does not bind).
        root = forward.target.partition(".")[0]
        global_name = scope.node is not None and root != "self" and root not in scope.params and not any(
            e.kind == "built" and e.target == root for e in scope.events)
        if root != "self" and root not in scope.params and not global_name:
            return None
        own = [e for e in scope.events if e.kind != "trained" and related(e.target, forward.target)]
        if own:
            # The helper switches or rebinds it itself; or, in a wrapper's method, only calls members
            # of the model it holds (`self.model.text_encoder(ids)`): judged from `__init__`.
            return self._judge_from_init(scope, forward) if root == "self" and _member_calls(
                own, _held(forward.target)) is not None else None
        found = self._judge_in_callers(scope, forward.target, forward.classes, global_name, 0)
        return found if found is not None or root != "self" else self._judge_from_init(scope, forward)

    def _built_loaded(self, target: str, mode, classes: tuple, where: str) -> "Optional[_Verdict]":
        """The verdict, its `loaded` the factories, for a model fresh from project functions (`model =
        blip_retrieval(pretrained=path)`) that may load its weights themselves: the project decides
        (Condition.loaded: one of them loads weights, through the helpers it calls); None otherwise."""
        factories = tuple(c for c in classes if c in self._factories)
        if mode != "fresh" or not factories or not self._is_model(target, classes) or not self._may_depend(classes):
            return None
        name = factories[0].rpartition(".")[2]
        return _Verdict(f"after `{name}(...)` built it and loaded its weights{where}", classes, factories)

    def _judge_from_init(self, scope: _Scope, forward: _Forward):
        """_judge for `self.<attr>(...)`, or a member's call (`self.<attr>.text_encoder(...)`), in a
        method of a plain class (an inference wrapper: the model is no part of a module whose owner
        switches its mode): the state `__init__` leaves the model in, when no other method of the
        class switches, rebinds or hands it away (`Wrapper.__init__` storing a model a project
        builder loaded, which every `@torch.no_grad()` method runs in training mode). What the
        methods call on the model must be attributes of its class, no methods that may switch its
        mode, and one run a submodule (Condition.parts: the project decides)."""
        klass = scope.key.rpartition(".")[0]
        info = self.ctx.class_infos.get(klass.rpartition(".")[2])
        model = _held(forward.target)
        if not scope.is_method or info is None or info.key != klass or not info.plain() or model is None:
            return None
        key = (klass, model)
        if key not in self._held_models:
            self._held_models[key] = self._held_in_class(klass, model)
        held = self._held_models[key]
        if held is None:
            return None
        (mode, classes), demands, store = held
        classes = classes or forward.classes
        if mode == "loaded" and self._is_model(model, classes) and self._may_depend(classes):
            found = _Verdict("after loading its weights in `__init__`", classes)
        else:
            found = self._built_loaded(model, mode, classes, " in `__init__`")
        if found is None or demands and not classes:
            return None
        parts = tuple((c, d) for d in sorted(demands) for c in classes)
        return found._replace(parts=parts, model=model, store=store)

    def _held_in_class(self, klass: str, model: str):
        """(the state `__init__` leaves ``model`` in, the Condition.parts demands of what the
        class's methods do with it, the assignment that stores it) for _judge_from_init, once per
        class and model; None when a method switches, rebinds or hands it away, or `__init__`
        stores nothing there."""
        init = next((s for s in self._all if s.is_method and s.key == klass + ".__init__"), None)
        if init is None:
            return None
        members: set = set()  # what the class's methods call on the model: attributes, no methods
        runs: set = set()  # the members its methods run under no_grad ("" for the model itself)
        for other in self._all:
            if other is init or not other.key.startswith(klass + "."):
                continue
            called = _member_calls([e for e in other.events if e.kind != "trained" and related(e.target, model)],
                                   model)
            if called is None:
                return None  # a method switches, rebinds or hands away the model
            members |= called
            if any(effect is not None and effect != "trained" for name, call, _, _, handed, _ in other.helper_calls
                   for effect in (self._helper_effect(name, call, handed, model),)):
                return None  # a method switches it through a helper (`self.set_eval()`)
            runs.update(f.target[len(model) + 1:] for f in other.forwards if _held(f.target) == model)
        stores = [e for e in init.events if e.target == model and e.kind in ("alias", "built") and e.node is not None]
        state = self._state(init, model, self._seq[0] + 1, ())
        if state is None or not stores:
            return None
        # Every member called must be an attribute (`~`), no method that may switch the mode; one run
        # must be a submodule (`+`), unless a method runs the model itself.
        demands = {"~" + m for m in members} | (set() if "" in runs else {"+" + m for m in runs})
        return state, demands, stores[-1].node

    def _judge_in_callers(self, scope: _Scope, judged: str, known: tuple, global_name: bool, depth: int):
        """_judge for a helper's model (a parameter, a `self.` part, a script's global): its state
        where each caller of the file calls the helper; a caller that hands over a parameter of its
        own is judged at its callers in turn (`evaluateRandomly(encoder, decoder)` calling
        `evaluate(encoder, decoder, s)`), a few levels up."""
        key = ("self." + scope.node.name.value) if scope.is_method else scope.node.name.value if scope.node else None
        if key is None or self._defs.get(key) is not scope:
            return None
        for caller in [self._module] if global_name else [self._module, *self._all]:
            for called, call, seq, loops, handed, region in caller.helper_calls:
                if called != key or self._trains_here(caller, region, key):
                    continue
                target, classes = (judged, ()) if global_name else self._passed(scope, judged, handed)
                if target is None:
                    continue
                state = self._state(caller, target, seq, loops)
                if state is None:
                    if (depth < 3 and caller.node is not None and target.partition(".")[0] in caller.params
                            and not any(related(e.target, target) for e in caller.events if e.kind != "trained")):
                        found = self._judge_in_callers(caller, target, classes or known, False, depth + 1)
                        if found is not None:
                            return found
                    continue
                mode, built = state
                classes = built or classes or known
                if mode in ("trained", "loaded") and self._is_model(target, classes) and (
                        self._may_depend(classes) or not classes and _retrains(caller, target, loops)):
                    who = f"`{caller.key.rpartition('.')[2]}`" if caller.key else "the script"
                    done = "training" if mode == "trained" else "loading the weights of"
                    return _Verdict(f"when {who} calls it after {done} `{target}`", classes)
        return None

    def _passed(self, helper: _Scope, target: str, handed: list):
        """The caller's name (and classes) for a helper's ``target``: `self.model` is the same object
        for a method called on `self`; a parameter is what the call passes for it."""
        root, dot, rest = target.partition(".")
        if root == "self":
            return target, ()
        for index, (keyword, passed, classes) in enumerate(handed):
            param = keyword if keyword is not None else helper.params[index] if index < len(helper.params) else None
            if param == root and passed is not None:
                return passed + dot + rest, classes
        return None, ()

    def _state(self, scope: _Scope, target: str, seq: int, loops: tuple):
        """(mode, classes) of ``target`` where ``seq`` runs: "trained", "loaded", "fresh" or "eval";
        None when nothing in the scope says (a parameter, a model handed to unknown code)."""
        mode, classes = None, ()
        around = set(loops)
        # The scope's own events and its helper calls' effects on the target, in source order.
        steps = [(e.seq, e.loops, e.kind, e) for e in scope.events if related(e.target, target)]
        for called, call, call_seq, call_loops, handed, _ in scope.helper_calls:
            effect = self._helper_effect(called, call, handed, target)
            if effect is not None:
                steps.append((call_seq, call_loops, effect, None))
        steps.sort(key=lambda step: step[0])
        later = []  # what a loop around the point does after it: it reaches the point on the next pass
        # ...unless the loop's body sets the mode again before the point (`train(model)` at the top
        # of each epoch, then `test(model)`, then `score(model)` switching to eval): the next pass
        # reaches the point through that.
        again = any(step_seq <= seq and around & set(step_loops) and kind != "alias"
                    for step_seq, step_loops, kind, _ in steps)
        for step_seq, step_loops, kind, event in steps:
            if step_seq > seq:
                if around & set(step_loops) and not again:
                    later.append(kind)
                continue
            if event is not None and event.kind == "alias":
                if event.target == target or target.startswith(event.target + "."):
                    # The local's model, in the local's state (its parts: the same object's).
                    mode, classes = self._state(scope, event.data + target[len(event.target):], step_seq, ()) \
                        or (None, ())
            elif event is not None:
                mode, classes = self._apply(event, target, mode, classes)
            elif kind == "unknown":
                mode = None
            else:
                mode = _after(mode, kind)
        for kind in later:
            if kind in ("eval", "unknown", "built"):
                return None
            if kind == "trained" and mode in (None, "fresh", "loaded"):
                mode = "trained"
        return (mode, classes) if mode is not None else None

    def _apply(self, event: _Event, target: str, mode, classes):
        kind = event.kind
        if kind == "built":
            if event.target != target:
                return mode, classes  # a part rebuilt (`model.head = Head()`): still in the model's mode
            return ("fresh", event.data) if event.data else (None, ())
        if kind == "unknown":
            if event.data is not None and event.target == target and self._keeps_mode(classes, event.data):
                return mode, classes  # `decoder.initHidden()`: a method of its class that switches nothing
            return None, classes
        if kind == "loaded":
            return ("loaded" if mode in ("fresh", "loaded") else mode), classes
        return _after(mode, kind), classes

    def _keeps_mode(self, classes: tuple, method: str) -> bool:
        """Whether ``method`` of every class the model may be (classes of this file) leaves its mode
        as it is: the method, found in the class or a base of the file, switches no mode
        (`.eval()`, `.train()`, `.apply(...)`, `self.training = ...`) and calls no other method on `self`."""
        if not classes:
            return False
        for qualified in classes:
            info = self.ctx.class_infos.get(qualified.rpartition(".")[2])
            fn = info.method_def(method) if info is not None and info.key == qualified else None
            if fn is None:
                return False
            for node in walk_nodes(fn.body):
                t = type(node)
                if t is cst.Call and type(node.func) is cst.Attribute and (
                        node.func.attr.value in ("eval", "train", "apply") or receiver_is_self_method(node.func)):
                    return False
                if t is cst.Attribute and node.attr.value == "training":
                    return False
        return True

    def _helper_effect(self, key: str, call: cst.Call, handed: list, target: str):
        """What a call of a helper of the file does to the caller's ``target``: "eval", "train",
        "trained", None (nothing), "unknown" (not a helper of the file, handed the model)."""
        helper = self._defs.get(key)
        passes = any(p is not None and related(p, target) for _, p, _ in handed) or \
            (key.startswith("self.") and target.startswith("self"))
        if helper is None:
            return "unknown" if passes and not key.startswith("self.") else None
        if not passes:
            return None
        modes = self._helper_modes(helper)
        switched = final_modes(mode_switches(modes, call, helper.is_method,
                                             frozenset() if helper.is_method else ENCLOSING))
        for name, mode in switched.items():
            if related(name, target):
                # `train(model, ...)` starting with `model.train()` leaves it trained, in train mode.
                return "trained" if mode == "train" and self._trains_through(helper, set()) else mode
        return "trained" if self._trains_through(helper, set()) else None

    def _trains_through(self, helper: _Scope, seen: set) -> bool:
        """A helper of the file that trains (_trains), or hands one of its parameters (or `self`'s
        parts) to another helper of the file that does: `train_iters(model, data)` calling
        `train_step(model, opt, x, y)`, which runs the backward pass, trains the caller's model."""
        if _trains(helper):
            return True
        if id(helper) in seen:
            return False
        seen.add(id(helper))
        for called, _, _, _, handed, _ in helper.helper_calls:
            inner = self._defs.get(called)
            if inner is None or inner is helper:
                continue
            passes = called.startswith("self.") and helper.is_method or any(
                p is not None and (p.partition(".")[0] in helper.params or p.startswith("self.")) for _, p, _ in handed)
            if passes and self._trains_through(inner, seen):
                return True
        return False

    def _helper_modes(self, helper: _Scope) -> HelperModes:
        found = self._modes.get(id(helper.node))
        if found is None:
            self._modes[id(helper.node)] = HelperModes((), {}, frozenset(), ())
            found = self._modes[id(helper.node)] = helper_modes(helper.node, self._resolve)
        return found

    def _resolve(self, call: cst.Call):
        func = call.func
        key = func.value if type(func) is cst.Name else "self." + func.attr.value if receiver_is_self_method(func) \
            else None
        helper = self._defs.get(key) if key is not None else None
        return (self._helper_modes(helper), helper.is_method) if helper is not None else None

    def _trains_here(self, scope: _Scope, region, judged: Optional[str] = None) -> bool:
        """Whether the forward's region (its innermost loop, or the scope's body) trains at its own
        level: a backward pass, or a call of a helper of the file that takes a step per call (a
        backward pass at its own level: `train_step(model, batch)`). A helper that trains only in a
        loop of its own (`train_loop(loader, model, ...)`, an epoch per call) has finished when the
        caller's next statement evaluates. The helper being judged (``judged``) counts whenever it
        trains: its own forward is then part of that training (a VAT step's target prediction)."""
        if region is None:
            direct, calls = scope.backward, scope.calls
        else:
            direct, calls = region.backward, region.calls
        if direct:
            return True
        return any(self._defs[key].backward or key == judged and _trains(self._defs[key])
                   for key, _ in calls if key in self._defs)

    def _may_depend(self, classes: tuple) -> bool:
        """Whether some class the model may be an instance of may read the mode, by what the file
        shows (a torch class that does not is out); the project decides the rest
        (Condition.mode_classes). A model of unknown class (a parameter nothing in the file passes,
        a library's network) is not reported: many have no dropout and no batch norm."""
        return any(c not in NN_MODULES or c in MODE_DEPENDENT_MODULES for c in classes)


def _same_model(value: cst.BaseExpression) -> Optional[str]:
    """The model an assignment rebinds to itself, moved or wrapped: `net = net.to(device)`,
    `model = nn.DataParallel(model)` (the wrapper runs the same module, in its mode)."""
    while type(value) is cst.Call:
        func = value.func
        if type(func) is cst.Attribute and func.attr.value in _MOVES:
            value = func.value
        elif (dotted(func) or "").rpartition(".")[2] in _WRAPPERS and value.args:
            value = value.args[0].value
        else:
            return None
    return dotted(value) if type(value) in (cst.Name, cst.Attribute) else None


class _Verdict(NamedTuple):
    """How a forward runs a model in training mode (`how`, for the message), the classes the model
    may be, the project functions one of which must load its weights (Condition.loaded); for a
    wrapper's model judged from `__init__`, the parts its methods call (Condition.parts), the
    model and the statement of `__init__` that stores it (where the finding goes)."""

    how: str
    classes: tuple
    loaded: tuple = ()
    parts: tuple = ()
    model: Optional[str] = None
    store: Optional[cst.CSTNode] = None


def _held(target: str) -> Optional[str]:
    """The model attribute a wrapper's forward runs: `self.model` for `self.model(x)` and for
    `self.model.text_encoder(x)` (a member of it); None for anything deeper or not on `self`."""
    parts = target.split(".")
    return ".".join(parts[:2]) if parts[0] == "self" and len(parts) in (2, 3) else None


def _member_calls(events: list, model: Optional[str]) -> Optional[set]:
    """The members called on ``model`` (`self.model.encode(x)`: "unknown" events on it naming
    the member) when those are all ``events`` do to it; None when one does anything else."""
    if model is None:
        return None
    members = set()
    for event in events:
        if event.kind != "unknown" or event.target != model or not isinstance(event.data, str):
            return None
        members.add(event.data)
    return members


def _retrains(scope: _Scope, target: str, loops: tuple) -> bool:
    """Whether ``target`` is a parameter of the scope (its class is the callers', which the file
    cannot name) that a loop around the point (an epoch loop) switches back with `.train()` on
    every pass: the author expects something in between to take it out of training mode, so its
    class reads the mode. (An attribute built by a function of the project is not judged so: the
    function's class is the project's to know.)"""
    if target.partition(".")[0] not in scope.params:
        return False
    around = set(loops)
    return any(e.kind == "train" and related(e.target, target) and around & set(e.loops) for e in scope.events)


def _trains(helper: _Scope) -> bool:
    """A helper of the file that trains: a backward pass of its own, or a loop of it that trains."""
    return helper.backward or any(e.kind == "trained" for e in helper.events)


def receiver_is_self_method(func: cst.BaseExpression) -> bool:
    return type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value == "self"


def _after(mode, effect: str):
    """The mode after a switch or a training loop (``effect``: "eval", "train", "trained"); a
    `.train()` right before evaluating with no training in between leaves "train", not "trained"
    (batch norm statistics recomputed on purpose)."""
    if effect == "eval":
        return "eval"
    if effect == "trained":
        return "trained"
    if effect == "train":
        return mode if mode == "trained" else "train"
    return mode
