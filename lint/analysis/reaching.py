"""Which assignment each read of a name sees: reaching definitions over one function's body.

The value model and the escapes analysis read a function's assignments flow-insensitively (every
value a name is ever given). That is enough to tell what a name may hold, but not where a value
goes when a name is reused: in a training loop that runs `pred = net(x); loss = f(pred);
loss.backward()` and, every tenth batch, `net.eval(); pred = net(x_test); print(f(pred).item())`,
the test forward's `pred` never reaches the backward pass (the next batch binds `pred` again
before reading it), though the two share a name. ``ReachingDefinitions`` answers that: for every
read of a name (a ``cst.Name`` node), the assignments whose value it may see.

A definition is (name, id of the node that binds it: the `Assign`, `AugAssign`, `AnnAssign`, the
`For` / `With` / handler / comprehension-free statement). Structured code needs no control-flow
graph: branches join, loops run to a fixpoint, `try` handlers start from anything the body may
have bound. A `break` or `continue` is read as falling through (what it skips binds nothing new
at the join: the loop's fixpoint already joins every iteration's end). Reads inside nested
functions, lambdas and generators see every definition of the name (``ALL``; a list, set or dict
comprehension runs where it stands and reads what reaches it); a walrus
anywhere makes the function unsupported (``supported`` False): callers then keep the
flow-insensitive answer.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from .patterns import bound_names, comprehension_fors
from .torch_api import TENSOR_INPLACE_DETACHED_METHODS

# A read that may see any definition of its name (a closure, a global declaration).
ALL = None
# Methods that put their (last) argument into the container they are called on.
_FILLING = frozenset({"append", "extend", "insert", "add", "update", "appendleft", "put"})


class ReachingDefinitions:
    __slots__ = ("reads", "bindings", "supported", "narrowings", "_unknown", "_defining", "_statements", "_fills")

    def __init__(self, fn: "cst.FunctionDef | cst.Module") -> None:
        # id(Name node read) -> frozenset of definitions, or ALL.
        self.reads: dict = {}
        # Every binding statement in source order: (node, value expression or None, names).
        self.bindings: list = []
        self.supported = True
        self._unknown: set = set()  # names declared global / nonlocal
        self._defining: Optional[dict] = None  # name -> ids of the statements that bind it
        self._statements: Optional[dict] = None  # id(bound value) -> id(statement), on first use
        # id(value put into a container by `xs.append(v)`) -> the definitions of `xs` there: the
        # value belongs to that object, not to what the name is bound to later.
        self._fills: dict = {}
        # id(If) -> (name, class expression) of `if isinstance(name, C):`: in the body, reads of
        # the name also see the definition (name, id(If)), so a read knows it holds a C there.
        self.narrowings: dict = {}
        state: dict = {}
        if type(fn) is cst.Module:  # a script: its statements, no parameters
            self._block(fn.body, state)
            return
        params = fn.params
        for p in (*params.posonly_params, *params.params, *params.kwonly_params, params.star_arg, params.star_kwarg):
            if type(p) is cst.Param:
                state[p.name.value] = frozenset({(p.name.value, id(fn))})
        if type(fn.body) is cst.IndentedBlock:
            self._block(fn.body.body, state)
        else:
            self._block((fn.body,), state)

    def binding_statement(self, value) -> Optional[int]:
        """id() of the statement that binds a value a function's ``tensors.Env`` holds (an
        in-place sum binds what it adds: `total += loss` holds `loss` too; `a, b = f(x)` is kept
        as `f(x)[i]`: its call's statement)."""
        if self._statements is None:
            self._statements = {}
            for node, bound, _ in self.bindings:
                if bound is not None:
                    self._statements[id(bound)] = id(node)
                if type(node) is cst.AugAssign:
                    self._statements[id(node.value)] = id(node)
        found = self._statements.get(id(value))
        if found is None and type(value) is cst.Subscript:
            found = self._statements.get(id(value.value))
        return found

    def narrow(self, name: cst.Name, values: list) -> list:
        """``values`` of a name, less those bound by an assignment of that name that does not
        reach this read of it (the walker may keep `y = x` as x's own value: its statement binds
        another name, so it stays); all of them when the read is not known. May be empty (the
        read sees only a parameter or an assignment the Env does not keep)."""
        defs = self.reads.get(id(name), ALL)
        if defs is ALL:
            return values
        statements = {d[1] for d in defs}
        binding = self.defining(name.value)
        return [v for v in values if v is None or self.binding_statement(v) in statements
                or self.binding_statement(v) not in binding and self._fills_reaching(v, statements)]

    def narrowed_class(self, name: cst.Name) -> Optional[cst.BaseExpression]:
        """The class an enclosing `if isinstance(name, C):` says this read of a name holds (no
        assignment of it in between), or None."""
        if not self.narrowings:
            return None
        defs = self.reads.get(id(name), ALL)
        if defs is ALL:
            return None
        for _, at in defs:
            narrowed = self.narrowings.get(at)
            if narrowed is not None:
                return narrowed[1]
        return None

    def _fills_reaching(self, value, statements: set) -> bool:
        """Whether a value put into a container (`total.append(loss)`) went into an object this
        read may see: the container's definitions at the append reach here too (not when the
        name was rebound since: `total = np.average(total)`)."""
        if id(value) not in self._fills:
            return True
        defs = self._fills[id(value)]
        return defs is None or any(d[1] in statements for d in defs)

    def defining(self, name: str) -> set:
        """The ids of the statements that bind ``name``."""
        if self._defining is None:
            self._defining = {}
            for node, _, names in self.bindings:
                for bound in names:
                    self._defining.setdefault(bound, set()).add(id(node))
        return self._defining.get(name, set())

    # -- statements ------------------------------------------------------------------------
    def _block(self, statements, state: dict) -> dict:
        for statement in statements:
            state = self._statement(statement, state)
        return state

    def _statement(self, node, state: dict) -> dict:
        t = type(node)
        if t is cst.SimpleStatementLine:
            for small in node.body:
                state = self._small(small, state)
            return state
        if t is cst.If:
            self._read(node.test, state)
            then = dict(state)
            narrowed = isinstance_test(node.test)
            if narrowed is not None:
                name = narrowed[0]
                self.narrowings[id(node)] = narrowed
                then[name] = then.get(name, frozenset()) | {(name, id(node))}
            then = self._block(node.body.body, then)
            other = self._orelse(node.orelse, dict(state))
            return _join(then, other)
        if t is cst.For:
            self._read(node.iter, state)
            names = _target_names(node.target)
            self.bindings.append((node, node.iter, names))
            return self._loop(node, state, lambda head: self._define(node, names, dict(head)))
        if t is cst.While:
            def enter(head: dict) -> dict:
                self._read(node.test, head)
                return dict(head)
            return self._loop(node, state, enter)
        if t is cst.With:
            for item in node.items:
                self._read(item.item, state)
                if item.asname is not None:
                    names = _target_names(item.asname.name)
                    self.bindings.append((node, item.item, names))
                    state = self._define(node, names, state)
            return self._block(node.body.body, state)
        if t in (cst.Try, cst.TryStar):
            body = self._block(node.body.body, dict(state))
            anywhere = _join(state, body)
            ends = [self._orelse(node.orelse, body) if node.orelse is not None else body]
            for handler in node.handlers:
                start = dict(anywhere)
                if handler.name is not None:
                    start = self._define(handler, _target_names(handler.name.name), start)
                ends.append(self._block(handler.body.body, start))
            out = ends[0]
            for end in ends[1:]:
                out = _join(out, end)
            if node.finalbody is not None:
                out = self._block(node.finalbody.body.body, _join(out, anywhere))
            return out
        if t is cst.Match:
            self.supported = False  # capture patterns bind names: not followed
            return state
        if t in (cst.FunctionDef, cst.ClassDef):
            for part in (*node.decorators, *(getattr(node, "bases", ()) or ())):
                self._read(part, state)
            self._closure(node)
            return self._define(node, (node.name.value,), state)
        # Anything else (a statement libcst adds later): its reads see every definition.
        self._closure(node)
        return state

    def _loop(self, node, state: dict, enter) -> dict:
        """A `for` / `while`: the body from the state at its head (``enter``: what the head does,
        the target bound or the test read), joined with what an iteration's end brings back, to a
        fixpoint (a few turns: each adds definitions only); then the `else`."""
        head = state
        for _ in range(8):
            joined = _join(state, self._block(node.body.body, enter(head)))
            if joined == head:
                break
            head = joined
        return self._orelse(node.orelse, head) if node.orelse is not None else head

    def _orelse(self, orelse, state: dict) -> dict:
        if orelse is None:
            return state
        if type(orelse) is cst.If:  # elif
            return self._statement(orelse, state)
        return self._block(orelse.body.body, state)

    def _small(self, node, state: dict) -> dict:
        t = type(node)
        if t is cst.Assign:
            self._read(node.value, state)
            names: list = []
            for target in node.targets:
                self._read_target(target.target, state)
                names.extend(_target_names(target.target))
            self.bindings.append((node, node.value, tuple(names)))
            return self._define(node, names, state)
        if t is cst.AnnAssign:
            if node.value is None:
                return state
            self._read(node.value, state)
            self._read_target(node.target, state)
            names = _target_names(node.target)
            self.bindings.append((node, node.value, names))
            return self._define(node, names, state)
        if t is cst.AugAssign:
            self._read(node.value, state)
            self._read(node.target, state)  # `x += v` reads x
            names = _target_names(node.target)
            self.bindings.append((node, node, names))  # the new value: the old one and `v`
            # `loss /= accum`: the name still holds what it held, combined with `v`, so the
            # assignments that reached it reach on through this one.
            before = [(n, state.get(n)) for n in names]
            state = self._define(node, names, state)
            for name, defs in before:
                if defs is not None:
                    state[name] = defs | state[name]
            return state
        if t in (cst.Global, cst.Nonlocal):
            self._unknown.update(n.name.value for n in node.names)
            return state
        if t is cst.Del:
            return state
        if t in (cst.Import, cst.ImportFrom):
            return state
        if t is cst.Expr:
            call = node.value
            if (type(call) is cst.Call and type(call.func) is cst.Attribute and call.args
                    and call.func.attr.value in _FILLING and type(call.func.value) is cst.Name):
                self._fills[id(call.args[-1].value)] = state.get(call.func.value.value)
            detaches = inplace_detaches(call)
            if detaches:
                # `loss.detach_()`: the name's old value, with its history, is gone from here on.
                self._read(node, state)
                for detach in detaches:
                    name = detach.func.value.value
                    self.bindings.append((detach, detach, (name,)))
                    state = self._define(detach, [name], state)
                return state
        self._read(node, state)
        return state

    # -- reads and definitions ----------------------------------------------------------
    def _define(self, node, names, state: dict) -> dict:
        for name in names:
            state[name] = frozenset({(name, id(node))})
        return state

    def _read_target(self, target, state: dict) -> None:
        """What an assignment target reads: `a[i] = v` reads `a` and `i`, `obj.x = v` reads `obj`."""
        if type(target) in (cst.Subscript, cst.Attribute):
            self._read(target, state)
        elif type(target) in (cst.Tuple, cst.List):
            for element in target.elements:
                self._read_target(element.value, state)
        elif type(target) is cst.StarredElement:
            self._read_target(target.value, state)

    def _read(self, expr, state: dict, own=frozenset()) -> None:
        """Record what each read of a name in ``expr`` sees. A list, set or dict comprehension runs
        where it stands, so a name it does not bind itself sees the definitions that reach it
        (`[w[i] * losses[i] for i in ...]` after `losses = net(x)` reads that `losses`, not an
        evaluation loop's further down); its own targets (``own``), and anything in a lambda or a
        generator, see every definition."""
        stack = [expr]
        while stack:
            node = stack.pop()
            t = type(node)
            if t is cst.Name:
                name = node.value
                self.reads[id(node)] = ALL if name in own or name in self._unknown else state.get(name, frozenset())
                continue
            if t is cst.NamedExpr:
                self.supported = False
                continue
            if t in (cst.ListComp, cst.SetComp, cst.DictComp):
                inner = set(own)
                for clause in comprehension_fors(node.for_in):
                    bound_names(clause.target, inner)
                for child in _children(node):
                    self._read(child, state, inner)
                continue
            if t in (cst.Lambda, cst.GeneratorExp):
                self._closure(node)
                continue
            if t is cst.Attribute:
                stack.append(node.value)  # `.attr` is no read of a name
                continue
            if t is cst.Arg:
                stack.append(node.value)  # nor is a keyword
                continue
            stack.extend(_children(node))

    def _closure(self, node) -> None:
        """Reads in a nested scope: they may run at any time, so they see every definition."""
        stack = [node]
        while stack:
            current = stack.pop()
            if type(current) is cst.Name:
                self.reads[id(current)] = ALL
                continue
            if type(current) is cst.NamedExpr:
                self.supported = False
            stack.extend(_children(current))


