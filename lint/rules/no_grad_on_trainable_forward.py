"""NG008 no-grad-on-trainable-forward."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

import libcst as cst

from ..analysis.gradmode import disables_grad
from .base import Rule, RuleDocs

# torch.nn classes that create trainable parameters (an allowlist: an unknown class, a buffer
# such as nn.Buffer, an activation or a container creates none by itself).
_PARAMETER_LAYER = re.compile(
    r"^(?:Lazy)?(?:Linear|Bilinear|Conv\w*|ConvTranspose\w*|BatchNorm\w*|SyncBatchNorm|LayerNorm|GroupNorm|"
    r"InstanceNorm\w*|RMSNorm|Embedding|EmbeddingBag|RNN|LSTM|GRU|RNNCell|LSTMCell|GRUCell|"
    r"MultiheadAttention|Transformer\w*|PReLU|Parameter)$"
)


_WEIGHT_UPDATES = frozenset({"copy_", "lerp_", "mul_", "add_", "load_state_dict"})


@dataclass(eq=False)
class _Class:
    node: cst.ClassDef
    name: str
    is_module: bool
    decorator: Optional[cst.Decorator] = None  # the grad-disabling decorator on forward
    spelled: str = ""
    has_parameters: bool = False
    frozen: bool = False


class NoGradOnTrainableForward(Rule):
    code = "NG008"
    name = "no-grad-on-trainable-forward"
    message = "`forward` of a trainable module is decorated with no_grad; remove the decorator"
    triggers = (r"no_grad", r"inference_mode", r"set_grad_enabled")
    docs = RuleDocs(
        what=(
            "Checks for `@torch.no_grad()` / `@torch.inference_mode()` / `@torch.set_grad_enabled(False)` "
            "on `forward` of an `nn.Module` subclass that creates trainable parameters (`nn.Linear`, "
            "`nn.Conv2d`, `nn.Parameter`, ...) and does not freeze them in the class with "
            "`requires_grad_(False)` or `requires_grad = False`."
        ),
        why=(
            "Nothing inside `forward` is recorded for autograd: the module's own parameters never get a "
            "gradient, so the optimizer never changes them, and every layer before the module stops "
            "receiving gradients too. Training runs without an error and the model silently does not learn."
        ),
        example=(
            "class Head(nn.Module):\n"
            "    def __init__(self, dim, classes):\n"
            "        super().__init__()\n"
            "        self.fc = nn.Linear(dim, classes)\n"
            "\n"
            "    @torch.no_grad()\n"
            "    def forward(self, x):\n"
            "        return self.fc(x)\n"
        ),
        use_instead=(
            "class Head(nn.Module):\n"
            "    def __init__(self, dim, classes):\n"
            "        super().__init__()\n"
            "        self.fc = nn.Linear(dim, classes)\n"
            "\n"
            "    def forward(self, x):\n"
            "        return self.fc(x)\n"
            "\n"
            "# evaluation code disables grad where it runs the model:\n"
            "with torch.no_grad():\n"
            "    logits = head(features)\n"
        ),
    )

    VALID = (
        # frozen in the class
        "import torch\nfrom torch import nn\nclass Teacher(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.net = nn.Linear(4, 4)\n        self.requires_grad_(False)\n\n    @torch.no_grad()\n"
        "    def forward(self, x):\n        return self.net(x)\n",
        "import torch\nimport torch.nn as nn\nclass Encoder(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.conv = nn.Conv2d(3, 8, 3)\n        for p in self.parameters():\n            p.requires_grad = False\n\n"
        "    @torch.no_grad()\n    def forward(self, x):\n        return self.conv(x)\n",
        # no parameters of its own: preprocessing, EMA copy, normalisation with buffers
        "import torch\nfrom torch import nn\nclass Normalize(nn.Module):\n    def __init__(self, mean, std):\n"
        "        super().__init__()\n        self.register_buffer('mean', mean)\n        self.register_buffer('std', std)\n\n"
        "    @torch.no_grad()\n    def forward(self, x):\n        return (x - self.mean) / self.std\n",
        "import copy\nimport torch\nfrom torch import nn\nclass EMA(nn.Module):\n    def __init__(self, model):\n"
        "        super().__init__()\n        self.module = copy.deepcopy(model)\n\n    @torch.no_grad()\n"
        "    def forward(self, x):\n        return self.module(x)\n",
        # fixed weights: a Gaussian blur as a convolution
        "import torch\nfrom torch import nn\nclass Blur(nn.Module):\n    def __init__(self, kernel):\n"
        "        super().__init__()\n        self.conv = nn.Conv2d(3, 3, kernel.shape[-1], groups=3, bias=False)\n"
        "        self.conv.weight.data = kernel.expand(3, 1, -1, -1).clone()\n\n    @torch.no_grad()\n"
        "    def forward(self, x):\n        return self.conv(x)\n",
        # a momentum encoder: its weights follow the online network, updated under no_grad
        "import torch\nfrom torch import nn\nclass MomentumEncoder(nn.Module):\n    def __init__(self, dim):\n"
        "        super().__init__()\n        self.proj = nn.Linear(dim, dim)\n\n    @torch.no_grad()\n"
        "    def update(self, online, m=0.99):\n        for pk, pq in zip(self.parameters(), online.parameters()):\n"
        "            pk.mul_(m).add_(pq.detach(), alpha=1 - m)\n\n    @torch.no_grad()\n"
        "    def forward(self, x):\n        return self.proj(x)\n",
        # buffers only (nn.Buffer)
        "import torch\nfrom torch import nn\nclass Rotary(nn.Module):\n    def __init__(self, dim):\n        super().__init__()\n"
        "        self.inv_freq = nn.Buffer(1.0 / 10000 ** (torch.arange(0, dim, 2) / dim))\n\n    @torch.no_grad()\n"
        "    def forward(self, n):\n        return torch.outer(torch.arange(n), self.inv_freq)\n",
        # not forward
        "import torch\nfrom torch import nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n\n"
        "    @torch.no_grad()\n    def predict(self, x):\n        return self.forward(x).argmax(-1)\n",
    )
    INVALID = (
        "import torch\nfrom torch import nn\nclass Head(nn.Module):\n    def __init__(self, dim, classes):\n"
        "        super().__init__()\n        self.fc = nn.Linear(dim, classes)\n\n    @torch.no_grad()\n"
        "    def forward(self, x):\n        return self.fc(x)\n",
        "import torch\nclass Scale(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.gain = torch.nn.Parameter(torch.ones(1))\n\n    @torch.inference_mode()\n"
        "    def forward(self, x):\n        return x * self.gain\n",
        "from torch import nn, no_grad\nclass Block(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.body = nn.Sequential(nn.Conv2d(3, 3, 3), nn.BatchNorm2d(3), nn.ReLU())\n\n    @no_grad\n"
        "    def forward(self, x):\n        return self.body(x)\n",
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._classes: list[_Class] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        klass = self.ctx.klass
        is_module = klass is not None and klass.derives_from("Module", "LightningModule")
        self._classes.append(_Class(node, node.name.value, is_module))

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        info = self._classes.pop()
        if info.decorator is not None and info.has_parameters and not info.frozen:
            self.report(
                info.decorator,
                f"`forward` of `{info.name}` is decorated with `@{info.spelled}`, so its trainable parameters "
                "never get gradients; remove the decorator (or freeze them with `requires_grad_(False)`)",
            )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if not self._classes or node.name.value != "forward":
            return
        info = self._classes[-1]
        fn = self.ctx.function
        if not info.is_module or fn is None or fn.klass is None or fn.klass.node is not info.node:
            return
        for decorator in node.decorators:
            if disables_grad(decorator.decorator, self.ctx.aliases):
                info.decorator = decorator
                module = self.ctx.module_node
                info.spelled = module.code_for_node(decorator.decorator) if module is not None else "torch.no_grad()"

    def visit_Call(self, node: cst.Call) -> None:
        if not self._classes:
            return
        info = self._classes[-1]
        if not info.is_module:
            return
        func = node.func
        if type(func) is cst.Attribute and func.attr.value == "requires_grad_":
            if node.args and _is_false(node.args[0].value):
                info.frozen = True
            return
        if type(func) is cst.Attribute and func.attr.value == "copy_" and _sets_weights(func.value):
            info.frozen = True  # fixed weights (a blur kernel, a random projection)
            return
        if type(func) is cst.Attribute and func.attr.value in _WEIGHT_UPDATES and self.ctx.grad_mode.disabled:
            fn = self.ctx.function
            if fn is not None and fn.name != "forward":
                # A momentum / EMA copy updated in place under no_grad (BYOL, MoCo, target networks):
                # its weights are set, not learned.
                info.frozen = True
                return
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "requires_grad" and _is_false(arg.value):
                info.frozen = True  # nn.Parameter(w, requires_grad=False)
        if info.has_parameters:
            return
        qualified = self.ctx.aliases.resolve(func)
        if qualified is None or not qualified.startswith("torch.nn."):
            return
        rest = qualified[len("torch.nn."):]
        last = rest.rpartition(".")[2]
        if rest.partition(".")[0] in ("init", "functional", "utils"):
            return
        if _PARAMETER_LAYER.match(last):
            info.has_parameters = True

    def visit_Assign(self, node: cst.Assign) -> None:
        if not self._classes or not self._classes[-1].is_module:
            return
        for target in node.targets:
            t = target.target
            if type(t) is cst.Attribute and t.attr.value == "requires_grad" and _is_false(node.value):
                self._classes[-1].frozen = True
            elif _sets_weights(t):
                self._classes[-1].frozen = True  # `self.conv.weight.data = kernel`: fixed weights


def _sets_weights(target: cst.BaseExpression) -> bool:
    """``self.conv.weight.data`` / ``self.proj.weight``: the weights are set, not learned."""
    return type(target) is cst.Attribute and target.attr.value in ("data", "weight") and isinstance(
        target.value, cst.Attribute
    )


def _is_false(expr: cst.BaseExpression) -> bool:
    return type(expr) is cst.Name and expr.value == "False" or (
        type(expr) is cst.Integer and expr.value == "0"
    )

