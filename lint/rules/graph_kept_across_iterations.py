"""NG003 graph-kept-across-iterations."""

from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from ..analysis.gradmode import Mode
from ..analysis.names import dotted
from ..analysis.tensors import Env, flows_into, has_history, names_in
from .base import UNSAFE, Invalid, Rule, RuleDocs

# `optimizer`, `opt_g`, `optD`, `optimizerG`, `g_optimizer`, `scaler`
_OPTIMIZER = re.compile(r"(?:^|_)(?:[Oo]pt|[Oo]ptim|[Oo]ptimi[sz]ers?|[Ss]caler)(?:\d+|[A-Z]\w*)?(?:_|$)")
_GRAD_FUNCTIONS = frozenset({"torch.autograd.grad", "torch.autograd.backward"})
_ACCUMULATING_OPS = (cst.AddAssign, cst.SubtractAssign)


class _Loop:
    __slots__ = ("assigned", "attrs", "training", "stepped", "events")

    def __init__(self) -> None:
        self.assigned: set = set()  # names (re)bound in the loop body: they do not outlive it
        self.attrs: set = set()  # dotted attributes (re)bound in the loop body
        self.training = False  # the body runs backward / autograd.grad / an optimizer step
        self.stepped = False  # the body runs an optimizer step (a training loop, not a loss builder)
        self.events: list = []


class _Event:
    __slots__ = ("node", "kind", "root", "value", "condition", "target", "stepped")

    def __init__(self, node, kind, root, value, condition, target) -> None:
        self.node = node
        self.kind = kind  # "aug" | "append" | "self"
        self.root = root  # the accumulator: a name or a dotted attribute
        self.value = value  # the accumulated expression
        self.condition = condition
        self.target = target  # the accumulator expression (for the message)
        self.stepped = False


class _Function:
    __slots__ = ("env", "backward", "candidates", "returns")

    def __init__(self) -> None:
        self.env = Env()
        self.returns: list = []  # returned expressions
        self.backward: list = []  # expressions handed to backward / autograd.grad
        self.candidates: list = []  # events of training loops whose accumulator outlives the iteration


