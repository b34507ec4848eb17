"""NG007 data-bypasses-autograd."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from ..analysis.gradmode import Mode
from ..analysis.names import dotted
from ..analysis.tensors import Env, flows_into, has_history, is_loss_call, is_loss_word, is_model_word, names_in
from ..analysis.walker import iter_children
from .base import Rule, RuleDocs

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


def _data_reads(expr: cst.CSTNode, aliases=None) -> Iterator[cst.Attribute]:
    """`.data` reads in an expression whose result feeds computation (not `x.data.shape`,
    `x.data.cpu()`, an in-place update target, a lambda body, or an argument of a helper function
    of the project, which may use it only as a template: `dropout_mask(x.data, ...)`)."""
    stack: list = [(expr, None)]
    while stack:
        node, parent = stack.pop()
        if isinstance(node, (cst.Lambda, cst.FunctionDef)):
            continue
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and aliases is not None:
            name = node.func.value
            if name not in aliases.names and not is_model_word(name) and not is_loss_word(name):
                continue
        if isinstance(node, cst.Attribute) and node.attr.value == "data":
            after = parent.attr.value if isinstance(parent, cst.Attribute) else None
            if after not in _HARMLESS_AFTER and not (after is not None and after.endswith("_")):
                yield node
        for child in iter_children(node):
            stack.append((child, node))


class DataBypassesAutograd(Rule):
    code = "NG007"
    name = "data-bypasses-autograd"
    message = "`.data` cuts this tensor out of autograd"
    triggers = (r"\.data\b",)
    docs = RuleDocs(
        what=(
            "Checks for reads of `.data` whose result feeds computation that needs gradients: the value "
            "returned from a module's `forward` (directly or through the names it is computed from), or "
            "a loss computed from a model output's `.data`. Metadata reads (`x.data.shape`), conversions "
            "out of torch (`.data.cpu().numpy()`, `.data.item()`), in-place updates through `.data` and "
            "weight initialisation (`m.weight.data.normal_(0, 0.02)`) are not reported."
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
    )
    INVALID = (
        "import torch\nfrom torch import nn\nimport torch.nn.functional as F\nclass Head(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.weight = nn.Parameter(torch.randn(10, 512))\n\n"
        "    def forward(self, x):\n        return F.linear(x, self.weight.data)\n",
        "import torch\nfrom torch import nn\nclass Block(nn.Module):\n    def forward(self, x):\n"
        "        h = self.conv(x).data\n        h = self.act(h)\n        return h + x\n",
        "import torch\nfor x, y in loader:\n    output = model(x)\n    loss = criterion(output.data, y)\n    loss.backward()\n",
        "import torch\ndef train_step(net, x, y, opt):\n    pred = net(x)\n    loss = ((pred.data - y) ** 2).mean()\n"
        "    loss.backward()\n    opt.step()\n",
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._envs: list = [Env()]
        self._returns: list = [[]]  # per function: (return value, condition)
        self._class_params: list = []
        self._reported: set = set()
        self._class_frozen: list = []  # per class: sub-modules it freezes (`self.base`)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._class_params.append(set())
        self._class_frozen.append(set())

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self._class_params.pop()
        self._class_frozen.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._envs.append(Env())
        self._returns.append([])

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        env = self._envs.pop()
        returns = self._returns.pop()
        fn = self.ctx.function
        if not returns or fn is None or fn.name != "forward" or fn.klass is None:
            return
        params = {p.name.value for p in node.params.params[1:]}
        seen: set = set()
        for value, condition in returns:
            exprs = [value]
            for name in flows_into(names_in(value), env):
                exprs.extend(v for v in env.values.get(name, ()) if v is not None)
            for expr in exprs:
                for attr in _data_reads(expr, self.ctx.aliases):
                    if id(attr) in seen or not self._tensor_receiver(attr.value, params, env):
                        continue
                    seen.add(id(attr))
                    code = self.ctx.module_node.code_for_node(attr)
                    self.report(
                        attr,
                        f"`{code}` in what `forward` returns cuts it out of autograd, so nothing before it "
                        f"gets gradients; use `{self.ctx.module_node.code_for_node(attr.value)}` "
                        "(or `.detach()` where stopping gradients is intended)",
                        condition=condition or None,
                    )

    def visit_Assign(self, node: cst.Assign) -> None:
        mode = self.ctx.frames[-1].mode
        history_ok = mode is Mode.ENABLED or mode is Mode.INHERIT
        for target in node.targets:
            t = target.target
            self._envs[-1].assign(t, node.value, history_ok)
            if isinstance(t, cst.Attribute) and isinstance(t.value, cst.Name) and t.value.value == "self":
                if self._class_params and _creates_parameter(node.value, self.ctx.aliases):
                    self._class_params[-1].add(t.attr.value)
            if isinstance(t, cst.Name) and is_loss_word(t.value):
                self._check_loss(node.value)

    def visit_Return(self, node: cst.Return) -> None:
        fn = self.ctx.function
        if node.value is None or fn is None or fn.name != "forward":
            return
        condition = self.ctx.condition_for("enabled")
        if condition is not False:
            self._returns[-1].append((node.value, condition))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (isinstance(func, cst.Attribute) and func.attr.value == "requires_grad_" and node.args
                and isinstance(node.args[0].value, cst.Name) and node.args[0].value.value == "False"
                and self._class_frozen):
            name = dotted(func.value)
            if name is not None and name.startswith("self."):
                self._class_frozen[-1].add(name)  # `self.base.requires_grad_(False)` in the class
            return
        # Only arguments that are not plain names can read `.data`.
        if any(not isinstance(a.value, cst.Name) for a in node.args) and is_loss_call(node, self.ctx.aliases):
            self._check_loss(node)

    def _check_loss(self, expr: cst.BaseExpression) -> None:
        condition = self.ctx.condition_for("enabled")
        if condition is False:
            return
        env = self._envs[-1]
        for attr in _data_reads(expr, self.ctx.aliases):
            receiver = attr.value
            if id(attr) in self._reported or not has_history(receiver, env, self.ctx.aliases):
                continue
            if isinstance(receiver, cst.Name) and _packed(receiver.value, env):
                continue
            self._reported.add(id(attr))
            code = self.ctx.module_node.code_for_node(attr)
            self.report(
                attr,
                f"the loss is computed from `{code}`, which has no autograd history, so backward cannot "
                f"reach the model; use `{self.ctx.module_node.code_for_node(receiver)}`",
                condition=condition or None,
            )

    def _tensor_receiver(self, receiver: cst.BaseExpression, params: set, env: Env) -> bool:
        if isinstance(receiver, cst.Name):
            name = receiver.value
            if name in _NOT_TENSORS or _packed(name, env):
                return False
            return name in params or name in env.values
        if isinstance(receiver, cst.Attribute):
            name = dotted(receiver)
            if name is not None and self._class_frozen and any(
                    name == f or name.startswith(f + ".") for f in self._class_frozen[-1]):
                return False  # a weight of a sub-module the class froze: it needs no gradient
            attr = receiver.attr.value
            if attr in _PARAM_ATTRS:
                return True
            base = receiver.value
            if isinstance(base, cst.Name) and base.value == "self" and self._class_params:
                return attr in self._class_params[-1]
            return False
        return isinstance(receiver, cst.Call)


def _creates_parameter(value: cst.BaseExpression, aliases) -> bool:
    if not isinstance(value, cst.Call):
        return False
    func = value.func
    last = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else ""
    return last == "Parameter" and aliases.resolve(func) in ("torch.nn.Parameter", "torch.nn.parameter.Parameter")


def _packed(name: str, env: Env, depth: int = 0) -> bool:
    """Whether a name holds a PackedSequence, whose `.data` is a field with full autograd history:
    the result of `pack_padded_sequence` / `pack_sequence`, of `packed._replace(...)`, or of an RNN
    called on a packed sequence (`out, h = self.lstm(packed)`)."""
    if depth > 4:
        return False
    for value in env.values.get(name, ()):
        if not isinstance(value, cst.Call):
            continue
        func = value.func
        last = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else ""
        if last.startswith("pack_") or last in ("PackedSequence", "_replace"):
            return True
        if any(isinstance(a.value, cst.Name) and a.value.value != name and _packed(a.value.value, env, depth + 1)
               for a in value.args):
            return True
    return False
