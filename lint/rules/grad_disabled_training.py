"""NG002 grad-disabled-training."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import libcst as cst

from ..analysis.gradmode import Mode, disables_grad
from ..analysis.names import parameter_names, root_name
from ..analysis.network_names import names_network
from ..analysis.patterns import bound_names
from ..analysis.torch_api import TENSOR_METHODS
from .base import Condition, Rule, RuleDocs

_BUILTINS = frozenset({"sum", "abs", "min", "max", "float", "len", "pow", "round"})
_BACKWARD_FUNCTIONS = frozenset({"torch.autograd.grad", "torch.autograd.backward"})

# How the value of a name was computed: certainly with grad disabled, in the caller's mode
# (a function body without a local switch), or with grad enabled / unknown.
_DISABLED, _INHERIT, _OTHER = "disabled", "inherit", "other"


@dataclass(eq=False)
class _Scope:
    node: Optional[cst.FunctionDef]
    key: Optional[str]
    computed: dict = field(default_factory=dict)  # name -> _DISABLED / _INHERIT / _OTHER
    # name -> _DISABLED / _INHERIT: a result (dict of losses, model output, tensor) computed in
    # that mode, whose items / attributes `losses["loss"]`, `out.loss` have no graph either -
    # until it is changed in another mode (`losses["loss"] = ...`, `losses.update(...)`).
    containers: dict = field(default_factory=dict)
    decorator: Optional[cst.Decorator] = None  # a grad-disabling decorator on a training function
    trains: bool = False  # calls backward / autograd.grad / an optimizer
    pending: list = field(default_factory=list)  # (node, message, condition)
    params: frozenset = frozenset()


class GradDisabledTraining(Rule):
    code = "NG002"
    name = "grad-disabled-training"
    message = "gradients are needed here but disabled; compute the loss with grad enabled"
    triggers = (r"\.backward\(", r"autograd", r"no_grad", r"inference_mode", r"set_grad_enabled")
    docs = RuleDocs(
        what=(
            "Checks for code that needs gradients while they are disabled: `.backward()`, "
            "`torch.autograd.grad` or `torch.autograd.backward` on a tensor computed inside "
            "`torch.no_grad()` / `torch.inference_mode()` / `set_grad_enabled(False)` (in the same region "
            "or before the backward call, outside it) or on an item or attribute of a result computed "
            "there (`losses[\"loss\"]` of a dict of losses, `outputs.loss` of a model output) that was not "
            "refilled with grad on (a value computed after the block from such tensors by torch functions "
            "and Tensor methods only: another object's method, `state.dual_lagrangian()` on an object built "
            "under `no_grad`, may bring in parameters), including in a function that is only ever called "
            "under `no_grad` anywhere in the project; and a training function (`train`, `train_step`, "
            "`training_step`, `train_one_epoch`, `fit`, and `train-function-patterns`) that runs a backward "
            "pass but is decorated with `@torch.no_grad()` or `@torch.inference_mode()` (reported once, at "
            "the decorator)."
        ),
        why=(
            "A tensor computed with grad disabled has no `grad_fn`: `loss.backward()` raises "
            "\"element 0 of tensors does not require grad and does not have a grad_fn\", or, when part of "
            "the loss was computed with grad enabled, silently trains only that part. A training step "
            "decorated with `no_grad` never builds the graph it is meant to backpropagate."
        ),
        example=(
            "with torch.no_grad():\n"
            "    logits = model(images)\n"
            "    loss = criterion(logits, labels)\n"
            "loss.backward()\n"
            "\n"
            "@torch.no_grad()\n"
            "def train_step(model, batch, optimizer):\n"
            "    loss = model(batch).mean()\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
        ),
        use_instead=(
            "logits = model(images)\n"
            "loss = criterion(logits, labels)\n"
            "loss.backward()\n"
            "\n"
            "def train_step(model, batch, optimizer):\n"
            "    loss = model(batch).mean()\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
        ),
    )

    VALID = (
        "import torch\nloss = criterion(model(x), y)\nloss.backward()\nwith torch.no_grad():\n    acc = (model(x).argmax(1) == y).float().mean()\n",
        # the loss was computed with grad on; backward under no_grad still works
        "import torch\nloss = model(x).sum()\nwith torch.no_grad():\n    loss.backward()\n",
        # enable_grad inside a no_grad step (optimizer closure, test-time adaptation)
        "import torch\n@torch.no_grad()\ndef adapt(model, x, opt):\n    with torch.enable_grad():\n"
        "        loss = model(x).entropy().mean()\n        loss.backward()\n    opt.step()\n",
        # GAN step: discriminator on fake.detach(), generator with grad
        "import torch\ndef gan_step(G, D, z, real, opt_d, opt_g):\n    fake = G(z)\n"
        "    d_loss = D(real).mean() - D(fake.detach()).mean()\n    d_loss.backward()\n    opt_d.step()\n"
        "    g_loss = -D(fake).mean()\n    g_loss.backward()\n    opt_g.step()\n",
        # a fit() that needs no gradients (k-means)
        "import torch\nclass KMeans:\n    @torch.no_grad()\n    def fit(self, x):\n        for _ in range(10):\n"
        "            self.centers = x[torch.cdist(x, self.centers).argmin(1)].mean(0)\n",
        # the target is computed under no_grad; the loss is not
        "import torch\ndef td_step(q, target_q, batch, opt):\n    with torch.no_grad():\n"
        "        target = batch.r + 0.99 * target_q(batch.s2).max(1).values\n"
        "    loss = (q(batch.s).gather(1, batch.a) - target).pow(2).mean()\n    loss.backward()\n    opt.step()\n",
        # evolution strategies: gradients estimated by hand under no_grad, then an optimizer step
        "import torch\n@torch.no_grad()\ndef train_step(model, reward_fn, opt, sigma=0.1, n=16):\n"
        "    params = torch.nn.utils.parameters_to_vector(model.parameters())\n"
        "    eps = torch.randn(n, params.numel())\n"
        "    rewards = torch.stack([reward_fn(params + sigma * e) for e in eps])\n"
        "    grad = -(rewards[:, None] * eps).mean(0) / sigma\n"
        "    torch.nn.utils.vector_to_parameters(grad, [p.grad for p in model.parameters()])\n    opt.step()\n",
        # set_grad_enabled(phase == 'train')
        "import torch\nfor phase in ('train', 'val'):\n    with torch.set_grad_enabled(phase == 'train'):\n"
        "        loss = model(x).sum()\n        if phase == 'train':\n            loss.backward()\n",
        # a network built under no_grad: its parameters still require grad
        "import torch\nwith torch.no_grad():\n    net = make_net(cfg)\nw = net.head.weight\nw.backward(torch.ones_like(w))\n",
        # a container made under no_grad, filled with grad on afterwards
        "import torch\nwith torch.no_grad():\n    out = model.prepare(batch)\nout['loss'] = criterion(model(x), y)\n"
        "out['loss'].backward()\n",
    )
    INVALID = (
        "import torch\nwith torch.no_grad():\n    out = model(x)\n    loss = criterion(out, y)\nloss.backward()\n",
        "import torch\nwith torch.inference_mode():\n    model(x).sum().backward()\n",
        "from torch import no_grad\n@no_grad()\ndef train_step(model, x, opt):\n    loss = model(x).mean()\n"
        "    loss.backward()\n    opt.step()\n",
        "import torch\ndef saliency(model, x):\n    x.requires_grad_(True)\n    score = model(x).max()\n"
        "    return torch.autograd.grad(score, x)[0]\n\ndef main(model, x):\n    with torch.no_grad():\n"
        "        return saliency(model, x)\n",
        "import torch\ntorch.set_grad_enabled(False)\nloss = model(x).sum()\nscaler.scale(loss).backward()\n",
        "import torch\nwith torch.no_grad():\n    outputs, losses = trainer.process_batch(inputs)\n"
        "losses['loss'].backward()\noptimizer.step()\n",
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._train_re = ctx.settings.train_name_re
        self._scopes: list[_Scope] = [_Scope(None, None)]

    # -- scopes ----------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        fn = self.ctx.function
        scope = _Scope(node, fn.key if fn is not None else None)
        scope.params = frozenset(parameter_names(node))
        if self._train_re.search(node.name.value):
            for decorator in node.decorators:
                if disables_grad(decorator.decorator, self.ctx.aliases):
                    scope.decorator = decorator
        self._scopes.append(scope)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        scope = self._scopes.pop()
        if scope.decorator is not None and scope.trains:
            spelled = self.ctx.module_node.code_for_node(scope.decorator.decorator) if self.ctx.module_node else "no_grad"
            self.report(
                scope.decorator,
                f"training function `{node.name.value}` is decorated with `@{spelled}`, so its forward pass "
                "builds no graph to backpropagate; remove the decorator",
            )
            return
        for target, message, condition in scope.pending:
            self.report(target, message, condition=condition)

    # -- how names were computed -----------------------------------------------------------
    def _state(self) -> str:
        ctx = self.ctx
        mode = ctx.grad_mode
        if mode is Mode.INHERIT:
            return _INHERIT
        if mode.disabled and not ctx.mode_is_assumed:
            return _DISABLED
        return _OTHER

    def _assign(self, target: cst.BaseExpression, value: Optional[cst.BaseExpression]) -> None:
        names: set = set()
        bound_names(target, names)
        scope = self._scopes[-1]
        if not names:
            # `losses["loss"] = ...`, `out.loss += reg`: the container now holds a value of this mode
            root = root_name(target)
            if root is not None and root in scope.containers:
                self._touch(root, scope)
            return
        container = None
        # `grads = [p.grad for p in params]` only names tensors computed elsewhere: their
        # graph is whatever it was. Only a computation here loses it.
        if value is not None and _is_reference(value):
            state = _OTHER
            root = root_name(value)
            if root is not None and not type(value) is cst.Name and root in scope.containers:
                state = container = scope.containers[root]  # loss = losses["loss"]
        else:
            state = self._state()
            if state != _DISABLED and value is not None and self._derived(value, scope) == _DISABLED:
                state = _DISABLED
            # `model = create_model(cfg)` under no_grad: a network's parameters require grad
            # whatever the mode it was built in.
            if state != _OTHER and value is not None and _computes_result(value) and not any(
                names_network(name) for name in names
            ):
                container = state
        for name in names:
            if self.ctx.in_other_branch and name in scope.computed and scope.computed[name] != state:
                # `if train: loss = f(x)` / `else: with torch.no_grad(): loss = f(x)`: after the
                # `if`, the value is either, so not certainly computed without a graph.
                state = container = _OTHER
            scope.computed[name] = state
            if container is not None:
                scope.containers[name] = container
            else:
                scope.containers.pop(name, None)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assign(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assign(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._assign(node.target, None)

    def _touch(self, name: str, scope: _Scope) -> None:
        """``name``'s container is changed (or handed to code that may change it) here: it keeps
        only what it had if this happens in the mode it was computed in."""
        if scope.containers.get(name) != self._state():
            del scope.containers[name]

    def _code(self, node: cst.CSTNode) -> str:
        text = self.ctx.module_node.code_for_node(node) if self.ctx.module_node else "..."
        return text if len(text) <= 40 and "\n" not in text else text[:37].split("\n")[0] + "..."

    def _derived(self, value: cst.BaseExpression, scope: _Scope) -> str:
        """A value computed with grad on only from tensors computed with grad off has no graph
        either: `loss = F.kl_div(s, t)` where `s` and `t` came from a `no_grad` block. Any call that
        might run a model (`criterion(...)`, `q(...)`) or a tensor computed here with grad on keeps
        it open: only torch / library functions, builtins and methods of those tensors count."""
        computed = scope.computed
        if not computed or _DISABLED not in computed.values():
            return _OTHER
        found = False
        stack = [value]
        seen = 0
        while stack:
            seen += 1
            if seen > 200:
                return _OTHER
            node = stack.pop()
            if type(node) is cst.Name:
                state = computed.get(node.value)
                if state == _DISABLED:
                    found = True
                elif state is not None:
                    return _OTHER
            elif type(node) is cst.Call:
                func = node.func
                if type(func) is cst.Name:
                    if func.value not in _BUILTINS and self.ctx.aliases.resolve(func) is None:
                        return _OTHER
                elif type(func) is cst.Attribute:
                    root = func
                    while type(root) in (cst.Attribute, cst.Call, cst.Subscript):
                        root = root.func if type(root) is cst.Call else root.value
                    if not type(root) is cst.Name:
                        return _OTHER
                    if self.ctx.aliases.resolve(root) is not None:
                        pass  # F.kl_div, torch.cat
                    elif computed.get(root.value) == _DISABLED and func.attr.value in TENSOR_METHODS:
                        stack.append(func.value)  # s.log_softmax(-1): a method of such a tensor
                    elif computed.get(root.value) == _DISABLED:
                        # `state.dual_lagrangian()` on an object built under no_grad: its method may
                        # compute with parameters the object holds (torch's API: no Tensor method).
                        return _OTHER
                    else:
                        return _OTHER  # self.critic(...), criterion.forward(...): may run a model
                else:
                    return _OTHER
                stack.extend(a.value for a in node.args)
            elif type(node) is cst.Attribute:
                stack.append(node.value)
            elif type(node) is cst.Subscript:
                stack.append(node.value)
            elif type(node) is cst.BinaryOperation:
                stack.extend((node.left, node.right))
            elif type(node) is cst.UnaryOperation:
                stack.append(node.expression)
            elif type(node) in (cst.Tuple, cst.List):
                stack.extend(e.value for e in node.elements)
            elif not type(node) in (cst.Integer, cst.Float, cst.SimpleString):
                return _OTHER
        return _DISABLED if found else _OTHER

    # -- backward --------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        scope = self._scopes[-1]
        if scope.decorator is not None and not scope.trains and _backward_call(node, self.ctx.aliases):
            # Backpropagation, not merely an optimizer step: evolution strategies and other
            # zeroth-order methods set `.grad` by hand under no_grad and call `optimizer.step()`.
            scope.trains = True
        func = node.func
        if scope.containers:
            self._touch_arguments(node, scope)
        if type(func) is cst.Attribute and func.attr.value == "backward":
            tensor = func.value
            if type(tensor) is cst.Call and type(tensor.func) is cst.Attribute and \
                    tensor.func.attr.value == "scale" and tensor.args:
                tensor = tensor.args[0].value  # scaler.scale(loss).backward()
        else:
            qualified = self.ctx.aliases.resolve(func)
            if qualified not in _BACKWARD_FUNCTIONS:
                return
            tensor = _first_arg(node, ("outputs", "tensors"))
            if tensor is None:
                return
        self._check(node, tensor, scope)

    def _touch_arguments(self, call: cst.Call, scope: _Scope) -> None:
        """A container passed to a call, or whose method is called (`losses.update(extra)`,
        `out["loss"].add_(reg)`, `add_losses(losses)`), may gain values computed in this mode."""
        func = call.func
        if type(func) is cst.Attribute:
            if func.attr.value not in _READ_METHODS:
                root = root_name(func.value)
                if root is not None and root in scope.containers:
                    self._touch(root, scope)
        elif type(func) is cst.Name and func.value in _READ_FUNCTIONS:
            return
        for arg in call.args:
            root = root_name(arg.value)
            if root is not None and root in scope.containers:
                self._touch(root, scope)

    def _check(self, call: cst.Call, tensor: cst.BaseExpression, scope: _Scope) -> None:
        code = self.ctx.module_node.code_for_node(call.func) if self.ctx.module_node else "backward"
        if type(tensor) is cst.Name:
            state = scope.computed.get(tensor.value)
            name = tensor.value
        elif _is_reference(tensor):
            # An item or attribute of a result computed here with grad off (`losses["loss"]`,
            # `out.loss`) has no graph either; of anything else, it is not known here.
            root = root_name(tensor) if type(tensor) in (cst.Subscript, cst.Attribute) else None
            if root is None or root not in scope.containers:
                return
            state = scope.containers[root]
            name = self._code(tensor)
        else:
            # An expression computed right here: `model(x).sum().backward()`, `(a + b).backward()`.
            state = self._state()
            if state != _DISABLED and self._derived(tensor, scope) == _DISABLED:
                state = _DISABLED
            name = None
        if state == _DISABLED:
            condition = None
        elif state == _INHERIT and scope.key is not None:
            condition = Condition(scope.key, "disabled")
        else:
            return
        what = f"`{name}`" if name else f"`{self._code(tensor)}`"
        if condition is not None:
            fn = scope.node.name.value if scope.node is not None else "this function"
            message = (
                f"`{fn}` only runs with gradients disabled (every call in the project is under no_grad), "
                f"so {what} has no graph for `{code}()`; call `{fn}` with grad enabled"
            )
        elif self._state() == _DISABLED:
            message = (
                f"`{code}()` runs with gradients disabled, where {what} has no graph; compute the loss "
                "outside `torch.no_grad()` or under `torch.enable_grad()`"
            )
        else:
            message = (
                f"{what} was computed with gradients disabled, so `{code}()` has no graph to "
                "backpropagate; compute it outside `torch.no_grad()`"
            )
        if scope.node is not None:
            scope.pending.append((call, message, condition))  # decided when the function ends
        else:
            self.report(call, message, condition=condition)


# Calls that only read a container: they cannot put a value with a graph into it.
_READ_METHODS = frozenset({
    "backward", "items", "values", "keys", "get", "item", "tolist", "numpy", "cpu", "detach", "size",
    "dim", "numel", "format", "mean", "sum",
})
_READ_FUNCTIONS = frozenset({"print", "len", "isinstance", "str", "repr", "float", "int", "sum", "hasattr", "getattr"})
# Calls that build an empty / copied container or an object rather than compute a result.
_BUILDERS = frozenset({
    "dict", "list", "tuple", "set", "defaultdict", "deepcopy", "copy", "iter", "zip", "enumerate",
    "range", "map", "filter", "sorted", "reversed", "vars", "namedtuple", "parameters", "named_parameters",
    "state_dict", "buffers", "named_buffers", "modules", "children", "build", "create", "load",
    "from_pretrained", "build_model", "create_model", "get_model", "load_model",
})


def _computes_result(value: cst.BaseExpression) -> bool:
    """Whether ``value`` computes a result (``process_batch(x)``, ``model(x)``, ``{"loss": crit(o, y)}``)
    rather than build an object or an empty container to fill later (``{}``, ``defaultdict(list)``,
    ``Meter()``, ``nn.Parameter(...)``, ``torch.zeros(3, requires_grad=True)``)."""
    if type(value) is cst.Call:
        func = value.func
        last = func.attr.value if type(func) is cst.Attribute else func.value if type(func) is cst.Name else None
        if last is None or last[:1].isupper() or last in _BUILDERS:
            return False
        return not any(
            a.keyword is not None and a.keyword.value == "requires_grad" and not (
                type(a.value) is cst.Name and a.value.value in ("False", "None")
            )
            for a in value.args
        )
    if type(value) is cst.Dict:
        return any(
            type(e) is cst.DictElement and type(e.value) in (cst.Call, cst.BinaryOperation)
            for e in value.elements
        )
    if type(value) in (cst.Tuple, cst.List):
        return any(type(e.value) in (cst.Call, cst.BinaryOperation) for e in value.elements)
    return False


def _backward_call(call: cst.Call, aliases) -> bool:
    func = call.func
    if type(func) is cst.Attribute and func.attr.value == "backward":
        return True
    return aliases.resolve(func) in _BACKWARD_FUNCTIONS


def _first_arg(call: cst.Call, keywords: tuple) -> Optional[cst.BaseExpression]:
    for arg in call.args:
        if arg.keyword is None and not arg.star:
            return arg.value
        if arg.keyword is not None and arg.keyword.value in keywords:
            return arg.value
    return None


def _is_reference(expr: cst.BaseExpression) -> bool:
    """An expression that only names existing objects (no tensor operation happens in it):
    ``x``, ``self.loss``, ``out["loss"]``, ``[p.grad for p in params]``, ``(a, b)``."""
    if type(expr) in (cst.Name, cst.Attribute, cst.Subscript):
        return True
    if type(expr) in (cst.List, cst.Tuple):
        return all(_is_reference(e.value) for e in expr.elements)
    if type(expr) in (cst.ListComp, cst.GeneratorExp):
        return _is_reference(expr.elt)
    return False

