"""Joining run-time evidence with the static findings.

* **Confirms**: an NG001 loop holding a frame of a forward that built an unused graph in the
  tests says so (message and ``Finding.observed``).
* **Adds**: such a forward at code no NG001 covers becomes an NG013 finding at the call.
* **Qualifies**: an NG001 loop whose forwards ran in the tests only with grad disabled (a caller
  the analysis could not see protects it) is kept with a note, or dropped (``protected="drop"``).

A frame "is in" a finding when it is in the same file between the finding's first and last
line: the loop (or comprehension) NG001 reports spans its whole body, so a helper's forward
called from the loop matches through the helper's caller frame.
"""

from __future__ import annotations

import ast
import dataclasses
import os
from typing import Callable, Optional

from ..rules.base import UNSAFE, Finding, FixSpec, Observed, format_bytes
from ..suppressions import covers, file_noqa, is_suppressed, noqa_lines
from .load import RuntimeEvidence, normal

EVAL_LOOP = "NG001"
SEEN = "NG013"
KEEP, DROP = "keep", "drop"


def _tests(tests: list) -> str:
    first = tests[0]
    more = len(tests) - 1
    return first if not more else f"{first} and {more} more test{'s' if more > 1 else ''}"


def _observed(status: str, forwards: list) -> Observed:
    tests = sorted({t for fw in forwards for t in fw.tests})
    sizes = [fw.graph_bytes for fw in forwards if fw.graph_bytes is not None]
    return Observed(status, tuple(tests), max(sizes) if sizes else None, sum(fw.calls for fw in forwards),
                    tuple(sorted({fw.module for fw in forwards})), tuple(sorted({fw.grad for fw in forwards})))


def join(findings: list, evidence: RuntimeEvidence, files: dict, *, enabled: Callable[[str, str], bool],
         protected: str = KEEP, texts: Optional[dict] = None) -> tuple:
    """(findings, notes). ``files``: display path -> path on disk of every linted file;
    ``enabled(display, code)``: whether a code is selected (and not per-file-ignored) there;
    ``texts``: display path -> text, where an editor holds unsaved text."""
    texts = texts or {}
    on_disk = {display: normal(path) for display, path in files.items()}
    # Only the linted files are hashed: a record is matched only in them (the language server
    # joins one file at a time, and must not read every file the report names on each edit).
    evidence.check_files(set(on_disk.values()), {on_disk[d]: t for d, t in texts.items() if d in on_disk})
    notes = []
    stale = sorted(evidence.stale)
    if stale:
        names = ", ".join(os.path.relpath(p) for p in stale[:3]) + (", ..." if len(stale) > 3 else "")
        notes.append(f"run-time evidence in {evidence.source} ignored for {len(stale)} file"
                     f"{'s' if len(stale) > 1 else ''} changed since the test run ({names}); rerun the tests "
                     "with --nograd-check --nograd-json to refresh it")
    by_file: dict = {}
    for fw in evidence.forwards:
        for frame in fw.chain:
            if evidence.fresh(frame.path):
                by_file.setdefault(frame.path, []).append((frame.line, fw))

    used: set = set()  # ids of unused-graph forwards a static finding accounts for
    out = []
    for f in findings:
        if f.code != EVAL_LOOP or f.cell is not None or f.path not in on_disk:
            out.append(f)
            continue
        inside = {id(fw): fw for line, fw in by_file.get(on_disk[f.path], ()) if f.line <= line <= f.end_line}
        forwards = list(inside.values())
        unused = [fw for fw in forwards if fw.unused_graph]
        if unused:
            used.update(id(fw) for fw in unused)
            seen = _observed("confirmed", unused)
            out.append(dataclasses.replace(f, observed=seen, message=(
                f"{f.message} (confirmed by {_tests(list(seen.tests))}: {format_bytes(seen.graph_bytes)} kept by a graph "
                "never used)")))
        elif forwards and all(fw.grad != "enabled" for fw in forwards):
            if protected == DROP:
                continue
            seen = _observed("protected", forwards)
            modes = " / ".join(seen.grad_modes)
            n = len(seen.tests)
            out.append(dataclasses.replace(f, observed=seen, message=(
                f"{f.message} (ran only under {modes} in {n} test{'s' if n != 1 else ''}: a caller may protect "
                "it)")))
        else:
            out.append(f)

    sites: dict = {}
    for fw in evidence.forwards:
        frame = fw.chain[0]
        if fw.unused_graph and id(fw) not in used and evidence.fresh(frame.path):
            sites.setdefault((frame.path, frame.line), []).append(fw)
    if sites:
        display_of = {path: display for display, path in on_disk.items()}
        for (path, line), forwards in sorted(sites.items()):
            display = display_of.get(path)
            if display is None or not enabled(display, SEEN):
                continue
            finding = _seen(display, files[display], texts.get(display), line, forwards)
            if finding is not None:
                out.append(finding)
    out.sort(key=Finding.sort_key)
    return out, notes


