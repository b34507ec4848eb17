"""NG006 no-op-grad-call."""

from __future__ import annotations

import libcst as cst

from ..analysis.gradmode import grad_api
from .base import SAFE, Invalid, Rule, RuleDocs

_CONTEXT_APIS = ("no_grad", "enable_grad", "inference_mode")


class NoOpGradCall(Rule):
    code = "NG006"
    name = "no-op-grad-call"
    message = "grad-mode call has no effect"
    fix_applicability = SAFE
    triggers = (r"no_grad", r"enable_grad", r"inference_mode", r"set_grad_enabled", r"\.detach\(")
    docs = RuleDocs(
        what=(
            "Checks for grad-mode calls that do nothing: `torch.no_grad()`, `torch.enable_grad()` or "
            "`torch.inference_mode()` called as a statement, a `with` block that names the context "
            "manager without calling it (`with torch.no_grad:`), and `x.detach()` whose result is discarded."
        ),
        why=(
            "`torch.no_grad()` on its own line creates a context manager and throws it away: the code "
            "after it still records the autograd graph, so evaluation holds every activation in memory. "
            "`with torch.no_grad:` raises `TypeError` (or `AttributeError: __enter__`) when it runs. "
            "`x.detach()` returns a new tensor; discarding it leaves `x` attached to the graph."
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
            "and now does what it says. The other forms have no automatic fix, because which code should "
            "run under the context manager (or which name should hold the detached tensor) is the author's "
            "choice."
        ),
    )

    VALID = (
        "import torch\nwith torch.no_grad():\n    y = model(x)\n",
        "import torch\n@torch.no_grad()\ndef evaluate(model, x):\n    return model(x)\n",
        "import torch\n@torch.no_grad\ndef evaluate(model, x):\n    return model(x)\n",
        "import torch\nh = h.detach()\nys.append(y.detach())\n",
        "import torch\nh.detach_()\n",
        "import torch\nctx = torch.no_grad() if frozen else contextlib.nullcontext()\nwith ctx:\n    y = model(x)\n",
        # not torch's no_grad
        "from mylib import no_grad\nno_grad()\n",
        "import torch\ntorch.set_grad_enabled(False)\n",
    )
    INVALID = (
        "import torch\ntorch.no_grad()\nfor x in loader:\n    model(x)\n",
        "import torch as T\nT.inference_mode()\n",
        "from torch import enable_grad\nenable_grad()\n",
        "import torch\ntorch.autograd.no_grad()\n",
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
        "import torch\ndef step(h):\n    h.detach()\n    return h\n",
    )

    def visit_Expr(self, node: cst.Expr) -> None:
        value = node.value
        if not isinstance(value, cst.Call):
            return
        func = value.func
        api = grad_api(func, self.ctx.aliases)
        if api in _CONTEXT_APIS:
            spelled = self.ctx.module_node.code_for_node(func) if self.ctx.module_node else api
            self.report(
                node,
                f"`{spelled}()` as a statement does nothing; use `with {spelled}():` "
                "around the code or decorate the function",
            )
        elif (
            isinstance(func, cst.Attribute)
            and func.attr.value == "detach"
            and not value.args
            and self.ctx.aliases.imports_torch()
        ):
            self.report(
                node,
                "the result of `.detach()` is discarded, so nothing is detached; "
                "assign it (`x = x.detach()`) or use `.detach_()`",
            )

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            expr = item.item
            if isinstance(expr, cst.Call):
                continue
            api = grad_api(expr, self.ctx.aliases)
            if api in _CONTEXT_APIS:
                code = self.ctx.module_node.code_for_node(expr) if self.ctx.module_node else api
                self.report(
                    expr,
                    f"`with {code}:` lacks the call and raises TypeError at run time; write `with {code}():`",
                    fix=self.fix(SAFE, f"Call `{code}()`").replace(expr, cst.Call(func=expr)),
                )



