"""Building blocks for fixes that add a grad-mode context manager.

- :func:`torch_alias`: the name the module already binds to ``torch`` (``import torch``,
  ``import torch as T``, ``import torch.nn`` all bind one), or None.
- :func:`add_torch_import`: add ``import torch`` after the module's leading docstring,
  ``from __future__`` and import statements.
- :func:`wrap_statements`: wrap one or more consecutive statements of one block in
  ``with <expr>:``, re-indented by the file's indent unit. The new text is generated from the
  statements' own CST, so comments, blank lines, continuation lines and every other byte stay as
  they were; only the indentation of the wrapped lines grows by one unit (the contents of
  multi-line strings are never re-indented: they are part of the string).
- :func:`no_grad_fix`: all of the above for the common case, "wrap these statements in
  ``torch.no_grad()``".

Everything here runs only when a rule builds a fix for a finding, never on the hot path.
"""

from __future__ import annotations

import re
from typing import Iterable, Optional, Sequence

import libcst as cst

from ..analysis.positions import _PositionState
from ..rules.base import FixSpec

_NEWLINE = re.compile(r"\r\n|\r|\n")


# --------------------------------------------------------------------------------------------
# the torch alias and the import


def _bound_torch(stmts: Iterable[cst.CSTNode]) -> Optional[str]:
    """The local name bound to the ``torch`` module by these import statements, if any."""
    found = None
    for stmt in stmts:
        if not type(stmt) is cst.SimpleStatementLine:
            continue
        for small in stmt.body:
            if not type(small) is cst.Import:
                continue
            for alias in small.names:
                full = cst.helpers.get_full_name_for_node(alias.name) or ""
                if alias.asname is not None and type(alias.asname.name) is cst.Name:
                    if full == "torch":
                        found = found or alias.asname.name.value
                elif full == "torch" or full.startswith("torch."):
                    found = "torch"  # `import torch` / `import torch.nn` bind `torch`
    return found


def _module_level_statements(module: cst.Module) -> list:
    """Module-level statements, including those under top-level ``if`` / ``try``."""
    out = []
    stack = list(reversed(module.body))
    while stack:
        stmt = stack.pop()
        out.append(stmt)
        if type(stmt) in (cst.If, cst.Try, cst.TryStar):
            nested = list(stmt.body.body)
            orelse = getattr(stmt, "orelse", None)
            while orelse is not None:
                nested.extend(orelse.body.body)
                orelse = orelse.orelse if type(orelse) is cst.If else None
            for handler in getattr(stmt, "handlers", ()):
                nested.extend(handler.body.body)
            stack.extend(reversed(nested))
    return out


def torch_alias(module: cst.Module, functions: Sequence[cst.FunctionDef] = (), aliases=None) -> Optional[str]:
    """The name this module binds to ``torch`` at module level, or in the body of one of the
    given enclosing functions (a function-local ``import torch``); None when there is none.
    ``aliases``: the file's AliasTable, which also holds the imports of earlier notebook cells
    (a cell is parsed as its own module, but runs after the cells above it)."""
    name = _bound_torch(_module_level_statements(module))
    if name is not None:
        return name
    for fn in functions:
        if type(fn.body) is cst.IndentedBlock:
            name = _bound_torch(fn.body.body)
            if name is not None:
                return name
    if aliases is not None:
        # An earlier notebook cell's import. (The table also holds imports made inside this
        # file's functions, `def __init__(self): import torch`: those bind nothing here.)
        inner = _function_torch_imports(module)
        for local, qualified in aliases.names.items():
            if qualified == "torch" and local not in inner:
                return local
    return None


def _function_torch_imports(module: cst.Module) -> set:
    """The names the module's functions bind to ``torch`` by an import of their own."""
    from ..analysis.walker import walk_nodes  # (only when a fix is built)

    return {name for node in walk_nodes(module) if type(node) is cst.FunctionDef
            for line in walk_nodes(node.body) if type(line) is cst.SimpleStatementLine
            for name in (_bound_torch([line]),) if name is not None}


def _is_docstring(stmt: cst.CSTNode) -> bool:
    return (
        type(stmt) is cst.SimpleStatementLine
        and len(stmt.body) == 1
        and type(stmt.body[0]) is cst.Expr
        and type(stmt.body[0].value) in (cst.SimpleString, cst.ConcatenatedString)
    )


