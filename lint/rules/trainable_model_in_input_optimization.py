"""NG015 trainable-model-in-input-optimization."""

from __future__ import annotations

import builtins
from typing import Iterable, Optional

import libcst as cst

from ..analysis.conditions import Condition
from ..analysis.freezes import freeze_of_call, handed_models
from ..analysis.names import dotted, parameter_names
from ..analysis.network_names import names_network
from ..analysis.networks import Networks
from ..analysis.tensors import freezing_loop, requires_grad_flag
from ..analysis.walker import iter_children, walk_nodes
from .base import Rule, RuleDocs

_PARAMETER_CLASSES = ("torch.nn.Parameter", "torch.nn.parameter.Parameter")
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_LOOPS = (cst.For, cst.While)


def _body_nodes(root: cst.CSTNode) -> Iterable[cst.CSTNode]:
    """The nodes of a function's (or module's) own code: not those of the functions, classes and
    lambdas it defines, in source order."""
    stack = list(iter_children(root))[::-1]
    while stack:
        node = stack.pop()
        yield node
        if type(node) not in _SCOPES:
            stack.extend(list(iter_children(node))[::-1])


class TrainableModelInInputOptimization(Rule):
    code = "NG015"
    name = "trainable-model-in-input-optimization"
    message = "the optimizer updates only input tensors, but the model's parameters still require grad"
    triggers = (r"requires_grad", r"Parameter\(")
    docs = RuleDocs(
        what=(
            "Checks for loops that optimize input tensors through a model: an optimizer built over a list "
            "of tensors the function made trainable itself (`latent.requires_grad = True`, "
            "`torch.zeros(..., requires_grad=True)`, `nn.Parameter(...)`), stepped in a loop that calls "
            "`.backward()` and runs a network (a parameter, local or attribute named like one: `decoder`, "
            "`model`, `self.net`) whose parameters nothing freezes: no `requires_grad_(False)` on it and "
            "no `for p in model.parameters(): p.requires_grad = False` in the function, nor, for a model "
            "handed in as an argument, anywhere in the file; nor is it reported when, before the loop, the "
            "function hands the model to a project function that freezes it (`freeze_network(net)` of "
            "another file, or `set_requires_grad(net, False)` by the flag it passes: the function summaries "
            "decide). Latent-code reconstruction (DeepSDF), GAN "
            "inversion, style transfer, feature visualisation and optimizer-based adversarial examples "
            "have this shape. A function that steps another optimizer too (it may be training the model) "
            "is not reported."
        ),
        why=(
            "`loss.backward()` computes a gradient for every tensor that requires grad in the graph: the "
            "network's parameters as well as the input being optimized. Nobody updates those gradients, "
            "so each step pays for the weight gradients of the whole network (often as much work as the "
            "gradient of the input) and keeps one `.grad` buffer per parameter alive, accumulating across "
            "iterations because only the input's optimizer zeroes its gradients. A later training run "
            "on the same model starts from those stale sums unless it zeroes them first."
        ),
        example=(
            "latent = torch.zeros(1, 256, device=device)\n"
            "latent.requires_grad = True\n"
            "optimizer = torch.optim.Adam([latent], lr=5e-4)\n"
            "for step in range(800):\n"
            "    optimizer.zero_grad()\n"
            "    loss = F.l1_loss(decoder(torch.cat([latent.expand(n, -1), xyz], 1)), sdf)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
        ),
        use_instead=(
            "decoder.requires_grad_(False)  # only the latent code is learned\n"
            "latent = torch.zeros(1, 256, device=device)\n"
            "latent.requires_grad = True\n"
            "optimizer = torch.optim.Adam([latent], lr=5e-4)\n"
            "for step in range(800):\n"
            "    optimizer.zero_grad()\n"
            "    loss = F.l1_loss(decoder(torch.cat([latent.expand(n, -1), xyz], 1)), sdf)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
            "\n"
            "# or, leaving the model's flags alone: (grad,) = torch.autograd.grad(loss, [latent])\n"
        ),
        fix_safety=(
            "This rule has no automatic fix: freezing the network changes it for the caller too (a "
            "model trained after the reconstruction must be made trainable again), which only the "
            "author can decide."
        ),
    )

    VALID = (
        # the decoder is frozen first
        "import torch\ndef reconstruct(decoder, xyz, sdf, steps):\n    decoder.requires_grad_(False)\n"
        "    latent = torch.zeros(1, 8, requires_grad=True)\n    opt = torch.optim.Adam([latent])\n"
        "    for _ in range(steps):\n        opt.zero_grad()\n        loss = (decoder(torch.cat([latent, xyz], 1)) - sdf).abs().mean()\n"
        "        loss.backward()\n        opt.step()\n    return latent\n",
        # the parameters are frozen by a loop
        "import torch\ndef invert(generator, target, steps):\n    for p in generator.parameters():\n"
        "        p.requires_grad = False\n    z = torch.randn(1, 128).requires_grad_()\n    opt = torch.optim.SGD([z], lr=0.1)\n"
        "    for _ in range(steps):\n        opt.zero_grad()\n        ((generator(z) - target) ** 2).mean().backward()\n"
        "        opt.step()\n    return z\n",
        # the model is trained too: its optimizer is stepped in the same function
        "import torch\ndef meta_step(model, x, steps):\n    delta = torch.zeros_like(x, requires_grad=True)\n"
        "    opt_delta = torch.optim.SGD([delta], lr=0.01)\n    opt_model = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "    for _ in range(steps):\n        loss = model(x + delta).mean()\n        loss.backward()\n"
        "        opt_delta.step()\n        opt_model.step()\n",
        # only the input's gradient is computed
        "import torch\ndef invert(generator, target, steps):\n    z = torch.randn(1, 128, requires_grad=True)\n"
        "    opt = torch.optim.SGD([z], lr=0.1)\n    for _ in range(steps):\n        opt.zero_grad()\n"
        "        loss = ((generator(z) - target) ** 2).mean()\n        (z.grad,) = torch.autograd.grad(loss, [z])\n"
        "        opt.step()\n    return z\n",
        # the optimized tensors are the model's own parameters
        "import torch\ndef fit(model, loader):\n    opt = torch.optim.Adam(model.parameters())\n    for x, y in loader:\n"
        "        opt.zero_grad()\n        model(x).sub(y).pow(2).mean().backward()\n        opt.step()\n",
    )
    INVALID = (
        "import torch\nimport torch.nn.functional as F\ndef reconstruct(decoder, xyz, sdf, steps):\n"
        "    latent = torch.ones(1, 8).normal_(0, 0.01)\n    latent.requires_grad = True\n"
        "    optimizer = torch.optim.Adam([latent], lr=5e-4)\n    for e in range(steps):\n        optimizer.zero_grad()\n"
        "        loss = F.l1_loss(decoder(torch.cat([latent.expand(len(xyz), -1), xyz], 1)), sdf)\n"
        "        loss.backward()\n        optimizer.step()\n    return latent\n",
        "import torch\nimport torchvision\ndef dream(image, steps):\n    model = torchvision.models.vgg16(weights='DEFAULT').eval()\n"
        "    image = image.clone().requires_grad_(True)\n    opt = torch.optim.Adam([image], lr=0.05)\n"
        "    for _ in range(steps):\n        opt.zero_grad()\n        (-model.features(image).norm()).backward()\n        opt.step()\n"
        "    return image.detach()\n",
        "import torch\nfrom torch import nn\nclass Inverter:\n    def invert(self, target, steps=100):\n"
        "        z = nn.Parameter(torch.randn(1, 64))\n        opt = torch.optim.Adam([{'params': [z], 'lr': 0.01}])\n"
        "        for _ in range(steps):\n            opt.zero_grad()\n            loss = (self.generator(z) - target).pow(2).mean()\n"
        "            loss.backward()\n            opt.step()\n        return z\n",
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._networks = Networks(ctx)
        self._frozen_in_file: Optional[bool] = None
        self._reported: set = set()  # id() of backward calls reported (a loop and the loop around it)
        # Per open function (the module first): whether it builds a torch optimizer. Only those
        # are walked again (most functions of a file that mentions `requires_grad` build none).
        self._optimizing: list = [False]
        self._refs: dict = {}  # id() of a call of a name handed arguments -> its call reference

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._optimizing.append(False)

    def visit_Call(self, node: cst.Call) -> None:
        if node.args and type(node.func) is cst.Name and node.func.value not in _BUILTIN_NAMES:
            # `freeze_network(network)`: what it does, another file's summary says (Condition.freezes).
            ref = self.ctx.values.ref_of(node.func) if self.ctx.values is not None else None
            if ref is not None:
                self._refs[id(node)] = ref
        if self._optimizing[-1]:
            return
        func = node.func
        last = func.attr.value if type(func) is cst.Attribute else func.value if type(func) is cst.Name else ""
        # (optimizers are classes: a capitalised name is resolved, nothing else)
        if last[:1].isupper() and (self.ctx.aliases.resolve(func) or "").startswith("torch.optim."):
            self._optimizing[-1] = True

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self._optimizing.pop():
            params = set(parameter_names(node))
            self._check(node.body, params)

    def leave_Module(self, node: cst.Module) -> None:
        if self._optimizing[0]:
            self._check(node, set())

    # -- the check ---------------------------------------------------------------------------
    def _check(self, body: cst.CSTNode, params: set) -> None:
        nodes = list(_body_nodes(body))
        leaves = self._trainable_leaves(nodes)
        if not leaves:
            return
        inputs, others = self._optimizers(nodes, leaves)
        if not inputs or others:
            return  # no optimizer over inputs alone, or one that may train the model too
        frozen = self._frozen(nodes)
        for index, loop in enumerate(nodes):
            if type(loop) in _LOOPS:
                before = [n for n in nodes[:index] if type(n) is cst.Call and id(n) in self._refs]
                self._check_loop(loop, inputs, leaves, frozen, params, before)

    def _check_loop(self, loop: cst.CSTNode, inputs: dict, leaves: set, frozen: set, params: set,
                    before: list) -> None:
        inner = list(_body_nodes(loop))
        calls = [n for n in inner if type(n) is cst.Call]
        stepped = [dotted(c.func.value) for c in calls if type(c.func) is cst.Attribute and c.func.attr.value == "step"]
        optimizer = next((o for o in stepped if o in inputs), None)
        backward = next((c for c in calls if type(c.func) is cst.Attribute and c.func.attr.value == "backward"), None)
        if optimizer is None or backward is None:
            return
        for call in calls:
            model = self._network(call, leaves)
            if model is None:
                continue
            root = model.partition(".")[0]
            if any(model == f or model.startswith(f + ".") or f.startswith(model + ".") for f in frozen):
                return
            if root in params and self._file_freezes():
                return  # the caller may have frozen it: this file freezes something somewhere
            if id(backward) in self._reported:
                return
            self._reported.add(id(backward))
            tensors = ", ".join(f"`{t}`" for t in inputs[optimizer])
            # Calls handed the model before the loop, none of which may freeze it (`freeze_network(net)`
            # of another file, `set_requires_grad(net, False)` by its flag).
            freezes = tuple(dict.fromkeys(
                pair for c in before for name, pair in handed_models(c, self._refs[id(c)])
                if model == name or model.startswith(name + ".")))
            self.report(
                backward,
                f"`{optimizer}` updates only {tensors}, but this backward pass also computes and accumulates a "
                f"gradient for every parameter of `{model}`, which nothing updates; freeze it "
                f"(`{model}.requires_grad_(False)`) or take `torch.autograd.grad(loss, [...])` of the inputs",
                condition=Condition("", "", freezes=freezes) if freezes else None,
            )
            return

    def _trainable_leaves(self, nodes: list) -> set:
        """Names the code makes trainable tensors itself: `x = torch.zeros(..., requires_grad=True)`,
        `x = y.clone().requires_grad_()`, `x = nn.Parameter(...)`, `x.requires_grad = True`."""
        leaves: set = set()
        for node in nodes:
            if type(node) is cst.Assign and len(node.targets) == 1 and type(node.targets[0].target) is cst.Name:
                if self._makes_trainable(node.value):
                    leaves.add(node.targets[0].target.value)
            elif type(node) is cst.Assign and len(node.targets) == 1:
                target = node.targets[0].target
                if type(target) is cst.Attribute and target.attr.value == "requires_grad" \
                        and type(target.value) is cst.Name and requires_grad_flag(node.value):
                    leaves.add(target.value.value)
            elif type(node) is cst.Expr and type(node.value) is cst.Call:
                found = freeze_of_call(node.value)
                if found is not None and not found[1] and "." not in found[0]:
                    leaves.add(found[0])  # `x.requires_grad_()` as a statement
        return leaves

    def _makes_trainable(self, value: cst.BaseExpression) -> bool:
        if type(value) is not cst.Call:
            return False
        if self.ctx.aliases.resolve(value.func) in _PARAMETER_CLASSES:
            return True
        func = value.func
        if type(func) is cst.Attribute and func.attr.value == "requires_grad_":
            return not value.args or bool(requires_grad_flag(value.args[0].value))
        qualified = self.ctx.aliases.resolve(func) or ""
        if type(func) is cst.Attribute and not qualified.startswith("torch."):
            return False
        return any(a.keyword is not None and a.keyword.value == "requires_grad" and requires_grad_flag(a.value)
                   for a in value.args)

    def _optimizers(self, nodes: list, leaves: set) -> tuple:
        """(optimizer name -> the input tensors it holds, whether another optimizer is built)."""
        inputs: dict = {}
        others = False
        for node in nodes:
            if type(node) is not cst.Assign or type(node.value) is not cst.Call:
                continue
            call = node.value
            if not (self.ctx.aliases.resolve(call.func) or "").startswith("torch.optim."):
                continue
            held = _listed_tensors(call)
            target = node.targets[0].target if len(node.targets) == 1 else None
            if held is not None and held and held <= leaves and type(target) is cst.Name:
                inputs[target.value] = sorted(held)
            elif not (self.ctx.aliases.resolve(call.func) or "").startswith("torch.optim.lr_scheduler."):
                others = True
        return inputs, others

    def _network(self, call: cst.Call, leaves: set) -> Optional[str]:
        """The network a call runs: `decoder(x)`, `self.generator(z)`, `model.features(x)`."""
        func = call.func
        name = dotted(func)
        if name is None or name.partition(".")[0] in leaves:
            return None
        if self.ctx.aliases.resolve(func) is not None:
            return None  # a library's function (`F.l1_loss`, `plt.clf`), not a network the code holds
        if names_network(name) or "." not in name and self._networks.built_network(name):
            return name
        if type(func) is cst.Attribute:
            owner = dotted(func.value)
            if owner is not None and names_network(owner) and func.attr.value not in _NOT_FORWARDS:
                return owner  # `model.features(x)`: a part of the network
        return None

    def _frozen(self, nodes: list) -> set:
        frozen: set = set()
        for node in nodes:
            if type(node) is cst.Call:
                found = freeze_of_call(node)
                if found is not None and found[1]:
                    frozen.add(found[0])
            elif type(node) is cst.For:
                found = freezing_loop(node)
                if found is not None and found[1]:
                    frozen.add(found[0])
        return frozen

    def _file_freezes(self) -> bool:
        if self._frozen_in_file is None:
            module = self.ctx.module_node
            self._frozen_in_file = module is not None and bool(self._frozen(list(walk_nodes(module))))
        return self._frozen_in_file


_BUILTIN_NAMES = frozenset(dir(builtins))
# Methods of a network that run no forward: what a call of them computes keeps no parameter.
_NOT_FORWARDS = frozenset({"parameters", "named_parameters", "state_dict", "to", "cuda", "cpu", "eval", "train",
                           "zero_grad", "requires_grad_", "modules", "children", "apply", "register_forward_hook"})


def _listed_tensors(call: cst.Call) -> Optional[set]:
    """The names an optimizer's parameter list spells out: `[latent]`, `(z, w)`,
    `[{"params": [z], "lr": 0.1}]`; None when it is anything else (`model.parameters()`)."""
    arg = next((a for a in call.args if a.keyword is None or a.keyword.value == "params"), None)
    if arg is None or type(arg.value) not in (cst.List, cst.Tuple):
        return None
    names: set = set()
    for element in arg.value.elements:
        value = element.value
        if type(value) is cst.Name:
            names.add(value.value)
        elif type(value) is cst.Dict:
            group = next((e.value for e in value.elements if type(e) is cst.DictElement
                          and type(e.key) is cst.SimpleString and e.key.evaluated_value == "params"), None)
            if group is None or type(group) not in (cst.List, cst.Tuple):
                return None
            for item in group.elements:
                if type(item.value) is not cst.Name:
                    return None
                names.add(item.value.value)
        else:
            return None
    return names
