"""NG006 no-op-grad-call."""

from __future__ import annotations

import sys
from typing import Optional

import libcst as cst

from ..analysis.gradmode import grad_api, mode_of_context
from ..analysis.atoms import GRAPH, MODULE, NUMBER, OBJECT, TENSOR
from ..analysis.names import dotted
from ..analysis.patterns import grad_use
from ..analysis.walker import walk_nodes
from ..fixes.wrap import locate, statement_of
from .base import SAFE, UNSAFE, Invalid, Rule, RuleDocs

_CONTEXT_APIS = ("no_grad", "enable_grad", "inference_mode")

# Standard-library modules: their objects with a `detach()` (io streams, sockets,
# `weakref.finalize`) are never tensors.
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | frozenset({
    "sys", "io", "os", "socket", "ssl", "weakref", "threading", "multiprocessing", "subprocess", "asyncio",
    "tempfile", "logging", "codecs", "contextlib", "atexit", "signal", "selectors", "mmap", "builtins",
})
# Values that are certainly no tensor: their `detach()` is their own method (or raises).
_NOT_TENSORS = frozenset({NUMBER, OBJECT, MODULE})
# The last word of a name that holds an object with its own `detach()` (hooks and handles that
# unregister themselves, I/O streams, weakref finalizers, engines that unhook from an optimizer).
_NON_TENSOR_WORDS = frozenset({
    "engine", "hook", "handle", "handler", "stream", "socket", "sock", "finalizer", "finaliser", "file",
    "writer", "reader", "listener", "callback", "thread", "process", "connection", "conn", "session", "logger",
})


