"""NG007 data-bypasses-autograd."""

from __future__ import annotations

import dataclasses
import re
from typing import Iterator, Optional

import libcst as cst

from ..analysis.reaching import ALL

from ..analysis.gradmode import Mode
from ..analysis.atoms import GRAPH, MODULE, PACKED
from ..analysis.names import dotted, parameter_names
from ..analysis.network_names import names_network
from ..analysis.torch_api import (NN_PARAMETER_CLASSES, TENSOR_DETACHED_METHODS, TENSOR_NUMBER_METHODS,
                                  TENSOR_TEMPLATE_METHODS)
from ..analysis.values import detached_part
from ..analysis.tensors import Env, callee_words, flows_into, is_loss_call, is_loss_word, is_model_call, names_in
from ..analysis.walker import iter_children, walk_nodes
from .base import Condition, Rule, RuleDocs

# What may follow `.data` without feeding computation: metadata and conversions out of torch.
_HARMLESS_AFTER = frozenset(
    {"shape", "dtype", "device", "size", "dim", "ndim", "numel", "is_cuda", "cpu", "numpy", "item", "tolist",
     "data_ptr", "nelement", "element_size", "stride", "is_contiguous", "storage", "type", "layout", "names",
     # an explicit stop-gradient: `.data.detach()` says no gradient is wanted
     "detach", "detach_",
     # a template for a new tensor (a dropout mask, a buffer): no value flows from it
     "new", "new_empty", "new_zeros", "new_ones", "new_full", "new_tensor"}
)
# Receivers whose `.data` is an ordinary attribute, not the tensor property.
_NOT_TENSORS = frozenset(
    {"self", "batch", "sample", "samples", "dataset", "loader", "graph", "g", "msg", "message", "response",
     "request", "config", "cfg", "args", "opt", "opts", "item", "record", "packed", "packed_input", "seq",
     "sequence", "result", "results", "event", "engine", "state", "ctx", "module", "obj", "node", "data"}
)
_PARAM_ATTRS = frozenset({"weight", "bias"})
# What read on a name uses no gradient through it: a stop-gradient, metadata, numbers.
_NO_USE = frozenset({"detach", "data", "shape", "size", "dtype", "device", "ndim", "item", "tolist", "numel",
                     "requires_grad", "is_leaf", "grad"})


# Calls whose result has no autograd history whatever they read: conversions out of torch
# (`utils.item(x)`, `t.numpy()`, `a.astype(...)`), explicit stop-gradients, integer results.
# Calls whose result carries no autograd history whatever their receiver: torch's detached and
# Python-valued Tensor methods (torch_api.json: argmax, eq, long, item, tolist...), NumPy's
# (`astype`, `from_numpy`), and those whose gradient is zero everywhere (round, sign...).
_NO_HISTORY_CALLS = (TENSOR_DETACHED_METHODS | TENSOR_NUMBER_METHODS
                     | frozenset({"numpy", "astype", "from_numpy", "ceil", "floor", "round", "sign"}))
# Fresh tensors built from values (`torch.Tensor(value)`, `torch.tensor(v)`): new leaves with no history.
_FRESH_TENSOR = re.compile(r"^torch\.(?:tensor|Tensor|\w+Tensor|from_numpy)$")
# Attributes of a tensor that are metadata, with no autograd history (`device = self.weight.device`).
_METADATA = frozenset({"shape", "dtype", "device", "is_cuda", "ndim", "requires_grad", "layout", "is_leaf",
                       "grad_fn", "names"})
# Frameworks whose variables have their own `.data` (the ndarray): not a torch tensor's.
_OTHER_FRAMEWORKS = ("chainer", "mxnet")


def _no_history_call(node: cst.Call, aliases) -> bool:
    """A call whose result carries no autograd history, whatever its arguments."""
    func = node.func
    last = func.value if type(func) is cst.Name else func.attr.value if type(func) is cst.Attribute else None
    if last in _NO_HISTORY_CALLS:
        return True
    if aliases is None or last is None:
        return False
    qualified = aliases.resolve(func)
    return qualified is not None and (qualified.startswith("numpy.") or bool(_FRESH_TENSOR.match(qualified)))


def _detached_in_place(fn: cst.FunctionDef, name: str) -> bool:
    """Whether the function calls `name.detach_()`: what the name
    held is cut from its history on purpose, so assigning its `.data` back cuts nothing more."""
    for node in walk_nodes(fn.body):
        if type(node) is cst.Call and type(node.func) is cst.Attribute and type(node.func.value) is cst.Name \
                and node.func.value.value == name and node.func.attr.value == "detach_":
            return True
    return False


def _project_helper(node: cst.Call, aliases) -> bool:
    """A bare-name call of a function the file does not import (a helper of the project, which
    may use a `.data` argument only as a template: `dropout_mask(x.data, ...)`)."""
    if aliases is None or not type(node.func) is cst.Name:
        return False
    name = node.func.value
    return name not in aliases.names and not names_network(name) and not is_loss_word(name)


def _reaching_statements(definitions, values_of: dict, reads: list) -> set:
    """The binding statements that reach ``reads`` (Name nodes a backward pass reads), through the
    bindings they read in turn (`loss = raw + reg` makes `raw`'s reach too)."""
    reaching: set = set()
    work = list(reads)
    while work:
        # (A name inside a bound value that is no tracked read, an attribute's own name or a
        # global, adds no binding of the function.)
        defs = definitions.reads.get(id(work.pop()), ALL)
        for _, statement in defs or ():
            if statement not in reaching:
                reaching.add(statement)
                bound = values_of.get(statement)
                if bound is not None:
                    work.extend(n for n in walk_nodes(bound) if type(n) is cst.Name)
    return reaching


