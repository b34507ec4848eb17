"""What a helper does to train/eval modes: `def eval_mode(self): self.G.eval()`,
`def freeze_bn(net): net.eval()` or `def set_mode(mode, models): for m in models: if mode == 'eval':
m.eval()`, read once from the helper's own statements (``helper_modes``) and mapped onto a call of
it (``mode_switches``): the caller's `self.G`, the argument the call passes for `net`, each model
of the list the call passes for `models`, and only the switches whose `mode == '...'` test the
call's string argument passes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import libcst as cst

from .flags import string_comparison
from .names import dotted, positional_names, string_value
from .patterns import bound_names, pretrained_in_eval_mode
from .walker import iter_children, own_nodes, walk_nodes

# A receiver standing for each element of a parameter the helper iterates (`for m in models`).
EACH = "[*]"


@dataclass(frozen=True)
class Switch:
    """One `x.eval()` / `x.train(...)` of a helper, in the helper's own terms."""

    receiver: str  # dotted; `models[*]` for the loop variable of `for m in models`
    mode: str  # "eval" or "train"
    call: cst.Call
    # (parameter, "==" or "!=", string): runs only when the call's string passes; (parameter, "is"
    # or "is not", "True", token): only when the call's flag (`train=False`) does, and then on
    # every path through the `if` whose side the token names.
    guard: Optional[tuple]
    # Inside some other branch, runs on some paths only: a token of the outermost such block
    # (a `.train()` after an `.eval()` of the same block undoes it on every path that ran it); or False.
    partial: "int | bool"


@dataclass(frozen=True)
class HelperModes:
    params: tuple  # positional parameter names, as written (`self` included)
    defaults: dict  # parameter -> its string default (`mode='eval'`)
    local: frozenset  # names the helper binds itself (not the module's globals)
    switches: tuple  # Switch, in source order


def switch_mode(attr: str, call: cst.Call) -> Optional[str]:
    """The mode a `.eval()` / `.train(...)` call sets: `train(False)` is eval mode, `train(flag)`
    restores the mode the caller had (training, in a training loop); `eval(x)` is no module's."""
    if attr == "eval":
        return "eval" if not call.args else None
    if not call.args:
        return "train"
    value = call.args[0].value
    if type(value) is cst.Name and value.value == "False":
        return "eval"
    return "train"


