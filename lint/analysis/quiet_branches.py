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
from .names import parameter_names, positional_names
from .walker import own_nodes, walk_nodes


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


def flag_tests(fn: cst.FunctionDef) -> list:
    """(index in the body, the `if`, parameter, negated) for each top-level `if <param>:` or `if not
    <param>:` of ``fn`` on one of its parameters: what quiet_outputs reads (cheap, asked first)."""
    if type(fn.body) is not cst.IndentedBlock:
        return []
    params = set(parameter_names(fn))
    out = []
    for index, statement in enumerate(fn.body.body):
        if type(statement) is not cst.If:
            continue
        test, negated = statement.test, False
        if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
            test, negated = test.expression, True
        if type(test) is cst.Name and test.value in params:
            out.append((index, statement, test.value, negated))
    return out


def quiet_outputs(fn: cst.FunctionDef, aliases, tests: list) -> tuple:
    """((parameter, literal, output position, kind), ...): the elements of the tuples ``fn`` returns
    that it computes under a grad-disabling `with` (kind "quiet"), or that are one of its own
    parameters as the caller passed it (kind "input"), when a caller passes ``literal`` ("True" /
    "False") for a flag parameter. `def forward(self, x, last=False, freeze=False)` whose `if freeze:` binds
    the embedding inside `with torch.no_grad():` and returns `out, e` gives ("freeze", "True", 1):
    a caller's `out, e = model(x, last=True, freeze=True)` gets an embedding without a graph.

    A name counts when every binding of it in the function is inside a grad-disabling `with` of the
    branch the literal selects, or in the other branch (which does not run then); each `return`
    that may run then (not in the other branch; none before the `if`) must give back that name
    at that position of a tuple."""
    params = set(parameter_names(fn))
    nodes = list(own_nodes(fn.body))
    returns = [n for n in nodes if type(n) is cst.Return]
    if not any(_width(r) for r in returns):
        return ()  # no tuple returned: no output position to tell apart
    bindings: dict = {}
    for node in nodes:
        for name in _bound_names(node):
            bindings.setdefault(name.value, []).append(name)
    out = []
    for index, statement, param, negated in tests:
        before = _ids(fn.body.body[:index])
        if param in bindings or any(id(r) in before for r in returns):
            continue  # rebound (the test no longer reads what the caller passed), or returned before
        orelse = statement.orelse
        other_side = orelse.body if type(orelse) is cst.Else else orelse
        for selected, branch, other in ((True, statement.body, other_side), (False, other_side, statement.body)):
            if branch is None:
                continue
            quiet = _quiet_ids(branch, aliases)
            inside_other = _ids([other]) if other is not None else set()
            inside_branch = _ids([branch])
            running = [r for r in returns if id(r) not in inside_other]
            literal = "True" if selected != negated else "False"
            for position in range(max((_width(r) for r in running), default=0)):
                elements = [_read_name(r.value.elements[position].value) for r in running if _width(r) > position]
                if elements and all(e is not None and bindings.get(e) and all(
                        id(b) in quiet or id(b) in inside_other for b in bindings[e]) and any(
                        id(b) in inside_branch for b in bindings[e]) for e in elements):
                    out.append((param, literal, position, "quiet"))
                elif elements and all(e is not None and e in params and e not in bindings for e in elements):
                    # `if last: return scores, x`: the caller's own argument, whatever it carries.
                    out.append((param, literal, position, "input"))
    return tuple(out)


def _read_name(expr: cst.BaseExpression):
    """The one name an element reads, directly or indexed with constants (`e`, `state[-1]`);
    None for anything that computes with something else."""
    while type(expr) is cst.Subscript:
        if any(type(n) is cst.Name for element in expr.slice for n in walk_nodes(element)):
            return None
        expr = expr.value
    return expr.value if type(expr) is cst.Name else None


def _width(ret: cst.Return) -> int:
    value = ret.value
    if type(value) is not cst.Tuple or any(type(e) is cst.StarredElement for e in value.elements):
        return 0
    return len(value.elements)


def _ids(roots) -> set:
    return {id(n) for root in roots if root is not None for n in own_nodes(root)}


def _quiet_ids(block: cst.CSTNode, aliases) -> set:
    """The nodes inside a grad-disabling `with` of ``block``."""
    out: set = set()
    for node in own_nodes(block):
        if type(node) is cst.With and any(disables_grad(item.item, aliases) for item in node.items):
            out |= _ids([node.body])
    return out


def _bound_names(node: cst.CSTNode) -> list:
    """The `Name`s a statement part binds: assignment, augmented and annotated targets, loop
    targets, `as` names, walrus targets (unpacked tuples included)."""
    t = type(node)
    if t is cst.AssignTarget:
        target = node.target
    elif t in (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.NamedExpr):
        target = node.target
    elif t is cst.AsName:
        target = node.name
    else:
        return []
    return _target_names(target)


def _target_names(target: cst.CSTNode) -> list:
    """The names a target binds (`a, (b, *c)`), not those an attribute or item target reads."""
    t = type(target)
    if t is cst.Name:
        return [target]
    if t in (cst.Tuple, cst.List):
        return [n for e in target.elements for n in _target_names(e.value)]
    if t is cst.StarredElement:
        return _target_names(target.value)
    return []
