"""Which names certainly hold a plain value (no autograd history) at a statement.

The walker records a function's assignments flow-insensitively: every binding of a name counts.
For a finding about to be reported, the statements on the way to it are walked again, along the
one path of blocks that leads there (if / else / loop / try / with / match), with a must-analysis:
a name counts as plain only if on every path its last binding is a conversion (`x.item()`,
`x.detach()`, `float(x)`, a literal). O(statements of one function), and only for candidates.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from .names import dotted
from .walker import iter_children, walk_nodes

# Results that never carry history: Python values, detached tensors, integer and boolean tensors.
_CONVERSION_METHODS = frozenset({
    "item", "tolist", "detach", "numpy", "argmax", "argmin", "argsort", "long", "int", "bool", "eq", "ne",
    "lt", "gt", "le", "ge", "isnan", "isinf", "isfinite", "nonzero", "count_nonzero", "all", "any", "size",
    "dim", "numel",
})
_CONVERSION_FUNCTIONS = frozenset({"float", "int", "bool", "str", "len", "round"})
_PLAIN = (cst.Integer, cst.Float, cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)


def is_conversion(value: Optional[cst.BaseExpression]) -> bool:
    """A value without autograd history by construction: `x.item()`, `x.detach().cpu()`,
    `x.cpu().numpy()`, `x.tolist()`, `x.data`, `float(x)`, a literal."""
    if value is None:
        return False
    if isinstance(value, _PLAIN):
        return True
    if type(value) is cst.Name:
        return value.value in ("None", "True", "False")
    if type(value) is cst.UnaryOperation:
        return is_conversion(value.expression)
    if type(value) is cst.IfExp:
        return is_conversion(value.body) and is_conversion(value.orelse)
    node = value
    while True:
        if type(node) is cst.Call:
            func = node.func
            if type(func) is cst.Name:
                return func.value in _CONVERSION_FUNCTIONS
            if not type(func) is cst.Attribute:
                return False
            if func.attr.value in _CONVERSION_METHODS:
                return True
            node = func.value
        elif type(node) is cst.Attribute:
            if node.attr.value == "data":
                return True
            node = node.value
        elif type(node) is cst.Subscript:
            node = node.value
        else:
            return False


def plain_names_at(owner: cst.CSTNode, target: cst.CSTNode, plain=None) -> frozenset:
    """The names that, on every path from the start of ``owner``'s body to the statement
    holding ``target``, were last bound to a plain value (:func:`is_conversion`, or what
    ``plain`` also accepts: a value the value model shows to carry no graph)."""
    path = path_to(owner, target)
    if path is None:
        return frozenset()
    walker = _MustConvert({id(n) for n in path}, plain or is_conversion)
    body = owner.body
    walker.block(body.body if type(body) in (cst.IndentedBlock, cst.SimpleStatementSuite) else body, frozenset())
    return walker.result or frozenset()


def path_to(root: cst.CSTNode, target: cst.CSTNode) -> Optional[list]:
    """The nodes from ``root`` down to ``target`` (identity), or None."""
    stack = [(root, 0)]
    path: list = []
    while stack:
        node, depth = stack.pop()
        del path[depth:]
        path.append(node)
        if node is target:
            return path
        for child in iter_children(node):
            stack.append((child, depth + 1))
    return None


def rebound_names(node: cst.CSTNode) -> set:
    """Every plain name a subtree (re)binds (assignment, loop and comprehension targets, walrus,
    `as` names, `del`, definitions, imports)."""
    out: set = set()
    for sub in walk_nodes(node):
        if type(sub) in (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.NamedExpr):
            out.update(_target_names(sub.target))
        elif type(sub) in (cst.AsName, cst.Del):
            out.update(_target_names(sub.name if type(sub) is cst.AsName else sub.target))
        elif type(sub) in (cst.FunctionDef, cst.ClassDef):
            out.add(sub.name.value)
        elif type(sub) is cst.ImportAlias:
            out.add((sub.asname.name.value if sub.asname is not None and type(sub.asname.name) is cst.Name
                     else dotted(sub.name) or "").partition(".")[0])
    return out


def _target_names(target) -> set:
    out: set = set()
    for node in walk_nodes(target):
        if type(node) is cst.Name:
            out.add(node.value)
    return out


def _meet(a: Optional[frozenset], b: Optional[frozenset]) -> Optional[frozenset]:
    """Paths joining: None is an unreachable path (after `break`, `return`...)."""
    if a is None:
        return b
    if b is None:
        return a
    return a & b


class _MustConvert:
    """A forward must-analysis over the statements on the way to one target statement: the
    state is the set of names certainly holding a plain value (None: unreachable). Loops,
    `try` and `match` forget every name they rebind (conservative: nothing converted)."""

    __slots__ = ("on_path", "result", "plain")

    def __init__(self, on_path: set, plain) -> None:
        self.on_path = on_path
        self.result: Optional[frozenset] = None
        self.plain = plain

    def block(self, statements, state: Optional[frozenset]) -> Optional[frozenset]:
        for statement in statements:
            if id(statement) in self.on_path:
                self.enter(statement, state)
                return None
            state = self.step(statement, state)
        return state

    def _suite(self, block) -> list:
        """The statements of a suite: an indented block, a one-line suite (`for x in xs: f(x)`),
        or the suite of an `else:` clause."""
        if block is None:
            return []
        if type(block) is cst.Else:
            block = block.body
        return list(block.body)

    def enter(self, statement: cst.CSTNode, state: Optional[frozenset]) -> None:
        """``statement`` holds the target."""
        if state is None:
            state = frozenset()  # unreachable code: claim nothing
        if type(statement) is cst.SimpleStatementLine:
            self.block(statement.body, state)
        elif type(statement) is cst.If:
            if id(statement.body) in self.on_path:
                self.block(self._suite(statement.body), state)
            elif statement.orelse is not None and id(statement.orelse) in self.on_path:
                orelse = statement.orelse
                if type(orelse) is cst.If:
                    self.enter(orelse, state)
                else:
                    self.block(self._suite(orelse.body), state)
            else:
                self.result = state  # in the test
        elif type(statement) is cst.With:
            if id(statement.body) in self.on_path:
                self.block(self._suite(statement.body), state - _with_names(statement))
            else:
                self.result = state
        elif type(statement) in (cst.For, cst.While):
            head = state - rebound_names(statement) if state else state
            for part in (statement.body, statement.orelse):
                if part is not None and id(part) in self.on_path:
                    self.block(self._suite(part), head)
                    return
            self.result = head
        elif type(statement) in (cst.Try, cst.TryStar):
            if id(statement.body) in self.on_path:
                self.block(self._suite(statement.body), state)
                return
            head = state - rebound_names(statement) if state else state
            parts = [h.body for h in statement.handlers]
            parts += [p.body for p in (statement.orelse, statement.finalbody) if p is not None]
            for part in parts:
                if id(part) in self.on_path:
                    self.block(self._suite(part), head)
                    return
            self.result = head
        elif type(statement) is cst.Match:
            head = state - rebound_names(statement) if state else state
            for case in statement.cases:
                if id(case.body) in self.on_path:
                    self.block(self._suite(case.body), head)
                    return
            self.result = head
        elif isinstance(statement, cst.BaseSmallStatement):
            self.result = state
        else:
            self.result = frozenset()

    def step(self, statement: cst.CSTNode, state: Optional[frozenset]) -> Optional[frozenset]:
        """The state after a statement that does not hold the target."""
        if state is None:
            return None
        if type(statement) is cst.SimpleStatementLine:
            return self.block(statement.body, state)
        if type(statement) is cst.Assign:
            for target in statement.targets:
                state = _bind(target.target, statement.value, state, self.plain)
            return _forget_walrus(statement.value, state)
        if type(statement) is cst.AnnAssign:
            return _bind(statement.target, statement.value, state, self.plain) if statement.value is not None else state
        if type(statement) in (cst.Return, cst.Raise, cst.Break, cst.Continue):
            return None
        if type(statement) is cst.If:
            body = self.block(self._suite(statement.body), state)
            orelse = statement.orelse
            if orelse is None:
                other = state
            elif type(orelse) is cst.If:
                other = self.step(orelse, state)
            else:
                other = self.block(self._suite(orelse.body), state)
            return _meet(body, other)
        if type(statement) is cst.With:
            return self.block(self._suite(statement.body), state - _with_names(statement))
        if type(statement) in (cst.Expr, cst.Pass, cst.Assert, cst.Global, cst.Nonlocal):
            return _forget_walrus(statement, state) if state else state
        if not state:
            return state
        return state - rebound_names(statement)  # loops, try, match, del, imports, definitions


def _with_names(statement: cst.With) -> set:
    out: set = set()
    for item in statement.items:
        if item.asname is not None:
            out |= _target_names(item.asname.name)
    return out


def _forget_walrus(node: cst.CSTNode, state: frozenset) -> frozenset:
    if not state:
        return state
    for sub in walk_nodes(node):
        if type(sub) is cst.NamedExpr:
            state = state - _target_names(sub.target)
    return state


def _bind(target: cst.BaseExpression, value: Optional[cst.BaseExpression], state: frozenset, plain) -> frozenset:
    if type(target) is cst.Name:
        if plain(value) or (type(value) is cst.Name and value.value in state):
            return state | {target.value}
        return state - {target.value}
    if type(target) in (cst.Tuple, cst.List):
        if type(value) in (cst.Tuple, cst.List) and len(value.elements) == len(target.elements) and not any(
                type(e) is cst.StarredElement for e in (*target.elements, *value.elements)):
            for t, v in zip(target.elements, value.elements):
                state = _bind(t.value, v.value, state, plain)
            return state
        return state - _target_names(target)
    return state  # attributes, subscripts: not names


# -- occasional resets -------------------------------------------------------------------------
