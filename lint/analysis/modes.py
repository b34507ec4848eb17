"""What a helper does to train/eval modes: `def eval_mode(self): self.G.eval()` or
`def freeze_bn(net): net.eval()`, read from the helper's own statements and mapped onto a call
of it (the caller's `self.G`, or the argument the call passes for `net`)."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from .names import dotted
from .walker import small_statements


def switch_statements(fn: cst.FunctionDef) -> list:
    """The helper's own `x.eval()` / `x.train(...)` statements, in order: (receiver, "eval" or
    "train", the call). A caller that asks often keeps them per helper (see ``mode_switches``)."""
    out = []
    for statement in small_statements(fn.body):
        if type(statement) is not cst.Expr or type(statement.value) is not cst.Call:
            continue
        inner = statement.value.func
        if type(inner) is cst.Attribute and inner.attr.value in ("eval", "train"):
            out.append((dotted(inner.value), inner.attr.value, statement.value))
    return out


def mode_switches(fn: cst.FunctionDef, call: cst.Call, method: bool, switches: list) -> Iterator[tuple]:
    """(receiver in the caller's terms, "eval" or "train", the helper's switch call) for each of
    ``switches`` (``switch_statements(fn)``), where x is `self` or a part of it (a method called on
    `self`) or a parameter the call passes a plain name for."""
    if not switches:
        return
    params = [p.name.value for p in (*fn.params.posonly_params, *fn.params.params)][1 if method else 0:]
    passed = {}
    for position, arg in enumerate(call.args):
        if arg.keyword is None and not arg.star and position < len(params):
            passed[params[position]] = dotted(arg.value)
    for receiver, attr, switch in switches:
        root, dot, rest = (receiver or "").partition(".")
        if root == "self" and method:
            yield receiver, attr, switch
        elif passed.get(root) is not None:
            yield passed[root] + dot + rest, attr, switch