def _children(node) -> list:
    """The code children of a node (the walker's fast field walk; libcst's ``children`` property
    rebuilds a list of every field, whitespace included, on each access)."""
    from .walker import iter_children  # (the walker imports this module)

    return list(iter_children(node))


def _join(a: dict, b: dict) -> dict:
    if a is b:
        return a
    out = dict(a)
    for name, defs in b.items():
        mine = out.get(name)
        out[name] = defs if mine is None else mine | defs
    return out


def isinstance_test(test) -> Optional[tuple]:
    """(name, class) of a test `isinstance(name, C)` with one class, or None."""
    if type(test) is not cst.Call or type(test.func) is not cst.Name or test.func.value != "isinstance" \
            or len(test.args) != 2 or type(test.args[0].value) is not cst.Name:
        return None
    klass = test.args[1].value
    return (test.args[0].value.value, klass) if type(klass) in (cst.Name, cst.Attribute) else None


def inplace_detaches(value: cst.BaseExpression) -> list:
    """The `name.detach_()` calls an expression statement makes, alone or in a tuple
    (`x_adv.detach_(), loss.detach_()`)."""
    parts = [e.value for e in value.elements] if type(value) is cst.Tuple else [value]
    return [p for p in parts if type(p) is cst.Call and type(p.func) is cst.Attribute and not p.args
            and p.func.attr.value in TENSOR_INPLACE_DETACHED_METHODS and type(p.func.value) is cst.Name]


def _target_names(target) -> tuple:
    t = type(target)
    if t is cst.Name:
        return (target.value,)
    if t in (cst.Tuple, cst.List):
        out: list = []
        for element in target.elements:
            out.extend(_target_names(element.value))
        return tuple(out)
    if t is cst.StarredElement:
        return _target_names(target.value)
    return ()


def sees(reaching: Optional[ReachingDefinitions], name: cst.Name, tainted: set) -> Optional[bool]:
    """Whether a read of a name may see a definition in ``tainted``; None when the read is not
    known (a node the analysis did not visit, a closure's read)."""
    if reaching is None:
        return None
    defs = reaching.reads.get(id(name), ALL)
    if defs is ALL:
        return None
    return not defs.isdisjoint(tainted)
