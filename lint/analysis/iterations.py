"""Which iterations of a loop a branch runs on: `if i == len(loader):` inside
`for i, batch in enumerate(loader, 1)` runs on the last one only.

NG012 asks it: a validation helper that puts the model in eval mode after the last batch of an
epoch leaves no batch of that epoch to train in eval mode (an epoch loop that calls `.train()`
again restores it before the next one)."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from .tensors import Env


def enumerate_index(loop: cst.CSTNode) -> Optional[tuple]:
    """(index name, start) of `for i, x in enumerate(xs[, start])`, or None."""
    if type(loop) is not cst.For or type(loop.iter) is not cst.Call:
        return None
    call = loop.iter
    if type(call.func) is not cst.Name or call.func.value != "enumerate":
        return None
    target = loop.target
    if type(target) not in (cst.Tuple, cst.List) or not target.elements \
            or type(target.elements[0].value) is not cst.Name:
        return None
    start = 0
    for position, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == "start" or arg.keyword is None and position == 1:
            value = _integer(arg.value)
            if value is None:
                return None
            start = value
    return target.elements[0].value.value, start


def last_iteration_only(loop: cst.CSTNode, branches, env: Optional[Env]) -> bool:
    """Whether the open ``branches`` (the walker's, those opened inside ``loop``) run only when
    the loop's `enumerate` index equals the number of items it iterates (minus one from 0):
    `if i == len(loader) - 1:`, `if i + 1 == n_batches:` where `n_batches = len(loader)`, or the
    `else` / `elif` side of `if i != epoch_length or val is None:`. Which collection's length it
    is, is not checked: an index equal to a length can only be the last one (or none)."""
    index = enumerate_index(loop)
    if index is None:
        return False
    name, start = index
    for branch in branches:
        test, negated = branch.condition()
        if _implies_last(test, negated, name, start, env):
            return True
    return False


def _implies_last(test: cst.BaseExpression, negated: bool, index: str, start: int, env: Optional[Env]) -> bool:
    if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        return _implies_last(test.expression, not negated, index, start, env)
    if type(test) is cst.BooleanOperation:
        # `a and b` holds: both hold; `a or b` fails: both fail.
        if (type(test.operator) is cst.And) != negated:
            return _implies_last(test.left, negated, index, start, env) \
                or _implies_last(test.right, negated, index, start, env)
        return False
    if type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return False
    target = test.comparisons[0]
    if type(target.operator) is not (cst.NotEqual if negated else cst.Equal):
        return False
    for left, right in ((test.left, target.comparator), (target.comparator, test.left)):
        offset = _index_offset(left, index)
        if offset is not None:
            length = _length_offset(right, env)
            # index + offset == len + length_offset, and the last index is len - 1 + start.
            if length is not None and length - offset == start - 1:
                return True
    return False


def _index_offset(expr: cst.BaseExpression, index: str) -> Optional[int]:
    """`i` -> 0, `i + 1` -> 1, `i - 1` -> -1."""
    if type(expr) is cst.Name and expr.value == index:
        return 0
    if type(expr) is cst.BinaryOperation and type(expr.left) is cst.Name and expr.left.value == index:
        value = _integer(expr.right)
        if value is not None and type(expr.operator) in (cst.Add, cst.Subtract):
            return value if type(expr.operator) is cst.Add else -value
    return None


def _length_offset(expr: cst.BaseExpression, env: Optional[Env], depth: int = 0) -> Optional[int]:
    """`len(x)` -> 0, `len(x) - 1` -> -1, a name every assignment of which is such (0 or -1...)."""
    if type(expr) is cst.Call and type(expr.func) is cst.Name and expr.func.value == "len":
        return 0
    if type(expr) is cst.BinaryOperation and type(expr.operator) in (cst.Add, cst.Subtract):
        value = _integer(expr.right)
        inner = _length_offset(expr.left, env, depth)
        if value is not None and inner is not None:
            return inner + (value if type(expr.operator) is cst.Add else -value)
        return None
    if type(expr) is cst.Name and env is not None and depth < 3:
        found = {_length_offset(v, env, depth + 1) if v is not None else None for v in env.values.get(expr.value, ())}
        if len(found) == 1 and None not in found:
            return found.pop()
    return None


def _integer(expr: cst.BaseExpression) -> Optional[int]:
    if type(expr) is cst.Integer:
        try:
            return int(expr.value, 0)
        except ValueError:
            return None
    return None