def helper_modes(fn: cst.FunctionDef, resolve: Optional[Callable] = None) -> HelperModes:
    """The helper's mode switches, with what each depends on: its own, and those of the helpers it
    calls that ``resolve`` knows (a call -> (HelperModes, whether a method) or None; the caller
    keeps one result per helper and breaks cycles). Cheap enough to run once per helper a file
    calls."""
    params = positional_names(fn)
    defaults = {}
    for p in (*fn.params.posonly_params, *fn.params.params):
        if p.default is not None and type(p.default) is cst.SimpleString:
            defaults[p.name.value] = string_value(p.default)
        elif type(p.default) is cst.Name and p.default.value in ("True", "False"):
            defaults[p.name.value] = p.default.value  # `train=True`: a flag's literal, as text
    local: set = set()
    saved: set = set()  # names bound to a model's `.training` (`was_training = model.training`)
    switches: list = []

    def visit(block, each: dict, guard, partial: bool) -> None:
        for statement in _statements(block):
            t = type(statement)
            if t is cst.SimpleStatementLine or t is cst.SimpleStatementSuite:
                for small in statement.body:
                    _bind(small, local, saved)
                    for node in _statement_calls(small):
                        if type(node.func) is cst.Attribute and node.func.attr.value in ("eval", "train"):
                            _add(node, each, guard, partial)
                        elif resolve is not None:
                            _nested(node, each, guard, partial)
            elif t is cst.For:
                inner = dict(each)
                if type(statement.target) is cst.Name:
                    local.add(statement.target.value)
                    if type(statement.iter) is cst.Name and statement.iter.value in params:
                        inner[statement.target.value] = statement.iter.value + EACH
                visit(statement.body, inner, guard, partial)
                if statement.orelse is not None:
                    visit(statement.orelse.body, each, guard, partial or id(statement.orelse))
            elif t is cst.If:
                test = (string_comparison(statement.test, params) or _flag_test(statement.test, params)
                        if guard is None else None)
                if test is not None and test[1] in ("is", "is not"):
                    # `if train: m.train() else: m.eval()`: partial, unless a call's `True` /
                    # `False` decides the test (the guard's token: the side it makes certain).
                    param, op, value = test
                    body, other = id(statement.body), id(statement.orelse)
                    visit(statement.body, each, (param, op, value, body), partial or body)
                    otherwise, other_partial = (param, _NEGATED[op], value, other), partial or other
                elif test is not None:
                    # `if mode == 'eval': m.eval() else: m.train()`: each clause for its strings.
                    param, op, value = test
                    visit(statement.body, each, (param, op, value), partial)
                    otherwise, other_partial = (param, _NEGATED[op], value), partial
                else:
                    # A test of the model's saved mode restores what the caller had: not partial.
                    restores = any(type(n) is cst.Attribute and n.attr.value == "training"
                                   or type(n) is cst.Name and n.value in saved for n in walk_nodes(statement.test))
                    visit(statement.body, each, guard, partial if restores else partial or id(statement.body))
                    otherwise, other_partial = guard, partial or id(statement.orelse)
                orelse = statement.orelse
                if orelse is not None:
                    visit(orelse if type(orelse) is cst.If else orelse.body, each, otherwise, other_partial)
            elif t in (cst.FunctionDef, cst.ClassDef):
                local.add(statement.name.value)
            elif t is cst.Try:
                visit(statement.body, each, guard, partial)
                for handler in statement.handlers:
                    visit(handler.body, each, guard, partial or id(handler))
                if statement.orelse is not None:
                    visit(statement.orelse.body, each, guard, partial or id(statement.orelse))
                if statement.finalbody is not None:
                    visit(statement.finalbody.body, each, guard, partial)
            elif t is cst.While:
                visit(statement.body, each, guard, partial or id(statement))
            elif t is cst.With:
                visit(statement.body, each, guard, partial)
            elif hasattr(statement, "body"):  # match, async forms
                visit(statement.body, each, guard, partial or id(statement))

    def _add(call: cst.Call, each: dict, guard, partial: bool) -> None:
        mode = switch_mode(call.func.attr.value, call)
        receiver = dotted(call.func.value)
        if mode is None or receiver is None:
            return
        root, dot, rest = receiver.partition(".")
        if root in each:
            receiver = each[root] + dot + rest
        switches.append(Switch(receiver, mode, call, guard, partial))

    def _nested(call: cst.Call, each: dict, guard, partial: bool) -> None:
        """`set_mode('eval', [g, d])` inside this helper: its switches, in this helper's terms."""
        found = resolve(call)
        if found is None:
            return
        nested, method, *on = found
        for receiver, mode, switch, inner in mode_switches(nested, call, method, frozenset(), own=True,
                                                           receiver=on[0] if on else None):
            root, dot, rest = receiver.partition(".")
            if root in each:
                receiver = each[root] + dot + rest
            switches.append(Switch(receiver, mode, switch, guard, partial or inner))

    # Most helpers switch nothing: their aliases (a walk of the whole body) are read only for
    # one that does, in a second pass.
    visit(fn.body, {}, None, False)
    if switches:
        switches.clear()
        visit(fn.body, _aliases(fn, params), None, False)
    return HelperModes(params, defaults, frozenset(local), tuple(switches))


def _aliases(fn: cst.FunctionDef, params: tuple) -> dict:
    """Locals bound once, to an attribute of `self` or of a parameter (`model = self.model`): a
    switch on the local is one on what it names (`model.eval()` puts `self.model` in eval mode)."""
    bound: dict = {}
    counts: dict = {}
    for node in own_nodes(fn.body):
        t = type(node)
        if t is cst.AssignTarget or t in (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.NamedExpr) \
                or t is cst.AsName:
            target = node.name if t is cst.AsName else node.target
            for n in walk_nodes(target):
                if type(n) is cst.Name:
                    counts[n.value] = counts.get(n.value, 0) + 1
        if t is cst.Assign and len(node.targets) == 1 and type(node.targets[0].target) is cst.Name \
                and type(node.value) is cst.Attribute:
            value = dotted(node.value)
            if value is not None and value.partition(".")[0] in ("self",) + tuple(params):
                bound[node.targets[0].target.value] = value
    return {name: value for name, value in bound.items() if counts.get(name) == 1}


_NEGATED = {"==": "!=", "!=": "==", "is": "is not", "is not": "is"}


