"""NG004 leaf-update-outside-no-grad."""

from __future__ import annotations

import dataclasses

import libcst as cst

from ..analysis.atoms import MODULE
from ..analysis.conditions import Condition
from ..analysis.freezes import freeze_demands
from ..analysis.names import dotted, string_index
from ..analysis.tensors import (creates_leaf, frozen_argument, is_loss_word, is_param_collection, loop_parameter_sources,
                                reparametrized, returns_leaf)
from ..fixes.wrap import locate, no_grad_fix, statement_of
from .base import UNSAFE, Invalid, Rule, RuleDocs

# In-place tensor methods that are not updates of the values.
_NOT_UPDATES = frozenset({"requires_grad_", "share_memory_", "retain_grad_", "pin_memory_", "detach_"})
# Function arguments that, by name, hold parameters: `def sgd_step(params, lr)`.
_PARAM_ARGS = frozenset({"params", "parameters"})
_BUFFER_TYPES = frozenset({"torch.nn.Buffer", "torch.nn.parameter.Buffer"})
# Attributes that hold a module's parameters.
_MODULE_PARAMS = frozenset({"weight", "bias"})


def _inplace(name: str) -> bool:
    return name.endswith("_") and not name.startswith("_") and name not in _NOT_UPDATES


class _Scope:
    __slots__ = ("params", "collections", "instances", "leaf_makers", "freeze_calls")

    def __init__(self) -> None:
        self.params: dict = {}  # name -> the module whose parameter it is (dotted), or None
        self.collections: set = set()
        self.instances: dict = {}  # name -> the class it was built from (`new = FrozenBatchNorm2d(n)`)
        # Functions defined here, by name, until a call of one is assigned; then whether it returns
        # a new leaf that requires grad (True / False).
        self.leaf_makers: dict = {}
        # (name handed, freeze demand) for each model a call so far was handed: a helper of any
        # file may freeze it by the flags the call passes (Condition.freezes; freezes.freeze_demands).
        self.freeze_calls: list = []


