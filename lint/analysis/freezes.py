"""Which arguments a function freezes: a summary fact, solved across the file's methods.

`model.freeze_head_and_trunk()` in an evaluation script, where the method (in another file)
sets `requires_grad = False` on the parameters of its trunk and heads: after it, a forward with
grad on records no graph from the model's parameters, so a loop over it is no forgotten
`no_grad` (the memory `no_grad` would save is the inputs' graph, and they need none). The
walker records, per function, what it freezes and unfreezes and which methods of its own class
it calls; ``finalize_freezes`` turns that into argument positions (-1: the receiver of a
method), through those method calls, for ``FileFacts.freezes``.

A helper that sets `requires_grad` to a flag it is handed (`set_requires_grad(model,
requires_grad=False)`) freezes by its call: its summary (``FileFacts.flag_freezes``) says which
position it freezes when which of its parameters is passed False (or left at a False default),
and ``freezes_at`` reads that against the literals a call passes (``call_flags``).
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from .names import dotted
from .project import callers_closure, self_callers
from .tensors import (flag_of_loop, freezing_loop, loop_parameters, parameters_owner, requires_grad_flag,
                      requires_grad_set)
from .torch_api import NN_MODULE_SELF_METHODS


def freeze_of_call(call: cst.Call, symbolic: bool = False) -> Optional[tuple]:
    """`net.requires_grad_(False)` / `(True)`: (``net``, True when it freezes), else None.
    ``symbolic``: `net.requires_grad_(flag)` gives (``net``, ``"flag"``)."""
    func = call.func
    if type(func) is not cst.Attribute or func.attr.value != "requires_grad_":
        return None
    receiver = func.value
    # `self.model.eval().requires_grad_(False)`: eval() returns the module it is called on.
    while (type(receiver) is cst.Call and type(receiver.func) is cst.Attribute
           and receiver.func.attr.value in NN_MODULE_SELF_METHODS):
        receiver = receiver.func.value
    owner = dotted(receiver)
    if owner is None:
        return None
    value = call.args[0].value if call.args else None
    flag = requires_grad_flag(value) if value is not None else True
    if flag is None:
        # `net.requires_grad_(requires_grad)`: frozen when the flag is False (``symbolic``).
        return (owner, value.value) if symbolic and type(value) is cst.Name else None
    return owner, not flag


def freeze_of_loop(node: cst.For, iterated: dict, symbolic: bool = False) -> Optional[tuple]:
    """`for p in head.parameters(): p.requires_grad = False` inside `for head in self.heads:`:
    (``self.heads``, True). ``iterated``: the names the function's loops bind to an element of
    a dotted container (a part of a part is still a part). ``symbolic``: a flag set from a name
    (`p.requires_grad = requires_grad`) gives that name in place of True."""
    found = freezing_loop(node)
    if found is None and symbolic:
        found = flag_of_loop(node)
    if found is None:
        return None
    owner, frozen = found
    root, dot, rest = owner.partition(".")
    container = iterated.get(root)
    if container is not None:
        owner = container + dot + rest
    return owner, frozen


def positions_frozen(params: tuple, method: bool, events: list, defaults: Optional[dict] = None) -> tuple:
    """(frozen, thawed, flagged): the call positions whose parameters ``events`` ((owner, frozen)
    pairs) freeze, and those they make trainable: -1 for `self` or a part of it (a method freezing
    its trunk is what a script calls before running the model for features; what stays trainable
    the summary cannot tell, and such a loop's graph is at most the unfrozen part's), the
    argument's position otherwise. A position also thawed (an unfreeze after a freeze) is
    not certainly frozen. An event whose ``frozen`` is a parameter's name (the flag it sets
    `requires_grad` to) gives ``flagged``: (position, the flag's call position, its name, its
    default as a bool or None), frozen when a call passes False there (``freezes_at``);
    ``defaults``: parameter name -> the literal bool it defaults to."""
    shift = 1 if method else 0
    frozen: set = set()
    thawed: set = set()
    flagged: set = set()
    for owner, freezes in events:
        root = owner.partition(".")[0]
        if method and root == "self":
            position = -1
        elif root in params[shift:]:
            position = params.index(root) - shift
        else:
            continue
        if type(freezes) is str:
            if freezes in params[shift:]:
                flagged.add((position, params.index(freezes) - shift, freezes, (defaults or {}).get(freezes)))
            continue
        (frozen if freezes else thawed).add(position)
    return frozenset(frozen - thawed), frozenset(thawed), tuple(sorted(flagged, key=repr))


def call_flags(call: cst.Call) -> tuple:
    """What a call passes that a flag could be: (position or keyword, True / False / None for any
    other value) per argument, and ("*", None) for a `*args` / `**kwargs` that may pass anything."""
    out = []
    index = 0
    for arg in call.args:
        if arg.star:
            out.append(("*", None))
            continue
        out.append((arg.keyword.value if arg.keyword is not None else index, requires_grad_flag(arg.value)))
        if arg.keyword is None:
            index += 1
    return tuple(out)


def handed_models(call: cst.Call, ref: tuple) -> list:
    """(dotted name, (``ref``, position, flags)) for each model a call is handed that the function
    it names may freeze: its receiver (-1, for a method call) and its positional arguments, with
    the flags the call passes (``call_flags``): the demands of Condition.freezes."""
    handed = []
    if type(call.func) is cst.Attribute:
        handed.append((dotted(call.func.value), -1))
    handed.extend((dotted(a.value), i) for i, a in enumerate(call.args) if a.keyword is None and not a.star)
    flags = call_flags(call)  # `set_requires_grad(net, requires_grad=False)` freezes by its flag
    return [(name, (ref, position, flags)) for name, position in handed if name is not None]


def freeze_demands(call: cst.Call, values) -> list:
    """handed_models for a call the project may answer for: its callee's reference (``values``,
    the file's ValueModel), or for a method of a receiver of unknown class, every project method
    that fits the call (`method_arity_ref`); [] when the callee can name nothing of the project."""
    from .values import method_arity_ref  # (a sibling of the same layer; imported when asked)

    ref = values.ref_of(call.func)
    if ref is None and type(call.func) is cst.Attribute:
        ref = method_arity_ref(call)
    return handed_models(call, ref) if ref is not None else []


def finalize_freezes(entries: dict) -> dict:
    """Function key -> the call positions it freezes, from the walker's per-function entries
    (key -> (positions frozen, positions thawed, names of the methods it calls on `self`)): a
    method that calls `self.freeze_trunk()` freezes its receiver when that method of its class
    does and it makes no part of `self` trainable itself."""
    receivers = callers_closure((key for key, (positions, _, _) in entries.items() if -1 in positions),
                                self_callers({key: calls for key, (_, thawed, calls) in entries.items()
                                              if -1 not in thawed}))
    out: dict = {}
    for key, (positions, _, _) in entries.items():
        found = set(positions)
        if key in receivers:
            found.add(-1)
        if found:
            out[key] = tuple(sorted(found))
    return out


_TRUE = cst.Name("True")  # what `p.requires_grad_()` sets


def _loop_setting(node: cst.For) -> Optional[tuple]:
    """A loop over a module's parameters that sets their `requires_grad`: (module, True for
    every parameter to one literal value / False for a selection, the value when literal)."""
    iterable = node.iter
    if not (type(iterable) is cst.Call and type(iterable.func) is cst.Attribute
            and iterable.func.attr.value in ("parameters", "named_parameters")):
        return None
    owner = parameters_owner(iterable)
    bound = set(loop_parameters(node.target, iterable, set())) if owner is not None else None
    if not bound:
        return None
    found = None
    for statement, guarded in _loop_statements(node.body, False):
        for small in statement.body:
            value = requires_grad_set(small.value if type(small) is cst.Expr else small, bound, _TRUE)
            if value is None:
                continue
            flag = requires_grad_flag(value)
            whole = not guarded and flag is not None
            if found is None or not whole:
                found = (owner, whole, flag)
    return found


def _loop_statements(body, guarded: bool):
    """(statement, under an `if` or another loop) for the simple statements of a loop body."""
    for statement in getattr(body, "body", ()):
        if type(statement) is cst.SimpleStatementLine:
            yield statement, guarded
        elif type(statement) in (cst.If, cst.For, cst.While, cst.With, cst.Try):
            yield from _loop_statements(statement.body, guarded or type(statement) is not cst.With)
            orelse = getattr(statement, "orelse", None)
            while orelse is not None:
                yield from _loop_statements(orelse.body, True)
                orelse = getattr(orelse, "orelse", None)


def undone_selections(fn: cst.FunctionDef, trains) -> list:
    """`score.requires_grad_(False)`, then `for n, p in score.named_parameters(): if "bias" in n:
    p.requires_grad = True`, then `score.requires_grad_(True)`: the last call makes every
    parameter trainable again and undoes the selection (a LoRA set-up turned full fine-tuning).
    (blanket unfreeze node, module, the selecting loop, calls handed the module in between) for
    each, in one function's own statements. ``trains(call)``: whether a call trains or builds an
    optimizer (a selection made for one training phase may be undone for the next)."""
    out: list = []
    selected: dict = {}  # module -> (the selecting loop, the blocks that hold it, calls handed it since)
    for node, blocks in _own_nodes(fn.body):
        t = type(node)
        if t is cst.For:
            setting = _loop_setting(node)
            if setting is None:
                continue
            owner, whole, flag = setting
            if not whole:
                selected[owner] = (node, blocks, [])
            elif flag:
                _unfrozen(selected, owner, node, blocks, out)
            else:
                _forget(selected, owner)
        elif t is cst.Call:
            func = node.func
            if type(func) is cst.Attribute and func.attr.value == "requires_grad_":
                owner = dotted(func.value)
                flag = requires_grad_flag(node.args[0].value) if node.args else True
                if owner is None:
                    continue
                if flag:
                    _unfrozen(selected, owner, node, blocks, out)
                else:
                    _forget(selected, owner)
                continue
            if trains(node):
                selected.clear()
                continue
            handed = [dotted(a.value) for a in node.args]
            if type(func) is cst.Attribute:
                handed.append(dotted(func.value))
            for owner, (_, _, calls) in selected.items():
                if any(h is not None and (h == owner or owner.startswith(h + ".")) for h in handed):
                    calls.append(node)
    return out


def _unfrozen(selected: dict, owner: str, node: cst.CSTNode, blocks: tuple, out: list) -> None:
    """A blanket unfreeze of ``owner``: it undoes each selection of it or a part of it made in a
    block that holds the unfreeze too (not one on the other side of an `if`)."""
    for module in [m for m in selected if m == owner or m.startswith(owner + ".")]:
        loop, held, calls = selected.pop(module)
        if blocks[:len(held)] == held:
            out.append((node, owner, loop, tuple(calls)))


def _forget(selected: dict, owner: str) -> None:
    for module in [m for m in selected if m == owner or m.startswith(owner + ".")]:
        del selected[module]


def _own_nodes(node: cst.CSTNode):
    """(node, the blocks that hold it) for a function body in source order, without nested
    functions, classes and lambdas."""
    from .walker import iter_children

    stack = [(node, ())]
    while stack:
        current, blocks = stack.pop()
        if type(current) in (cst.FunctionDef, cst.ClassDef, cst.Lambda) and current is not node:
            continue
        yield current, blocks
        if type(current) in (cst.IndentedBlock, cst.SimpleStatementSuite):
            blocks = blocks + (id(current),)
        stack.extend((child, blocks) for child in reversed(list(iter_children(current))))