def _is_import_line(stmt: cst.CSTNode) -> bool:
    return type(stmt) is cst.SimpleStatementLine and all(
        type(small) in (cst.Import, cst.ImportFrom) for small in stmt.body
    )


def _is_pass_line(stmt: cst.CSTNode) -> bool:
    return type(stmt) is cst.SimpleStatementLine and all(type(s) is cst.Pass for s in stmt.body)


def add_torch_import(spec: FixSpec, module: cst.Module) -> FixSpec:
    """Add ``import torch`` on its own line after the module's leading docstring /
    ``from __future__`` / import statements (or before the first statement when there are none).
    Leading ``pass`` lines are skipped too: in a notebook cell they are masked IPython magics
    (`%%time`, `%matplotlib inline`), which must stay first and cannot be edited."""
    newline = module.default_newline
    last = None
    for index, stmt in enumerate(module.body):
        if (index == 0 and _is_docstring(stmt)) or _is_import_line(stmt) or _is_pass_line(stmt):
            last = stmt
        else:
            break
    if last is not None:
        # The end of the statement's trailing whitespace is the start of the next line.
        return spec.insert_after(last.trailing_whitespace, "import torch" + newline)
    if not module.body:
        return spec.insert_after(module, "import torch" + newline)
    first = module.body[0]
    decorators = getattr(first, "decorators", ())
    anchor = decorators[0] if decorators else first
    return spec.insert_before(anchor, "import torch" + newline + newline)


# --------------------------------------------------------------------------------------------
# wrapping statements


def _suites(stmt: cst.CSTNode) -> list:
    """(suite, indent-adding?) for each block directly under a compound statement."""
    out = []
    body = getattr(stmt, "body", None)
    if isinstance(body, cst.BaseSuite):
        out.append(body)
    orelse = getattr(stmt, "orelse", None)
    if type(orelse) is cst.If:
        out.extend(_suites(orelse))
    elif type(orelse) is cst.Else:
        out.append(orelse.body)
    for handler in getattr(stmt, "handlers", ()) or ():
        out.append(handler.body)
    final = getattr(stmt, "finalbody", None)
    if type(final) is cst.Finally:
        out.append(final.body)
    return out


def locate(module: cst.Module, target: cst.BaseStatement):
    """(body, index, indent) of a statement: the tuple of statements holding it, its index
    there, and the indentation of its lines. None when the statement is not in an indented
    block or at module level (e.g. on the same line as its ``for x in y:``)."""
    default = module.default_indent
    stack = [(module.body, "")]
    while stack:
        body, indent = stack.pop()
        for index, stmt in enumerate(body):
            if stmt is target:
                return body, index, indent
            if isinstance(stmt, cst.BaseCompoundStatement):
                for suite in _suites(stmt):
                    if type(suite) is cst.IndentedBlock:
                        inner = indent + (suite.indent if suite.indent is not None else default)
                        stack.append((suite.body, inner))
                if type(stmt) is cst.Match:
                    cases_indent = indent + (stmt.indent if stmt.indent is not None else default)
                    for case in stmt.cases:
                        if type(case.body) is cst.IndentedBlock:
                            inner = cases_indent + (case.body.indent if case.body.indent is not None else default)
                            stack.append((case.body.body, inner))
    return None


def statement_of(module: cst.Module, node: cst.CSTNode) -> Optional[cst.SimpleStatementLine]:
    """The simple statement line that holds ``node`` (a small statement or an expression in
    one), or None (e.g. ``node`` is in the header of a compound statement). A search of the
    module, for rules that build a fix for a finding and do not track statements themselves."""
    from ..analysis.walker import walk_nodes

    stack = [module.body]
    while stack:
        for stmt in stack.pop():
            if type(stmt) is cst.SimpleStatementLine:
                for small in stmt.body:
                    if small is node or any(n is node for n in walk_nodes(small)):
                        return stmt
            elif isinstance(stmt, cst.BaseCompoundStatement):
                for suite in _suites(stmt):
                    if type(suite) is cst.IndentedBlock:
                        stack.append(suite.body)
                if type(stmt) is cst.Match:
                    stack.extend(case.body.body for case in stmt.cases if type(case.body) is cst.IndentedBlock)
    return None


def _offset(text: str, line: int, column: int) -> int:
    starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
    return starts[line - 1] + column


