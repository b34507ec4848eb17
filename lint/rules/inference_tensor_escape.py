"""NG009 inference-tensor-escape."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from ..analysis.gradmode import Mode, mode_of_context
from ..analysis.names import dotted, self_attribute
from ..analysis.tensors import is_model_call, tensor_valued
from ..analysis.torch_api import TENSOR_INPLACE_METHODS
from ..analysis.walker import iter_children
from .base import Rule, RuleDocs

_HOOK_REGISTRATIONS = frozenset(
    {"register_forward_hook", "register_forward_pre_hook", "register_full_backward_hook",
     "register_full_backward_pre_hook", "register_backward_hook"}
)


class InferenceTensorEscape(Rule):
    code = "NG009"
    name = "inference-tensor-escape"
    message = "a tensor created under inference_mode escapes it"
    triggers = (r"inference_mode",)
    docs = RuleDocs(
        what=(
            "Checks for tensors created inside `torch.inference_mode()` (a `with` block or a decorated "
            "function) that are stored where code outside it will meet them: an attribute "
            "(`self.cache = ...`), a registered buffer, a module-level cache (`CACHE[key] = ...`, a "
            "`global`), for a local computed in a `with torch.inference_mode():` block and then passed "
            "to a model's forward pass in a function that backpropagates, and for functions decorated "
            "with `inference_mode` registered as module hooks. A script's (or a notebook cell's) own "
            "module-level cache filled from its top-level code is reported only when the same file "
            "backpropagates: otherwise every use of it is a read in that file. An attribute "
            "that its class keeps as inference-mode state on purpose (a metric's counters or store: methods running "
            "under `inference_mode` update or use it, and no code of the class outside inference mode updates it in "
            "place or computes with it, only rebinds it or reads it through `.cpu()`, `.tolist()` or `torch.save`) is "
            "not reported either; what code outside the class does with it is not seen."
        ),
        why=(
            "Tensors created under `inference_mode` are *inference tensors*: they never record autograd "
            "information and cannot take part in it later. Using one in a computation that needs "
            "gradients raises `RuntimeError: Inference tensors cannot be saved for backward`, and updating "
            "it in place outside inference mode raises `Inplace update to inference tensor outside "
            "InferenceMode is not allowed`. A cached positional table, a precomputed buffer or a hook's "
            "output that escapes the block turns a fast evaluation path into a crash in training (often "
            "much later, far from the cause). `torch.no_grad()` gives the same savings for caching without "
            "creating inference tensors."
        ),
        example=(
            "class Rotary(nn.Module):\n"
            "    @torch.inference_mode()\n"
            "    def build_cache(self, n):\n"
            "        t = torch.arange(n, device=self.inv_freq.device)\n"
            "        self.cos_cached = torch.outer(t, self.inv_freq).cos()\n"
        ),
        use_instead=(
            "class Rotary(nn.Module):\n"
            "    @torch.no_grad()\n"
            "    def build_cache(self, n):\n"
            "        t = torch.arange(n, device=self.inv_freq.device)\n"
            "        self.cos_cached = torch.outer(t, self.inv_freq).cos()\n"
        ),
    )

    VALID = (
        # Results returned (or converted to Python values) are the caller's business.
        "import torch\n@torch.inference_mode()\ndef predict(model, x):\n    return model(x).argmax(-1)\n",
        "import torch\nclass Server:\n    def handle(self, x):\n        with torch.inference_mode():\n"
        "            probs = self.model(x).softmax(-1)\n            self.requests += 1\n"
        "            self.last_label = int(probs.argmax())\n        return probs.tolist()\n",
        # Caching under no_grad is fine.
        "import torch\nclass Rotary(torch.nn.Module):\n    @torch.no_grad()\n    def build(self, n):\n"
        "        self.cos_cached = torch.outer(torch.arange(n), self.inv_freq).cos()\n",
        # Appending eval predictions to a list for metrics.
        "import torch\ndef evaluate(model, loader):\n    preds = []\n    with torch.inference_mode():\n"
        "        for x, _ in loader:\n            preds.append(model(x))\n    return torch.cat(preds)\n",
        # inference_mode(False) re-enables normal tensors.
        # computed under inference_mode, but rebound (cloned) before the training forward
        "import torch\ndef train(model, x, opt):\n    with torch.inference_mode():\n        x = x * 2\n"
        "    x = x.clone()\n    model(x).sum().backward()\n    opt.step()\n",
        # fed to a forward, but nothing backpropagates (evaluation)
        "import torch\ndef score(model, x):\n    with torch.inference_mode():\n        x = x * 2\n"
        "    return model(x).argmax(-1)\n",
        "import torch\nclass M:\n    def f(self, x):\n        with torch.inference_mode(False):\n"
        "            self.cache = self.model(x)\n",
        # A hook that is not decorated with inference_mode.
        "import torch\ndef hook(module, inputs, output):\n    print(output.shape)\nmodel.register_forward_hook(hook)\n",
        # Loop variables over plain Python values are not tensors.
        "import torch\n_NAMES: dict = {}\n@torch.inference_mode()\ndef index(keys, texts):\n"
        "    for key, text in zip(keys, texts):\n        _NAMES[key] = text\n",
    )
    INVALID = (
        # a teacher's inputs prepared under inference_mode, then fed to the student that trains
        "import torch\ndef distill(student, teacher, loader, opt):\n    for x, y in loader:\n"
        "        with torch.inference_mode():\n            x = x.float() / 255\n            soft = teacher(x)\n"
        "        out = student(x)\n        loss = (out - soft).pow(2).mean()\n        loss.backward()\n"
        "        opt.step()\n",
        "import torch\nclass Rotary(torch.nn.Module):\n    @torch.inference_mode()\n    def build(self, n):\n"
        "        self.cos_cached = torch.outer(torch.arange(n), self.inv_freq).cos()\n",
        "import torch\nclass Embedder:\n    def warm_up(self, texts):\n        with torch.inference_mode():\n"
        "            self.table = self.encoder(texts)\n",
        "import torch\n_CACHE = {}\ndef embed(model, key, x):\n    with torch.inference_mode():\n"
        "        if key not in _CACHE:\n            _CACHE[key] = model(x)\n    return _CACHE[key]\n",
        "import torch\nclass M(torch.nn.Module):\n    @torch.inference_mode()\n    def calibrate(self, x):\n"
        "        self.register_buffer('scale', x.abs().amax())\n",
        "import torch\n@torch.inference_mode()\ndef record(module, inputs, output):\n    stats.append(output)\n\n"
        "model.layer4.register_forward_hook(record)\n",
        "import torch\nmean = None\ndef fit_stats(model, loader):\n    global mean\n    with torch.inference_mode():\n"
        "        mean = torch.stack([model(x) for x in loader]).mean(0)\n",
        # An annotated module-level cache filled from a loop over a model's output.
        "import torch\n_CACHE: dict[str, torch.Tensor] = {}\n@torch.inference_mode()\ndef encode(model, keys, x):\n"
        "    out = model(x)\n    for key, emb in zip(keys, out):\n        _CACHE[key] = emb\n",
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._module_names: set = set()  # names bound at module level (caches)
        self._script_stores: list = []  # module-level stores into them, from module-level code
        self._file_trains = False  # a `.backward()` anywhere in the file
        self._globals: list = [set()]  # per function: names declared `global`
        self._locals: list = [{}]  # per function: name -> value (to see that a name holds a tensor)
        self._inference_functions: set = set()  # names / method names decorated with inference_mode
        self._hooks: list = []  # (call, function reference name, condition)
        # Per function: locals bound to a tensor inside an inference_mode block (name -> node),
        # forward calls that take one of them outside it (call, name), and whether it backpropagates.
        self._inference_locals: list = [{}]
        self._fed: list = [[]]
        self._trains: list = [False]
        # Per open class: (store, attribute) of its `self.<attr> = ...` stores made under
        # inference_mode, decided when the class ends (_state_kept_in_inference_mode).
        self._stores: list = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._globals.append(set())
        self._locals.append({})
        self._inference_locals.append({})
        self._fed.append([])
        self._trains.append(False)
        for decorator in node.decorators:
            if mode_of_context(decorator.decorator, self.ctx.aliases) is Mode.INFERENCE:
                self._inference_functions.add(node.name.value)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._finish_function()
        self._globals.pop()
        self._locals.pop()
        self._inference_locals.pop()
        self._fed.pop()
        self._trains.pop()

    def _finish_function(self) -> None:
        """A function that backpropagates and feeds a forward pass with an inference tensor made
        in an earlier `with torch.inference_mode():` block: the forward saves it for backward, and
        `backward()` raises."""
        if not self._trains[-1]:
            return
        for call, name in self._fed[-1]:
            self.report(
                call,
                f"`{name}` was computed under `inference_mode`, so it is an inference tensor; this forward "
                "pass saves it for backward and `backward()` raises; compute it under `torch.no_grad()` or "
                f"pass `{name}.clone()`",
            )

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        # `CACHE: dict[str, torch.Tensor] = {}` binds a module-level cache like a plain assignment.
        if type(node.target) is cst.Name:
            if self.ctx.function is None:
                self._module_names.add(node.target.value)
            elif node.value is not None:
                self._locals[-1][node.target.value] = node.value

    def visit_For(self, node: cst.For) -> None:
        # Iterating a tensor yields tensors: `for emb in out:`, `for text, emb in zip(texts, out):`,
        # `for i, emb in enumerate(out):` bind `emb` to (an element of) `out`.
        self._bind_loop_target(node.target, node.iter)

    def _bind_loop_target(self, target: cst.BaseExpression, iterable: cst.BaseExpression) -> None:
        if type(target) is cst.Name:
            self._locals[-1][target.value] = iterable
            return
        if not type(target) in (cst.Tuple, cst.List) or not type(iterable) is cst.Call:
            return
        func = iterable.func
        name = func.value if type(func) is cst.Name else None
        parts = [e.value for e in target.elements]
        args = [a.value for a in iterable.args if not a.star and a.keyword is None]
        if name == "zip" and len(args) == len(parts):
            for part, arg in zip(parts, args):
                self._bind_loop_target(part, arg)
        elif name == "enumerate" and len(parts) == 2 and args:
            self._bind_loop_target(parts[1], args[0])

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._stores.append([])

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        stores = self._stores.pop()
        for store, attr, method in stores:
            if not _state_kept_in_inference_mode(node, attr, method, self.ctx.aliases):
                self._report(store, "an attribute")

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self._globals[-1].add(item.name.value)

    def leave_Module(self, node: cst.Module) -> None:
        if self._file_trains:
            for store in self._script_stores:
                self._report(store, "a module-level cache")
        for call, name in self._hooks:
            if name in self._inference_functions:
                self.report(
                    call,
                    f"`{name}` is decorated with `inference_mode` and registered as a module hook: what it "
                    "stores or returns are inference tensors that break autograd in training; use "
                    "`torch.no_grad()` in the hook",
                )

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if self.ctx.function is not None:
            inference = self._inference_locals[-1]
            made_here = self.ctx.grad_mode is Mode.INFERENCE and self.ctx.frames[-1].origin == "with"
            for target in node.targets:
                if type(target.target) is cst.Name:
                    if made_here and tensor_valued(value, self.ctx.aliases, self._locals[-1]):
                        inference[target.target.value] = node
                    else:
                        inference.pop(target.target.value, None)  # rebound outside: a new tensor
        if self.ctx.frames[-1].mode is not Mode.INFERENCE:
            if self.ctx.function is None:
                for target in node.targets:
                    if type(target.target) is cst.Name:
                        self._module_names.add(target.target.value)
            elif len(node.targets) == 1 and type(node.targets[0].target) is cst.Name:
                self._locals[-1][node.targets[0].target.value] = value
            return
        in_function = self.ctx.function is not None
        for target in node.targets:
            t = target.target
            if type(t) is cst.Name:
                if not in_function:
                    self._module_names.add(t.value)
                self._locals[-1][t.value] = value
        if self.ctx.grad_mode is not Mode.INFERENCE or not tensor_valued(value, self.ctx.aliases, self._locals[-1]):
            return
        for target in node.targets:
            where = self._escape(target.target)
            if where is not None:
                stored = target.target
                # `self.cache = ...` or `self.cache[k] = ...`
                attr = self_attribute(stored.value if type(stored) is cst.Subscript else stored)
                if attr is not None and self._stores and self.ctx.klass is not None:
                    fn = self.ctx.function
                    # (the class's own code decides: leave_ClassDef)
                    self._stores[-1].append((node, attr, fn.node.name.value if fn is not None else None))
                    return
                if not in_function and where == "a module-level cache":
                    # A script's or notebook's own cache: every use is in this file, which meets
                    # autograd only if it backpropagates somewhere (decided at its end).
                    self._script_stores.append(node)
                else:
                    self._report(node, where)
                return

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if type(func) is cst.Attribute and func.attr.value == "backward":
            self._file_trains = True
        if self.ctx.function is not None:
            if type(func) is cst.Attribute and func.attr.value == "backward":
                self._trains[-1] = True
            inference = self._inference_locals[-1]
            if inference and not self.ctx.grad_mode.disabled and is_model_call(node):
                for arg in node.args:
                    if type(arg.value) is cst.Name and arg.value.value in inference:
                        self._fed[-1].append((node, arg.value.value))
                        break
        if not type(func) is cst.Attribute:
            return
        attr = func.attr.value
        if attr == "register_buffer" and self.ctx.grad_mode is Mode.INFERENCE and len(node.args) >= 2:
            if tensor_valued(node.args[1].value, self.ctx.aliases, self._locals[-1]):
                self._report(node, "a registered buffer")
        elif attr in _HOOK_REGISTRATIONS and node.args:
            ref = node.args[0].value
            name = ref.value if type(ref) is cst.Name else ref.attr.value if type(ref) is cst.Attribute else None
            if name is not None:
                self._hooks.append((node, name))

    def _escape(self, target: cst.BaseExpression) -> Optional[str]:
        if type(target) is cst.Attribute:
            return "an attribute"
        if type(target) is cst.Subscript:
            base = target.value
            if type(base) is cst.Name and (base.value in self._globals[-1] or (
                    base.value in self._module_names and base.value not in self._locals[-1])):
                return "a module-level cache"
            if type(base) is cst.Attribute:
                return "an attribute"
            return None
        if type(target) is cst.Name and target.value in self._globals[-1]:
            return "a global"
        return None

    def _report(self, node: cst.CSTNode, where: str) -> None:
        self.report(
            node,
            f"tensor created under `inference_mode` is stored in {where}; autograd or in-place use outside "
            "inference mode will raise; create it under `torch.no_grad()` instead",
        )


# What reads an inference tensor without saving it for backward or writing into it.
_SAFE_METHODS = frozenset({"cpu", "to", "clone", "detach", "item", "tolist", "numpy", "size", "dim", "numel",
                           "cuda", "float", "double", "half", "type", "copy", "keys", "values", "items", "get"})
_SAFE_CALLS = frozenset({"torch.save", "print", "len", "isinstance", "repr", "str", "id", "type"})


def _state_kept_in_inference_mode(klass: cst.ClassDef, attr: str, stored_in: Optional[str], aliases) -> bool:
    """Whether the class keeps ``self.<attr>`` as inference-mode state on purpose (a metric's
    running counters, torcheval's idiom): a method running under `inference_mode` updates it in
    place (`self.total.add_(v)`, `self.store[0] = torch.cat(...)`) or uses it, other than the one
    that stores it (``stored_in``: a result kept for the callers is theirs to use), and no code of
    the class outside inference mode updates it in place or computes with it (only rebinds it or
    reads it through `.cpu()`, `.tolist()`, `torch.save`): nothing in the class can raise. What code
    outside the class does with it is not seen."""
    body = klass.body.body if type(klass.body) is cst.IndentedBlock else ()
    target = "self." + attr
    updated = False
    for method in body:
        if type(method) is not cst.FunctionDef:
            continue
        inference = any(mode_of_context(d.decorator, aliases) is Mode.INFERENCE for d in method.decorators)
        for kind, in_inference in _uses(method.body, target, inference, aliases, None, None):
            if in_inference and (kind == "update" or kind != "rebind" and method.name.value != stored_in):
                updated = True
            elif kind in ("update", "compute") and not in_inference:
                return False
    return updated


def _uses(node, target: str, inference: bool, aliases, parent, grand):
    """(kind, under inference_mode) of each use of ``target`` (`self.<attr>`) in ``node``: "update"
    (in place), "rebind", "read" (without saving it for backward) or "compute"."""
    t = type(node)
    if t is cst.With and not inference and any(
            mode_of_context(item.item, aliases) is Mode.INFERENCE for item in node.items):
        inference = True
    if t is cst.Attribute and dotted(node) == target:
        yield _use_kind(node, parent, grand, aliases), inference
        return
    if t in (cst.FunctionDef, cst.ClassDef, cst.Lambda):
        return  # (a nested function runs when called: not followed)
    for child in iter_children(node):
        yield from _uses(child, target, inference, aliases, node, parent)


def _use_kind(node, parent, grand, aliases) -> str:
    p, g = type(parent), type(grand)
    if p is cst.AugAssign and parent.target is node:
        return "update"
    if p is cst.AssignTarget:
        return "rebind"
    if p is cst.Subscript and parent.value is node:
        return "update" if g in (cst.AssignTarget, cst.AugAssign) else "compute"
    if p is cst.Attribute and parent.value is node:
        if g is cst.Call and grand.func is parent:
            name = parent.attr.value
            if name.endswith("_") and name in TENSOR_INPLACE_METHODS:
                return "update"
            return "read" if name in _SAFE_METHODS else "compute"
        return "read"  # `.shape`, `.device`
    if p is cst.Arg and g is cst.Call:
        callee = aliases.resolve(grand.func) or dotted(grand.func)
        return "read" if callee in _SAFE_CALLS else "compute"
    if p in (cst.For, cst.CompFor):
        return "read"  # iterated: its elements are not followed
    return "compute"

