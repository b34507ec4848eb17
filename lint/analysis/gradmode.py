"""The grad-mode vocabulary: which torch calls switch grad mode, and to what."""

from __future__ import annotations

import enum
from typing import Optional

import libcst as cst

from .names import AliasTable
from .torch_api import GRAD_MODE_SPELLINGS


class Mode(enum.Enum):
    ENABLED = "enabled"
    DISABLED = "disabled"  # no_grad, set_grad_enabled(False)
    INFERENCE = "inference"  # inference_mode(): disabled, and tensors are inference tensors
    UNKNOWN = "unknown"  # set_grad_enabled(<expression>), inference_mode(<expression>)
    INHERIT = "inherit"  # a function body with no local switch: whatever its callers run under

    @property
    def disabled(self) -> bool:
        return self is Mode.DISABLED or self is Mode.INFERENCE


# Canonical API name -> every spelling torch accepts: the public ones from torch itself
# (analysis/torch_api.json), and torch._C's private setters, which real code calls too.
_CANON_OF_MODE = {"disabled": "no_grad", "enabled": "enable_grad", "inference": "inference_mode",
                  "argument": "set_grad_enabled"}
_SPELLINGS: dict = {canon: () for canon in _CANON_OF_MODE.values()}
for _spelling, _mode in GRAD_MODE_SPELLINGS.items():
    _SPELLINGS[_CANON_OF_MODE[_mode]] += (_spelling,)
_SPELLINGS["set_grad_enabled"] += ("torch._C.set_grad_enabled", "torch._C._set_grad_enabled")
CANONICAL = {spelling: canon for canon, spellings in _SPELLINGS.items() for spelling in spellings}


def grad_api(expr: cst.BaseExpression, aliases: AliasTable) -> Optional[str]:
    """'no_grad' / 'enable_grad' / 'inference_mode' / 'set_grad_enabled' for any spelling, else None."""
    qualified = aliases.resolve(expr)
    if qualified is None:
        return None
    return CANONICAL.get(qualified)


def constant_bool(expr: cst.BaseExpression) -> Optional[bool]:
    if type(expr) is cst.Name and expr.value in ("True", "False"):
        return expr.value == "True"
    if type(expr) is cst.Integer and expr.value in ("0", "1"):
        return expr.value == "1"
    if type(expr) is cst.UnaryOperation and type(expr.operator) is cst.Not:
        inner = constant_bool(expr.expression)
        return None if inner is None else not inner
    return None


def _first_arg(call: cst.Call, keyword: str) -> Optional[cst.BaseExpression]:
    for arg in call.args:
        if arg.keyword is None and arg.star == "":
            return arg.value
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    return None


def mode_of_call(call: cst.Call, aliases: AliasTable) -> Optional[Mode]:
    """The grad mode a call like ``torch.no_grad()`` establishes as a context manager or decorator."""
    api = grad_api(call.func, aliases)
    if api is None:
        return None
    if api == "no_grad":
        return Mode.DISABLED
    if api == "enable_grad":
        return Mode.ENABLED
    if api == "inference_mode":
        arg = _first_arg(call, "mode")
        if arg is None:
            return Mode.INFERENCE
        value = constant_bool(arg)
        if value is None:
            return Mode.UNKNOWN
        return Mode.INFERENCE if value else Mode.ENABLED
    # set_grad_enabled
    arg = _first_arg(call, "mode")
    value = constant_bool(arg) if arg is not None else None
    if value is None:
        return Mode.UNKNOWN
    return Mode.ENABLED if value else Mode.DISABLED


def mode_of_context(expr: cst.BaseExpression, aliases: AliasTable) -> Optional[Mode]:
    """Grad mode of a ``with`` item or a decorator. A bare ``torch.no_grad`` (no call) counts:
    as a decorator it works, and in ``with`` it is a bug reported by NG006."""
    if type(expr) is cst.Call:
        return mode_of_call(expr, aliases)
    if type(expr) is cst.BooleanOperation:
        # `with autocast() and torch.no_grad():` enters what the operator evaluates to: the last
        # operand of `and`, the first of `or` (context managers are truthy); the rest is discarded.
        kept = expr.right if type(expr.operator) is cst.And else expr.left
        return mode_of_context(kept, aliases)
    if type(expr) is cst.IfExp:
        # `torch.no_grad() if frozen else contextlib.nullcontext()`: depends on the condition.
        body = mode_of_context(expr.body, aliases)
        orelse = mode_of_context(expr.orelse, aliases)
        if body is None and orelse is None:
            return None
        if body is orelse:
            return body
        if body is not None and orelse is not None and body.disabled and orelse.disabled:
            return Mode.DISABLED
        return Mode.UNKNOWN
    api = grad_api(expr, aliases)
    if api == "no_grad":
        return Mode.DISABLED
    if api == "enable_grad":
        return Mode.ENABLED
    if api == "inference_mode":
        return Mode.INFERENCE
    return None


def disables_grad(expr: cst.BaseExpression, aliases: AliasTable) -> bool:
    """Whether a `with` item or a decorator certainly turns grad off (`no_grad`, `inference_mode`,
    `set_grad_enabled(False)`)."""
    mode = mode_of_context(expr, aliases)
    return mode is not None and mode.disabled


def mode_of_switch_statement(expr: cst.BaseExpression, aliases: AliasTable) -> Optional[Mode]:
    """A statement that flips the global grad mode for what follows:
    ``torch.set_grad_enabled(False)``, ``torch.no_grad().__enter__()``."""
    if not type(expr) is cst.Call:
        return None
    func = expr.func
    if type(func) is cst.Attribute and func.attr.value == "__enter__" and type(func.value) is cst.Call:
        mode = mode_of_call(func.value, aliases)
        # inference_mode's state lives in its guard object: a discarded one is collected at once
        # and the mode ends on the same line (no_grad's __enter__ flips the global flag itself).
        return None if mode is Mode.INFERENCE else mode
    if grad_api(func, aliases) == "set_grad_enabled":
        return mode_of_call(expr, aliases)
    return None
