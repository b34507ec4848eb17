"""Which `nn.Module` classes of a file certainly hold no parameters: a class fact for the project.

`self.cb_model = ClusterBackend(...)` in one file, `labels = self.cb_model(embeddings)` in a loop:
a module whose class (in another file) builds only configuration values and plain helper
objects (a clustering backend that runs sklearn) records no graph when called, so a loop over it
is no forgotten `no_grad`. Only what the class's own code shows counts: every `self.<attr> = ...`
in its methods is a literal, a container display, a parameter with a literal default, or an
instance of a plain class of the file (no base) that is itself built that way; no parameter or
submodule is registered; nothing is called `Parameter`. Anything else (an argument stored as
is, a call of another file's function) may be a module, and the class is left out.
"""

from __future__ import annotations

import libcst as cst

from .names import dotted

_MODULE_BASES = frozenset({"torch.nn.Module", "torch.nn.modules.module.Module"})
_REGISTERS_PARAMETERS = frozenset({"register_parameter", "add_module", "register_module"})
_LITERALS = (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
_DISPLAYS = (cst.List, cst.Tuple, cst.Set)
_PLAIN_BUILTINS = frozenset({"dict", "list", "tuple", "set", "int", "float", "str", "bool", "len", "range"})


def parameterless_classes(ctx) -> tuple:
    """Keys of the file's `nn.Module` subclasses (direct, of torch's own `Module`) that hold no
    parameters by the rules above (computed once per file)."""
    if ctx.local_parameterless is not None:
        return ctx.local_parameterless
    infos = ctx.class_infos
    out = []
    for info in infos.values():
        if info.bases and all((ctx.aliases.resolve_dotted(b) or b) in _MODULE_BASES for b in info.bases) \
                and _builds_nothing_trainable(info.node, infos, ctx.aliases, 0):
            out.append(info.key)
    ctx.local_parameterless = tuple(sorted(out))
    return ctx.local_parameterless


def _builds_nothing_trainable(node: cst.ClassDef, infos: dict, aliases, depth: int) -> bool:
    from .walker import walk_nodes

    if type(node.body) is not cst.IndentedBlock:
        return False
    for method in node.body.body:
        if type(method) is not cst.FunctionDef:
            if type(method) is not cst.SimpleStatementLine:
                return False  # a nested class, a conditional definition: not read
            continue
        defaults = {p.name.value: p.default for p in (*method.params.posonly_params, *method.params.params,
                                                       *method.params.kwonly_params)}
        for child in walk_nodes(method.body):
            t = type(child)
            if t is cst.Call:
                func = child.func
                last = func.attr.value if type(func) is cst.Attribute else func.value if type(func) is cst.Name else ""
                if last == "Parameter" or last in _REGISTERS_PARAMETERS or last == "setattr":
                    return False
                if last in ("append", "extend", "insert", "add", "update") and type(func) is cst.Attribute \
                        and _on_self(func.value) and not all(_plain(a.value, defaults, infos, aliases, depth)
                                                            for a in child.args):
                    # `self.models_.append(model_function(...))`: a plain list of networks holds no
                    # registered parameter, but calling the object runs them.
                    return False
            elif t in (cst.Assign, cst.AnnAssign, cst.AugAssign):
                targets = [x.target for x in child.targets] if t is cst.Assign else [child.target]
                if any(_on_self(x) for x in targets) and not _plain(child.value, defaults, infos, aliases, depth):
                    return False
    return True


def _on_self(target: cst.BaseExpression) -> bool:
    if type(target) in (cst.Tuple, cst.List):
        return any(_on_self(e.value) for e in target.elements)
    while type(target) in (cst.Attribute, cst.Subscript):
        target = target.value
        if type(target) is cst.Name:
            return target.value == "self"
    return False


def _plain(value, defaults: dict, infos: dict, aliases, depth: int) -> bool:
    """A value that holds no module and no parameter, by its syntax and the file's classes."""
    t = type(value)
    if value is None or t in _LITERALS:
        return True
    if t is cst.Name:
        if value.value in ("True", "False", "None"):
            return True
        default = defaults.get(value.value)
        return default is not None and _plain(default, {}, infos, aliases, depth)
    if t in _DISPLAYS or t is cst.Dict:
        return _shallow(value)
    if t is cst.UnaryOperation:
        return _plain(value.expression, defaults, infos, aliases, depth)
    if t is cst.Call:
        name = dotted(value.func)
        if name in _PLAIN_BUILTINS and name not in aliases.names:
            return all(_shallow(a.value) for a in value.args)
        info = infos.get(name) if name is not None else None
        if info is not None and depth < 3 and all(b in ("", "object") for b in info.bases):
            # A plain helper class of this file (no base): plain if what it builds is.
            return _builds_nothing_trainable(info.node, infos, aliases, depth + 1)
    return False


def _shallow(value) -> bool:
    """A literal, a name, or a display of those (a configuration value kept in a dict is not
    registered as a submodule; a module kept there would not be either)."""
    t = type(value)
    if t is cst.Name or t in _LITERALS:
        return True
    if t in _DISPLAYS:
        return all(type(e) is cst.Element and _shallow(e.value) for e in value.elements)
    if t is cst.Dict:
        return all(type(e) is cst.DictElement and _shallow(e.value) for e in value.elements)
    return False