class _EnclosingNames:
    """``module_names`` for a closure: every name it does not bind itself is its enclosing
    function's or the module's, and callers in the same scope name it the same way."""

    def __contains__(self, name: object) -> bool:
        return True


ENCLOSING = _EnclosingNames()


def _flag_test(test: cst.BaseExpression, params: tuple) -> Optional[tuple]:
    """`if train:` / `if not train:` on a parameter: a guard ("is" / "is not" `True`) that a call's
    `True` / `False` (or the flag's default) decides."""
    positive = True
    if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        test, positive = test.expression, False
    if type(test) is cst.Name and test.value in params:
        return test.value, "is" if positive else "is not", "True"
    return None


def mode_switches(helper: HelperModes, call: cst.Call, method: bool, module_names=frozenset(),
                  own: bool = False, receiver: Optional[str] = None) -> list:
    """(receiver in the caller's terms, "eval" or "train", the helper's switch call, partial) for
    each switch of the helper that this call makes: its receiver is `self` or a part of it (a
    method called on `self`), a parameter the call passes a dotted name for, each dotted element
    of a list or tuple the call passes for an iterated parameter, or one of ``module_names`` (a
    script's global `model`) the helper does not bind itself; a switch under `if mode == 'eval':`
    only when the call passes (or defaults) that string. ``own``: the call is made inside another
    helper, whose own receivers (a loop variable over its parameter) pass through by name.
    ``receiver``: the method is called on that object (`model.train_custom()`), not on `self`."""
    if not helper.switches:
        return []
    passed = passed_arguments(helper.params[1:] if method else helper.params, call)
    out = []
    for switch in helper.switches:
        partial = switch.partial
        if switch.guard is not None:
            param, op, expected = switch.guard[:3]
            given = passed.get(param)
            if op in ("is", "is not"):  # `if train:` on a flag: decided by a `True` / `False` only
                value = given.value if type(given) is cst.Name and given.value in ("True", "False") else (
                    helper.defaults.get(param) if given is None else None)
                if value in ("True", "False"):
                    if (value == expected) != (op == "is"):
                        continue
                    if partial == switch.guard[3]:
                        partial = False  # the call's flag makes this side certain
            else:
                value = string_value(given) if type(given) is cst.SimpleString else (
                    helper.defaults.get(param) if given is None else None)
                if value is not None and (value == expected) != (op == "=="):
                    continue
            if value is None and given is None:
                continue  # not passed and no default: the call cannot be told apart
        root, dot, rest = switch.receiver.partition(".")
        if root == "self" and method:
            out.append(((receiver + dot + rest) if receiver is not None else switch.receiver, switch.mode,
                        switch.call, partial))
        elif root.endswith(EACH):
            value = passed.get(root[:-len(EACH)])
            if type(value) in (cst.List, cst.Tuple):
                for element in value.elements:
                    name = dotted(element.value) if type(element) is cst.Element else None
                    if name is not None and name != "None":
                        out.append((name + dot + rest, switch.mode, switch.call, partial))
            elif own and value is not None and dotted(value) is not None:
                # `def to_eval(models): set_mode('eval', models)`: each of to_eval's own parameter
                out.append((dotted(value) + EACH + dot + rest, switch.mode, switch.call, partial))
        elif root in passed:
            name = dotted(passed[root])
            if name is not None:
                out.append((name + dot + rest, switch.mode, switch.call, partial))
        elif root in module_names and root not in helper.local and root not in helper.params:
            out.append((switch.receiver, switch.mode, switch.call, partial))
    return out


def final_modes(switches: list) -> dict:
    """Receiver -> the mode a call of the helper leaves it in (``mode_switches``' output): the
    last switch, where a `.train()` that runs on some paths only does not undo an `.eval()`, unless
    both are of the same branch (`if isinstance(net, nn.Module): net.eval(); ...; net.train()`)."""
    state: dict = {}
    block: dict = {}
    for receiver, mode, _, partial in switches:
        if mode == "train" and partial and state.get(receiver) == "eval" and block.get(receiver) != partial:
            continue
        state[receiver] = mode
        block[receiver] = partial
    return state


def _statements(block) -> tuple:
    """The statements of a block; a one-line suite (`if x: m.eval()`) and an `elif` clause are
    their own single statement."""
    if type(block) in (cst.SimpleStatementSuite, cst.If):
        return (block,)
    return block.body


