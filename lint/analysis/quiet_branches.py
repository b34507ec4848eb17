"""Branches of a module's `forward` chosen by a string argument that compute without grad.

GAN code often dispatches one `forward` on a mode string (`model(data, mode="inference")` in
SPADE and pix2pixHD), and the inference branch runs its work inside `with torch.no_grad():`. A
caller's loop over `model(x, mode="inference")` then records no graph, whatever the other
branches return. Read once per `forward`, from its syntax: an `if mode == "inference":` test on a
parameter, whose every `return` gives back a name bound inside a grad-disabling `with` of the
same branch, or sits inside one.
"""

from __future__ import annotations

import libcst as cst

from .flags import string_comparison
from .gradmode import disables_grad
from .names import positional_names
from .walker import walk_nodes


def quiet_literals(fn: cst.FunctionDef, aliases) -> tuple:
    """((parameter, position among the call's positional arguments, literal), ...) of the string
    tests of ``fn``'s top-level `if` chain whose branch returns only values computed with grad off."""
    params = list(positional_names(fn))
    if params and params[0] in ("self", "cls"):
        params = params[1:]
    flags = dict.fromkeys(params + [p.name.value for p in fn.params.kwonly_params])
    if type(fn.body) is not cst.IndentedBlock:
        return ()
    out = []
    for statement in fn.body.body:
        node = statement
        while type(node) is cst.If:
            test = string_comparison(node.test, flags)
            if test is not None and test[1] == "==" and _quiet(node.body, aliases):
                name = test[0]
                out.append((name, params.index(name) if name in params else -1, test[2]))
            node = node.orelse if type(node.orelse) is cst.If else None
    return tuple(out)


def _quiet(block: cst.BaseSuite, aliases) -> bool:
    """Whether every `return` of ``block`` (there is one) gives back what a grad-disabling `with`
    of the block computed."""
    bound: set = set()
    inside: set = set()
    for node in walk_nodes(block):
        if type(node) is cst.With and any(disables_grad(item.item, aliases) for item in node.items):
            for inner in walk_nodes(node.body):
                if type(inner) is cst.AssignTarget:
                    bound.update(n.value for n in walk_nodes(inner.target) if type(n) is cst.Name)
                elif type(inner) is cst.Return:
                    inside.add(id(inner))
    returns = [n for n in walk_nodes(block) if type(n) is cst.Return]
    if not returns:
        return False
    for ret in returns:
        if id(ret) in inside:
            continue
        value = ret.value
        names = [value] if type(value) is cst.Name else list(value.elements) if type(value) is cst.Tuple else None
        if not names:
            return False
        for element in names:
            expr = element if type(element) is cst.Name else element.value
            if type(expr) is not cst.Name or expr.value not in bound:
                return False
    return True
