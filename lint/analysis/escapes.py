"""Where a function's autograd graphs can go: whether anything it computes with a graph reaches
its callers (returned, yielded, stored on its object, a parameter or a global, handed to a call
whose result it drops).

A forward pass whose graph reaches none of those places, in a function that backpropagates
through nothing itself, records a graph nobody can use: the function evaluates, whatever its
name (NG001's name-free evaluation loop).

The walker records, per function, the values stored outside its locals (``Store``); the
question is answered only for a function a rule asks about, from the function's assignments
(``tensors.Env``) and the value model.

A value *may carry the function's graph* when its fact may hold a graph and it derives from one:
its fact says GRAPH, or it is a call whose syntax looks like a forward, or it reads (through the
function's assignments) a name that does. A value that is certainly a number or a tensor without
history (`.item()`, `.argmax()`, `.detach()`) cuts the chain; an object does not, since an object
built from a graph holds it (`Categorical(logits=net(x)).log_prob(a)` carries the network's graph).
"""

from __future__ import annotations

from typing import NamedTuple, Optional

import libcst as cst

from .atoms import GRAPH, MODULE, NUMBER, TENSOR
from .reaching import ALL, ReachingDefinitions, sees
from .tensors import Env, names_in

# What certainly holds no graph: a Python value or a tensor without history. (An OBJECT or a
# MODULE may hold one: a distribution over a network's logits.)
_NO_GRAPH = frozenset({NUMBER, TENSOR})
# Attributes that hand back a tensor's storage or metadata, never its history (`.data`, `.grad`, `.shape`).
_DETACHING_ATTRS = frozenset({"data", "grad", "shape", "dtype", "device", "requires_grad", "is_leaf", "ndim"})
_BY_READS = (cst.Name, cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)


class Store(NamedTuple):
    """A value the function puts somewhere: into ``root`` (a name: a local container, or a
    parameter or global the caller sees), or somewhere the caller may reach for certain (None:
    `self.x = v`, the argument of a dropped call of another object)."""

    root: Optional[str]
    value: cst.BaseExpression
    # The read of ``root`` where the value goes in (`values` of `values.append(v)`): the
    # assignments of the name that reach it are the ones that hold the value.
    read: Optional[cst.Name] = None
    # The dropped call of an imported function the value is given to (`save_image(fake, path)`,
    # `scipy.misc.imsave(path, img)`): handed to it, what it does is the project's to say (a
    # function of another distribution keeps nothing the project reads back). A rule that takes
    # no handed calls counts it as an escape.
    callee: Optional[cst.Call] = None


