"""Import aliases and dotted names, resolved without libcst's (slow) metadata providers."""

from __future__ import annotations

import re
from typing import Optional

import libcst as cst


def dotted(expr: cst.BaseExpression) -> Optional[str]:
    """``a.b.c`` -> "a.b.c"; anything that is not a plain dotted name -> None."""
    # Exact type checks: isinstance on libcst's ABC-derived classes costs several times more, and
    # this runs for most calls of every parsed file.
    t = type(expr)
    if t is _Name:
        return expr.value
    parts = []
    while t is _Attribute:
        parts.append(expr.attr.value)
        expr = expr.value
        t = type(expr)
    if t is not _Name:
        return None
    parts.append(expr.value)
    return ".".join(reversed(parts))


_Name, _Attribute = cst.Name, cst.Attribute


def self_attribute(expr: cst.BaseExpression) -> Optional[str]:
    """``drops`` for ``self.drops``; None for anything else."""
    if type(expr) is _Attribute and type(expr.value) is _Name and expr.value.value == "self":
        return expr.attr.value
    return None


def constructor_name(value: cst.BaseExpression) -> Optional[str]:
    """`Cls(...)` / `pkg.Cls(...)`: the dotted name of a class-like callee (capitalised last part)."""
    if not type(value) is cst.Call:
        return None
    name = dotted(value.func)
    if name is None:
        return None
    last = name.rpartition(".")[2].lstrip("_")  # a private class (`_TRMF`) is a class too
    return name if last[:1].isupper() else None


def root_name(expr: cst.BaseExpression) -> Optional[str]:
    """``losses`` for ``losses["loss"]``, ``out.loss``, ``out["a"][0].b``; None past a call."""
    while type(expr) in (cst.Subscript, cst.Attribute):
        expr = expr.value
    return expr.value if type(expr) is cst.Name else None


def _module_name(node) -> str:
    # ImportFrom.module / Import names are Name or Attribute chains.
    return dotted(node) or ""


class AliasTable:
    """Local name -> fully qualified dotted name, from the file's imports.

    One flat table per file: function-local imports are added too, which is what
    real code almost always means (the same alias is not rebound to something else).
    """

    __slots__ = ("module", "package", "names", "star_modules")

    def __init__(self, module: str, is_package: bool = False) -> None:
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.names: dict[str, str] = {}
        self.star_modules: list[str] = []

    def add_import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = _module_name(alias.name)
            if alias.asname is not None and type(alias.asname.name) is cst.Name:
                self.names[alias.asname.name.value] = full
            else:
                top = full.split(".", 1)[0]
                self.names[top] = top

    def add_import_from(self, node: cst.ImportFrom) -> None:
        base = _module_name(node.module) if node.module is not None else ""
        level = len(node.relative)
        if level:
            pkg_parts = self.package.split(".") if self.package else []
            if level > 1:
                pkg_parts = pkg_parts[: len(pkg_parts) - (level - 1)]
            base = ".".join([p for p in pkg_parts if p] + ([base] if base else []))
        if type(node.names) is cst.ImportStar:
            self.star_modules.append(base)
            return
        for alias in node.names:
            name = _module_name(alias.name)
            local = name
            if alias.asname is not None and type(alias.asname.name) is cst.Name:
                local = alias.asname.name.value
            self.names[local] = f"{base}.{name}" if base else name

    def resolve(self, expr: cst.BaseExpression) -> Optional[str]:
        """Qualified name of a dotted expression, or None when its root is not imported."""
        name = dotted(expr)
        if name is None:
            return None
        return self.resolve_dotted(name)

    def resolve_dotted(self, name: str) -> Optional[str]:
        root, _, rest = name.partition(".")
        target = self.names.get(root)
        if target is None:
            if self.star_modules:
                # `from torch import *`: a bare `no_grad` is torch's.
                for mod in self.star_modules:
                    if mod == "torch" or mod.startswith("torch."):
                        return f"{mod}.{name}"
            return None
        return f"{target}.{rest}" if rest else target

    def imports_torch(self) -> bool:
        return any(v == "torch" or v.startswith("torch.") for v in self.names.values()) or any(
            m == "torch" or m.startswith("torch.") for m in self.star_modules
        )


def collect_module_imports(module: cst.Module, table: AliasTable, source: Optional[str] = None) -> None:
    """Imports at module level (including under ``if``/``try``), before the main walk,
    so a function body can use a name imported further down the file. A file that reads
    `torch.` without importing it gets it from a star import (`from model import *` of a project
    module that imports torch): ``source``, the file's text, tells."""
    _collect(module, table)
    if (table.star_modules and "torch" not in table.names and source is not None
            and _TORCH_ATTRIBUTE.search(source) is not None):
        table.names["torch"] = "torch"


# `torch.load(...)`, not `self.torch.x` or `mytorch.x`.
_TORCH_ATTRIBUTE = re.compile(r"(?<![\w.])torch\.")


def _collect(module: cst.Module, table: AliasTable) -> None:
    stack = list(module.body)
    while stack:
        stmt = stack.pop()
        if type(stmt) is cst.SimpleStatementLine:
            for small in stmt.body:
                if type(small) is cst.Import:
                    table.add_import(small)
                elif type(small) is cst.ImportFrom:
                    table.add_import_from(small)
        elif type(stmt) in (cst.If, cst.Try, cst.TryStar):
            stack.extend(stmt.body.body)
            orelse = getattr(stmt, "orelse", None)
            while orelse is not None:
                stack.extend(orelse.body.body)
                orelse = getattr(orelse, "orelse", None) if type(orelse) is cst.If else None
            for handler in getattr(stmt, "handlers", ()):
                stack.extend(handler.body.body)


def string_value(node: cst.SimpleString) -> str:
    """The text of a string literal. libcst's ``evaluated_value`` runs ``ast.literal_eval``, whose
    nested helpers form a reference cycle per call (garbage for the cyclic collector): a plain
    quoted string without escapes or prefixes is read directly. A bytes literal gives its repr
    (`b'key'`): a text never equal to a str key's, as the two never match in a dict."""
    raw = node.value
    quote = raw[:1]
    if quote in ("'", '"') and len(raw) >= 2 and raw[-1] == quote and "\\" not in raw and raw[:3] != quote * 3:
        return raw[1:-1]
    value = node.evaluated_value
    return value if type(value) is str else repr(value)


def string_index(subscript: cst.Subscript) -> Optional[cst.BaseString]:
    """The index of `x["key"]` when it is one string literal (a mapping's key: indexing a tensor
    with a string raises), else None."""
    if len(subscript.slice) != 1 or type(subscript.slice[0].slice) is not cst.Index:
        return None
    index = subscript.slice[0].slice.value
    return index if type(index) in (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString) else None


def parameter_names(fn: cst.FunctionDef) -> list:
    """The names a call can bind by position or keyword, in order (no `*args`/`**kwargs`)."""
    params = fn.params
    return [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]


def decorated_with(fn: cst.FunctionDef, *names: str) -> bool:
    """Whether a function carries one of the decorators ``names`` as written (`staticmethod`,
    `classmethod`: Python's own, by their builtin names)."""
    return any(dotted(d.decorator) in names for d in fn.decorators)


def positional_names(fn: cst.FunctionDef) -> tuple:
    """The names a call binds by position, in order (`self` included for a method)."""
    return tuple(p.name.value for p in (*fn.params.posonly_params, *fn.params.params))
