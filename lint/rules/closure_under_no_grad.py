"""NG011 closure-under-no-grad."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from ..analysis.names import parameter_names
from .base import Rule, RuleDocs


def _closure_params(fn: cst.FunctionDef) -> frozenset:
    return frozenset(n for n in parameter_names(fn) if "closure" in n.lower())


class ClosureUnderNoGrad(Rule):
    code = "NG011"
    name = "closure-under-no-grad"
    message = "the optimizer closure runs with gradients disabled; call it inside `torch.enable_grad()`"
    triggers = (r"closure",)
    docs = RuleDocs(
        what=(
            "Checks for an optimizer `step` decorated with `@torch.no_grad()` (or `inference_mode`, "
            "`set_grad_enabled(False)`) that calls its `closure()` argument outside "
            "`with torch.enable_grad():`."
        ),
        why=(
            "The closure recomputes the loss and calls `loss.backward()`. Under the step's `no_grad`, the "
            "forward pass records no graph: `backward()` raises \"element 0 of tensors does not require "
            "grad\", or, when the closure only computes the loss value, line-search optimizers (L-BFGS, "
            "SAM-style two-step updates) work with stale gradients. torch's own optimizers call "
            "`closure()` inside `with torch.enable_grad():` for this reason."
        ),
        example=(
            "class SGDW(torch.optim.Optimizer):\n"
            "    @torch.no_grad()\n"
            "    def step(self, closure=None):\n"
            "        loss = closure() if closure is not None else None\n"
            "        for group in self.param_groups:\n"
            "            ...\n"
            "        return loss\n"
        ),
        use_instead=(
            "class SGDW(torch.optim.Optimizer):\n"
            "    @torch.no_grad()\n"
            "    def step(self, closure=None):\n"
            "        loss = None\n"
            "        if closure is not None:\n"
            "            with torch.enable_grad():\n"
            "                loss = closure()\n"
            "        for group in self.param_groups:\n"
            "            ...\n"
            "        return loss\n"
        ),
    )

    VALID = (
        "import torch\nclass SGDW(torch.optim.Optimizer):\n    @torch.no_grad()\n    def step(self, closure=None):\n"
        "        loss = None\n        if closure is not None:\n            with torch.enable_grad():\n"
        "                loss = closure()\n        return loss\n",
        # not decorated: the step runs in the caller's mode
        "import torch\nclass SGDW(torch.optim.Optimizer):\n    def step(self, closure=None):\n"
        "        loss = closure() if closure is not None else None\n        return loss\n",
        # the closure is wrapped in enable_grad before the call
        "import torch\nclass SAM(torch.optim.Optimizer):\n    @torch.no_grad()\n    def step(self, closure=None):\n"
        "        closure = torch.enable_grad()(closure)\n        self.first_step()\n        closure()\n"
        "        self.second_step()\n",
        "import torch\nclass Lookahead(torch.optim.Optimizer):\n    @torch.no_grad()\n    def step(self, closure=None):\n"
        "        return self.base_optimizer.step(closure)\n",
    )
    INVALID = (
        "import torch\nclass SGDW(torch.optim.Optimizer):\n    @torch.no_grad()\n    def step(self, closure=None):\n"
        "        loss = closure() if closure is not None else None\n        return loss\n",
        "from torch.optim import Optimizer\nfrom torch import no_grad\nclass Lion(Optimizer):\n    @no_grad()\n"
        "    def step(self, closure=None):\n        loss = None\n        if closure is not None:\n"
        "            loss = closure()\n        return loss\n",
        "import torch as T\nclass Adam2(T.optim.Optimizer):\n    @T.inference_mode()\n    def step(self, closure):\n"
        "        with T.enable_grad():\n            pass\n        loss = closure()\n        return loss\n",
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._closures: list[Optional[frozenset]] = []
        self._wrapped: list[set] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        fn = self.ctx.function
        closures = None
        if fn is not None and fn.name == "step" and fn.reason == "decorator" and fn.mode.disabled:
            closures = _closure_params(node) or None
        self._closures.append(closures)
        self._wrapped.append(set())

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._closures.pop()
        self._wrapped.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        # `closure = torch.enable_grad()(closure)`: the closure now enables grad itself.
        if not self._closures or not self._closures[-1]:
            return
        value = node.value
        if type(value) is cst.Call and type(value.func) is cst.Call:
            inner = value.func
            if self.ctx.aliases.resolve(inner.func) in ("torch.enable_grad", "torch.autograd.enable_grad"):
                for target in node.targets:
                    if type(target.target) is cst.Name:
                        self._wrapped[-1].add(target.target.value)

    def visit_Call(self, node: cst.Call) -> None:
        if not self._closures:
            return
        closures = self._closures[-1]
        func = node.func
        if not closures or not type(func) is cst.Name or func.value not in closures:
            return
        if func.value in self._wrapped[-1]:
            return
        if self.ctx.grad_mode.disabled:
            self.report(
                node,
                f"`{func.value}()` runs under the no_grad of `step`, so the loss it computes has no graph; "
                f"call it inside `with torch.enable_grad():`",
            )