def _statement_calls(small) -> list:
    """The calls a simple statement makes at its top: `m.eval()`, `x = m.eval().to(d)`, `return
    set_mode('eval', ms)` (the call and the calls its receiver chain makes), not calls nested in
    arguments. Read for every statement of every helper a file calls: no generic traversal."""
    value = getattr(small, "value", None)
    out = []
    while type(value) is cst.Call:
        out.append(value)
        func = value.func
        value = func.value if type(func) is cst.Attribute else None
    return out


def _bind(small, local: set, saved: set) -> None:
    """The names a simple statement binds (``local``), and those it binds to a model's `.training`
    (``saved``: `was_training = model.training`)."""
    kind = type(small)
    if kind is cst.Assign:
        for target in small.targets:
            bound_names(target.target, local)
        if type(small.value) is cst.Attribute and small.value.attr.value == "training":
            saved.update(t.target.value for t in small.targets if type(t.target) is cst.Name)
    elif kind in (cst.AnnAssign, cst.AugAssign):
        bound_names(small.target, local)


def _calls_in_order(statements, conds: tuple = ()):
    """(call, conds) for every call of ``statements`` in source order, outside nested functions,
    classes and lambdas; ``conds``: the `if` tests the call is under, as (test, True) in a body and
    (test, False) in its `else` (an `elif` adds both)."""
    stack = [(s, conds) for s in reversed(statements)]
    while stack:
        node, where = stack.pop()
        t = type(node)
        if t in (cst.FunctionDef, cst.ClassDef, cst.Lambda):
            continue
        if t is cst.If:
            parts = [(node.test, where)] + [(s, where + ((node.test, True),)) for s in node.body.body]
            orelse = node.orelse
            if type(orelse) is cst.If:
                parts.append((orelse, where + ((node.test, False),)))
            elif orelse is not None:
                parts.extend((s, where + ((node.test, False),)) for s in orelse.body.body)
            stack.extend(reversed(parts))
            continue
        if t is cst.Call:
            yield node, where
        children = list(iter_children(node))
        children.reverse()
        stack.extend((c, where) for c in children)


def excluded_by_test(switched: tuple, where: tuple) -> bool:
    """Whether a switch made under the tests ``switched`` cannot have run on a path to a call under
    ``where``: the two sit on opposite sides of the same test (`if self.onnx_mode: ... else:
    self.model.eval()`, then `if self.onnx_mode: self.predict_onnx(x)`)."""
    return any(test.deep_equals(other) and side != other_side
               for test, side in switched for other, other_side in where)


def _evaluated_at_calls(statements, wanted) -> list:
    """(call, receivers in eval mode there) for each call ``wanted(call)`` accepts: the receivers
    put in eval mode earlier in ``statements`` and not put back, leaving out a switch made on the
    other side of a test the call is under."""
    evaluated: dict = {}  # receiver -> the tests its `.eval()` was made under
    out = []
    for call, where in _calls_in_order(statements):
        func = call.func
        if type(func) is cst.Attribute and func.attr.value in ("eval", "train"):
            mode = switch_mode(func.attr.value, call)
            receiver = dotted(func.value)
            if mode is not None and receiver is not None:
                if mode == "eval":
                    evaluated[receiver] = where
                else:
                    evaluated.pop(receiver, None)
                continue
        if wanted(call):
            out.append((call, frozenset(r for r, tests in evaluated.items() if not excluded_by_test(tests, where))))
    return out


def evaluated_by_callers(klass: cst.ClassDef) -> dict:
    """Method name -> the parts of `self` (`"self.model"`) that every call of it by the class's
    own methods (`self._predict(x)`) finds in eval mode: put there earlier in the calling method
    (`self.model.eval()`) and not put back. Methods the class never calls on `self`, or that some
    call finds in train mode, are left out. A helper that runs `self.model` then runs it in the
    mode its callers set (ray's `predict`: `self.model.eval()`, then `return self._predict(t)`)."""
    if type(klass.body) is not cst.IndentedBlock:
        return {}
    methods = {s.name.value for s in klass.body.body if type(s) is cst.FunctionDef}
    found: dict = {}
    for method in klass.body.body:
        if type(method) is not cst.FunctionDef or type(method.body) is not cst.IndentedBlock:
            continue
        name = method.name.value

        def own_method(call, name=name) -> bool:
            func = call.func
            return (type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value == "self"
                    and func.attr.value in methods and func.attr.value != name)

        for call, seen in _evaluated_at_calls(method.body.body, own_method):
            attr = call.func.attr.value
            parts = frozenset(r for r in seen if r.startswith("self."))
            found[attr] = found[attr] & parts if attr in found else parts
    return {m: parts for m, parts in found.items() if parts}