class LeafUpdateOutsideNoGrad(Rule):
    code = "NG004"
    name = "leaf-update-outside-no-grad"
    message = "in-place update of a parameter outside `torch.no_grad()`"
    fix_applicability = UNSAFE
    triggers = (
        r"parameters\(",
        r"""\[\s*['"]params['"]\s*\]""",
        r"requires_grad\s*=\s*True",
        r"Parameter\(",
        r"requires_grad_\(",
        # A function argument named for parameters (`def sgd_step(params, lr)`, _PARAM_ARGS): the
        # gate's lookbehind follows its literal so that re keeps its fast scan; the confirm finds
        # the name among a `def`'s arguments.
        (r"param(?:eter)?s(?<![\w.]params)(?<![\w.]parameters)\s*[,:)=]",
         r"\bdef\s+\w+\s*\([^)]*(?<![\w.*])param(?:eter)?s\s*[,:)=]"),
        r"\.(?:weight|bias)(?:\[[^\]\n]*\])?\s*(?:[-+*/]=|=(?!=)|\.[a-z]\w*_\()",
    )
    docs = RuleDocs(
        what=(
            "Checks for in-place updates of a parameter or of a leaf tensor created with "
            "`requires_grad=True` (`p -= lr * p.grad`, `p.add_(...)`, `p.mul_(...)`, `p.copy_(...)`, "
            "`p[idx] = ...`) where grad is enabled. Parameters are recognised from `model.parameters()` / "
            "`named_parameters()` loops (also through `zip` and `enumerate`), optimizer param groups "
            "(`group[\"params\"]`), lists of parameters, `nn.Parameter(...)` attributes, the elements of an "
            "`nn.ParameterList` or `nn.ParameterDict` attribute (`alpha = self.alphas[i]; alpha[:] = -1e3`), local names for a "
            "module's weight or bias and views of them (`b = conv.bias.view(3, -1); b[:, 4] += prior`), tensors created "
            "with `requires_grad=True` or `.requires_grad_()`, and what a function of the file returns when its "
            "every `return` makes such a leaf (`w = init_params(n)`). Updates through `p.data` are not reported, nor stores under a string key (`group[\"lr\"] = lr` in an optimizer's param group: a dict, not a tensor), nor are updates of an "
            "attribute the class registers as a buffer (`register_buffer`), even when another branch makes it a "
            "parameter or registers `register_parameter(name, None)` (no tensor at all), or of `x.weight` where "
            "`x` was built from a class of the file that registers `weight` as a buffer (`register_buffer` or "
            "`self.weight = nn.Buffer(...)`). A function whose every "
            "caller in the project runs it under `torch.no_grad()` is not reported either."
        ),
        why=(
            "Autograd cannot record an in-place change of a leaf that requires grad: the line raises "
            "`RuntimeError: a leaf Variable that requires grad is being used in an in-place operation`. "
            "Manual SGD steps, EMA updates, weight clipping and re-initialisation must run under "
            "`torch.no_grad()`, which is what `torch.optim` optimizers do inside `step`."
        ),
        example=(
            "for p in model.parameters():\n"
            "    p -= lr * p.grad\n"
        ),
        use_instead=(
            "with torch.no_grad():\n"
            "    for p in model.parameters():\n"
            "        p -= lr * p.grad\n"
        ),
        fix_safety=(
            "The fix is unsafe: it wraps the updating statement in `with torch.no_grad():` (adding "
            "`import torch` when the module has no torch alias). That is what the update needs, but it "
            "changes behaviour: the code raised before and now runs, and any other expression on the "
            "wrapped line is no longer recorded by autograd."
        ),
    )

    VALID = (
        "import torch\nwith torch.no_grad():\n    for p in model.parameters():\n        p -= lr * p.grad\n",
        "import torch\n@torch.no_grad()\ndef sgd(model, lr):\n    for p in model.parameters():\n        p.add_(p.grad, alpha=-lr)\n",
        # Through .data: not NG004.
        "import torch\nfor p in model.parameters():\n    p.data.add_(p.grad.data, alpha=-lr)\n",
        # Gradients are not leaves being updated.
        "import torch\nfor p in model.parameters():\n    if p.grad is not None:\n        p.grad.zero_()\n",
        # EMA under no_grad, including state_dict() values (which are detached anyway).
        "import torch\n@torch.no_grad()\ndef update_ema(ema, model, decay):\n"
        "    for e, p in zip(ema.parameters(), model.parameters()):\n        e.mul_(decay).add_(p, alpha=1 - decay)\n",
        "import torch\ndef update_ema(ema, model, decay):\n    msd = model.state_dict()\n"
        "    for k, v in ema.state_dict().items():\n        v.copy_(v * decay + (1 - decay) * msd[k].detach())\n",
        # Only called under no_grad in this project.
        "import torch\ndef sgd_step(params, lr):\n    for p in params:\n        p -= lr * p.grad\n\n"
        "def train(model, lr):\n    with torch.no_grad():\n        sgd_step(list(model.parameters()), lr)\n",
        # Freezing is not an in-place update of the values.
        "import torch\nfor p in encoder.parameters():\n    p.requires_grad_(False)\n",
        # A tensor without requires_grad.
        "import torch\nbuf = torch.zeros(10)\nbuf.add_(1)\n",
        # An EMA copy whose parameters were detached (frozen) when it was made.
        "import torch\nimport copy\nclass EMA:\n    def __init__(self, model):\n        self.model = model\n"
        "        self.ema_model = copy.deepcopy(model)\n        for p in self.ema_model.parameters():\n"
        "            p.detach_()\n\n    def update(self, m):\n"
        "        for e, p in zip(self.ema_model.parameters(), self.model.parameters()):\n"
        "            e.mul_(1.0 - m).add_(p.data, alpha=m)\n",
        # A functional update picked through a variable and called from a no_grad step.
        "import torch\n@torch.no_grad()\ndef step(params, lr, foreach):\n"
        "    func = _multi_tensor_sgd if foreach else _single_tensor_sgd\n    func(params, lr)\n\n"
        "def _single_tensor_sgd(params, lr):\n    for p in params:\n        p.add_(p.grad, alpha=-lr)\n\n"
        "def _multi_tensor_sgd(params, lr):\n    torch._foreach_add_(params, [p.grad for p in params], alpha=-lr)\n",
        # Metric states registered through the class's own API (and declared as plain tensors).
        "import torch\nfrom torch import Tensor\nclass Mean(Metric):\n    weight: Tensor\n\n    def __init__(self):\n"
        "        super().__init__()\n        self.add_state('weight', default=torch.tensor(0.0))\n\n"
        "    def update(self, w):\n        self.weight += w.sum()\n",
        # requires_grad switched off around the in-place copy.
        "import torch\nfrom torch import nn\ndef rebuild(W):\n    new = nn.Linear(4, 4)\n"
        "    new.weight.requires_grad = False\n    new.weight.copy_(W)\n    new.weight.requires_grad = True\n"
        "    return new\n",
        # Buffers (even one called `weight`) are not parameters.
        "import torch\nfrom torch import nn\nclass WeightedMean(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.register_buffer('total', torch.tensor(0.0))\n"
        "        self.register_buffer('weight', torch.tensor(0.0))\n\n    def update(self, v, w):\n"
        "        self.total += (v * w).sum()\n        self.weight += w.sum()\n",
        # Running statistics: buffers when tracked, `register_parameter(name, None)` (no tensor) otherwise.
        "import torch\nfrom torch import nn\nclass Norm(nn.Module):\n    def __init__(self, n, track=True):\n"
        "        super().__init__()\n        if track:\n            self.register_buffer('running_mean', torch.zeros(n))\n"
        "        else:\n            self.register_parameter('running_mean', None)\n\n    def reset(self):\n"
        "        if self.running_mean is not None:\n            self.running_mean.zero_()\n",
        # `weight` and `bias` of a module class of the file that registers them as buffers.
        "import torch\nfrom torch import nn\nclass FrozenBatchNorm2d(nn.Module):\n    def __init__(self, n):\n"
        "        super().__init__()\n        self.register_buffer('weight', torch.ones(n))\n"
        "        self.register_buffer('bias', torch.zeros(n))\n\ndef freeze_bn(bn):\n"
        "    new = FrozenBatchNorm2d(bn.num_features)\n    new.weight.copy_(bn.weight)\n"
        "    new.bias.copy_(bn.bias)\n    return new\n",
        "import torch\nfrom torch import nn\nclass FrozenNorm(nn.Module):\n    def __init__(self, n):\n"
        "        super().__init__()\n        self.weight = nn.Buffer(torch.ones(n))\n\n    def load(self, w):\n"
        "        self.weight.copy_(w)\n\ndef freeze(bn):\n    new = FrozenNorm(bn.num_features)\n"
        "    new.weight.copy_(bn.weight)\n    return new\n",
        # `new = cls(...)` in a classmethod: an instance of the class, whose `bias` is a buffer.
        "import torch\nfrom torch import nn\nclass QLinear(nn.Module):\n    def __init__(self, n, bias=True):\n"
        "        super().__init__()\n        if bias:\n            self.register_buffer('bias', torch.zeros(n))\n\n"
        "    @classmethod\n    def from_linear(cls, linear):\n        new = cls(linear.out_features)\n"
        "        new.bias[:] = linear.bias.data\n        return new\n",
        # Optimizer step bodies run under no_grad.
        "import torch\nclass SGD(torch.optim.Optimizer):\n    def step(self, closure=None):\n"
        "        for group in self.param_groups:\n            for p in group['params']:\n"
        "                p.add_(p.grad, alpha=-group['lr'])\n",
        # The in-place init runs on the old value (a plain or non-leaf tensor) before the name is
        # rebound to the new Parameter.
        "import torch\nfrom torch import nn\ndef expand(param, n):\n"
        "    p = param.expand(n, *param.shape).clone()\n    p = nn.Parameter(p.uniform_(-0.1, 0.1))\n"
        "    return p\n",
        "import torch\nfrom torch import nn\nw = torch.empty(8)\nw = nn.Parameter(w.normal_(0.0, 0.02))\n",
        # After `weight_norm` the module's `weight` is computed from `weight_g` and `weight_v` (torch's
        # API data): no leaf parameter, the in-place update raises nothing.
        "import torch\nfrom torch import nn\nfrom torch.nn.utils import weight_norm\nclass Block(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.conv = weight_norm(nn.Conv1d(4, 4, 3))\n"
        "        self.conv.weight[:, 0, :] += 1.0\n",
    )
    INVALID = (
        # The leaf comes from a helper of the file that returns `.requires_grad_()`.
        Invalid(
            "import torch\n\ndef init_params(n):\n    return torch.randn(n).requires_grad_()\n\n"
            "w = init_params(3)\nw[0] *= 1.01\n",
            expected_fix=(
                "import torch\n\ndef init_params(n):\n    return torch.randn(n).requires_grad_()\n\n"
                "w = init_params(3)\nwith torch.no_grad():\n    w[0] *= 1.01\n"
            ),
        ),
        Invalid(
            "import torch\n\ndef sgd(model, lr):\n    for p in model.parameters():\n        p -= lr * p.grad  # plain SGD\n",
            expected_fix=(
                "import torch\n\ndef sgd(model, lr):\n    for p in model.parameters():\n"
                "        with torch.no_grad():\n            p -= lr * p.grad  # plain SGD\n"
            ),
        ),
        Invalid(
            "import torch as T\nw = T.randn(3, 1, requires_grad=True)\nfor step in range(100):\n"
            "    loss = ((x @ w - y) ** 2).mean()\n    loss.backward()\n    w.sub_(0.1 * w.grad)\n    w.grad.zero_()\n",
            expected_fix=(
                "import torch as T\nw = T.randn(3, 1, requires_grad=True)\nfor step in range(100):\n"
                "    loss = ((x @ w - y) ** 2).mean()\n    loss.backward()\n    with T.no_grad():\n"
                "        w.sub_(0.1 * w.grad)\n    w.grad.zero_()\n"
            ),
        ),
        Invalid(
            "from torch import nn\n\nclass Scaled(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            "        self.scale = nn.Parameter(torch_ones(1))\n\n    def clamp(self):\n        self.scale.clamp_(0.0, 1.0)\n",
            expected_fix=(
                "from torch import nn\nimport torch\n\nclass Scaled(nn.Module):\n    def __init__(self):\n"
                "        super().__init__()\n        self.scale = nn.Parameter(torch_ones(1))\n\n    def clamp(self):\n"
                "        with torch.no_grad():\n            self.scale.clamp_(0.0, 1.0)\n"
            ),
        ),
        "import torch\nfor name, param in model.named_parameters():\n    if 'bias' in name:\n        param.zero_()\n",
        "import torch\ndef perturb(model, eps):\n    for i, p in enumerate(model.parameters()):\n        p[0] = p[0] + eps\n",
        "import torch\ndef reset(model):\n    params = list(model.parameters())\n    for p in params:\n        p.copy_(torch.zeros_like(p))\n",
        "import torch\nfor group in optimizer.param_groups:\n    for p in group['params']:\n        p.mul_(1 - group['weight_decay'])\n",
        "import torch\nfor p in model.parameters(): p.add_(noise)\n",
        # Consecutive updates share one `with` block.
        Invalid(
            "import torch\nw = torch.zeros(3, requires_grad=True)\nb = torch.zeros(1, requires_grad=True)\n"
            "for x, y in data:\n    ((x @ w + b - y) ** 2).mean().backward()\n    w -= lr * w.grad\n"
            "    b -= lr * b.grad\n    w.grad = None\n",
            expected_fix=(
                "import torch\nw = torch.zeros(3, requires_grad=True)\nb = torch.zeros(1, requires_grad=True)\n"
                "for x, y in data:\n    ((x @ w + b - y) ** 2).mean().backward()\n    with torch.no_grad():\n"
                "        w -= lr * w.grad\n        b -= lr * b.grad\n    w.grad = None\n"
            ),
            count=2,
        ),
        # A module's weight edited in place.
        "import torch\ndef edit(model, pos, delta):\n    dense = model.encoder.layer[3].output.dense\n"
        "    dense.weight[:, pos] += delta\n",
        # Rebinding the name does not make the in-place init on the old leaf legal.
        "import torch\nfrom torch import nn\nw = torch.zeros(8, requires_grad=True)\n"
        "w = nn.Parameter(w.normal_(0.0, 0.02))\n",
        "import torch\nfor p in model.parameters():\n    p = p.clamp_(-1.0, 1.0)\n",
        # `register_parameter(name, None)` in one branch; a real parameter in the other.
        "import torch\nfrom torch import nn\nclass Gate(nn.Module):\n    def __init__(self, learn):\n"
        "        super().__init__()\n        if learn:\n"
        "            self.register_parameter('alpha', nn.Parameter(torch.ones(1)))\n        else:\n"
        "            self.register_parameter('alpha', None)\n\n    def clip(self):\n"
        "        self.alpha.clamp_(0.0, 1.0)\n",
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._scopes: list = [_Scope()]
        self._class_param_lists: list = []  # per enclosing class: attributes holding an nn.ParameterList / Dict
        self._class_params: list = []  # per enclosing class: attribute names holding nn.Parameter
        self._class_plain: list = []  # per enclosing class: other (non-parameter) attributes
        self._class_buffers: list = []  # per enclosing class: names given to `register_buffer`
        # Modules whose parameters this file freezes (`m.requires_grad_(False)`, or each `p` of
        # `m.parameters()` frozen / detached): updating them in place needs no no_grad. Entries are
        # the module's dotted name (a loop's parameter source), or (function key, name) for a module
        # frozen in that function (`fused.requires_grad_(False)`; `fused.weight.copy_(...)` there).
        self._frozen: set = set()
        # Tensors whose requires_grad was just set to False -> the `if` parts open there: a switch
        # under `if freeze:` no longer holds once that body ends (the other branch still updates a
        # parameter that requires grad).
        self._switched_off: dict = {}
        self._found_updates: list = []  # reported at the end of the file, once freezes are known
        self._buffers_of: dict = {}  # class of this file -> names it gives `register_buffer` (or a module)
        self._classes: list = []  # names of the enclosing classes
        self._built_from: dict = {}  # id(reported node) -> (class the receiver was built from, attribute)

    def leave_Module(self, node: cst.Module) -> None:
        if not self.ctx.aliases.imports_torch():
            return  # parameters and `params` of another framework (MXNet, JAX) are not torch leaves
        kept = [f for f in self._found_updates if not any(k in self._frozen for k in f[0]) and not self._a_buffer(f[1])]
        module = self.ctx.module_node
        # Updates on consecutive statements of one block share one `with torch.no_grad():`.
        runs: dict = {}  # id(block) -> {statement index: (statement, functions)}
        where = {}
        for _, _, _, line, functions, _ in kept:
            if line is None:
                continue
            found = locate(module, line)
            if found is None:
                continue
            body, index, _ = found
            runs.setdefault(id(body), (body, {}))[1][index] = functions
            where[id(line)] = (id(body), index)
        fixes: dict = {}  # (id(block), index) -> FixSpec
        for key, (body, indexes) in runs.items():
            ordered = sorted(indexes)
            start = 0
            while start < len(ordered):
                end = start
                while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
                    end += 1
                run = ordered[start:end + 1]
                spec = self.fix(UNSAFE, "Wrap the update in `with torch.no_grad():` (assumes the update itself is not meant to be differentiated)")
                if no_grad_fix(spec, module, [body[i] for i in run], indexes[run[0]], aliases=self.ctx.aliases):
                    for i in run:
                        fixes[(key, i)] = spec
                start = end + 1
        for _, node, message, line, _, condition in kept:
            fix = fixes.get(where.get(id(line))) if line is not None else None
            self.report(node, message, fix=fix, condition=self._with_receiver_class(node, condition))

    def _with_receiver_class(self, node: cst.CSTNode, condition):
        """`conv = SpectralConv(...)` with the class in another file: the update is one of a
        parameter unless the project says that class builds the attribute as something else
        (`self.weight = nn.ModuleList(...)`); the class's own file decides, after every file."""
        built = self._built_from.get(id(node))
        if built is None or built[0] in self.ctx.class_infos:
            return condition  # no receiver class, or one of this file (`_a_buffer` settled it)
        qualified = self.ctx.aliases.resolve_dotted(built[0])
        if qualified is None or qualified.split(".", 1)[0] == "torch":
            return condition  # torch's own layers: `weight` and `bias` are their parameters
        pair = ((qualified, built[1]),)
        if condition is None:
            return Condition("", "", attributes=pair)
        return dataclasses.replace(condition, attributes=condition.attributes + pair)

    def _made_by_leaf_maker(self, value: cst.BaseExpression) -> bool:
        """A call of a function of this file (in scope) that returns a new leaf requiring grad."""
        if type(value) is not cst.Call or type(value.func) is not cst.Name:
            return False
        name = value.func.value
        for scope in reversed(self._scopes):
            made = scope.leaf_makers.get(name)
            if made is not None:
                if type(made) is not bool:
                    made = scope.leaf_makers[name] = returns_leaf(made, self.ctx.aliases)
                return made
        return False

    def _a_buffer(self, node: cst.CSTNode) -> bool:
        """`new.weight.copy_(...)` where `new = FrozenBatchNorm2d(n)` and that class of the file
        registers `weight` as a buffer (or builds it as a module: `nn.ModuleList(...)`)."""
        built = self._built_from.get(id(node))
        return built is not None and built[1] in self._buffers_of.get(built[0], ())

    # -- scopes ----------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._classes.append(node.name.value)
        self._class_params.append(set())
        self._class_plain.append(set())
        self._class_buffers.append(set())
        self._class_param_lists.append(set())

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self._class_params.pop()
        self._class_plain.pop()
        self._class_buffers.pop()
        self._class_param_lists.pop()
        self._classes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        scope = _Scope()
        for param in node.params.params:
            if param.name.value in _PARAM_ARGS:
                scope.collections.add(param.name.value)
        self._scopes.append(scope)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scopes.pop()
        # `w = init_params(n)`: decided (returns_leaf) only where such a call is assigned.
        self._scopes[-1].leaf_makers[node.name.value] = node

    # -- facts -----------------------------------------------------------------------------
    def visit_For(self, node: cst.For) -> None:
        scope = self._scopes[-1]
        for name, source in loop_parameter_sources(node.target, node.iter, scope.collections):
            scope.params[name] = source

    def leave_Assign(self, node: cst.Assign) -> None:
        # Bound after the value is walked: in `w = nn.Parameter(w.normal_(0, 0.02))` the in-place
        # init runs on the old `w` (a plain or non-leaf tensor), before the new name exists.
        self._bind(node, [target.target for target in node.targets], node.value)

    def leave_AnnAssign(self, node: cst.AnnAssign) -> None:
        # `self.weight: Tensor = Parameter(..., requires_grad=False)`: bound as an assignment is.
        if node.value is not None and self.ctx.function is not None:
            self._bind(node, [node.target], node.value)

    def _bind(self, node, targets: list, value: cst.BaseExpression) -> None:
        scope = self._scopes[-1]
        for t in targets:
            if type(t) is cst.Name:
                name = t.value
                if type(value) is cst.Call and type(value.func) is cst.Name and value.func.value[:1].isupper():
                    scope.instances[name] = value.func.value
                elif (type(value) is cst.Call and type(value.func) is cst.Name and value.func.value == "cls"
                      and self._classes):
                    scope.instances[name] = self._classes[-1]  # `new = cls(...)` in a classmethod
                else:
                    scope.instances.pop(name, None)
                if _frozen_on_creation(value):
                    # `fused = nn.Conv2d(...).requires_grad_(False).to(dev)`
                    self._frozen.add((self._function_key(), name))
                if creates_leaf(value, self.ctx.aliases) or self._made_by_leaf_maker(value) or (
                        type(value) in (cst.Attribute, cst.Subscript) and self._is_param(value)) \
                        or self._view_of_param(value):
                    # `weights = self.input.weight`: the same parameter under a local name; `b =
                    # conv.bias.view(3, -1)`: a view of it (an in-place update of a view of a leaf
                    # that requires grad raises the same way).
                    scope.params[name] = None
                elif is_param_collection(value):
                    scope.collections.add(name)
                else:
                    scope.params.pop(name, None)
                    scope.collections.discard(name)
            elif type(t) is cst.Attribute:
                if t.attr.value == "requires_grad":
                    if type(t.value) is cst.Name and _false(value):
                        self._freeze(t.value.value)
                    # `layer.weight.requires_grad = False` before an in-place copy, `= True` after it
                    name = dotted(t.value)
                    if name is not None:
                        if _false(value):
                            self._switched_off[name] = tuple(self.ctx.branches)
                        else:
                            self._switched_off.pop(name, None)
                if self._class_params and _is_self(t.value):
                    if type(value) is cst.Call and self.ctx.aliases.resolve(value.func) in _PARAMETER_CONTAINERS:
                        # `self.alphas = nn.ParameterList([...])`: each element is a parameter.
                        self._class_param_lists[-1].add(t.attr.value)
                    if type(value) is cst.Call and self.ctx.aliases.resolve(value.func) in _BUFFER_TYPES:
                        # `self.weight = nn.Buffer(...)`: the attribute form of `register_buffer`
                        self._class_buffers[-1].add(t.attr.value)
                        self._buffers_of.setdefault(self._classes[-1], set()).add(t.attr.value)
                    elif creates_leaf(value, self.ctx.aliases):
                        self._class_params[-1].add(t.attr.value)
                    else:
                        self._class_plain[-1].add(t.attr.value)
                        if MODULE in self.ctx.value_of(value):
                            # `self.weight = nn.ModuleList(...)`: `new.weight[i] = m` swaps a module, no tensor.
                            self._buffers_of.setdefault(self._classes[-1], set()).add(t.attr.value)
            elif type(t) is cst.Subscript and string_index(t) is None and self._is_param(t.value):
                self._found(node, t.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        # `weight: Tensor` in a class body declares a plain tensor attribute.
        if self._class_plain and self.ctx.function is None and type(node.target) is cst.Name:
            annotation = dotted(node.annotation.annotation) or ""
            if "Parameter" not in annotation:
                self._class_plain[-1].add(node.target.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if type(node.target) is cst.Subscript and string_index(node.target) is not None:
            # `group["lr"] *= decay`: a param group's entry, not a tensor
            return
        target = node.target.value if type(node.target) is cst.Subscript else node.target
        if self._is_param(target):
            self._found(node, target)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if node.args:
            self._scopes[-1].freeze_calls.extend(freeze_demands(node, self.ctx.values))
        if type(func) is cst.Name:
            # `toogle_grad(model_tgt, False)`: a function of the file that freezes the parameters of
            # the module it is handed (by the flag the call passes): updating them needs no no_grad.
            fn = self.ctx.top_functions().get(func.value)
            position = frozen_argument(fn, node) if fn is not None else None
            if position is not None and position < len(node.args) and node.args[position].keyword is None:
                name = dotted(node.args[position].value)
                if name is not None:
                    self._frozen.add((self._function_key(), name))
            return
        if not type(func) is cst.Attribute:
            return
        attr = func.attr.value
        if self._class_plain and _is_self(func.value) and node.args and type(node.args[0].value) is cst.SimpleString:
            # `self.register_buffer("weight", ...)`, `self.add_state("weight", ...)`: the class manages
            # the attribute itself; only `register_parameter` makes it a parameter.
            name = node.args[0].value.value[1:-1]
            if attr == "register_parameter":
                # `register_parameter("running_mean", None)` (torch's own `_NormBase` idiom for "no such
                # tensor") registers no parameter: a None attribute is never updated in place.
                if not (len(node.args) > 1 and _none(node.args[1].value)):
                    self._class_params[-1].add(name)
            elif attr == "register_buffer":
                # A buffer in one configuration (`track_running_stats`, a fixed vs. learnable scale):
                # the class updates it in place in that configuration, where it is no parameter.
                self._class_buffers[-1].add(name)
                self._buffers_of.setdefault(self._classes[-1], set()).add(name)
            else:
                self._class_plain[-1].add(name)
            return
        if attr in ("requires_grad_", "detach_"):
            if attr == "requires_grad_" and not (node.args and _false(node.args[0].value)):
                return
            if type(func.value) is cst.Name:
                self._freeze(func.value.value)
            name = dotted(func.value)
            if name is not None:
                self._frozen.add(name)
                self._frozen.add((self._function_key(), name))
            return
        if _inplace(attr) and self._is_param(func.value):
            self._found(node, func.value)

    def _function_key(self) -> str:
        fn = self.ctx.function
        return fn.key if fn is not None else ""

    def _freeze(self, name: str) -> None:
        """`p.requires_grad_(False)` / `p.detach_()` on a loop's parameter freezes its module."""
        source = self._scopes[-1].params.get(name)
        if source is not None:
            self._frozen.add(source)
            if type(source) is str:
                # `for p in head.parameters(): p.requires_grad = False`, then `head.weight.copy_(...)`
                # in the same function: an update of a frozen module's parameter.
                self._frozen.add((self._function_key(), source))

    def _view_of_param(self, value: cst.BaseExpression) -> bool:
        """`conv.bias.view(na, -1)`, `w.t()`, `p.unsqueeze(0)`: a view of a parameter."""
        while type(value) is cst.Call and type(value.func) is cst.Attribute and value.func.attr.value in _VIEW_METHODS:
            value = value.func.value
            if type(value) in (cst.Attribute, cst.Name) and self._is_param(value):
                return True
        return False

    # -- reporting -------------------------------------------------------------------------
    def _is_param(self, expr: cst.BaseExpression) -> bool:
        if self._switched_off:
            switched = self._switched_off.get(dotted(expr))
            if switched is not None and self.ctx.still_open(switched):
                return False
        if type(expr) is cst.Name:
            return expr.value in self._scopes[-1].params
        if type(expr) is cst.Subscript:
            # `self.alphas[i]`, an element of an `nn.ParameterList` (or `ParameterDict`) of the class
            owner = expr.value
            return bool(self._class_param_lists) and type(owner) is cst.Attribute and _is_self(owner.value) \
                and owner.attr.value in self._class_param_lists[-1]
        if not type(expr) is cst.Attribute:
            return False
        attr = expr.attr.value
        if _is_self(expr.value) and self._class_params:
            if attr in self._class_buffers[-1]:
                return False  # a buffer of this class (in at least one configuration)
            if attr in self._class_params[-1]:
                return True
            if attr in self._class_plain[-1]:
                return False  # a buffer or a plain tensor attribute of this class
        if self._reparametrized(expr.value, attr):
            return False  # `self.conv1 = weight_norm(nn.Conv1d(...))`: `.weight` is computed, no parameter
        if attr in _MODULE_PARAMS:  # `conv.weight`, `self.fc.bias`: a module's parameters
            owner = dotted(expr.value)
            # `self.criterion.weight *= w`: a loss's class weights are a buffer (torch's losses hold
            # no parameters, by its API data); the owner's class is unknown, so its name decides.
            return owner is None or not is_loss_word(owner.rpartition(".")[2])
        return False

    def _reparametrized(self, owner: cst.BaseExpression, attr: str) -> bool:
        """Whether a value stored in ``owner`` (`self.conv1`, or a local name) went through a function
        that replaces its parameter ``attr`` with a computed tensor (`weight_norm(nn.Conv1d(...))`):
        an in-place update of `owner.<attr>` then meets no leaf parameter."""
        if type(owner) is cst.Attribute and _is_self(owner.value):
            values = self.ctx.attribute_values(owner.attr.value)
        elif type(owner) is cst.Name:
            env = self.ctx.env_now()
            values = env.values.get(owner.value) if env is not None else None
        else:
            return False
        for value in values or ():
            if value is None or type(value) is not cst.Call:
                continue
            names = reparametrized(value, self.ctx.aliases)
            if names is None or attr in names:
                return True
        return False

    def _found(self, node: cst.CSTNode, target: cst.BaseExpression) -> None:
        condition = self.ctx.condition_for("enabled")
        if condition is False:
            return
        module = self.ctx.module_node
        code = module.code_for_node(target)
        line = statement_of(module, node)
        functions = [f.node for f in self.ctx.functions]
        source = self._scopes[-1].params.get(target.value) if type(target) is cst.Name else None
        if type(target) is cst.Attribute and source is None:
            # `fused.weight`: frozen with `fused.requires_grad_(False)` in the same function.
            source = (self._function_key(), dotted(target.value))
        if type(target) is cst.Attribute and type(target.value) is cst.Name:
            built = self._scopes[-1].instances.get(target.value.value)
            if built is not None:
                self._built_from[id(node)] = (built, target.attr.value)
        message = (
            f"in-place update of parameter `{code}` with grad enabled raises \"a leaf Variable that requires "
            "grad is being used in an in-place operation\"; wrap it in `with torch.no_grad():`"
        )
        # (A module frozen by a helper of the file counts in the function that calls it: its name
        # elsewhere may be another module's.)
        keys = (source, (self._function_key(), source)) if type(source) is str else (source,) if source else ()
        owner = source if type(source) is str else source[1] if type(source) is tuple else None
        freezes = tuple(dict.fromkeys(pair for name, pair in self._scopes[-1].freeze_calls
                                      if owner is not None and (owner == name or owner.startswith(name + "."))))
        if freezes:
            # `self._set_grad_flag(self.shadow, False)` before the loop: the project says whether it freezes.
            condition = dataclasses.replace(condition, freezes=condition.freezes + freezes) if condition \
                else Condition("", "", freezes=freezes)
        self._found_updates.append((keys, node, message, line, functions, condition or None))


def _frozen_on_creation(value: cst.BaseExpression) -> bool:
    """A call chain that ends in, or passes through, `.requires_grad_(False)`."""
    while type(value) is cst.Call and type(value.func) is cst.Attribute:
        if value.func.attr.value == "requires_grad_" and value.args and _false(value.args[0].value):
            return True
        value = value.func.value
    return False


# Tensor methods whose result is always a view of the receiver (its storage, its autograd leaf).
_VIEW_METHODS = frozenset({"view", "view_as", "t", "transpose", "permute", "unsqueeze", "squeeze", "narrow",
                           "select", "diagonal", "unflatten", "expand", "as_strided", "unfold"})


_PARAMETER_CONTAINERS = frozenset({"torch.nn.ParameterList", "torch.nn.ParameterDict",
                                   "torch.nn.modules.container.ParameterList",
                                   "torch.nn.modules.container.ParameterDict"})


def _is_self(expr: cst.BaseExpression) -> bool:
    return type(expr) is cst.Name and expr.value == "self"


def _none(expr: cst.BaseExpression) -> bool:
    return type(expr) is cst.Name and expr.value == "None"


def _false(expr: cst.BaseExpression) -> bool:
    return type(expr) is cst.Name and expr.value == "False"