def _children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The children that hold values (not the attribute name of `x.attr`, nor a keyword)."""
    if type(node) is cst.Attribute:
        yield node.value
    elif type(node) is cst.Arg:
        yield node.value
    else:
        yield from iter_children(node)


def _flow(expr: cst.CSTNode, aliases, strict: bool = True, through_data: bool = True) -> Iterator[tuple]:
    """(node, parent) for the nodes of ``expr`` whose value may flow into its result with autograd
    history. Lambda bodies are skipped, and calls whose result has no history (conversions out
    of torch, fresh tensors built from values). ``strict``: also the arguments of a project
    helper (see :func:`_project_helper`). ``through_data`` False: nor what is read through
    `.data` (the `.data` node itself is yielded)."""
    stack: list = [(expr, None)]
    while stack:
        node, parent = stack.pop()
        if type(node) in (cst.Lambda, cst.FunctionDef):
            continue
        if type(node) is cst.Call and (_no_history_call(node, aliases) or (strict and _project_helper(node, aliases))):
            continue
        if type(node) is cst.Attribute and node.attr.value in _METADATA:
            continue
        if aliases is not None and type(node) in (cst.Subscript, cst.Attribute) and detached_part(node, aliases):
            continue  # `torch.max(x.data, 1)[1]`: the indices, no history to cut
        yield node, parent
        if not through_data and type(node) is cst.Attribute and node.attr.value == "data":
            continue
        if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in TENSOR_TEMPLATE_METHODS:
            # `x.type_as(w.data)`: the argument gives only a dtype or a shape; the receiver flows.
            stack.append((node.func, node))
            continue
        for child in _children(node):
            stack.append((child, node))


def _added_terms(expr: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    """The terms of a sum or difference (`a + b - c`), or the expression itself."""
    if type(expr) is cst.BinaryOperation and type(expr.operator) in (cst.Add, cst.Subtract):
        yield from _added_terms(expr.left)
        yield from _added_terms(expr.right)
    else:
        yield expr


def _is_data_read(node: cst.CSTNode, parent) -> bool:
    """`x.data` whose value is used (not `x.data.shape`, `x.data.cpu()`, `x.data.zero_()`)."""
    if not (type(node) is cst.Attribute and node.attr.value == "data"):
        return False
    after = parent.attr.value if type(parent) is cst.Attribute else None
    return after not in _HARMLESS_AFTER and not (after is not None and after.endswith("_"))


def _data_reads(expr: cst.CSTNode, aliases=None) -> Iterator[cst.Attribute]:
    """`.data` reads in an expression whose result feeds computation (not `x.data.shape`,
    `x.data.cpu()`, an in-place update target, a lambda body, a conversion out of torch, or an
    argument of a helper function of the project, which may use it only as a template:
    `dropout_mask(x.data, ...)`)."""
    for node, parent in _flow(expr, aliases):
        if _is_data_read(node, parent):
            yield node


def _one_line(node: cst.CSTNode, module: cst.Module, limit: int = 60) -> str:
    """The code of ``node`` on one line, shortened (`torch.clamp(...).data`) when it is long."""
    code = " ".join(module.code_for_node(node).split())
    if len(code) <= limit:
        return code
    short = _brief(node, module)
    return short if len(short) <= limit else short[: limit - 3] + "..."


def _brief(node: cst.CSTNode, module: cst.Module) -> str:
    if type(node) is cst.Name:
        return node.value
    if type(node) is cst.Attribute:
        return f"{_brief(node.value, module)}.{node.attr.value}"
    if type(node) is cst.Call:
        return f"{_brief(node.func, module)}({'...' if node.args else ''})"
    if type(node) is cst.Subscript:
        return f"{_brief(node.value, module)}[...]"
    code = " ".join(module.code_for_node(node).split())
    return code if len(code) <= 24 else "(...)"


def _rooted_at_self(expr: cst.BaseExpression) -> bool:
    while type(expr) in (cst.Attribute, cst.Subscript):
        expr = expr.value
    return type(expr) is cst.Name and expr.value == "self"


class DataBypassesAutograd(Rule):
    code = "NG007"
    name = "data-bypasses-autograd"
    message = "`.data` cuts this tensor out of autograd"
    # A `.data` read that may feed computation: not an in-place write through it (`w.data.zero_()`,
    # weight initialisation), an assignment to it, metadata or a conversion out of torch.
    # (nor a module path: `torch.utils.data`, `from timm.data import ...`).
    triggers = ((r"\.data\b", r"(?<!utils)\.data\b(?!\s*=(?!=)|\s+import\b|\.\w+_\(|\.(?:shape|size|dtype|device|ndim|dim|numel|nelement"
                                r"|numpy|tolist|item)\b|\.cpu\(\)\.numpy\b)"),
                # a forward's output handed on detached (`self.d(fake.detach(), f)`)
                (r".detach()", r"[(,]\s*\w+\.detach\(\)"))
    docs = RuleDocs(
        what=(
            "Checks for reads of `.data` whose result feeds computation that needs gradients: the value "
            "returned from a module's `forward` (directly or through the names it is computed from), or "
            "a loss computed from a model output's `.data`, also a term added to the loss (`loss = nll + kl_term`) "
            "whose only history comes through `.data` (`kl_term = kl.data / n`, also when each side of an `if` assigns it so): a constant there, whose source "
            "never gets a gradient (a `.data` target or weight inside the loss is a deliberate stop-gradient and is "
            "not reported this way). In `forward` it reports a `.data` that cuts "
            "something the module trains: a parameter (`self.weight.data`) or a sub-module's output "
            "(`self.conv(x).data`) that reaches the output only through `.data`, or a name assigned back "
            "from its own `.data` (`h = h.data.clone()`) after it held such a value. A deliberate "
            "stop-gradient that cuts nothing the module trains is not reported: on `forward`'s inputs "
            "(`x = x.data`), on a statistic that is one factor of the output while the tensors in it also "
            "reach the output directly (batch renormalization's `r`, a straight-through "
            "`x + (q - x).data`), or on an auxiliary output returned next to the differentiable one "
            "(`return loss, out.data`, a logging dict of `loss.data`), and an attribute `__init__` builds "
            "as a plain tensor (`self.weight = torch.randn(...).to(torch.float8_e4m3fn)`: no parameter, "
            "whatever its name). Metadata reads (`x.data.shape`), "
            "conversions out of torch (`.data.cpu().numpy()`, `.data.item()`, a result rebuilt with "
            "`torch.tensor(...)` from numpy), results that never carry history whatever their input "
            "(`.data.argmax(1)`, the indices of `torch.max(x.data, 1)`, `x.data.sort()[1]` or "
            "`torch.topk(x.data, k).indices`, from torch's API data), in-place updates through `.data`, "
            "weight initialisation (`m.weight.data.normal_(0, 0.02)`) and the weights of a sub-module the "
            "class freezes itself (`self.fir.weight.requires_grad = False`, `self.base.requires_grad_(False)`: "
            "a fixed filter kernel needs no gradient) are not reported. "
            "Also `.detach()` on a forward's output handed to another network inside a backpropagated loss "
            "that also reads that output itself: in a generator's step, `verdict = self.critic(fake.detach(), "
            "cond)` next to `l1_loss(fake, real)` cuts the adversarial term off from the generator. Reported "
            "only for a network (a module, or an instance of a project or library class) that the function "
            "also hands data at that position (`self.critic(real, cond)`: a discriminator), and not when the "
            "same loss also hands it the output itself (a combined generator and discriminator loss); a "
            "probe trained on detached features (an online linear classifier) and a parameterless loss "
            "module (`cos(p1, z2.detach())`) are stop-gradients by design."
        ),
        why=(
            "`x.data` is the same storage as `x` with no autograd history and no version tracking. A "
            "`forward` that returns something computed from `.data` silently stops gradients: the layers "
            "before it (or the weight read through `.data`) never learn. A loss built from "
            "`output.data` has no graph to the model, so `backward()` either raises or updates nothing. "
            "Because autograd cannot see changes made through `.data`, gradients computed from it can "
            "also be silently wrong."
        ),
        example=(
            "class Head(nn.Module):\n"
            "    def forward(self, x):\n"
            "        return F.linear(x, self.weight.data)\n"
            "\n"
            "loss = criterion(model(x).data, y)\n"
        ),
        use_instead=(
            "class Head(nn.Module):\n"
            "    def forward(self, x):\n"
            "        return F.linear(x, self.weight)\n"
            "\n"
            "loss = criterion(model(x), y)\n"
        ),
    )

    VALID = (
        # an online probe on detached features: it sees no data of its own, and steers nothing
        "import torch\nimport torch.nn.functional as F\nfrom torch import nn\nclass SSL:\n"
        "    def __init__(self):\n        self.enc = nn.Linear(4, 4)\n        self.probe = nn.Linear(4, 2)\n\n"
        "    def step(self, x, y, opt):\n        h = self.enc(x)\n"
        "        loss = h.pow(2).mean() + F.cross_entropy(self.probe(h.detach()), y)\n        loss.backward()\n",
        # A fixed filter kernel the class froze itself: nothing should train it.
        "import torch\nclass PreEmphasis(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fir = torch.nn.Conv1d(1, 1, 3, bias=False, padding=1)\n"
        "        self.fir.weight.requires_grad = False\n\n    def forward(self, x):\n"
        "        return torch.nn.functional.conv1d(x, self.fir.weight.data, padding=1)\n",
        # Only the indices of torch.max are read through .data: integers, no history to cut.
        "import torch\nfrom torch import nn\nclass Pick(nn.Module):\n    def forward(self, x, y):\n"
        "        scores = self.judge(x)\n        _, guess = torch.max(scores.data, 1)\n        return x[guess != y]\n",
        # Weight initialisation through .data.
        "import torch\nfrom torch import nn\ndef init_weights(m):\n    if isinstance(m, nn.Conv2d):\n"
        "        m.weight.data.normal_(0.0, 0.02)\n        m.bias.data.fill_(0)\n",
        # Metadata and logging.
        "import torch\nfrom torch import nn\nclass Net(nn.Module):\n    def forward(self, x):\n"
        "        n = x.data.size(0)\n        out = self.fc(x.view(n, -1))\n        return out\n",
        "import torch\nfor x, y in loader:\n    out = model(x)\n    loss = criterion(out, y)\n    loss.backward()\n"
        "    acc = (out.data.argmax(1) == y).float().mean()\n    log(loss.data.item())\n",
        # The target has no history: .data on it changes nothing.
        "import torch\nfor x, y in loader:\n    loss = criterion(model(x), y.data)\n    loss.backward()\n",
        # Under no_grad nothing needs gradients.
        "import torch\nfrom torch import nn\nclass Teacher(nn.Module):\n    @torch.no_grad()\n    def forward(self, x):\n"
        "        return self.net(x).data\n",
        # Weight clipping (WGAN) through .data.
        "import torch\nfor p in critic.parameters():\n    p.data.clamp_(-0.01, 0.01)\n",
        # PackedSequence.data is a field with full autograd history.
        "import torch\nfrom torch import nn\nfrom torch.nn.utils.rnn import pack_padded_sequence\n"
        "class Tagger(nn.Module):\n    def forward(self, emb, lengths):\n"
        "        packed = pack_padded_sequence(emb, lengths, batch_first=True, enforce_sorted=False)\n"
        "        out, _ = self.lstm(packed)\n        return self.proj(out.data), out.batch_sizes\n",
        # A dataset's .data attribute is not the tensor property.
        "import torch\nfrom torch import nn\nclass Wrapper(nn.Module):\n    def forward(self, batch):\n"
        "        return self.net(batch.data)\n",
        # A detached auxiliary output next to the differentiable one (also behind a flag), and
        # `.data` copies in a logging dict returned next to the loss.
        "import torch\nfrom torch import nn\nclass WorldModelLoss(nn.Module):\n    def forward(self, td):\n"
        "        out = self.world_model(td)\n        loss = (out['reco'] - td['pixels']).pow(2).mean()\n"
        "        return loss, out.data if self.detach_output else out\n",
        "import torch\nfrom torch import nn\nimport torch.nn.functional as F\nclass Criterion(nn.Module):\n"
        "    def forward(self, model, sample):\n        logits = model(sample['x'])\n"
        "        loss = F.cross_entropy(logits, sample['y'])\n"
        "        return loss, {'loss': loss.data, 'logits': logits.data}\n",
        # A stop-gradient on forward's inputs: the module's own weights still learn.
        "import torch\nfrom torch import nn\nclass ActorLoss(nn.Module):\n    def forward(self, states):\n"
        "        states = states.data\n        return -self.critic(self.actor(states)).mean()\n",
        # Constants by design (batch renormalization's r and d, a straight-through estimator):
        # x, weight and bias still get gradients through the other terms.
        "import torch\nfrom torch import nn\nclass BatchRenorm(nn.Module):\n    def forward(self, x):\n"
        "        mean, std = x.mean(0), x.std(0)\n        r = (std / self.running_std).data\n"
        "        d = ((mean - self.running_mean) / self.running_std).data\n"
        "        return self.weight * ((x - mean) / std * r + d) + self.bias\n",
        "import torch\nfrom torch import nn\nclass RoundSTE(nn.Module):\n    def forward(self, x):\n"
        "        return x + (torch.round(x) - x).data\n",
        # Through numpy and back into a fresh tensor: no graph could exist downstream.
        "import torch\nfrom torch import nn\nfrom skimage.metrics import structural_similarity\nimport imutils\n"
        "class SSIMBaseline(nn.Module):\n    def forward(self, a, b):\n"
        "        score = structural_similarity(imutils.to_image(self.net(a).data), imutils.to_image(b.data))\n"
        "        return torch.Tensor((score.astype('float'),))\n",
        # The base layer is called in another branch: its weight does reach the output.
        "import torch\nfrom torch import nn\nimport torch.nn.functional as F\nclass Adapter(nn.Module):\n"
        "    def forward(self, x):\n        if self.disable_adapters:\n            return self.base_layer(x)\n"
        "        weight = self.base_layer.weight.data @ self.delta()\n"
        "        return F.linear(x, weight, self.base_layer.bias)\n",
        # A copy of the loss kept for logging is not a loss computed from `.data`.
        "import torch\nfor x, y in loader:\n    loss = criterion(model(x), y)\n    loss.backward()\n"
        "    loss_data = loss.data\n    log(loss_data)\n",
    )
    INVALID = (
        # the generator's loss reads `fake` itself, but its adversarial term hands the critic a detached copy
        "import torch\nimport torch.nn.functional as F\nfrom torch import nn\nclass GAN:\n"
        "    def __init__(self):\n        self.g = nn.Linear(4, 4)\n        self.d = nn.Linear(4, 1)\n\n"
        "    def step(self, z, real, opt):\n        fake = self.g(z)\n        d_real = self.d(real)\n"
        "        d_fake = self.d(fake.detach())\n        loss = F.softplus(-d_fake).mean() + F.l1_loss(fake, real)\n"
        "        loss.backward()\n        opt.step()\n",
        "import torch\nfrom torch import nn\nimport torch.nn.functional as F\nclass Head(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.weight = nn.Parameter(torch.randn(10, 512))\n\n"
        "    def forward(self, x):\n        return F.linear(x, self.weight.data)\n",
        "import torch\nfrom torch import nn\nclass Block(nn.Module):\n    def forward(self, x):\n"
        "        h = self.conv(x).data\n        h = self.act(h)\n        return h + x\n",
        "import torch\nfor x, y in loader:\n    output = model(x)\n    loss = criterion(output.data, y)\n    loss.backward()\n",
        "import torch\ndef train_step(net, x, y, opt):\n    pred = net(x)\n    loss = ((pred.data - y) ** 2).mean()\n"
        "    loss.backward()\n    opt.step()\n",
        # The recurrent state is rebuilt from its own `.data` at every step: no gradient through time.
        "import torch\nfrom torch import nn\nclass Recurrent(nn.Module):\n    def forward(self, xs):\n"
        "        h = xs.new_zeros(xs.size(1), self.hidden_size)\n        for x in xs:\n"
        "            h = h.data.clone()\n            h = self.cell(x, h)\n        return h\n",
        # A multi-line expression: the message quotes it on one line.
        "import torch\nfrom torch import nn\nclass Head(nn.Module):\n    def forward(self, x):\n"
        "        feats = self.backbone(x)\n        return self.fc(torch.cat([feats,\n"
        "                                  feats.mean(1, keepdim=True)], 1).data)\n",
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._envs: list = [Env()]
        # Per function: id(value or return) -> (position, enclosing loops, names it rebinds).
        self._where: list = [{}]
        self._clock = 0
        self._loops: list = []
        self._returns: list = [[]]  # per function: (return value, condition)
        # Per function: loss-named assignments (name, value, condition), checked at the end of the
        # function only if the name feeds a backward pass (`batch_loss = loss.data[0] / n` for a
        # log line is no loss), and the names that backward passes read.
        self._losses: list = [[]]
        self._backprop: list = [set()]
        self._backprop_reads: list = [[]]  # per scope: the Name nodes backward calls read (`loss` of `loss.backward()`)
        self._backprop_groups: list = [[]]  # per scope: the same, per backward call
        self._detached_args: list = [False]  # per scope: whether a call is handed `x.detach()`
        self._class_params: list = []
        self._reported: set = set()
        self._class_frozen: list = []  # per class: sub-modules it freezes (`self.base`)
        self._class_plain: list = []  # per class: attributes `__init__` builds as plain tensors
        self._foreign = None  # whether `.data` here belongs to another framework (Chainer)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._class_params.append(set())
        self._class_frozen.append(set())
        self._class_plain.append(_plain_tensor_attributes(node, self.ctx.aliases))

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self._class_params.pop()
        self._class_frozen.pop()
        self._class_plain.pop()

    def _plain(self, receiver: cst.Attribute) -> bool:
        """`self.weight` that the class's `__init__` builds as a plain tensor (`torch.randn(...)
        .to(torch.float8_e4m3fn)`), never as a parameter: it needs no gradient, whatever its name."""
        base = receiver.value
        attr = receiver.attr.value
        return (type(base) is cst.Name and base.value == "self" and bool(self._class_plain)
                and attr in self._class_plain[-1] and attr not in self._class_params[-1])

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._envs.append(Env())
        self._where.append({})
        self._returns.append([])
        self._losses.append([])
        self._backprop.append(set())
        self._backprop_reads.append([])
        self._backprop_groups.append([])
        self._detached_args.append(False)

    def _check_backpropagated_losses(self, env: Env, scope=None) -> None:
        losses = self._losses.pop()
        backprop = self._backprop.pop()
        reads = self._backprop_reads.pop()
        groups = self._backprop_groups.pop()
        detached_args = self._detached_args.pop()
        if not backprop or not losses and not detached_args:
            return
        feeding = flows_into(backprop, env)
        # The bindings of a name read by a backward call that reach that read: `loss = loss.data[0]`
        # after `loss.backward()`, for the log, reaches no backward (the next step rebinds `loss`).
        definitions = self.ctx.definitions_of(scope) if scope is not None and self.ctx.definitions_of else None
        reaching: Optional[set] = set() if definitions is not None else None
        if definitions is not None:
            # (Through the bindings they read in turn: `loss = raw + reg` makes `raw`'s reach too.)
            values_of = {id(node): bound for node, bound, _ in definitions.bindings}
            tracked = [n for n in reads if definitions.reads.get(id(n), ALL) is not ALL]
            if not tracked or any(definitions.reads.get(id(n), ALL) is ALL and n.value in env.values for n in reads):
                reaching = None  # a backward read the definitions do not follow: every binding may reach it
            reads = tracked
            if reaching is not None:
                reaching = _reaching_statements(definitions, values_of, reads)
                # Each backward pass on its own: a generator's loss and a discriminator's in one step.
                for group in groups if detached_args else ():
                    group = [n for n in group if definitions.reads.get(id(n), ALL) is not ALL]
                    if group:
                        found = _reaching_statements(definitions, values_of, group)
                        self._detached_own_terms([values_of[s] for s in found if values_of.get(s) is not None], env,
                                                 scope)
        for name, value, condition in losses:
            if name in feeding:
                statement = definitions.binding_statement(value) if reaching is not None else None
                if statement is not None and statement not in reaching:
                    continue
                self._check_loss(value, env, condition)

    def _detached_own_terms(self, values: list, env: Env, body: cst.CSTNode) -> None:
        """`d_fake = self.d(fake.detach(), f)` in a generator's loss that also reads `fake` itself
        (`l1_loss(fake, spec)`): ``values``, those bound by the statements that reach a backward
        pass. The loss trains what computed `fake` through its direct use, so the author wants its
        gradient; the detached copy handed to another network with parameters cuts that term off:
        the adversarial term teaches the generator nothing. Not when the loss also hands `fake`
        itself to that network (a combined generator and discriminator loss, where the detached
        copy is the discriminator's term), and only for a network that ``body`` (the function) also
        hands data at that position (`self.d(spec, f)`): a discriminator, which judges real data
        against generated. A probe trained on detached features (an online linear classifier)
        sees only features, and its detach is deliberate."""
        detached: list = []  # (the `.detach()` call, the name, the network's dotted name, the network)
        direct: set = set()
        fed: dict = {}  # network -> the names handed to it as themselves
        for value in values:
            stack = [(value, None)]
            while stack:
                node, parent = stack.pop()
                t = type(node)
                if t is cst.Name:
                    if not (type(parent) is cst.Attribute and parent.value is node and parent.attr.value in _NO_USE):
                        direct.add(node.value)
                    continue
                if t is cst.Call:
                    callee = dotted(node.func)
                    for arg in node.args:
                        a = arg.value
                        if (type(a) is cst.Call and not a.args and type(a.func) is cst.Attribute
                                and a.func.attr.value == "detach" and type(a.func.value) is cst.Name):
                            if callee is not None:
                                detached.append((a, a.func.value.value, callee, node.func,
                                                 node.args.index(arg)))
                        elif type(a) is cst.Name and callee is not None:
                            fed.setdefault(callee, set()).add(a.value)
                if t in (cst.Lambda, cst.FunctionDef):
                    continue
                if t is cst.Attribute:
                    stack.append((node.value, node))  # (its `.attr` is no read)
                    continue
                stack.extend((child, node) for child in iter_children(node))
        for call, name, callee, func, position in detached:
            if name not in direct or name in fed.get(callee, ()) or id(call) in self._reported:
                continue
            if not self._judges_data(body, callee, position, env):
                continue
            if not self._network(func, env):
                continue  # a loss module or a function (`criterion(p, z.detach())`): a stop-gradient target
            fact = self.ctx.values.infer(call.func.value, env)
            atoms = tuple(sorted((a for a in fact if type(a) is tuple), key=repr))
            if GRAPH not in fact and not atoms:
                continue  # not a forward's output
            self._reported.add(id(call))
            self.report(call, f"`{name}.detach()` cuts this term of a backpropagated loss from what computed `{name}`, "
                              f"which the same loss trains through `{name}` itself: `{callee}(...)` gives it no "
                              f"gradient; hand `{name}` to `{callee}` as it is",
                        condition=None if GRAPH in fact else Condition("", "", returns=atoms))

    def _judges_data(self, body: cst.CSTNode, callee: str, position: int, env: Env) -> bool:
        """Whether the function also calls ``callee`` with data at ``position``: a value that
        carries no graph and comes from no project call (`d_real = self.d(spec, f)`)."""
        for node in walk_nodes(body):
            if type(node) is cst.Call and len(node.args) > position and dotted(node.func) == callee:
                arg = node.args[position]
                value = arg.value
                if arg.star or arg.keyword is not None or type(value) is cst.Attribute and value.attr.value == "data" \
                        or type(value) is cst.Call and type(value.func) is cst.Attribute \
                        and value.func.attr.value == "detach":
                    continue  # (a generated batch detached is no data)
                fact = self.ctx.values.infer(arg.value, env)
                if fact and GRAPH not in fact and not any(type(a) is tuple for a in fact):
                    return True
        return False

    def _network(self, func: cst.BaseExpression, env: Env) -> bool:
        """Whether a callee is a network that may hold parameters: a module by the value model (not
        one torch builds without parameters), or an instance of a class the project or a library
        defines (`self.d = Discriminator(...)`)."""
        if self._stateless(func):
            return False
        fact = self.ctx.values.infer(func, env)
        if MODULE in fact:
            return True
        return bool(fact) and all(type(a) is tuple and a[1][0] == "name" and a[1][1][:1].isupper() for a in fact)

    def _stateless(self, func: cst.BaseExpression) -> bool:
        """A module known to hold no parameters (a torch loss or activation the file builds)."""
        return self.ctx.values.built_stateless is not None and self.ctx.values.built_stateless(func)

    def leave_Module(self, node: cst.Module) -> None:
        self._check_backpropagated_losses(self._envs[0], node)

    def visit_For(self, node: cst.For) -> None:
        self._loops.append(id(node))

    def leave_For(self, node: cst.For) -> None:
        self._loops.pop()

    def visit_While(self, node: cst.While) -> None:
        self._loops.append(id(node))

    def leave_While(self, node: cst.While) -> None:
        self._loops.pop()

    def _stamp(self, node: cst.CSTNode, rebinds: tuple = ()) -> None:
        self._clock += 1
        self._where[-1][id(node)] = (self._clock, tuple(self._loops), rebinds)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._check_backpropagated_losses(self._envs[-1], node)
        env = self._envs.pop()
        where = self._where.pop()
        returns = self._returns.pop()
        fn = self.ctx.function
        if not returns or fn is None or fn.name != "forward" or fn.klass is None or self._other_framework():
            return
        ps = node.params
        params = set(parameter_names(node)[1:])
        params.update(p.name.value for p in (ps.star_arg, ps.star_kwarg) if type(p) is cst.Param)
        aliases = self.ctx.aliases
        candidates: list = []  # (.data read, where it is read, condition)
        seen: set = set()
        for value, condition in returns:
            for expr in self._reaching(value, where.get(id(value)), env, where):
                for attr in _data_reads(expr, aliases):
                    if id(attr) not in seen:
                        seen.add(id(attr))
                        candidates.append((attr, expr, where.get(id(expr)), condition))
        live = None
        module = self.ctx.module_node
        packed_branches = None  # the function's `if isinstance(x, PackedSequence):` tests, when first asked
        for attr, expr, at, condition in candidates:
            receiver = attr.value
            if not self._tensor_receiver(receiver, params, env):
                continue
            if type(receiver) is cst.Name and packed_branches is None:
                packed_branches = [n for n in walk_nodes(node.body) if type(n) is cst.If and self._packed_test(n.test)]
            if type(receiver) is cst.Name and any(
                    self._packed_test(b.test) == receiver.value and any(n is attr for n in walk_nodes(b.body))
                    for b in packed_branches):
                continue  # `if isinstance(x, PackedSequence): x = x.data`: the sequence's field
            # What needs gradients and reaches the output only through this `.data`: a parameter,
            # the output of a sub-module. A stop-gradient on forward's inputs (`x.data`) or on a
            # statistic of them (batch renorm's `r`) cuts nothing the module trains.
            sources = self._sources(receiver, at, env, where)
            if not sources or type(receiver) is cst.Name and _detached_in_place(node, receiver.value):
                continue  # (`pert.detach_()` first: the author already cut what it held)
            if live is None:
                live = self._live([v for v, _ in returns], env, params)
            cut = [s for s in sources if not _reaches(s, live)]
            if cut:
                message = (
                    f"`{_one_line(attr, module)}` in what `forward` returns cuts `{cut[0]}` out of autograd: "
                    f"it reaches the output only through `.data`, so it gets no gradient; use "
                    f"`{_one_line(receiver, module)}` (or `.detach()` where stopping gradients is intended)"
                )
            else:
                # The same sources also reach the output without `.data` (an auxiliary detached output
                # next to the loss, `q = x + (q - x).data` in a straight-through estimator), unless the
                # `.data` is assigned back to the name it reads (`h = h.data.clone()`): then what the
                # name held before is cut for every later use.
                held = self._rebound_sources(attr, expr, at, env, where, params)
                if held is None or _detached_in_place(node, held[0]):
                    continue
                name, source = held
                message = (
                    f"`{_one_line(attr, module)}` is assigned back to `{name}`, so what `{name}` held before "
                    f"(from `{source}`) gets no gradient through what `forward` returns; use "
                    f"`{_one_line(receiver, module)}` (or `.detach()` where stopping gradients is intended)"
                )
            self.report(attr, message, condition=condition or None)

    def _other_framework(self) -> bool:
        if self._foreign is None:
            roots = {q.split(".", 1)[0] for q in self.ctx.aliases.names.values()}
            self._foreign = "torch" not in roots and any(f in roots for f in _OTHER_FRAMEWORKS)
        return self._foreign

    @staticmethod
    def _may_hold(value_at, at) -> bool:
        """Whether a value assigned at ``value_at`` may be what its name holds at ``at``: assigned
        before, or in a loop around both (from an earlier iteration)."""
        if value_at is None or at is None:
            return True
        return value_at[0] < at[0] or bool(set(value_at[1]) & set(at[1]))

    def _values(self, name: str, at, env: Env, where: dict) -> Iterator[cst.BaseExpression]:
        for value in env.values.get(name, ()):
            if value is not None and self._may_hold(where.get(id(value)), at):
                yield value

    def _reaching(self, start: cst.BaseExpression, at, env: Env, where: dict) -> list:
        """``start`` and the values of the names it reads (transitively) that may flow into it."""
        out = [start]
        seen = {id(start)}
        i = 0
        aliases = self.ctx.aliases
        while i < len(out):
            expr = out[i]
            i += 1
            expr_at = where.get(id(expr), at)
            for node, _ in _flow(expr, aliases):
                if type(node) is cst.Name:
                    for value in self._values(node.value, expr_at, env, where):
                        if id(value) not in seen:
                            seen.add(id(value))
                            out.append(value)
        return out

    def _sources(self, receiver: cst.BaseExpression, at, env: Env, where: dict) -> list:
        """What needs gradients in ``receiver`` (read at ``at``): parameters (`self.weight`) and
        sub-module or model outputs (`self.conv(x)`), also through the names it reads."""
        out: list = []
        seen: set = set()
        stack = [(receiver, at)]
        aliases = self.ctx.aliases
        while stack:
            expr, expr_at = stack.pop()
            for node, parent in _flow(expr, aliases, strict=False, through_data=False):
                key = self._source_key(node, parent)
                if key is not None and key not in out:
                    out.append(key)
                if type(node) is cst.Name and node.value not in seen:
                    seen.add(node.value)
                    for value in self._values(node.value, expr_at, env, where):
                        stack.append((value, where.get(id(value), expr_at)))
        return out

    def _rebound_sources(self, attr, expr, at, env: Env, where: dict, params: set) -> Optional[tuple]:
        """(name, source) when the value ``expr`` holding the read ``attr`` is assigned back to a
        name the read's receiver mentions, carries nothing else with history, and that name held
        a value from a source (a sub-module output, a parameter) before."""
        if at is None or not at[2]:
            return None
        mentioned = {n.value for n, _ in _flow(attr.value, self.ctx.aliases, strict=False) if type(n) is cst.Name}
        for name in at[2]:
            if name in mentioned and not self._other_path(expr, params, env):
                sources = self._sources(cst.Name(name), at, env, where)
                if sources:
                    return name, sources[0]
        return None

    def _other_path(self, expr: cst.BaseExpression, params: set, env: Env) -> bool:
        """Whether ``expr`` also reads, not through `.data`, a tensor that may carry history: an
        input of `forward`, or a name computed from one or from a sub-module or parameter."""
        aliases = self.ctx.aliases
        seen: set = set()  # names known not to carry history
        for node, parent in _flow(expr, aliases, strict=False, through_data=False):
            if self._source_key(node, parent) is not None:
                return True
            if type(node) is cst.Name and self._carries(node.value, params, env, seen):
                return True
        return False

    def _carries(self, name: str, params: set, env: Env, seen: set) -> bool:
        """Whether a name may hold a tensor with history: an input of `forward`, or computed (not
        through `.data`) from one, from a sub-module or from a parameter."""
        aliases = self.ctx.aliases
        stack = [name]
        while stack:
            name = stack.pop()
            if name in params:
                if name not in _NOT_TENSORS:
                    return True
                continue
            if name in seen:
                continue
            seen.add(name)
            for value in env.values.get(name, ()):
                if value is None:
                    continue
                for node, parent in _flow(value, aliases, strict=False, through_data=False):
                    if self._source_key(node, parent) is not None:
                        return True
                    if type(node) is cst.Name:
                        stack.append(node.value)
        return False

    def _live(self, values: list, env: Env, params: set) -> set:
        """The sources that reach what `forward` returns through a path without `.data` (any
        assignment of a name counts: generous, so that only a certain cut is reported)."""
        out: set = set()
        seen: set = set()
        stack = list(values)
        aliases = self.ctx.aliases
        while stack:
            expr = stack.pop()
            for node, parent in _flow(expr, aliases, strict=False, through_data=False):
                key = self._source_key(node, parent)
                if key is not None:
                    out.add(key)
                if type(node) is cst.Name and node.value not in seen:
                    seen.add(node.value)
                    stack.extend(v for v in env.values.get(node.value, ()) if v is not None)
        return out

    def _source_key(self, node: cst.CSTNode, parent) -> Optional[str]:
        """A name for something that needs gradients: a parameter (`self.weight`, `m.bias`, a
        `self.x = nn.Parameter(...)` of the class) or a call of a sub-module or model
        (`self.conv(x)`, `super().forward(x)`, `model(x)`), or None."""
        if type(node) is cst.Call:
            func = node.func
            if type(func) is cst.Attribute and type(func.value) is cst.Call and isinstance(
                    func.value.func, cst.Name) and func.value.func.value == "super":
                return "super()." + func.attr.value
            if type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value == "self":
                # a sub-module, or a method using them; a getter (`self.get_base()`) names what it gets
                getter = not node.args and func.attr.value.startswith("get_")
                return _short_key(node if getter else func, self.ctx.module_node)
            if type(func) is cst.Subscript and _rooted_at_self(func):
                return _short_key(func.value, self.ctx.module_node)  # self.layers[i](x)
            if is_model_call(node):
                return _short_key(func, self.ctx.module_node)
            return None
        if type(node) is cst.Attribute and not (type(parent) is cst.Call and parent.func is node):
            attr = node.attr.value
            base = node.value
            is_param = attr in _PARAM_ATTRS and not self._plain(node) or (
                type(base) is cst.Name and base.value == "self" and self._class_params
                and attr in self._class_params[-1])
            if not is_param:
                return None
            name = dotted(node)
            if name is not None and self._class_frozen and any(
                    name == f or name.startswith(f + ".") for f in self._class_frozen[-1]):
                return None  # a weight of a sub-module the class froze: it needs no gradient
            return _short_key(node, self.ctx.module_node)
        return None

    def visit_Assign(self, node: cst.Assign) -> None:
        mode = self.ctx.frames[-1].mode
        history_ok = mode is Mode.ENABLED or mode is Mode.INHERIT
        rebinds = []
        for target in node.targets:
            t = target.target
            self._envs[-1].assign(t, node.value, history_ok)
            rebinds.extend(_bound_names(t))
            if type(t) is cst.Subscript:
                # `buf[i] = h`: the write flows into what `buf` holds.
                base = t.value
                while type(base) is cst.Subscript:
                    base = base.value
                if type(base) is cst.Name:
                    self._envs[-1].assign(base, node.value, history_ok)
            if (type(t) is cst.Attribute and t.attr.value == "requires_grad" and self._class_frozen
                    and type(node.value) is cst.Name and node.value.value == "False"):
                name = dotted(t.value)
                if name is not None and name.startswith("self."):
                    # `self.fir.weight.requires_grad = False`: a fixed filter kernel, frozen on purpose.
                    self._class_frozen[-1].add(name)
            if type(t) is cst.Attribute and type(t.value) is cst.Name and t.value.value == "self":
                if self._class_params and _creates_parameter(node.value, self.ctx.aliases):
                    self._class_params[-1].add(t.attr.value)
            if type(t) is cst.Name and is_loss_word(t.value) and not _is_copy(node.value):
                self._losses[-1].append((t.value, node.value, self.ctx.condition_for("enabled")))
        self._stamp(node.value, tuple(rebinds))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        # `h += self.proj(x)`: the value flows into what `h` holds (its old value stays in it too).
        mode = self.ctx.frames[-1].mode
        self._envs[-1].assign(node.target, node.value, mode is Mode.ENABLED or mode is Mode.INHERIT)
        self._stamp(node.value)

    def visit_Return(self, node: cst.Return) -> None:
        fn = self.ctx.function
        if node.value is None or fn is None or fn.name != "forward":
            return
        self._stamp(node.value)
        condition = self.ctx.condition_for("enabled")
        if condition is not False:
            self._returns[-1].append((node.value, condition))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not self._detached_args[-1] and any(
                type(a.value) is cst.Call and type(a.value.func) is cst.Attribute and a.value.func.attr.value == "detach"
                for a in node.args):
            self._detached_args[-1] = True  # `self.d(fake.detach(), f)`: _detached_own_terms has work
        if type(func) is cst.Attribute and func.attr.value in ("backward", "manual_backward"):
            # `loss.backward()`, `scaler.scale(loss).backward()`, `accelerator.backward(loss)`
            self._backprop[-1].update(names_in(func.value))
            # (The names it reads: `loss` of `loss.backward()`, `loss.mean().backward()`,
            # `scaler.scale(loss).backward()`; an attribute's own name is no read and is passed over.)
            group = [n for n in walk_nodes(func.value) if type(n) is cst.Name]
            if node.args:
                group.extend(n for n in walk_nodes(node.args[0].value) if type(n) is cst.Name)
            self._backprop_reads[-1].extend(group)
            self._backprop_groups[-1].append(group)
            if node.args:
                self._backprop[-1].update(names_in(node.args[0].value))
        elif (node.args and callee_words(func) in ("grad", "backward")
              and self.ctx.aliases.resolve(func) in ("torch.autograd.grad", "torch.autograd.backward")):
            self._backprop[-1].update(names_in(node.args[0].value))
        if (type(func) is cst.Attribute and func.attr.value == "requires_grad_" and node.args
                and type(node.args[0].value) is cst.Name and node.args[0].value.value == "False"
                and self._class_frozen):
            name = dotted(func.value)
            if name is not None and name.startswith("self."):
                self._class_frozen[-1].add(name)  # `self.base.requires_grad_(False)` in the class
            return
        # Only arguments that are not plain names can read `.data`.
        if any(not type(a.value) is cst.Name for a in node.args) and is_loss_call(node, self.ctx.aliases):
            self._check_loss(node)

    def _check_loss(self, expr: cst.BaseExpression, env: Optional[Env] = None, condition=None) -> None:
        if env is None:
            env, condition = self._envs[-1], self.ctx.condition_for("enabled")
        if condition is False or self._other_framework():
            return
        for attr in _data_reads(expr, self.ctx.aliases):
            receiver = attr.value
            if id(attr) in self._reported:
                continue
            # The value model: a receiver that carries a graph (a model output, a loss), or the
            # result of project functions whose summaries decide it across files.
            if PACKED in self.ctx.values.infer(receiver, env):
                continue  # `packed.data`: a PackedSequence's field, not Tensor.data
            graph = self.ctx.values.graph(receiver, env)
            if graph is False:
                continue
            if type(receiver) is cst.Name and (self._packed(receiver.value, env)
                                               or self._narrowed_to_packed(receiver.value)):
                continue
            self._reported.add(id(attr))
            module = self.ctx.module_node
            if graph is not True:
                base = condition or None
                condition_here = dataclasses.replace(base, returns=graph) if base else Condition("", "", graph)
            else:
                condition_here = condition or None
            self.report(
                attr,
                f"the loss is computed from `{_one_line(attr, module)}`, which has no autograd history, so "
                f"backward cannot reach the model; use `{_one_line(receiver, module)}`",
                condition=condition_here,
            )
        self._constant_terms(expr, env, condition or None)

    def _constant_terms(self, expr: cst.BaseExpression, env: Env, condition) -> None:
        """`loss = ce + scaled_kl` with `scaled_kl = kl.data[0] / n`: a term added to the loss whose
        history all comes through `.data` is a constant there, so backward never reaches what it
        was read from. (Only added terms: a `.data` factor or target is a deliberate stop-gradient.)"""
        values = self.ctx.values
        module = self.ctx.module_node
        for term in _added_terms(expr):
            if type(term) is not cst.Name:
                continue
            bindings = env.values.get(term.value, ())
            if not bindings or any(b is None for b in bindings):
                continue
            # Every value the name is given (each side of an `if`) is a constant: so is the term.
            facts = [values.infer(value, env) for value in bindings]
            if any(GRAPH in fact or any(type(a) is tuple for a in fact) for fact in facts):
                continue  # the term has history of its own: it is not a constant
            for attr in (a for value in bindings for a in _data_reads(value, self.ctx.aliases)):
                graph = values.graph(attr.value, env)
                if id(attr) in self._reported or graph is False:
                    continue
                self._reported.add(id(attr))
                here = condition
                if graph is not True:  # what project functions return decides, across files
                    here = dataclasses.replace(condition, returns=graph) if condition else Condition("", "", graph)
                self.report(
                    attr,
                    f"`{_one_line(attr, module)}` reaches the loss only through `{term.value}`, a constant "
                    f"term without autograd history, so backward never reaches `{_one_line(attr.value, module)}`; "
                    f"use `{_one_line(attr.value, module)}`",
                    condition=here,
                )

    def _narrowed_to_packed(self, name: str) -> bool:
        """Inside `if isinstance(x, PackedSequence):` (the branch that runs when it holds), for `x`:
        its `.data` is the sequence's field."""
        return any(not negated and self._packed_test(test) == name
                   for test, negated in (branch.condition() for branch in self.ctx.branches))

    def _packed_test(self, test: cst.BaseExpression) -> Optional[str]:
        """The name `isinstance(name, PackedSequence)` tests, or None."""
        if type(test) is not cst.Call or type(test.func) is not cst.Name or test.func.value != "isinstance" \
                or len(test.args) != 2 or type(test.args[0].value) is not cst.Name:
            return None
        kind = test.args[1].value
        qualified = self.ctx.aliases.resolve(kind) or dotted(kind) or ""
        return test.args[0].value.value if qualified.rpartition(".")[2] == "PackedSequence" else None

    def _packed(self, name: str, env: Env) -> bool:
        """Whether a name holds a PackedSequence (the value model's PACKED: made by
        `pack_padded_sequence` / `pack_sequence`, or returned by an RNN given one, also through
        tuple unpacking), whose `.data` is a field with full autograd history."""
        return PACKED in self.ctx.values.infer(cst.Name(name), env)

    def _tensor_receiver(self, receiver: cst.BaseExpression, params: set, env: Env) -> bool:
        if type(receiver) is cst.Name:
            name = receiver.value
            if name in _NOT_TENSORS or self._packed(name, env):
                return False
            return name in params or name in env.values
        if type(receiver) is cst.Attribute:
            name = dotted(receiver)
            if name is not None and self._class_frozen and any(
                    name == f or name.startswith(f + ".") for f in self._class_frozen[-1]):
                return False  # a weight of a sub-module the class froze: it needs no gradient
            attr = receiver.attr.value
            if attr in _PARAM_ATTRS and not self._plain(receiver):
                return True
            base = receiver.value
            if type(base) is cst.Name and base.value == "self" and self._class_params:
                return attr in self._class_params[-1]
            return False
        if type(receiver) is cst.Subscript:
            return self._tensor_receiver(receiver.value, params, env)  # `out[0].data`, not `batch["x"].data`
        # `(q - x).data`: arithmetic on tensors
        return type(receiver) in (cst.Call, cst.BinaryOperation, cst.UnaryOperation)


def _creates_parameter(value: cst.BaseExpression, aliases) -> bool:
    if not type(value) is cst.Call:
        return False
    func = value.func
    last = func.value if type(func) is cst.Name else func.attr.value if type(func) is cst.Attribute else ""
    return last == "Parameter" and aliases.resolve(func) in NN_PARAMETER_CLASSES



_SAME_TENSOR = frozenset({"to", "cuda", "cpu", "float", "half", "double", "contiguous"})


def _plain_tensor_attributes(klass: cst.ClassDef, aliases) -> frozenset:
    """Attributes the class's `__init__` assigns a tensor made by a torch function (`torch.randn`,
    `torch.zeros`, through `.to(...)`): on an nn.Module such an attribute is no parameter (assigning
    a tensor to a registered parameter raises), so `.data` on it cuts nothing that trains."""
    if type(klass.body) is not cst.IndentedBlock:
        return frozenset()
    init = next((s for s in klass.body.body if type(s) is cst.FunctionDef and s.name.value == "__init__"), None)
    if init is None or type(init.body) is not cst.IndentedBlock:
        return frozenset()
    out = set()
    for line in init.body.body:
        if type(line) is not cst.SimpleStatementLine:
            continue
        for small in line.body:
            if type(small) is not cst.Assign or len(small.targets) != 1:
                continue
            target = small.targets[0].target
            if not (type(target) is cst.Attribute and type(target.value) is cst.Name and target.value.value == "self"):
                continue
            value = small.value
            while type(value) is cst.Call and type(value.func) is cst.Attribute and value.func.attr.value in _SAME_TENSOR:
                value = value.func.value
            qualified = aliases.resolve(value.func) if type(value) is cst.Call else None
            last = (qualified or "").rpartition(".")[2]
            if qualified is not None and qualified.startswith("torch.") and last[:1].islower():
                out.add(target.attr.value)
    return frozenset(out)


def _short_key(node: cst.CSTNode, module: cst.Module) -> str:
    """How a source is named in messages and compared: `self.conv`, `self.base.weight`. A getter
    without arguments names what it gets: `self.get_base_layer().weight` is `self.base_layer.weight`."""
    if type(node) is cst.Attribute:
        return f"{_short_key(node.value, module)}.{node.attr.value}"
    if (type(node) is cst.Call and not node.args and type(node.func) is cst.Attribute
            and node.func.attr.value.startswith("get_") and len(node.func.attr.value) > 4):
        return f"{_short_key(node.func.value, module)}.{node.func.attr.value[4:]}"
    return _one_line(node, module, limit=40)


def _reaches(source: str, live: set) -> bool:
    """Whether a source reaches the output without `.data`: itself, or the module that owns it
    (`self.base.weight` trains through a call of `self.base(x)`)."""
    if source in live:
        return True
    owner = source.rpartition(".")[0]
    while owner and owner != "self":
        if owner in live:
            return True
        owner = owner.rpartition(".")[0]
    return False


def _bound_names(target: cst.BaseExpression) -> list:
    if type(target) is cst.Name:
        return [target.value]
    if type(target) in (cst.Tuple, cst.List):
        return [n for e in target.elements for n in _bound_names(e.value)]
    if type(target) is cst.StarredElement:
        return _bound_names(target.value)
    return []


def _is_copy(value: cst.BaseExpression) -> bool:
    """`loss_data = loss.data`: a copy kept for logging, not a loss computed from `.data`."""
    return type(value) is cst.Attribute and value.attr.value == "data"