def called_before_eval(klass: cst.ClassDef, method: str, receiver: str) -> bool:
    """Whether the class's `__init__` calls `self.<method>(...)` before it puts ``receiver`` in
    eval mode (`self.num_features = self._get_num_features(...)`, then `self.model.eval()`): that
    call runs the part in train mode (evaluated_by_init speaks of the later calls)."""
    init = next((s for s in klass.body.body if type(s) is cst.FunctionDef and s.name.value == "__init__"
                 and type(s.body) is cst.IndentedBlock), None) if type(klass.body) is cst.IndentedBlock else None
    for call, _ in _calls_in_order(init.body.body) if init is not None else ():
        func = call.func
        if type(func) is not cst.Attribute:
            continue
        if func.attr.value == method and type(func.value) is cst.Name and func.value.value == "self":
            return True
        if func.attr.value == "eval" and dotted(func.value) == receiver:
            return False
    return False


def evaluated_by_init(klass: cst.ClassDef, aliases) -> frozenset:
    """The parts of `self` (`"self.model"`) that the class's `__init__` leaves in eval mode, when
    no other method of the class switches or rebinds them (`Img2Vec`: `self.model.eval()` in the
    constructor, then `get_vec` runs it; also `self.alm =
    AutoModelForCausalLM.from_pretrained(path)`, which loads in eval mode): every method then runs
    them in eval mode. Only a plain class's: an `nn.Module`'s `train()` reaches its sub-modules,
    so its caller decides (the caller checks the bases)."""
    if type(klass.body) is not cst.IndentedBlock:
        return frozenset()
    methods = [s for s in klass.body.body if type(s) is cst.FunctionDef and type(s.body) is cst.IndentedBlock]
    init = next((m for m in methods if m.name.value == "__init__"), None)
    if init is None:
        return frozenset()
    evaluated: set = set()
    for line in init.body.body:
        if type(line) is not cst.SimpleStatementLine:
            continue  # (under an `if`: maybe another model)
        for small in line.body:
            if type(small) is cst.Assign and len(small.targets) == 1 and pretrained_in_eval_mode(small.value, aliases):
                receiver = dotted(small.targets[0].target)
                if receiver is not None and receiver.startswith("self.") and receiver.count(".") == 1:
                    evaluated.add(receiver)
    for call, where in _calls_in_order(init.body.body):
        func = call.func
        if type(func) is cst.Attribute and func.attr.value in ("eval", "train"):
            receiver = dotted(func.value)
            if receiver is None or not receiver.startswith("self."):
                continue
            if switch_mode(func.attr.value, call) == "eval" and not where:
                evaluated.add(receiver)
            else:
                evaluated.discard(receiver)
    if not evaluated:
        return frozenset()
    for method in methods:
        if method is init:
            continue
        for node in walk_nodes(method.body):
            if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "train":
                receiver = dotted(node.func.value)
                if receiver is None or not receiver.startswith("self."):
                    return frozenset()  # a model of unknown origin put back in train mode: may be one of these
                evaluated = {r for r in evaluated if not (r == receiver or r.startswith(receiver + "."))}
            elif type(node) in (cst.Assign, cst.AugAssign, cst.AnnAssign):
                targets = [t.target for t in node.targets] if type(node) is cst.Assign else [node.target]
                for target in targets:
                    for bound in walk_nodes(target):
                        name = dotted(bound) if type(bound) is cst.Attribute else None
                        if name is not None:
                            evaluated.discard(name)
    return frozenset(evaluated)


def evaluated_globals(module: cst.Module) -> frozenset:
    """Module-level names a function of the file declares `global` and puts in eval mode as a
    statement of its body (`global _model; _model = SpeakerEncoder(); _model.eval()` in
    `load_model`), when no function of the file puts them back in train mode: every function of
    the module runs them in eval mode."""
    evaluated: set = set()
    trained: set = set()
    for fn in (s for s in module.body if type(s) is cst.FunctionDef and type(s.body) is cst.IndentedBlock):
        declared = {n.value for st in fn.body.body if type(st) is cst.SimpleStatementLine
                    for small in st.body if type(small) is cst.Global for n in (a.name for a in small.names)}
        for receiver, mode, where in _switch_calls(fn.body.body):
            if mode != "eval":
                trained.add(receiver)
            elif receiver in declared and not where:
                evaluated.add(receiver)
    # The module's own statements, and those of its `if __name__ == "__main__":` guard (which runs
    # whenever the file runs as a script): `MODEL = Net(); MODEL.eval()` before `app.run()`.
    for receiver, mode, where in _switch_calls(module.body):
        if "." in receiver:
            continue
        if mode != "eval":
            trained.add(receiver)
        elif all(_main_guard(test) and inside for test, inside in where):
            evaluated.add(receiver)
    return frozenset(evaluated - trained)


