"""Modules an `nn.Module` keeps in a plain Python list: `self.drops = []`, then
`self.drops.append(nn.Dropout(p))`. `nn.Module` registers only attributes that are modules (or
`nn.ModuleList` / `nn.ModuleDict` containers), so `.eval()`, `.train()`, `.to()`, `parameters()`
and `state_dict()` never reach what such a list holds: a dropout in it keeps dropping out in eval
mode, a batch norm keeps updating its statistics."""

from __future__ import annotations

from typing import NamedTuple, Optional

import libcst as cst

from .names import constructor_name, self_attribute
from .walker import walk_nodes


class PlainModuleList(NamedTuple):
    assign: cst.Assign  # `self.drops = []` in `__init__`
    attr: str
    constructors: tuple  # the dotted names the elements are built with, as written
    methods: frozenset  # the methods the class calls on the list (`append`, `index`...)


def plain_module_lists(klass: cst.ClassDef) -> list:
    """The attributes ``klass``'s `__init__` binds to a plain list that it fills with objects built
    by constructors (`DropoutWrapper(p)`, `nn.Dropout(p)`), that the class calls or iterates in a
    method, and that nothing hands to a container that registers them (`nn.ModuleList(self.drops)`)
    or rebinds. Which constructors build modules is the caller's question."""
    if type(klass.body) is not cst.IndentedBlock:
        return []
    methods = [s for s in klass.body.body if type(s) is cst.FunctionDef]
    init = next((m for m in methods if m.name.value == "__init__"), None)
    if init is None:
        return []
    lists: dict = {}
    for node in walk_nodes(init.body):
        if type(node) is cst.Assign and len(node.targets) == 1 and type(node.value) in (cst.List, cst.ListComp):
            attr = self_attribute(node.targets[0].target)
            if attr is not None:
                lists[attr] = None if attr in lists else node  # bound twice in `__init__`: unknown
    lists = {a: n for a, n in lists.items() if n is not None}
    if not lists:
        return []
    elements: dict = {a: _literal_elements(n.value) for a, n in lists.items()}
    used: set = set()
    called: dict = {}
    for method in methods:
        bound: "dict | None" = None  # what the method's appended names hold, read when an append needs it
        for node in walk_nodes(method.body):
            t = type(node)
            if t is cst.Call:
                func = node.func
                if type(func) is cst.Attribute and self_attribute(func.value) in lists:
                    attr = self_attribute(func.value)
                    called.setdefault(attr, set()).add(func.attr.value)
                    if func.attr.value == "append" and node.args:
                        value = node.args[0].value
                        if type(value) is cst.Name:
                            if bound is None:
                                bound = _appended_constructions(method)
                            elements[attr].append(bound.get(id(value)))
                        else:
                            elements[attr].append(_constructor(value))
                        continue
                if type(func) is cst.Subscript and self_attribute(func.value) in lists:
                    used.add(self_attribute(func.value))  # `self.drops[task](x)`
                if not (type(func) is cst.Name and func.value in _READING_BUILTINS):
                    for arg in node.args:
                        # `nn.ModuleList(self.drops)`, `nn.Sequential(*self.drops)`: registered there.
                        lists.pop(self_attribute(arg.value), None)
            elif t is cst.Assign:
                for target in node.targets:
                    attr = self_attribute(target.target)
                    if attr in lists and lists[attr] is not node:
                        lists.pop(attr)  # rebound (`self.drops = nn.ModuleList(drops)`): not known
            elif t is cst.For:
                used.update(a for a in _self_attrs_in(node.iter) if a in lists)
    out = []
    for attr, assign in lists.items():
        constructors = elements.get(attr) or []
        if attr in used and constructors and all(c is not None for c in constructors):
            out.append(PlainModuleList(assign, attr, tuple(dict.fromkeys(constructors)),
                                       frozenset(called.get(attr, ()))))
    return out


# Builtins that only read a list they are given (`zip(self.drops, xs)`).
_READING_BUILTINS = frozenset({"zip", "enumerate", "len", "reversed", "iter", "range", "isinstance", "print"})


def _self_attrs_in(expr) -> set:
    return {a for n in walk_nodes(expr) if (a := self_attribute(n)) is not None}


def _literal_elements(value) -> list:
    if type(value) is cst.ListComp:
        return [_constructor(value.elt)]
    return [_constructor(e.value) for e in value.elements if type(e) is cst.Element]


def _appended_constructions(method: cst.FunctionDef) -> dict:
    """id(name appended to a list) -> the constructor the binding it reads was built with (None
    when bound to anything else, or when that binding is also registered as a submodule of
    `self`: `self.drop = d`, `self.add_module(name, d)`). Bindings are followed in source order, so
    `layer` of a loop that registers its layers is not `layer` of the next loop."""
    current: dict = {}  # name -> [constructor, registered] of its latest binding
    appended: list = []  # (id of the appended name, its binding)
    for node in walk_nodes(method.body):
        t = type(node)
        if t is cst.Assign:
            if len(node.targets) == 1 and type(node.targets[0].target) is cst.Name:
                current[node.targets[0].target.value] = [_constructor(node.value), False]
            elif type(node.value) is cst.Name and any(self_attribute(t.target) for t in node.targets):
                _register(current, node.value.value)  # `self.drop = d`: registered as `drop` too
        elif t is cst.Call:
            for name in _registered_by(node):
                _register(current, name)
            func = node.func
            if type(func) is cst.Attribute and func.attr.value == "append" and node.args \
                    and type(node.args[0].value) is cst.Name:
                appended.append((id(node.args[0].value), current.get(node.args[0].value.value)))
    return {key: None if binding is None or binding[1] else binding[0] for key, binding in appended}


def _register(current: dict, name: str) -> None:
    binding = current.get(name)
    if binding is not None:
        binding[1] = True


def _registered_by(call: cst.Call) -> tuple:
    """`self.add_module(name, layer)`, `self.register_module(name, layer)`, `setattr(self, name,
    layer)`: the local names registered as submodules of `self` (a list that also holds them is
    only a second reference)."""
    func = call.func
    args = call.args
    if type(func) is cst.Attribute and func.attr.value in ("add_module", "register_module") \
            and type(func.value) is cst.Name and func.value.value == "self":
        value = args[1].value if len(args) == 2 else None
    elif type(func) is cst.Name and func.value == "setattr" and len(args) == 3 \
            and type(args[0].value) is cst.Name and args[0].value.value == "self":
        value = args[2].value
    else:
        return ()
    return (value.value,) if type(value) is cst.Name else ()


def _constructor(value) -> Optional[str]:
    """`Dropout(p)` / `nn.Dropout(p)` -> its dotted callee; else None."""
    return None if type(value) is cst.Name else constructor_name(value)
