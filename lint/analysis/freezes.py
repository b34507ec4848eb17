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
from .tensors import flag_of_loop, freezing_loop, requires_grad_flag
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