class NoOpGradCall(Rule):
    code = "NG006"
    name = "no-op-grad-call"
    message = "grad-mode call has no effect"
    fix_applicability = SAFE
    triggers = (r"no_grad", r"enable_grad", r"inference_mode", r"set_grad_enabled",
                # A `.detach()` ending a statement that assigns nothing (a discarded result).
                (r"\.detach\(\)", r"(?m)^[^=\n#]*\.detach\(\)[ \t]*(?:[;#][^\n]*)?\r?$"))
    docs = RuleDocs(
        what=(
            "Checks for grad-mode calls that do nothing: `torch.no_grad()`, `torch.enable_grad()` or "
            "`torch.inference_mode()` called as a statement, `torch.inference_mode().__enter__()` as a "
            "statement (its guard object is garbage-collected at once, which ends the mode), a `with` block that names the context "
            "manager without calling it (`with torch.no_grad:`), a grad-mode context manager that a `with` "
            "item's `and` / `or` throws away (`with torch.no_grad() and autocast():` enters only the "
            "autocast: `and` evaluates to its last operand, `or` to its first; not reported when the operand "
            "entered disables gradients too, `with torch.no_grad() and torch.inference_mode():`), and "
            "`x.detach()` whose result "
            "is discarded, and a grad-mode decorator on a function that only defines a nested function and "
            "returns it (a decorator factory: the mode holds while the wrapper is made, not when it runs). "
            "A `.detach()` whose receiver is certainly not a tensor is not reported: many objects have a "
            "`detach()` of their own that does its work in place (`sys.stdout.detach()`, "
            "`weakref.finalize(...).detach()`, a privacy engine or hook manager unhooking itself), so "
            "receivers built by a non-torch constructor or `open(...)`, annotated with a non-tensor type, "
            "rooted at a standard-library module, or named for such an object (`engine`, `handle`, `hook`, "
            "`stream`, `finalizer`...) are skipped, and so are a loop target over `.modules()` / "
            "`.children()` (a module with its own in-place `detach()`) and `super().detach()` in an "
            "override. A receiver with no such evidence (a function argument, a loop variable) is taken "
            "to be a tensor."
        ),
        why=(
            "`torch.no_grad()` on its own line creates a context manager and throws it away: the code "
            "after it still records the autograd graph, so evaluation holds every activation in memory. "
            "`with torch.no_grad:` raises `TypeError` (or `AttributeError: __enter__`) when it runs. "
            "`with torch.no_grad() and autocast():` runs the block with gradients on (the `no_grad()` object "
            "is built and dropped), a frequent spelling of `with torch.no_grad(), autocast():`. "
            "`x.detach()` returns a new tensor; discarding it leaves `x` attached to the graph. "
            "`@torch.no_grad()` on `def validate(step): ... return _validate_batch` turns gradients off only "
            "while `validate` builds the wrapper: every validation batch the wrapper runs still records a graph."
        ),
        example=(
            "model.eval()\n"
            "torch.no_grad()\n"
            "for x, y in loader:\n"
            "    loss = criterion(model(x), y)\n"
            "\n"
            "with torch.no_grad:\n"
            "    preds = model(x)\n"
            "\n"
            "hidden.detach()\n"
        ),
        use_instead=(
            "model.eval()\n"
            "with torch.no_grad():\n"
            "    for x, y in loader:\n"
            "        loss = criterion(model(x), y)\n"
            "\n"
            "with torch.no_grad():\n"
            "    preds = model(x)\n"
            "\n"
            "hidden = hidden.detach()\n"
        ),
        fix_safety=(
            "The fix for `with torch.no_grad:` (adding the missing call) is safe: the code raised before "
            "and now does what it says. It is not offered when the block returns a value a module's `forward` "
            "computes (a loss written `with torch.no_grad: return ...`): with the call, every training step "
            "that backpropagates through the result would raise, and whether the author wanted the block at "
            "all cannot be known. The fix for a discarded `x.detach()` assigns the result back "
            "(`x = x.detach()`, for a name, an attribute or an item); it is unsafe because it assumes the "
            "code after it should use the detached tensor, so gradients no longer flow through `x` there "
            "(which is what the discarded call asked for). It is not offered when a later line of the block "
            "changes the object in place or sets an attribute on it (`p.requires_grad = False`, "
            "`p.data.copy_(...)`): after the rebinding those lines would act on the detached copy, not on "
            "the parameter they meant. The fix for a context manager dropped by `and` / `or` enters each "
            "operand (`with torch.no_grad(), autocast():`); it is unsafe, since the block then runs in the "
            "grad mode the author wrote, and it is not offered where the block backpropagates (under "
            "`no_grad` that would raise), for `or` with `as` (the name would change object) or inside "
            "parentheses. A bare `torch.no_grad()` statement has no "
            "automatic fix: the call itself can be deleted, but the code it was meant to protect cannot be "
            "known (the rest of the function? the next loop?), and wrapping the wrong statements would "
            "change which tensors carry a graph; wrap that code in `with torch.no_grad():` by hand. Nor has a "
            "grad-mode decorator on a decorator factory: moving it onto the returned wrapper runs whatever the "
            "wrapper calls under that mode, and a wrapped step that calls `backward()` would then raise."
        ),
    )

    VALID = (
        # Both operands disable gradients: whichever is entered, the block runs without them.
        "import torch\ndef predict(model, x):\n    with torch.no_grad() and torch.inference_mode():\n"
        "        return model(x)\n",
        # `and` keeps its last operand: the no_grad is entered (the autocast is the one dropped).
        "import torch\ndef predict(model, x):\n    with torch.autocast('cuda') and torch.no_grad():\n"
        "        return model(x)\n",
        "import torch\nwith torch.no_grad():\n    y = model(x)\n",
        "import torch\n@torch.no_grad()\ndef evaluate(model, x):\n    return model(x)\n",
        "import torch\n@torch.no_grad\ndef evaluate(model, x):\n    return model(x)\n",
        "import torch\nh = h.detach()\nys.append(y.detach())\n",
        "import torch\nh.detach_()\n",
        "import torch\nctx = torch.no_grad() if frozen else contextlib.nullcontext()\nwith ctx:\n    y = model(x)\n",
        # not torch's no_grad
        "from mylib import no_grad\nno_grad()\n",
        "import torch\ntorch.set_grad_enabled(False)\n",
        # no_grad's __enter__ switches the global mode itself; a kept guard keeps inference mode
        "import torch\ntorch.no_grad().__enter__()\n",
        "import torch\nguard = torch.inference_mode()\nguard.__enter__()\n",
        # `detach()` of objects that are not tensors does its work in place.
        "import sys\nimport torch\nsys.stdout.detach()\n",
        "import weakref\nimport torch\ndef track(obj, cb):\n    fin = weakref.finalize(obj, cb)\n"
        "    if obj.closed:\n        fin.detach()\n",
        "import torch\nfrom opacus import PrivacyEngine\ndef run(model, opt):\n"
        "    engine = PrivacyEngine(model, batch_size=8, sample_size=64)\n    engine.attach(opt)\n"
        "    engine.detach()\n",
        "import torch\nclass Tracker:\n    def __init__(self, engine):\n        self.engine = engine\n\n"
        "    def close(self):\n        self.engine.detach()\n",
        # The decorator factory decorates the wrapper it returns; the decorated function does work of its own.
        "import torch\ndef validate(step):\n    @torch.no_grad()\n    def run(*args):\n        return step(*args)\n"
        "    return run\n",
        "import torch\n@torch.no_grad()\ndef warm(model, x):\n    model(x)\n    def run(b):\n        return model(b)\n"
        "    return run\n",
    )
    INVALID = (
        Invalid(
            "import torch\ndef predict(model, x):\n    with torch.no_grad() and torch.autocast('cuda'):\n"
            "        return model(x)\n",
            expected_fix="import torch\ndef predict(model, x):\n    with torch.no_grad(), torch.autocast('cuda'):\n"
            "        return model(x)\n",
        ),
        "import torch\ntorch.no_grad()\nfor x in loader:\n    model(x)\n",
        # The mode holds while the wrapper is defined, not when it runs.
        Invalid("import torch\nfrom functools import wraps\n@torch.no_grad()\ndef validate(step):\n"
                "    @wraps(step)\n    def run(*args):\n        return step(*args)\n    return run\n", no_fix=True),
        # the guard object is dropped at once: inference mode never holds for the next line
        "import torch\ntorch.inference_mode().__enter__()\npreds = [model(x) for x in batches]\n",
        "import torch as T\nT.inference_mode()\n",
        "from torch import enable_grad\nenable_grad()\n",
        "import torch\ntorch.autograd.no_grad()\n",
        # a loss written with the bare name: the call would hand callers a loss without a graph
        Invalid("import torch\nfrom torch import nn\n\n\nclass PoissonLoss(nn.Module):\n"
                "    def forward(self, output, target):\n        with torch.no_grad:\n"
                "            return (output - target * torch.log(output + 1e-12)).mean()\n", no_fix=True),
        Invalid(
            "import torch\nwith torch.no_grad:\n    y = model(x)\n",
            expected_fix="import torch\nwith torch.no_grad():\n    y = model(x)\n",
        ),
        Invalid(
            "from torch import inference_mode as im\nwith im, open(p) as f:\n    y = model(x)\n",
            expected_fix="from torch import inference_mode as im\nwith im(), open(p) as f:\n    y = model(x)\n",
        ),
        Invalid(
            "import torch\nwith torch.autograd.enable_grad:\n    loss.backward()\n",
            expected_fix="import torch\nwith torch.autograd.enable_grad():\n    loss.backward()\n",
        ),
        Invalid(
            "import torch\ndef step(h):\n    h.detach()\n    return h\n",
            expected_fix="import torch\ndef step(h):\n    h = h.detach()\n    return h\n",
        ),
        # A tensor whatever it is called: the binding says so.
        "import torch\ndef step(model, x):\n    stream = model(x)\n    stream.detach()\n    return stream\n",
        Invalid(
            "import torch\nclass Cache:\n    def __init__(self):\n        self.state = torch.zeros(4)\n\n"
            "    def reset(self):\n        self.state.detach()\n",
            expected_fix="import torch\nclass Cache:\n    def __init__(self):\n        self.state = torch.zeros(4)\n\n"
            "    def reset(self):\n        self.state = self.state.detach()\n",
        ),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # Discarded `.detach()` calls per open function (the module's first), decided at its end.
        self._candidates: list = [[]]

    def visit_Expr(self, node: cst.Expr) -> None:
        value = node.value
        if not type(value) is cst.Call:
            return
        func = value.func
        if (type(func) is cst.Attribute and func.attr.value == "__enter__" and type(func.value) is cst.Call
                and grad_api(func.value.func, self.ctx.aliases) == "inference_mode"):
            # Unlike no_grad's, inference_mode's __enter__ sets a guard object that the mode lives
            # in: discarded, it is garbage-collected at once and the mode ends on the same line.
            spelled = self.ctx.module_node.code_for_node(func.value) if self.ctx.module_node else "inference_mode()"
            self.report(
                node,
                f"`{spelled}.__enter__()` as a statement does nothing: the guard is garbage-collected at once "
                f"and inference mode ends on this line; keep it in a variable (`guard = {spelled}; "
                "guard.__enter__()`) or use a `with` block",
            )
            return
        api = grad_api(func, self.ctx.aliases)
        if api in _CONTEXT_APIS:
            spelled = self.ctx.module_node.code_for_node(func) if self.ctx.module_node else api
            self.report(
                node,
                f"`{spelled}()` as a statement does nothing; use `with {spelled}():` "
                "around the code or decorate the function",
            )
        elif (
            type(func) is cst.Attribute
            and func.attr.value == "detach"
            and not value.args
            and self.ctx.aliases.imports_torch()
        ):
            # Decided when the function ends: a name's value then includes what the rest of the
            # body binds to it (`for h in hidden: h.detach()` before `out, hidden = model(x, hidden)`
            # in the same loop).
            self._candidates[-1].append((node, value))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._candidates.append([])
        returned = _only_returns_nested_function(node)
        if returned is None:
            return
        for decorator in node.decorators:
            if mode_of_context(decorator.decorator, self.ctx.aliases) is None:
                continue
            spelled = self.ctx.module_node.code_for_node(decorator.decorator) if self.ctx.module_node else "no_grad"
            self.report(
                decorator,
                f"`@{spelled}` on `{node.name.value}`, which only defines and returns `{returned}`: the grad mode "
                f"holds while `{node.name.value}` runs, not when the function it returns does; decorate "
                f"`{returned}` instead",
            )

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._decide(self._candidates.pop())

    def leave_Module(self, node: cst.Module) -> None:
        self._decide(self._candidates.pop())

    def _decide(self, candidates: list) -> None:
        for node, value in candidates:
            func = value.func
            if self._not_a_tensor(func.value):
                continue
            receiver = func.value
            fix = None
            if (type(receiver) in (cst.Name, cst.Attribute, cst.Subscript) and self.ctx.module_node is not None
                    and not self._changed_in_place_later(value, receiver)):
                # `h.detach()` -> `h = h.detach()`: what the line meant. Unsafe: from here on `h`
                # no longer carries its graph (which is the point), and so neither does what reads it.
                text = self.ctx.module_node.code_for_node(receiver)
                fix = self.fix(UNSAFE, f"Assign the result: `{text} = {text}.detach()` (assumes later code "
                                       f"should use the detached `{text}`)").insert_before(value, f"{text} = ")
            self.report(
                node,
                "the result of `.detach()` is discarded, so nothing is detached; "
                "assign it (`x = x.detach()`) or use `.detach_()`",
                fix=fix,
            )

    def _changed_in_place_later(self, call: cst.Call, receiver: cst.BaseExpression) -> bool:
        """Whether a later statement of the block changes the receiver's object in place
        (`p.requires_grad = False`, `p.data.copy_(...)`, `p[0] = 1`): after `p = p.detach()` those
        lines would act on the detached copy, not on the object they meant (a parameter)."""
        module = self.ctx.module_node
        line = statement_of(module, call)
        found = locate(module, line) if line is not None else None
        if found is None:
            return True  # cannot tell: no fix
        body, index, _ = found
        name = dotted(receiver)
        for statement in body[index + 1:]:
            for node in walk_nodes(statement):
                t = type(node)
                if t in (cst.AssignTarget, cst.AugAssign):
                    target = node.target
                    if type(target) in (cst.Attribute, cst.Subscript) and _rooted_at(target.value, receiver, name):
                        return True
                elif t is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value.endswith("_") \
                        and _rooted_at(node.func.value, receiver, name):
                    return True
        return False

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            expr = item.item
            if type(expr) is cst.BooleanOperation:
                self._dropped_by_operator(node, item, expr)
                continue
            if type(expr) is cst.Call:
                continue
            api = grad_api(expr, self.ctx.aliases)
            if api in _CONTEXT_APIS:
                code = self.ctx.module_node.code_for_node(expr) if self.ctx.module_node else api
                # `with torch.no_grad: return (output - labels * log(output)).mean()` in a module's
                # `forward` (a loss): called, the block would hand training a result without a graph,
                # and its `backward()` would raise. What the author meant cannot be known: no fix.
                fn = self.ctx.function
                returns = api != "enable_grad" and fn is not None and fn.klass is not None \
                    and fn.name == "forward" and any(
                        type(n) is cst.Return and n.value is not None for n in walk_nodes(node.body))
                self.report(
                    expr,
                    f"`with {code}:` lacks the call and raises TypeError at run time; write `with {code}():`"
                    + (" (or drop the block: `forward` returns what it computes, and training "
                       "backpropagates through it)" if returns else ""),
                    fix=None if returns else self.fix(SAFE, f"Call `{code}()`").replace(expr, cst.Call(func=expr)),
                )

    def _dropped_by_operator(self, node: cst.With, item: cst.WithItem, expr: cst.BooleanOperation) -> None:
        """`with torch.no_grad() and autocast():` enters only what `and` evaluates to, the last
        operand (`or`: the first): a grad-mode context manager among the others is built and thrown
        away, so the block runs in its caller's grad mode."""
        operator = type(expr.operator)
        operands = []
        stack = [expr]
        while stack:  # `a and b and c`, left to right (one operator only: a mix is left alone)
            part = stack.pop()
            if type(part) is cst.BooleanOperation and not part.lpar:
                if type(part.operator) is not operator:
                    return
                stack.extend((part.right, part.left))
            else:
                operands.append(part)
        kept = operands[-1] if operator is cst.And else operands[0]
        kept_mode = mode_of_context(kept, self.ctx.aliases)
        module = self.ctx.module_node
        for part in operands:
            api = grad_api(part.func, self.ctx.aliases) if part is not kept and type(part) is cst.Call else None
            if api not in _CONTEXT_APIS + ("set_grad_enabled",):
                continue
            dropped_mode = mode_of_context(part, self.ctx.aliases)
            if kept_mode is not None and dropped_mode is not None and kept_mode.disabled and dropped_mode.disabled:
                continue  # `with torch.no_grad() and torch.inference_mode():` still disables gradients
            code = module.code_for_node(part)
            word = "and" if operator is cst.And else "or"
            fix = None
            # `with a, b:` enters both. Not offered where the block backpropagates (under the grad
            # mode the author meant, it would raise), for `or` with `as` (the name would change
            # object), or inside parentheses (`with (a, b):` is a tuple).
            disables = api != "enable_grad" and not (api == "set_grad_enabled" and part.args and type(
                part.args[0].value) is cst.Name and part.args[0].value.value == "True")
            if not expr.lpar and not (operator is cst.Or and item.asname is not None) and not (
                    disables and any(type(n) is cst.Call and grad_use(n, self.ctx.aliases) for n in walk_nodes(node.body))):
                text = ", ".join(module.code_for_node(p) for p in operands)
                fix = self.fix(UNSAFE, f"Enter each context manager: `with {text}:` (assumes the block was meant to "
                                       f"run under `{code}`)").replace(expr, text)
            self.report(
                part,
                f"`{code}` is discarded: `with a {word} b:` enters only what the `{word}` evaluates to, so the block "
                f"runs in its caller's grad mode; write `with a, b:`",
                fix=fix,
            )

    # -- is the receiver of `.detach()` a tensor? (only asked for a candidate finding) -----------
    def _not_a_tensor(self, receiver: cst.BaseExpression) -> bool:
        """Whether the receiver of a discarded ``.detach()`` is certainly not a tensor, by the value
        model (``engine = PrivacyEngine(...)``, a module from ``net.modules()``, a number) or, for
        an object of a standard-library module, by its import (``sys.stdout``). Where the model
        knows nothing (a parameter, an attribute of an argument), the name is all there is: one
        named for an object whose ``detach()`` is its own (``self._finalizer``, ``fwd_hooks``) is
        no tensor; any other is."""
        if type(receiver) is cst.Call and type(receiver.func) is cst.Name and receiver.func.value == "super":
            return True  # `super().detach()`: a base class's method, in an override of it
        if type(receiver) is not cst.Call:
            qualified = self.ctx.aliases.resolve(receiver)
            if qualified is not None:
                return qualified.partition(".")[0] in _STDLIB
        facts = self.ctx.value_of(receiver)
        if GRAPH in facts or TENSOR in facts or any(type(a) is tuple and a[2] for a in facts):
            return False  # a tensor, or a call whose syntax says it returns one (`model(x)`)
        if facts and not facts - _NOT_TENSORS:
            return True
        word = receiver.value if type(receiver) is cst.Name else (
            receiver.attr.value if type(receiver) is cst.Attribute else None)
        return word is not None and _non_tensor_word(word)


def _non_tensor_word(name: str) -> bool:
    """``engine``, ``self._finalizer``, ``fwd_hooks``, ``log_file``: named for an object whose
    ``detach()`` is its own (unhooking, closing), not a tensor's."""
    word = name.rsplit("_", 1)[-1].rstrip("0123456789").lower()
    return word in _NON_TENSOR_WORDS or (word.endswith("s") and word[:-1] in _NON_TENSOR_WORDS)


def _rooted_at(expr: cst.BaseExpression, receiver: cst.BaseExpression, name: Optional[str]) -> bool:
    """`p`, `p.data`, `p[0]`: an expression reached from the receiver through attributes and items."""
    while True:
        if name is not None and dotted(expr) == name or expr.deep_equals(receiver):
            return True
        if type(expr) in (cst.Attribute, cst.Subscript):
            expr = expr.value
        else:
            return False


def _only_returns_nested_function(node: cst.FunctionDef) -> Optional[str]:
    """The name of the nested function a function only defines and returns (a decorator factory:
    `def validate(fn): @wraps(fn) def _run(...): ...; return _run`), or None when its body does
    anything else (a docstring aside)."""
    body = node.body.body if type(node.body) is cst.IndentedBlock else ()
    nested: set = set()
    returned = None
    for index, statement in enumerate(body):
        if type(statement) is cst.FunctionDef:
            nested.add(statement.name.value)
        elif type(statement) is cst.SimpleStatementLine and len(statement.body) == 1:
            small = statement.body[0]
            if index == 0 and type(small) is cst.Expr and type(small.value) in (cst.SimpleString,
                                                                                 cst.ConcatenatedString):
                continue  # the docstring
            if (type(small) is cst.Return and index == len(body) - 1 and type(small.value) is cst.Name
                    and small.value.value in nested):
                returned = small.value.value
            else:
                return None
        else:
            return None
    return returned