# --------------------------------------------------------------------------------------------
# NG013


def _seen(display: str, path: str, text: Optional[str], line: int, forwards: list) -> Optional[Finding]:
    if text is None:
        try:
            with open(path, encoding="utf-8", newline="") as fh:  # a fix keeps the file's line endings
                text = fh.read()
        except (OSError, UnicodeDecodeError):
            return None
    codes = file_noqa(text)
    if (codes is not None and covers(codes, SEEN)) or is_suppressed(noqa_lines(text), line, SEEN):
        return None
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    span = _call_span(tree, line, text.splitlines())
    if span is None:
        return None
    seen = _observed("seen", forwards)
    library = next((fw.library for fw in forwards if fw.library is not None), None)
    modules = " / ".join(f"`{m}`" for m in seen.modules)
    calls = f", {seen.calls} calls" if seen.calls > 1 else ""
    if library is not None:
        message = (f"{modules} in eval mode ran with gradients enabled inside library code "
                   f"({os.path.basename(library.path)}:{library.line}) called from here in {_tests(list(seen.tests))}"
                   f"{calls}, and built an autograd graph nothing used ({format_bytes(seen.graph_bytes)} kept alive); if the "
                   "library does not need gradients, call it under `torch.no_grad()`")
    else:
        message = (f"{modules} in eval mode ran here with gradients enabled in {_tests(list(seen.tests))}{calls}, "
                   f"and built an autograd graph nothing used ({format_bytes(seen.graph_bytes)} kept alive); wrap the call "
                   "in `torch.no_grad()`")
    fix = None if library is not None else _no_grad_fix(text, line, display)
    return Finding(SEEN, "eval-graph-seen-at-run-time", message, display, *span, fix=fix, observed=seen)


def _call_span(tree: ast.Module, line: int, lines: list) -> Optional[tuple]:
    """The outermost call starting on ``line`` (the line a frame reports for a call), else the
    innermost statement holding the line; 1-based columns, end exclusive."""
    best = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.lineno == line:
            if best is None or (node.col_offset, -node.end_lineno, -node.end_col_offset) < (
                    best.col_offset, -best.end_lineno, -best.end_col_offset):
                best = node
    if best is None:
        for node in ast.walk(tree):
            if isinstance(node, ast.stmt) and node.lineno <= line <= (node.end_lineno or node.lineno):
                if best is None or node.lineno >= best.lineno:
                    best = node
    if best is None:
        return None
    end_line = best.end_lineno or best.lineno

    def column(line: int, offset: int) -> int:  # ast counts UTF-8 bytes; findings count characters
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return len(text.encode("utf-8")[:offset].decode("utf-8", "replace")) + 1

    return (best.lineno, column(best.lineno, best.col_offset), end_line, column(end_line, best.end_col_offset or 0))


def _no_grad_fix(text: str, line: int, display: str):
    """Wrap the simple statement holding ``line`` in ``with torch.no_grad():``, when it sits in a
    function that uses no gradients (libcst is imported only here: an NG013 finding is rare)."""
    import libcst as cst

    from ..analysis.names import AliasTable, collect_module_imports
    from ..analysis.patterns import grad_use
    from ..analysis.walker import walk_nodes
    from ..fixes.wrap import no_grad_fix
    from ..runner import fix_edits

    try:
        module = cst.parse_module(text)
    except Exception:  # libcst refuses what CPython accepted: no fix, the finding stays
        return None
    found = _StatementAt(line, module)
    if found.statement is None or not found.functions:
        return None
    aliases = AliasTable(os.path.splitext(os.path.basename(display))[0])
    collect_module_imports(module, aliases)
    if any(type(node) is cst.Call and grad_use(node, aliases) for node in walk_nodes(found.functions[-1])):
        return None
    spec = FixSpec(UNSAFE, "Wrap the call in `torch.no_grad()` (the tests never used its graph)")
    if not no_grad_fix(spec, module, [found.statement], found.functions, aliases=aliases):
        return None
    return fix_edits(module, spec)


class _StatementAt:
    """The simple statement line holding ``line``, and the functions around it."""

    def __init__(self, line: int, module) -> None:
        import libcst as cst

        from ..analysis.positions import spans_of

        chains: list = []

        class Collect(cst.CSTVisitor):
            def __init__(self) -> None:
                self.functions: list = []

            def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
                self.functions.append(node)

            def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
                self.functions.pop()

            def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
                chains.append((node, tuple(self.functions)))

        module.visit(Collect())
        spans = spans_of(module, [node for node, _ in chains])
        self.statement, self.functions = None, ()
        for node, functions in chains:
            span = spans.get(id(node))
            if span is not None and span[0] <= line <= span[2]:
                self.statement, self.functions = node, functions