def render_block(
    module: cst.Module,
    header: cst.BaseCompoundStatement,
    indent: str,
) -> str:
    """The code of a new compound statement placed at ``indent``, from its first token to the
    end of its last statement's code (without the trailing comment and newline that the text
    after the replaced range keeps)."""
    state = _PositionState(module, {id(header)})
    state.indent_tokens = [indent] if indent else []
    header._codegen(state)
    code = "".join(state.tokens)
    line, col, end_line, end_col = state.spans[id(header)]
    return code[_offset(code, line, col): _offset(code, end_line, end_col)]


def wrap_statements(
    spec: FixSpec,
    module: cst.Module,
    statements: Sequence[cst.BaseStatement],
    context: str,
) -> bool:
    """Add to ``spec`` the change that wraps ``statements`` (consecutive, in one block) in
    ``with <context>:``. Returns False (and changes nothing) when they cannot be wrapped."""
    if not statements:
        return False
    where = locate(module, statements[0])
    if where is None:
        return False
    body, index, indent = where
    following = body[index: index + len(statements)]
    if len(following) != len(statements) or any(s is not b for s, b in zip(statements, following)):
        return False
    first = statements[0]
    # The comments and blank lines above the first statement stay above the `with`.
    inner = [first.with_changes(leading_lines=())] + list(statements[1:])
    node = cst.With(
        items=[cst.WithItem(item=cst.parse_expression(context))],
        body=cst.IndentedBlock(body=inner),
    )
    text = render_block(module, node, indent)
    spec.replace_range(first, statements[-1], text)
    return True


def no_grad_fix(
    spec: FixSpec,
    module: cst.Module,
    statements: Sequence[cst.BaseStatement],
    functions: Sequence[cst.FunctionDef] = (),
    api: str = "no_grad",
    aliases=None,
) -> bool:
    """Wrap ``statements`` in ``with <torch>.no_grad():`` (or another torch context manager
    named by ``api``) using the module's torch alias, adding ``import torch`` when there is none.
    ``functions``: the enclosing function definitions (for a function-local ``import torch``)."""
    alias = torch_alias(module, functions, aliases)
    if statements and any(_shadowed(fn, alias or "torch", statements[0]) for fn in functions):
        return False  # `import torch` further down the function makes `torch` a local unbound here
    if alias is not None:
        manager = f"{alias}.{api}()"
    else:
        # `from torch import no_grad as ng` already names the context manager: no import needed.
        manager = _imported_api(aliases, api)
    if not wrap_statements(spec, module, statements, manager or f"torch.{api}()"):
        return False
    if alias is None and manager is None:
        add_torch_import(spec, module)
    return True


def _shadowed(fn: cst.FunctionDef, name: str, first: cst.CSTNode) -> bool:
    """Whether ``name`` is a local of ``fn`` (an import or assignment anywhere in its body, not in
    nested functions) that is not bound by a top-level import before the statement holding
    ``first``: Python then reads ``name`` there as an unbound local (UnboundLocalError)."""
    if type(fn.body) is not cst.IndentedBlock:
        return False
    stack = list(fn.body.body)
    local = False
    while stack and not local:
        node = stack.pop()
        kind = type(node)
        if kind in (cst.FunctionDef, cst.ClassDef, cst.Lambda):
            continue
        if kind in (cst.Import, cst.ImportFrom) and type(node.names) is not cst.ImportStar:
            for alias in node.names:
                bound = alias.asname.name if alias.asname is not None else alias.name
                while type(bound) is cst.Attribute:  # `import torch.nn` binds `torch`
                    bound = bound.value
                local = local or (type(bound) is cst.Name and bound.value == name)
        elif kind is cst.AssignTarget and type(node.target) is cst.Name and node.target.value == name:
            local = True
        else:
            stack.extend(node.children)
    if not local:
        return False
    from ..analysis.walker import walk_nodes  # (as statement_of: only when a fix is built)

    for stmt in fn.body.body:
        if any(n is first for n in walk_nodes(stmt)):
            return True  # reached the wrapped code before any top-level import of the name
        if _bound_torch([stmt]) == name:
            return False
    return True


def _imported_api(aliases, api: str) -> Optional[str]:
    if aliases is None:
        return None
    from ..analysis.gradmode import CANONICAL

    for local, qualified in sorted(aliases.names.items()):
        if CANONICAL.get(qualified) == api:
            return f"{local}()"
    return None
