"""Running averages: which terms of an assignment blend a new value into an old one
(`self.m = d * self.m + (1 - d) * new`), also when a helper of the file computes the blend from
a parameter and returns it (`moving_mean = (1 - m) * moving_mean + m * mean; return ..., moving_mean`).

NG014 asks whether the new terms carry a graph; this module only says which terms they are.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from .names import dotted, parameter_names
from .tensors import Env
from .walker import walk_nodes


def blended_terms(value: cst.BaseExpression, name: str) -> list:
    """The new terms of a running average of ``name`` (`d * self.m + (1 - d) * new`): the additive
    terms other than the one that scales the old value; [] when the old value is not scaled (a
    sum) or not there at all."""
    terms = _additive_terms(value)
    if len(terms) < 2:
        return []
    old = [t for t in terms if _scales(t, name)]
    if len(old) != 1:
        return []
    return [t for t in terms if t is not old[0]]


def helper_blend(fn: cst.FunctionDef, position: int) -> Optional[tuple]:
    """(parameter, new terms, the helper's assignments) when every `return` of ``fn`` is a tuple
    whose element ``position`` is a parameter that the function blends with new terms
    (`moving_mean = (1 - m) * moving_mean + m * mean`); else None."""
    returned = set()
    env = Env()
    terms: list = []
    for n in walk_nodes(fn.body):
        if type(n) is cst.Return:
            value = n.value
            if type(value) is not cst.Tuple or position >= len(value.elements) or \
                    type(value.elements[position].value) is not cst.Name:
                return None
            returned.add(value.elements[position].value.value)
        elif type(n) is cst.Assign:
            for t in n.targets:
                env.assign(t.target, n.value)
    if len(returned) != 1:
        return None
    name = returned.pop()
    if name not in parameter_names(fn):
        return None
    for value in env.values.get(name, ()):
        terms.extend(blended_terms(value, name))
    return (name, terms, env) if terms else None


def _additive_terms(expr: cst.BaseExpression) -> list:
    if type(expr) is cst.BinaryOperation and type(expr.operator) in (cst.Add, cst.Subtract):
        return _additive_terms(expr.left) + _additive_terms(expr.right)
    return [expr]


def _scales(term: cst.BaseExpression, name: str) -> bool:
    """`d * self.m`, `self.m * d`, `(1 - d) * self.m`: the old value times a factor."""
    if type(term) is not cst.BinaryOperation or type(term.operator) is not cst.Multiply:
        return False
    return any(dotted(side.value if type(side) is cst.Subscript else side) == name for side in (term.left, term.right))
