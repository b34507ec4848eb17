"""What a helper does to train/eval modes: `def eval_mode(self): self.G.eval()` or
`def freeze_bn(net): net.eval()`, read from the helper's own statements and mapped onto a call
of it (the caller's `self.G`, or the argument the call passes for `net`)."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from .names import dotted
from .walker import small_statements


def mode_switches(fn: cst.FunctionDef, call: cst.Call, method: bool) -> Iterator[tuple]:
    """(receiver in the caller's terms, "eval" or "train", the helper's switch call) for each
    `x.eval()` / `x.train(...)` statement of ``fn`` in order, where x is `self` or a part of it (a
    method called on `self`) or a parameter the call passes a plain name for."""
    params = [p.name.value for p in (*fn.params.posonly_params, *fn.params.params)][1 if method else 0:]
    passed = {}
    for position, arg in enumerate(call.args):
        if arg.keyword is None and not arg.star and position < len(params):
            passed[params[position]] = dotted(arg.value)
    for statement in small_statements(fn.body):
        if type(statement) is not cst.Expr or type(statement.value) is not cst.Call:
            continue
        inner = statement.value.func
        if type(inner) is not cst.Attribute or inner.attr.value not in ("eval", "train"):
            continue
        receiver = dotted(inner.value)
        root, dot, rest = (receiver or "").partition(".")
        if root == "self" and method:
            yield receiver, inner.attr.value, statement.value
        elif passed.get(root) is not None:
            yield passed[root] + dot + rest, inner.attr.value, statement.value