class GraphKeptAcrossIterations(Rule):
    code = "NG003"
    name = "graph-kept-across-iterations"
    message = "a tensor with autograd history is accumulated across iterations"
    fix_applicability = UNSAFE
    triggers = (r"\.backward\(", r"autograd\.grad", r"manual_backward\(")
    docs = RuleDocs(
        what=(
            "Checks training loops (loops that call `.backward()`, `torch.autograd.grad` or an optimizer "
            "`step`) for a tensor that carries autograd history (a loss, a model output, arithmetic on "
            "them) accumulated into something that outlives the iteration: `total += loss`, "
            "`d[k] += loss_k`, `outputs.append(logits)`, `self.history.append(loss)`, "
            "`avg = 0.9 * avg + 0.1 * loss`. Values taken through `.item()`, `.detach()`, `float()`, "
            "`.tolist()` or `.cpu().numpy()`, tensors without history (comparisons, `argmax`, counts), "
            "loss terms summed within one step before `backward`, and accumulators that are "
            "backpropagated later are not reported."
        ),
        why=(
            "Each accumulated tensor keeps a reference to its `grad_fn`, and through it the graph of the "
            "iteration that produced it. `total_loss += loss` therefore chains every iteration's graph "
            "to the next: memory grows with every batch until the epoch ends (or the process runs out of "
            "memory), and each step gets slower. This is the first item of PyTorch's memory FAQ."
        ),
        example=(
            "for x, y in loader:\n"
            "    loss = criterion(model(x), y)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
            "    total_loss += loss\n"
            "    all_logits.append(model_out)\n"
        ),
        use_instead=(
            "for x, y in loader:\n"
            "    loss = criterion(model(x), y)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
            "    total_loss += loss.item()\n"
            "    all_logits.append(model_out.detach())\n"
        ),
        fix_safety=(
            "The fix is unsafe: it turns `total += loss` into `total += loss.item()` (a Python float, for "
            "values that look like a scalar loss, else `.detach()`) and `xs.append(t)` into "
            "`xs.append(t.detach())`. That ends the memory growth, but the accumulator changes type or "
            "no longer carries gradients: code that later calls `.backward()` on it, or expects a tensor, "
            "must be checked by hand."
        ),
    )

    VALID = (
        "import torch\nfor x, y in loader:\n    loss = criterion(model(x), y)\n    loss.backward()\n"
        "    optimizer.step()\n    running_loss += loss.item()\n",
        # A metric object accumulating a comparison (no history).
        "import torch\nfor x, y in loader:\n    out = model(x)\n    loss = criterion(out, y)\n    loss.backward()\n"
        "    pred = out.argmax(dim=1)\n    correct += (pred == y).sum()\n    metric.update((pred == y).sum())\n",
        # Loss terms summed within one step before backward.
        "import torch\nfor x, y in loader:\n    loss = 0\n    for head in heads:\n        loss += criterion(head(x), y)\n"
        "    loss.backward()\n    optimizer.step()\n",
        # Micro-batches accumulated on purpose, backpropagated after the loop.
        "import torch\ndef step(model, chunks):\n    total = 0\n    for x, y in chunks:\n"
        "        total += criterion(model(x), y)\n    total.backward()\n",
        # Meta-learning: the meta-loss is backpropagated after the task loop.
        "import torch\ndef meta_step(model, tasks):\n    meta_loss = 0\n    for support, query in tasks:\n"
        "        grads = torch.autograd.grad(loss_fn(model(support)), model.parameters(), create_graph=True)\n"
        "        meta_loss += loss_fn(model(query))\n    meta_loss.backward()\n",
        "import torch\nfor x, y in loader:\n    out = model(x)\n    loss = criterion(out, y)\n    loss.backward()\n"
        "    history.append(loss.detach().cpu())\n    preds.append(out.detach())\n    avg = 0.9 * avg + 0.1 * float(loss)\n",
        # Computed under no_grad: no history.
        "import torch\nfor x, y in loader:\n    loss = criterion(model(x), y)\n    loss.backward()\n"
        "    with torch.no_grad():\n        val = criterion(model(xv), yv)\n    val_total += val\n",
        # Not a training loop.
        "import torch\nwith torch.no_grad():\n    for x, y in loader:\n        total += criterion(model(x), y)\n",
    )
    INVALID = (
        Invalid(
            "import torch\n\nfor x, y in loader:\n    optimizer.zero_grad()\n    loss = criterion(model(x), y)\n"
            "    loss.backward()\n    optimizer.step()\n    total_loss += loss\n",
            expected_fix=(
                "import torch\n\nfor x, y in loader:\n    optimizer.zero_grad()\n    loss = criterion(model(x), y)\n"
                "    loss.backward()\n    optimizer.step()\n    total_loss += loss.item()\n"
            ),
        ),
        Invalid(
            "import torch\ndef train(model, loader, opt):\n    all_logits = []\n    for x, y in loader:\n"
            "        logits = model(x)\n        loss = F.cross_entropy(logits, y)\n        opt.zero_grad()\n"
            "        loss.backward()\n        opt.step()\n        all_logits.append(logits)\n    return all_logits\n",
            expected_fix=(
                "import torch\ndef train(model, loader, opt):\n    all_logits = []\n    for x, y in loader:\n"
                "        logits = model(x)\n        loss = F.cross_entropy(logits, y)\n        opt.zero_grad()\n"
                "        loss.backward()\n        opt.step()\n        all_logits.append(logits.detach())\n"
                "    return all_logits\n"
            ),
        ),
        Invalid(
            "import torch\nclass Trainer:\n    def fit(self, loader):\n        for batch in loader:\n"
            "            out = self.model(**batch)\n            out.loss.backward()\n            self.opt.step()\n"
            "            self.history.append(out.loss)\n",
            expected_fix=(
                "import torch\nclass Trainer:\n    def fit(self, loader):\n        for batch in loader:\n"
                "            out = self.model(**batch)\n            out.loss.backward()\n            self.opt.step()\n"
                "            self.history.append(out.loss.detach())\n"
            ),
        ),
        Invalid(
            "import torch\ndef train(model, loader, opt):\n    losses = {'ce': 0.0, 'reg': 0.0}\n    for x, y in loader:\n"
            "        ce = criterion(model(x), y)\n        reg = model.l2()\n        loss = ce + reg\n        loss.backward()\n"
            "        opt.step()\n        losses['ce'] += ce\n",
            expected_fix=(
                "import torch\ndef train(model, loader, opt):\n    losses = {'ce': 0.0, 'reg': 0.0}\n    for x, y in loader:\n"
                "        ce = criterion(model(x), y)\n        reg = model.l2()\n        loss = ce + reg\n        loss.backward()\n"
                "        opt.step()\n        losses['ce'] += ce.detach()\n"
            ),
        ),
        "import torch\ndef train(model, loader, opt):\n    avg = 0.0\n    for x, y in loader:\n"
        "        loss = criterion(model(x), y)\n        loss.backward()\n        opt.step()\n"
        "        avg = 0.9 * avg + 0.1 * loss\n    return avg\n",
        "import torch\nfor epoch in range(10):\n    epoch_loss = 0\n    for x, y in loader:\n"
        "        loss = loss_fn(net(x), y)\n        loss.backward()\n        optimizer.step()\n        epoch_loss += loss\n",
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._functions: list = [_Function()]
        self._loops: list = []  # loops of the innermost function
        self._outer_loops: list = []  # saved loop stacks of enclosing functions

    # -- scopes ----------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append(_Function())
        self._outer_loops.append(self._loops)
        self._loops = []

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._finish(self._functions.pop())
        self._loops = self._outer_loops.pop()

    def leave_Module(self, node: cst.Module) -> None:
        self._finish(self._functions[-1])

    def visit_For(self, node: cst.For) -> None:
        loop = _Loop()
        for name in _bound(node.target):
            loop.assigned.add(name)
        self._loops.append(loop)

    def leave_For(self, node: cst.For) -> None:
        self._leave_loop()

    def visit_While(self, node: cst.While) -> None:
        self._loops.append(_Loop())

    def leave_While(self, node: cst.While) -> None:
        self._leave_loop()

    def _leave_loop(self) -> None:
        loop = self._loops.pop()
        outer = self._loops[-1] if self._loops else None
        if loop.training:
            for event in loop.events:
                if event.root in loop.assigned or event.root in loop.attrs:
                    continue  # reset every iteration: summed within one step
                event.stepped = loop.stepped
                self._functions[-1].candidates.append(event)
        elif outer is not None:
            outer.events.extend(loop.events)
        if outer is not None:
            outer.assigned |= loop.assigned
            outer.attrs |= loop.attrs
            outer.training = outer.training or loop.training
            outer.stepped = outer.stepped or loop.stepped

    # -- facts -----------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        fn = self._functions[-1]
        history_ok = _may_record(self.ctx)
        for target in node.targets:
            t = target.target
            fn.env.assign(t, node.value, history_ok)
            if not self._loops:
                continue
            loop = self._loops[-1]
            if isinstance(t, cst.Name) and len(node.targets) == 1 and _refers_to(node.value, t.value):
                self._event(node, "self", t.value, node.value, t)
                continue
            for name in _bound(t):
                loop.assigned.add(name)
            if isinstance(t, cst.Attribute):
                name = dotted(t)
                if name is not None:
                    loop.attrs.add(name)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._functions[-1].env.assign(node.target, node.value, _may_record(self.ctx))
        if self._loops:
            self._loops[-1].assigned.update(_bound(node.target))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self._functions[-1].returns.append(node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if not self._loops or not isinstance(node.operator, _ACCUMULATING_OPS):
            return
        root = _root(node.target)
        if root is not None:
            self._event(node, "aug", root, node.value, node.target)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute):
            attr = func.attr.value
            if attr == "backward":
                if node.args:  # accelerator.backward(loss), fabric.backward(loss)
                    self._backward(node.args[0].value)
                else:
                    self._backward(func.value)
                return
            if attr == "manual_backward" and node.args:
                self._backward(node.args[0].value)
                return
            if attr == "step" and self._loops:
                base = func.value
                name = base.value if isinstance(base, cst.Name) else base.attr.value if isinstance(base, cst.Attribute) else ""
                if _OPTIMIZER.search(name):
                    self._loops[-1].training = True
                    self._loops[-1].stepped = True
                return
            if attr == "append" and self._loops and len(node.args) == 1 and not node.args[0].keyword:
                root = _root(func.value)
                if root is not None:
                    self._event(node, "append", root, node.args[0].value, func.value)
                return
        if node.args and (
            (isinstance(func, cst.Attribute) and func.attr.value in ("grad", "backward"))
            or (isinstance(func, cst.Name) and func.value in self.ctx.aliases.names)
        ) and self.ctx.aliases.resolve(func) in _GRAD_FUNCTIONS:
            self._backward(node.args[0].value)

    def _backward(self, expr: cst.BaseExpression) -> None:
        fn = self._functions[-1]
        fn.backward.append(expr)
        if isinstance(expr, cst.Name):
            fn.env.backward_names.add(expr.value)
        if self._loops:
            self._loops[-1].training = True

    def _event(self, node, kind, root, value, target) -> None:
        condition = self.ctx.condition_for("enabled")
        if condition is False:
            return
        self._loops[-1].events.append(_Event(node, kind, root, value, condition, target))

    # -- reporting -------------------------------------------------------------------------
    def _finish(self, fn: _Function) -> None:
        if not fn.candidates:
            return
        feeding = flows_into((n for e in fn.backward for n in names_in(e)), fn.env)
        # A loop that builds a loss without stepping an optimizer (GradCache-style chunks, micro-
        # batches) and returns what it accumulated: the caller backpropagates it.
        returned = flows_into((n for e in fn.returns for n in names_in(e)), fn.env) if fn.returns else set()
        aliases = self.ctx.aliases
        module = self.ctx.module_node
        for event in fn.candidates:
            if event.root in feeding:
                continue  # accumulated on purpose, backpropagated later
            if not event.stepped and (event.root in returned or event.root.partition(".")[0] in returned):
                continue
            value = event.value
            if isinstance(value, cst.Name) and _detached_somewhere(value.value, fn.env):
                continue  # `x = x.detach()` on some path: the author handles the graph
            if event.kind == "self":
                parts = [p for p in _operands(value) if not (isinstance(p, cst.Name) and p.value == event.root)]
                if not any(has_history(p, fn.env, aliases) for p in parts):
                    continue
                self.report(
                    event.node,
                    f"`{event.root}` is updated with a tensor that keeps its autograd graph, so every "
                    f"iteration's graph stays in memory; use `.item()` or `.detach()` on the new term",
                    condition=event.condition or None,
                )
                continue
            if not _holds_history(value, fn.env, aliases):
                continue
            target = module.code_for_node(event.target)
            shown = module.code_for_node(value)
            scalar = event.kind == "aug" and _looks_scalar(value, fn.env)
            suffix = ".item()" if scalar else ".detach()"
            new = (shown if _atomic(value) else f"({shown})") + suffix
            fix = self.fix(UNSAFE, f"Accumulate `{new}`").replace(value, new)
            what = f"`{target} += {shown}`" if event.kind == "aug" else f"`{target}.append({shown})`"
            self.report(
                event.node,
                f"{what} keeps the autograd graph of every iteration alive; accumulate `{new}` instead",
                fix=fix,
                condition=event.condition or None,
            )


def _may_record(ctx) -> bool:
    """Whether autograd may record here (grad not certainly disabled)."""
    mode = ctx.frames[-1].mode
    return mode is Mode.ENABLED or mode is Mode.INHERIT


def _holds_history(value: cst.BaseExpression, env: Env, aliases) -> bool:
    if isinstance(value, (cst.Tuple, cst.List)):
        return any(_holds_history(e.value, env, aliases) for e in value.elements)
    if isinstance(value, cst.Dict):
        return any(isinstance(e, cst.DictElement) and _holds_history(e.value, env, aliases) for e in value.elements)
    return has_history(value, env, aliases)


def _bound(target: cst.BaseExpression):
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _bound(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _bound(target.value)


def _root(expr: cst.BaseExpression) -> Optional[str]:
    """The accumulator a target names: `total` for `total`, `d` for `d[k]`, `self.history`."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Subscript):
        return _root(expr.value)
    if isinstance(expr, cst.Attribute):
        return dotted(expr)
    return None


def _operands(expr: cst.BaseExpression) -> list:
    """The leaves of a chain of binary operations (`0.9 * avg + 0.1 * loss` -> 0.9, avg, 0.1, loss)."""
    if isinstance(expr, cst.BinaryOperation):
        return _operands(expr.left) + _operands(expr.right)
    return [expr]


def _refers_to(value: cst.BaseExpression, name: str) -> bool:
    """`avg = 0.9 * avg + ...`: the name is an operand of the binary-operation chain."""
    if not isinstance(value, cst.BinaryOperation):
        return False
    return any(isinstance(p, cst.Name) and p.value == name for p in _operands(value))


def _atomic(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)) and not expr.lpar


def _looks_scalar(value: cst.BaseExpression, env: Env) -> bool:
    """A loss (a scalar): `.item()` works on it."""
    for node_name in _leading_names(value):
        if "loss" in node_name.lower() or node_name in env.backward_names:
            return True
    return False


def _leading_names(expr: cst.BaseExpression):
    if isinstance(expr, cst.Name):
        yield expr.value
    elif isinstance(expr, cst.Attribute):
        yield expr.attr.value
        yield from _leading_names(expr.value)
    elif isinstance(expr, cst.BinaryOperation):
        yield from _leading_names(expr.left)
        yield from _leading_names(expr.right)


def _detached_somewhere(name: str, env: Env) -> bool:
    """`loss_mb = loss_mb.detach()` (or `.item()`) somewhere in the function."""
    for value in env.values.get(name, ()):
        if (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
                and value.func.attr.value in ("detach", "item", "tolist")
                and isinstance(value.func.value, cst.Name) and value.func.value.value == name):
            return True
    return False