class FunctionEscapes:
    """What one function lets out, from its assignments (``env``), what it stores and what it
    returns: asked by a rule when it leaves the function, while the function's class is still
    the current one (the value model reads it)."""

    __slots__ = ("values", "env", "stores", "returns", "params", "elements")

    def __init__(self, values, env: Env, stores: list, returns: list, params: tuple, elements: set) -> None:
        self.values = values
        self.env = env
        self.stores = stores
        self.returns = returns  # (value or None, grad disabled there)
        self.params = params
        # Names a `for` binds: elements of the iterated container, the same objects its owner holds
        # (`for token in sentence.tokens: token.set_embedding(e)` stores into the caller's sentence).
        self.elements = elements

    def graph_escapes(self, handed: Optional[list] = None, sources=frozenset()) -> bool:
        """Whether a value that may carry a graph computed here reaches the function's callers.
        ``handed``, when given and the answer is no: filled with the calls whose results the
        function keeps and that get such a value (`grad_norm = update(fabric, loss, opt)`); what
        they do with it (a backward pass, or a metric's arithmetic) is the project's to say.
        ``sources``: id() of calls the asking rule takes for forward passes (`self._decode(f)`, whose
        result the file cannot type): their results carry a graph wherever they go."""
        return self._reaches(handed, sources, (), True)

    def graph_reaches(self, sources, sinks, handed: Optional[list] = None, callers: bool = True) -> bool:
        """Whether the graph of the forwards ``sources`` (id() of calls) reaches the function's
        callers or a gradient use of it, ``sinks`` (`loss.backward()`, `torch.autograd.grad(...)`,
        a read of `x.grad`: the nodes whose receiver or arguments a graph may flow into). In a
        function that trains, a validation pass whose graph reaches none records one nobody uses
        (`valid_loss += loss_fn(model, x_valid)`, then only `.detach()`). ``handed`` as above.
        ``callers`` False: only the sinks count (a call whose result a training step subtracts from
        its loss, and whose numbers it also returns)."""
        return self._reaches(handed, sources, sinks, False, callers)

    def graph_reaches_flow(self, reaching: ReachingDefinitions, sources, sinks,
                           handed: Optional[list] = None, callers: bool = True) -> Optional[bool]:
        """``graph_reaches`` with each read of a name seeing only the assignments that reach it
        (``reaching``, the function's): a test forward whose `pred` the next batch binds again
        before `loss = f(pred); loss.backward()` reads it does not reach that backward pass.
        None when the function uses what the analysis does not follow (a walrus, a `match`)."""
        from .walker import iter_children

        if not reaching.supported:
            return None
        env = self.env
        tainted: set = set()
        by_name: dict = {}
        for node, _, names in reaching.bindings:
            for name in names:
                by_name.setdefault(name, set()).add((name, id(node)))

        def carries(expr) -> bool:
            # `total += loss.item()`: the old value and what is added, each judged on its own (the
            # added number cuts the chain however its own reads were computed). (Not recursive:
            # a closure that calls itself would hold the function's tree in a reference cycle.)
            if type(expr) is cst.AugAssign:
                return carries_one(expr.target) or carries_one(expr.value)
            return carries_one(expr)

        def carries_one(expr) -> bool:
            # A name is judged by the assignments that reach it, not by all of them at once; a
            # comprehension's own variables are untyped there: its elements are judged by what
            # they read (`[torch.matmul(q, k) for q, k in zip(queries, keys)]`).
            if id(expr) in sources:
                return True  # the forward itself, whatever its summary says (`cache[i].copy_(encode(rows))`)
            if type(expr) not in _BY_READS and self.values.infer(expr, env) <= _NO_GRAPH \
                    and not self.values.passes_history(expr):
                return False
            stack = [expr]
            while stack:
                node = stack.pop()
                if id(node) in sources:
                    return True
                if type(node) is cst.Name:
                    if id(node) in reaching.reads:
                        seen = sees(reaching, node, tainted)
                        if seen or seen is None and any(d[0] == node.value for d in tainted):
                            return True
                    continue
                if node is not expr and type(node) is cst.Call and self.values.infer(node, env) <= _NO_GRAPH \
                        and not self.values.passes_history(node):
                    continue  # `env_step(value.argmax().item())`: a number, whatever it read
                if type(node) is cst.Attribute and node.attr.value in _DETACHING_ATTRS \
                        and self.values.infer(node, env) <= _NO_GRAPH:
                    continue  # `Variable(net(z).data)`: the tensor without its history (a packed sequence's keeps it)
                stack.extend(iter_children(node))
            return False

        local = set(by_name) - set(self.params) - self.elements
        changed = True
        while changed:
            changed = False
            for node, value, names in reaching.bindings:
                defs = {(n, id(node)) for n in names}
                if value is not None and names and not defs <= tainted and carries(value):
                    tainted |= defs
                    changed = True
            for store in self.stores:
                # `d["k"] = out`, `metric.update(out)` on a local: the local's object holds it (the
                # object bound where the store happens: `values = torch.cat(values).detach()`
                # after the loop binds another one).
                if store.root is None or store.root not in local:
                    continue
                held = by_name[store.root]
                if store.read is not None:
                    defs = reaching.reads.get(id(store.read), ALL)
                    if defs is not ALL:
                        held = held & defs
                if held and not held <= tainted and carries(store.value):
                    tainted |= held
                    changed = True
        if callers:
            for value, disabled in self.returns:
                if value is not None and not disabled and carries(value):
                    return True
            if any((store.root is None or store.root not in local) and (store.callee is None or handed is None)
                   and carries(store.value) for store in self.stores):
                return True
        if any(carries(part) for sink in sinks for part in _sink_parts(sink)):
            return True
        if handed is not None:
            _hand_dropped(self.stores, handed, carries)
            for _, value, _ in reaching.bindings:
                if type(value) is cst.Call and value not in handed and any(
                        not arg.star and carries(arg.value) for arg in value.args):
                    handed.append(value)
        return False

    def _reaches(self, handed: Optional[list], sources, sinks, any_graph: bool, callers: bool = True) -> bool:
        """``any_graph``: every value that may carry a graph counts (graph_escapes); otherwise only
        values computed from ``sources`` do (graph_reaches). ``callers`` False: only ``sinks`` count."""
        from .walker import walk_nodes  # (the walker builds this object: imported when asked)

        env = self.env
        local = set(env.values)  # names the function assigns (a rebound parameter too: `x = net(x)`)
        owned = local - set(self.params) - self.elements  # containers the function itself made
        # A dropped call on a local object (`metric.update(out)`) or a store into a local
        # container (`d["k"] = out`) makes that local hold the value: more assignments for the chain.
        into: dict = {}
        for store in self.stores:
            if store.root is not None and store.root in owned:
                into.setdefault(store.root, []).append(store.value)
        tainted: dict = {}

        def fact(expr) -> frozenset:
            return self.values.infer(expr, env)

        def name_carries(name: str) -> bool:
            known = tainted.get(name)
            if known is not None:
                return known
            tainted[name] = False  # a cycle (`h = cell(x, h)`) adds nothing
            stored = into.get(name, [])
            values = [v for v in env.values.get(name, ()) if v is not None] + stored
            # (What is stored into it, `cache[i:j].copy_(encode(rows))`, counts whatever the
            # name was first bound to: an empty tensor takes the graph of what it is given.)
            answer = bool(values) and (bool(stored) or not fact(cst.Name(name)) <= _NO_GRAPH or any(
                self.values.passes_history(v) for v in values)) and any(value_carries(v) for v in values)
            tainted[name] = answer
            return answer

        def value_carries(expr) -> bool:
            found = fact(expr)
            # (`torch.cat(samples)` says `tensor` when nothing says its arguments carry a graph: they
            # may, through what they read.)
            if found <= _NO_GRAPH and not (type(expr) is cst.Name and expr.value in into) \
                    and not self.values.passes_history(expr):
                return False
            if any_graph and (GRAPH in found or any(type(a) is tuple and (a[2] or a[4]) for a in found)):
                return True  # a graph, or a call that looks like a forward or gets a graph
            if sources and any(id(n) in sources for n in walk_nodes(expr)):
                return True
            if any_graph and any(type(n) is cst.Call and MODULE in fact(n.func) for n in walk_nodes(expr)):
                return True  # `table(idx)` where `table = self.tables[i]`: a module's forward
            return any(name_carries(n) for n in set(names_in(expr)) if n in local)

        def sink_gets(node) -> bool:
            return any(value_carries(part) for part in _sink_parts(node))

        try:
            for value, disabled in self.returns if callers else ():
                if value is not None and not disabled and value_carries(value):
                    return True
            if callers and any((store.root is None or store.root not in owned)
                               and (store.callee is None or handed is None)
                               and value_carries(store.value) for store in self.stores):
                return True
            if any(sink_gets(sink) for sink in sinks):
                return True
            if handed is not None:
                _hand_dropped(self.stores, handed, value_carries)
                for values in env.values.values():
                    for value in values:
                        if type(value) is cst.Call and value not in handed and any(
                                not arg.star and value_carries(arg.value) for arg in value.args):
                            handed.append(value)
            return False
        finally:
            # The two closures refer to each other through their cells: a reference cycle that
            # would keep the value model, the walker and the file's tree alive until a collection.
            name_carries = value_carries = sink_gets = None  # noqa: F841


def _hand_dropped(stores: list, handed: list, carries) -> None:
    """The dropped calls of imported functions that get a value carrying the graph: handed."""
    for store in stores:
        if store.callee is not None and store.callee not in handed and carries(store.value):
            handed.append(store.callee)


def _sink_parts(sink) -> list:
    """What a gradient use reads: `x.grad`'s `x`; a call's arguments and, for a method,
    its receiver (`loss.backward()`, `scaler.scale(loss).backward()`, `autograd.grad(out, x)`)."""
    if type(sink) is cst.Attribute:
        return [sink.value]
    parts = [arg.value for arg in sink.args]
    if type(sink.func) is cst.Attribute:
        parts.append(sink.func.value)
    return parts
