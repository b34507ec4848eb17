"""What a function's flags do to its gradient use: the parameters that decide, per call, whether
the function trains or evaluates.

`def run_epoch(model, loader, optimizer=None, train=True)` whose only backward sits under
`if train:` (or `if optimizer is not None:`, `if split == "train":`) trains or evaluates by its
caller's arguments: a call passing `train=False`, or leaving the optimizer out, evaluates. A
method may read its flag from its object instead (`if self.state != "train": return` before the
backward), which the caller sets before the call (`self.state = "val"`). This module reads the
flags from the signature and the body, the guard a branch (or an early `return`) puts on a
gradient use, and the arguments or object state of a call that turn every guarded use off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import libcst as cst

from .context import Branch
from .names import dotted, string_value


@dataclass
class FunctionFlags:
    # Parameters that may be flags: name -> their position in a call (-1: keyword only). A bool
    # or string default (`train=True`, `mode="train"`), no default (a call must pass it), or None.
    positions: dict = field(default_factory=dict)
    # Flags whose default is None (`optimizer=None`): left out or passed None, they are off.
    none_defaults: set = field(default_factory=set)
    # Flags with a literal default (`train=False`, `mode="eval"`): name -> the literal, as text.
    defaults: dict = field(default_factory=dict)
    # Locals that compare a flag with a string (`is_train = split == "train"`): name -> the comparison.
    aliases: dict = field(default_factory=dict)
    tested: bool = False  # an `if` of the body tests a flag
    # A method's `if` compares an attribute of its object with a string (`self.mode == "train"`).
    states: bool = False

    def __bool__(self) -> bool:
        return bool(self.positions) or self.states


def function_flags(node: cst.FunctionDef, method: bool) -> FunctionFlags:
    """The parameters of ``node`` that may be flags (a method's callers do not pass `self`)."""
    flags = FunctionFlags()
    params = node.params
    positional = (*params.posonly_params, *params.params)
    for position, param in enumerate((*positional, *params.kwonly_params)):
        default = param.default
        at = position - method if position < len(positional) else -1
        if default is None and not (method and position == 0) or type(default) is cst.Name and default.value in (
                "True", "False") or type(default) is cst.SimpleString:
            flags.positions[param.name.value] = at
            if default is not None:
                flags.defaults[param.name.value] = string_value(default) if type(default) is cst.SimpleString \
                    else default.value
        elif type(default) is cst.Name and default.value == "None":
            flags.positions[param.name.value] = at
            flags.none_defaults.add(param.name.value)
    if flags.positions or method:
        flags.tested = _tests_a_flag(node.body, flags.positions, flags if method else None)
    return flags


def _tests_a_flag(body: cst.BaseSuite, names: dict, states: Optional[FunctionFlags] = None) -> bool:
    """Whether an `if` of the body (not of nested functions or classes) tests a flag; with
    ``states`` (a method's flags), also an attribute of its object compared with a string, noted
    there. Asked of almost every function of a file NG001 reads: statements only, no generic
    traversal."""
    stack = [body]
    while stack:
        node = stack.pop()
        t = type(node)
        if t is cst.IndentedBlock:
            stack.extend(s for s in node.body if type(s) is not cst.SimpleStatementLine)
        elif t is cst.If:
            if _tests_flag(node.test, names):
                return True
            if states is not None and state_comparison(_without_not(node.test)) is not None:
                states.states = True
                return True
            stack.append(node.body)
            if node.orelse is not None:
                stack.append(node.orelse)
        elif t in _BLOCKS:
            stack.append(node.body)
            for extra in ("orelse", "finalbody"):
                part = getattr(node, extra, None)
                if part is not None:
                    stack.append(part)
            stack.extend(getattr(node, "handlers", ()))
    return False


# Compound statements whose blocks may hold an `if` (functions and classes are other scopes).
_BLOCKS = (cst.For, cst.While, cst.With, cst.Try, cst.TryStar, cst.Else, cst.Finally, cst.ExceptHandler,
           cst.ExceptStarHandler)


def note_alias(flags: FunctionFlags, node: cst.Assign) -> None:
    """`is_train = split == "train"`, `training = optim is not None`: the local stands for the
    comparison in later tests."""
    if flags and len(node.targets) == 1 and type(node.targets[0].target) is cst.Name \
            and (string_comparison(node.value, flags.positions) is not None or _none_test(node.value, flags)):
        flags.aliases[node.targets[0].target.value] = node.value


def _none_test(value: cst.BaseExpression, flags: FunctionFlags) -> bool:
    """`optim is not None` / `optim is None` on a flag whose default is None."""
    return (type(value) is cst.Comparison and len(value.comparisons) == 1 and type(value.left) is cst.Name
            and value.left.value in flags.none_defaults and type(value.comparisons[0].operator) in (cst.Is, cst.IsNot)
            and type(value.comparisons[0].comparator) is cst.Name and value.comparisons[0].comparator.value == "None")


def guard(flags: FunctionFlags, branches) -> Optional[tuple]:
    """The innermost open `if <flag>:` / `if not <flag>:` / `if <flag> is not None:` /
    `if <flag> == "train":` part (``branches``: the walker's open branches): (flag, what runs this
    part with gradients: "True", "False", or ("==" or "!=", the string)), or None."""
    if not flags:
        return None
    for branch in reversed(branches):
        test, negated = branch.condition()  # `else:` of `if train:` runs when the flag is off
        if type(test) is cst.Name and test.value in flags.aliases:
            test = flags.aliases[test.value]
        if type(test) is cst.Name and test.value in flags.positions:
            return test.value, "False" if negated else "True"
        if type(test) is cst.Comparison and len(test.comparisons) == 1 and type(test.left) is cst.Name \
                and test.left.value in flags.none_defaults:
            # `if optimizer is not None:` runs when one is passed; `if optimizer is None:` when not.
            target = test.comparisons[0]
            if type(target.comparator) is cst.Name and target.comparator.value == "None" \
                    and type(target.operator) in (cst.IsNot, cst.Is):
                passed = (type(target.operator) is cst.IsNot) != negated
                return test.left.value, "True" if passed else "False"
        compared = string_comparison(test, flags.positions)
        if compared is None and flags.states:
            compared = state_comparison(test)
        if compared is not None:
            flag, op, text = compared
            if negated:
                op = "!=" if op == "==" else "=="
            return flag, (op, text)
    return None


def early_exit(node: cst.If) -> Optional[Branch]:
    """`if not train: return` with no `else`: the statements after it run only when the test is
    false, as the other side of the `if` would (an open branch, for ``guard``); else None."""
    body = node.body
    if node.orelse is not None or not body.body:
        return None
    last = body.body[-1]  # `if not train: return` on one line: the suite's last small statement
    if type(last) is cst.SimpleStatementLine and last.body:
        last = last.body[-1]
    return Branch(node, True) if type(last) in (cst.Return, cst.Raise) else None


def turned_off(call: cst.Call, flags: FunctionFlags, used: set, state: Optional[dict] = None) -> Optional[tuple]:
    """(flag, literal) when a call sets a flag to the literal that turns its gradient use off
    (``used``: the guards seen on gradient uses; `train=False`, `eval=True` for `if not eval:`,
    `split="valid"` for `if split == "train":`), (flag, None) when it leaves out a flag whose
    default None turns it off, (flag, ("default", literal)) when it leaves out one whose literal
    default does (`def step(model, batch, train=False)` called as `step(model, b)`), or None. Every guard on the flag must be off: `if v is not None:
    ...grad...  else: ...grad...` uses gradients whatever the call passes. ``state``: the literals
    the caller assigned to its object's attributes before the call (`self.state = "val"`), for a
    method whose flag is such an attribute."""
    position: Optional[int] = 0  # None after `*args`: the positions of later arguments are unknown
    starred = False
    passed: dict = {}  # flag -> (literal, as shown)
    if state:
        for flag, value in state.items():
            passed[flag] = (string_value(value) if type(value) is cst.SimpleString else value.value, None)
    for arg in call.args:
        if arg.star:
            # `fit(*batch, train=False)`: the keywords after it still say what they pass.
            starred = True
            if arg.star == "*":
                position = None
            continue
        value = arg.value
        literal = value.value if type(value) is cst.Name and value.value in ("True", "False", "None") else None
        name = arg.keyword.value if arg.keyword is not None else next(
            (f for f, p in flags.positions.items() if p == position), None) if position is not None else None
        shown = literal
        if literal == "None":
            literal = "False"  # `if optimizer:` / `if optimizer is not None:` with None passed
        if type(value) is cst.SimpleString:
            literal = string_value(value)
        if name is not None:
            passed[name] = (literal, shown)
        if arg.keyword is None and position is not None:
            position += 1
    guards: dict = {}  # flag -> what runs each of its guarded parts with gradients
    for flag, enabling in used:
        guards.setdefault(flag, []).append(enabling)
    for flag, (literal, shown) in passed.items():  # in the call's order
        if flag in guards and literal is not None and all(_off(e, literal) for e in guards[flag]):
            return flag, shown if shown == "None" else literal
    for flag, enablings in guards.items():
        if flag in flags.none_defaults and flag not in passed and not starred and all(e == "True" for e in enablings):
            return flag, None  # left out: its default None turns the gradient use off
        default = flags.defaults.get(flag)
        if default is not None and flag not in passed and not starred and all(_off(e, default) for e in enablings):
            return flag, ("default", default)  # left out: its default (`train=False`) turns it off
    return None


def _off(enabling, literal: str) -> bool:
    """Whether a part guarded by a flag (run with gradients when the flag is ``enabling``) does not
    run when the call passes ``literal``."""
    if literal == enabling:
        return False
    if type(enabling) is tuple:
        op, text = enabling
        return type(literal) is str and (literal == text) != (op == "==")
    return literal in ("True", "False")


def string_comparison(test: cst.BaseExpression, flags: dict) -> Optional[tuple]:
    """`split == "train"` / `mode != 'eval'` on a flag: (flag, "==" or "!=", the string), or None."""
    compared = _compared_with_string(test)
    if compared is None or type(compared[0]) is not cst.Name or compared[0].value not in flags:
        return None
    return compared[0].value, compared[1], compared[2]


def state_comparison(test: cst.BaseExpression) -> Optional[tuple]:
    """`self.mode == "train"` / `self.fit_params.state != 'train'` in a method: (the attribute,
    "==" or "!=", the string), or None."""
    compared = _compared_with_string(test)
    name = dotted(compared[0]) if compared is not None and type(compared[0]) is cst.Attribute else None
    if name is None or not name.startswith("self."):
        return None
    return name, compared[1], compared[2]


def _compared_with_string(test: cst.BaseExpression) -> Optional[tuple]:
    """`x == "s"` / `"s" != x`: (x, "==" or "!=", the string), or None."""
    if type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return None
    target = test.comparisons[0]
    op = {cst.Equal: "==", cst.NotEqual: "!="}.get(type(target.operator))
    left, right = test.left, target.comparator
    if type(left) is cst.SimpleString:
        left, right = right, left
    if op is None or type(right) is not cst.SimpleString:
        return None
    return left, op, string_value(right)


def _without_not(test: cst.BaseExpression) -> cst.BaseExpression:
    return test.expression if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not else test


def _tests_flag(test: cst.BaseExpression, flags: dict) -> bool:
    """`if train:`, `if not eval:`, `if optimizer is not None:`, `if split == "train":` on a flag."""
    if type(test) is cst.UnaryOperation:
        test = test.expression
    if type(test) is cst.Comparison:
        test = test.left
    return type(test) is cst.Name and test.value in flags