def _switch_calls(statements):
    """(dotted receiver, "eval" or "train", the `if` tests around it) of each `x.eval()` /
    `x.train(...)` of ``statements`` (_calls_in_order: outside nested functions)."""
    for call, where in _calls_in_order(statements):
        func = call.func
        if type(func) is cst.Attribute and func.attr.value in ("eval", "train"):
            receiver = dotted(func.value)
            if receiver is not None:
                yield receiver, switch_mode(func.attr.value, call), where


def _main_guard(test: cst.BaseExpression) -> bool:
    """`__name__ == "__main__"`."""
    return type(test) is cst.Comparison and type(test.left) is cst.Name and test.left.value == "__name__" \
        and len(test.comparisons) == 1 and type(test.comparisons[0].operator) is cst.Equal \
        and string_value(test.comparisons[0].comparator) == "__main__"


def evaluated_arguments(module: cst.Module) -> dict:
    """Function name -> the parameters that every call of that top-level function of the file
    passes a model its caller put in eval mode (`encoder.eval(); caption(encoder, decoder, img)`
    in the script's `__main__` block, or in another function): the function runs them in the mode
    its callers set. Functions never called by name in the file are left out."""
    functions = {s.name.value: s for s in module.body if type(s) is cst.FunctionDef}
    if not functions:
        return {}
    found: dict = {}

    def by_name(call) -> bool:
        return type(call.func) is cst.Name and call.func.value in functions

    bodies = [list(module.body)] + [list(n.body.body) for n in walk_nodes(module)
                                    if type(n) is cst.FunctionDef and type(n.body) is cst.IndentedBlock]
    for body in bodies:
        for call, seen in _evaluated_at_calls(body, by_name):
            _record(functions[call.func.value], call, seen, found)
    return {name: params for name, params in found.items() if params}


def _record(fn: cst.FunctionDef, call: cst.Call, evaluated: frozenset, found: dict) -> None:
    params = positional_names(fn)
    seen = {param for param, value in passed_arguments(params, call).items() if dotted(value) in evaluated}
    name = fn.name.value
    found[name] = found[name] & seen if name in found else frozenset(seen)


def passed_arguments(params: tuple, call: cst.Call) -> dict:
    """Parameter -> the argument expression a call passes for it (positional ones up to a
    `*args`, and keywords)."""
    passed: dict = {}
    for position, arg in enumerate(call.args):
        if arg.star:
            break
        if arg.keyword is None:
            if position < len(params):
                passed[params[position]] = arg.value
        else:
            passed[arg.keyword.value] = arg.value
    return passed


def returns_evaluated(fn: cst.FunctionDef) -> bool:
    """Whether a function hands back a model it put in eval mode: `model.eval(); return model` (or
    `return model.eval()`), with no `.train()` of that name in it (a loader of the file: its
    caller holds a model in eval mode, as `from_pretrained` gives one)."""
    evaluated: set = set()
    trained: set = set()
    returned: list = []
    stack = [fn.body]
    while stack:
        node = stack.pop()
        t = type(node)
        if t is cst.FunctionDef or t is cst.ClassDef:
            continue  # a nested function's returns are not this one's
        if t is cst.Return and node.value is not None:
            returned.append(node.value)
        elif t is cst.Call and type(node.func) is cst.Attribute and type(node.func.value) is cst.Name \
                and node.func.attr.value in ("eval", "train"):
            mode = switch_mode(node.func.attr.value, node)
            (evaluated if mode == "eval" else trained).add(node.func.value.value)
        stack.extend(iter_children(node))
    if not returned:
        return False
    for value in returned:
        if type(value) is cst.Call and type(value.func) is cst.Attribute and value.func.attr.value == "eval" \
                and not value.args:
            continue
        if type(value) is not cst.Name or value.value not in evaluated or value.value in trained:
            return False
    return True

