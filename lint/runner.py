"""The pipeline: discover -> read and parse -> analyse and run rules -> resolve cross-file
facts -> findings. Each file is linted independently (in parallel with ``--jobs``); only the
small per-file facts meet in the main process."""

from __future__ import annotations

import ast
import concurrent.futures
import contextlib
import dataclasses
import gc
import multiprocessing
import os
import re
import sys
import threading
import warnings
from itertools import accumulate
from typing import Iterable, Optional

import libcst as cst

from .analysis.class_parameters import parameterless_classes
from .analysis.context import FileContext
from .analysis.names import collect_module_imports
from .analysis.positions import spans_of
from .analysis.class_modes import text_facts
from .analysis.project import FileFacts, facts_from_text
from .analysis.walker import (Walker, file_freezes, finalize_condition, finalize_returns, finalize_run_calls,
                               finalize_runs, finalize_sites)
from .config import Settings
from .registry import all_rules
from .results import UNREADABLE, UNUSED_NOQA, FileResult, LintJob, WorkerDied, resolve, with_summaries  # noqa: F401  (re-exported)
from .rules.base import SAFE, Edit, Finding, Fix, FixSpec
from .source.notebook import leading_indent, load_notebook
from .source.parsing import parse_module
from .source.reading import SourceError, decode_source_noted, read_bytes
from .suppressions import ALL, covers, file_noqa, is_suppressed, noqa_directives, noqa_lines

# --------------------------------------------------------------------------------------------
# one file


# Tests set this: an internal error raises instead of becoming the file's NG900.
RAISE_INTERNAL_ERRORS = False


def lint_job(job: LintJob) -> FileResult:
    # No cyclic collection while one file is linted: collections in the middle traversed its large,
    # short-lived syntax tree again and again (measured: about 3 s of a 18 s cold run on the
    # benchmark corpus). One young collection after the file frees it with the analysis's cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        try:
            result = _lint_job(job)
        except RecursionError:
            result = _lint_deep(job)
    except RecursionError:
        result = _unreadable(job.display, "code is nested too deeply to analyse")
    except SourceError as exc:
        result = _unreadable(job.display, str(exc))
    except Exception as exc:  # a bug of ours in one file must not cost the user the other files' findings
        if RAISE_INTERNAL_ERRORS or os.environ.get("NOGRADLINT_DEBUG"):
            raise
        result = _unreadable(job.display, f"internal error while analysing this file: {type(exc).__name__}: {exc} "
                                          "(rerun with NOGRADLINT_DEBUG=1 for details and please report it)")
    finally:
        if enabled:
            gc.enable()
            gc.collect(0)  # the analysis's cycles (the walker and its rules) hold the tree: once
    if UNREADABLE not in job.codes and result.findings:  # NG900 deselected (--ignore NG900)
        result.findings = [f for f in result.findings if f.code != UNREADABLE]
    return result


# Valid code can nest deeper than Python's default recursion limit lets the analysis follow: a
# string built from 500 `+` terms, or 500 implicitly concatenated lines, is a 500-deep tree. Such a
# file is linted once more in a thread with a large stack and a higher recursion limit (only
# that file pays for it); beyond that it is an NG900.
_DEEP_STACK_BYTES = 512 * 1024 * 1024
_DEEP_RECURSION_LIMIT = 40_000


def _lint_deep(job: LintJob) -> FileResult:
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["result"] = _lint_job(job)
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            outcome["error"] = exc

    old_limit = sys.getrecursionlimit()
    thread = threading.Thread(target=target, name="nogradlint-deep", daemon=True)
    sys.setrecursionlimit(max(old_limit, _DEEP_RECURSION_LIMIT))
    try:
        try:
            old_stack = threading.stack_size(_DEEP_STACK_BYTES)  # read when the thread starts
            try:
                thread.start()
            finally:
                threading.stack_size(old_stack)
        except (ValueError, RuntimeError):  # no such stack here, or no thread: NG900 as before
            raise RecursionError from None
        thread.join()
    finally:
        sys.setrecursionlimit(old_limit)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _lint_job(job: LintJob) -> FileResult:
    if job.text is not None:
        text = job.text
    else:
        text, note = decode_source_noted(read_bytes(job.path), job.path)
        if note:
            print(f"nogradlint: note: {job.display}: {note}", file=sys.stderr)
    notebook = job.display.endswith(".ipynb")
    # A notebook's outputs and widget state are not parsed: its JSON may be much larger than its code.
    _check_size(len(text), "file", MAX_SOURCE_CHARS * (_NOTEBOOK_BULK if notebook else 1))
    indents: dict = {}  # notebook cell -> (indentation IPython removes, the cell's own lines)
    if notebook:
        _, cells = load_notebook(text)
        # What is parsed is the code cells: outputs and widget state (images, often megabytes) are not.
        _check_size(sum(len(cell.source) for cell in cells), "notebook code", MAX_SOURCE_CHARS)
        units = []
        for cell in cells:
            # Lint what IPython runs: a uniformly indented cell is dedented first (findings are
            # put back in the cell's own columns; their fixes are dropped, see _reindented).
            source, indent = leading_indent(cell.source)
            units.append((cell.index, source))
            if indent:
                indents[cell.index] = (indent, cell.source.splitlines())
    else:
        if "\x00" in text:
            raise SourceError("file contains NUL bytes; it is not Python source")
        units = [(None, text)]
    file_codes = file_noqa(units[0][1]) if units else None
    if file_codes is not None and ALL in file_codes:
        return FileResult(job.display)

    report_unused = UNUSED_NOQA in job.codes
    run_codes = set(job.codes)
    if report_unused:
        # Whether a `# noqa: NGxxx` is used does not depend on the selection: the rules it
        # names run too, and their findings only mark directives as used.
        registered = {r.code for r in all_rules()}
        named = {c for _, src in units for d in noqa_directives(src) for c in d.codes or ()}
        run_codes |= {r for r in registered if covers(named, r)}
    rules = [r for r in all_rules() if r.code in run_codes]
    trigger = _trigger_regex(tuple(r.code for r in rules), job.settings)
    combined = "\n".join(src for _, src in units)
    skip = not trigger.search(combined) if trigger is not None else UNREADABLE not in job.codes
    if skip and not job.summaries:
        # Nothing here can hold a finding: skip the libcst parse. Definitions and calls still
        # count for the cross-file facts (analysis/project.py: facts_from_text). A syntax error must still
        # be reported (NG900): CPython's own parser finds it at a fraction of libcst's cost.
        findings = _syntax_errors(job.display, units) if UNREADABLE in job.codes else []
        if report_unused:
            broken = {f.cell for f in findings}
            for cell, source in units:
                if cell not in broken:
                    findings.extend(_unused_noqa(job.display, cell, source, set()))
        return FileResult(job.display, _reindented(_file_level(findings, file_codes), indents),
                          facts=_facts_from_text(job.module, combined))

    # A rule whose findings need words the file does not have (NG017 needs a training step or
    # loaded weights) does not walk it.
    rules = [r for r in rules if not r.requires or any(word in combined for word in r.requires)]
    ctx = FileContext(job.display, job.module, job.is_package, job.settings)
    # Whether the text switches a model to eval mode anywhere: the analyses that follow an eval
    # mode into the functions a file calls skip their extra pass over the tree when it does not.
    # (`from_pretrained` loads a transformers network in eval mode: a switch too.)
    ctx.switches_to_eval = ".eval()" in combined or "train(False)" in combined or "from_pretrained(" in combined
    findings: list = []
    for cell, source in units:
        too_deep = _too_deep_for_libcst(source)
        if too_deep is not None:
            findings.append(_unreadable_finding(job.display, too_deep, 1, 1, cell))
            continue
        without_fixes = False
        try:
            module = parse_module(source)
        except cst.ParserSyntaxError as exc:
            # CPython's parser says where the error is (libcst's position is often many lines
            # later); libcst's own message stands for syntax CPython accepts and libcst does not.
            found = _syntax_errors(job.display, [(cell, source)])
            if found:
                module = _parse_legacy_keywords(source)
                if module is not None:
                    found = [dataclasses.replace(f, message=f"{f.message} (`async` is a keyword since Python 3.7: "
                                                 "rename the argument, `non_blocking=True` for `.cuda()`; the rest of "
                                                 "the file is linted reading it as a name)") for f in found]
                findings.extend(found)
                if module is None:
                    continue
                # Python 3.6 code (`x.cuda(async=True)`): NG900 says it no longer runs; the rest of
                # the file is still linted, with `async` read as a name, and without fixes.
                source, without_fixes = module.code, True
            else:
                module = _parse_tabs_expanded(source)
                if module is None:
                    where = f"cell {cell}, " if cell is not None else ""
                    message = (f"syntax error at {where}line {exc.raw_line}, column {exc.raw_column + 1}: "
                               f"{_first_line(exc.message)}")
                    findings.append(_unreadable_finding(job.display, message, exc.raw_line, exc.raw_column + 1, cell))
                    continue
                source, without_fixes = module.code, True
        ctx.cell = cell
        ctx.module_node = module
        ctx.pending = []
        collect_module_imports(module, ctx.aliases, source)
        instances = [rule(ctx) for rule in rules]
        Walker(ctx, instances).walk(module)
        used: set = set()
        pending = ctx.pending
        if pending and len(units) == 1:
            # The whole file is known: drop what its own definitions already settle before paying
            # for positions (a notebook's later cells may still define what a condition names).
            pending = [p for p in pending if p.condition is None or not p.condition.needs_project()
                       or finalize_condition(ctx, p.condition)[0]]
        if pending:
            found = _materialize(module, pending, job.display, cell, source, used)
            if without_fixes:
                # Edits computed on re-indented (or renamed) text would rewrite what the file has.
                found = [dataclasses.replace(f, fix=None) for f in found]
            findings.extend(found)
        if report_unused:
            findings.extend(_unused_noqa(job.display, cell, source, used))
        for instance in instances:
            instance.release()
    if len(run_codes) > len(job.codes):
        findings = [f for f in findings if f.code in job.codes]
    findings = _reindented(_finalize_conditions(ctx, findings), indents)
    # Functions that take a training step themselves (not by their name alone).
    facts = FileFacts(job.module, ctx.defs, finalize_sites(ctx), finalize_returns(ctx),
                      tuple(sorted(ctx.training_steps())), tuple(sorted(ctx.training_functions)), ctx.keeps,
                      finalize_runs(ctx), ctx.class_attributes, run_calls=finalize_run_calls(ctx),
                      freezes=file_freezes(ctx), flag_freezes=dict(ctx.flag_freezes), parameterless=parameterless_classes(ctx),
                      context_managers=ctx.context_managers, abstract=tuple(sorted(ctx.abstract)),
                      quiet=dict(ctx.quiet), closures=tuple(sorted(ctx.returned_closures)),
                      flag_outputs=dict(ctx.flag_outputs), keywords=dict(ctx.keywords),
                      **text_facts(job.module, combined))
    ctx.release()
    return FileResult(job.display, _file_level(findings, file_codes), facts, parsed=True)


def _file_level(findings: list, file_codes) -> list:
    """Drop what `# nogradlint: noqa: CODES` silences in the whole file (never NG900: a file
    that cannot be linted is always reported)."""
    if not file_codes:
        return findings
    return [f for f in findings if f.code == UNREADABLE or not covers(file_codes, f.code)]


def _reindented(findings: list, indents: dict) -> list:
    """Findings of dedented notebook cells (IPython's leading_indent) in the cell's own columns.
    Their fixes are dropped: an edit made on the dedented text would need re-indenting line by
    line, and a fix must never leave the cell half-changed."""
    if not indents:
        return findings
    out = []
    for f in findings:
        found = indents.get(f.cell)
        if found is not None:
            indent, lines = found

            def shift(line: int, column: int) -> int:
                own = lines[line - 1] if 0 < line <= len(lines) else ""
                return column + len(indent) if own.startswith(indent) else column

            f = dataclasses.replace(f, column=shift(f.line, f.column), end_column=shift(f.end_line, f.end_column),
                                    fix=None)
        out.append(f)
    return out


def _finalize_conditions(ctx: FileContext, findings: list) -> list:
    """Resolve what findings still ask of the project's function summaries, now that every
    definition of the file is known (a finding about a call of nothing the project defines is
    decided here, by the call's syntax)."""
    out = []
    for f in findings:
        if f.condition is not None and f.condition.needs_project():
            keep, condition = finalize_condition(ctx, f.condition)
            if not keep:
                continue
            f = dataclasses.replace(f, condition=condition)
        out.append(f)
    return out


def _unused_noqa(display: str, cell, source: str, used: set) -> list:
    """NG901 for the codes of each `# noqa: ...` that suppressed nothing on its line. Only
    codes of registered rules count (`E501` belongs to another tool); a bare `# noqa` is never
    reported (other linters read it too), nor is a directive that names NG901 itself."""
    registered = {r.code for r in all_rules()} - {UNREADABLE, UNUSED_NOQA}
    lines = None
    out = []
    for d in noqa_directives(source):
        if d.codes is None or UNUSED_NOQA in d.codes:
            continue
        here = {code for line, code in used if line == d.line}
        unused = [c for c in d.codes if any(r.startswith(c) for r in registered)
                  and not any(code.startswith(c) for code in here)]
        if not unused:
            continue
        if lines is None:
            lines = source.splitlines()
        text = lines[d.line - 1] if d.line <= len(lines) else ""
        kept = [c for c in d.codes if c not in unused]
        start, end = d.start, d.end
        if kept:
            content, what = f"# noqa: {', '.join(kept)}", f"Remove unused {', '.join(unused)}"
        elif text[end:].strip():  # other words in the comment stay a comment
            content, what = "#", "Remove the unused `noqa` directive"
        else:
            start = len(text[:start].rstrip())  # with the blanks before it
            content, what = "", "Remove the unused `noqa` directive"
        names = ", ".join(f"`{c}`" for c in unused)
        message = f"unused `noqa` directive: no {names} finding on this line; remove it"
        fix = Fix(SAFE, what, (Edit(d.line, start + 1, d.line, end + 1, content),))
        out.append(Finding(UNUSED_NOQA, "unused-noqa", message, display, d.line, d.start + 1, d.line, d.end + 1,
                           fix=fix, cell=cell))
    return out


_LEADING_WHITESPACE = re.compile(r"(?m)^[ \t]+")


def _parse_tabs_expanded(source: str) -> "cst.Module | None":
    """The module of a file CPython accepts and libcst does not because its indentation mixes
    tabs and spaces (`\t\t` then four spaces in one block, consistent under Python's rule of
    tabs to the next multiple of eight): parsed with the leading tabs expanded that way. Lines
    stay where they are; columns on such lines move, and no fix is offered."""
    if "\t" not in source:
        return None
    try:
        return parse_module(_LEADING_WHITESPACE.sub(lambda m: m.group(0).expandtabs(8), source))
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return None


# `async` used as a name, as Python 3.6 allowed (`x.cuda(async=True)`, `def f(async=False)`): a
# keyword since 3.7. Replaced by a name of the same length, so every position stays where it is.
_ASYNC_AS_NAME = re.compile(r"(?<=[(,])(\s*)async(?=\s*=(?!=))")


def _parse_legacy_keywords(source: str) -> "cst.Module | None":
    """The module of a file that CPython rejects only because it uses `async` as an argument name
    (research code written for Python 3.6): parsed with `async` renamed `asyn_`. None when that
    does not make it valid."""
    if "async" not in source:
        return None
    renamed = _ASYNC_AS_NAME.sub(lambda m: m.group(1) + "asyn_", source)
    if renamed == source:
        return None
    try:
        ast.parse(renamed)
        return parse_module(renamed)
    except (SyntaxError, cst.ParserSyntaxError, RecursionError, ValueError, MemoryError):
        return None


def _syntax_errors(display: str, units: list) -> list:
    """NG900 for the units CPython cannot parse (used when the libcst parse is skipped)."""
    findings = []
    for cell, source in units:
        try:
            ast.parse(source)
        except SyntaxError as exc:
            line = exc.lineno or 1
            column = exc.offset or 1
            where = f"cell {cell}, " if cell is not None else ""
            message = f"syntax error at {where}line {line}, column {column}: {_first_line(exc.msg or '')}"
            findings.append(_unreadable_finding(display, message, line, column, cell))
        except (RecursionError, MemoryError):
            findings.append(_unreadable_finding(display, "code is nested too deeply to analyse", 1, 1, cell))
        except ValueError as exc:  # e.g. NUL bytes inside a notebook cell
            findings.append(_unreadable_finding(display, _first_line(str(exc)), 1, 1, cell))
    return findings


_NOTEBOOK_BULK = 10  # a notebook's JSON may be this many times the size limit (images in outputs)


def _check_size(chars: int, what: str, limit: int) -> None:
    if chars > limit:
        raise SourceError(
            f"{what} has {chars / 1e6:.1f} million characters; nogradlint lints files of up to "
            f"{limit / 1e6:g} million (generated code? exclude it)"
        )


# A file this large is generated, not written: libcst needs about 500 bytes of memory per
# character of source and minutes of CPU for 10 MB, and a few such files in parallel workers
# exhaust the machine's memory.
MAX_SOURCE_CHARS = 5_000_000

# libcst's native parser recurses once per nesting level without a limit: beyond about 1,500
# nested brackets it overflows the C stack (a segmentation fault, which no `except` catches),
# and its time grows with the square of the depth. CPython refuses more than 200 nested
# brackets, and gives up on expressions nested a few thousand deep, so such a file is not Python
# anyway. A cheap scan (bracket depth, line length) picks the suspicious files; CPython's
# parser, in C and without that stack problem, decides.
_NOT_BRACKET = re.compile(r"[^()\[\]{}]+")
_BRACKET_DELTA = {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}
_PYTHON_MAX_BRACKETS = 200
_CRASH_BRACKETS = 1000  # well below where libcst overflows the stack
_LONG_LINE = 2000


def _too_deep_for_libcst(source: str) -> Optional[str]:
    """A reason when ``source`` must not reach libcst's parser, else None."""
    brackets = _NOT_BRACKET.sub("", source)
    depth = max(accumulate(map(_BRACKET_DELTA.__getitem__, brackets)), default=0)
    if depth <= _PYTHON_MAX_BRACKETS and max(map(len, source.split("\n"))) <= _LONG_LINE:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, "<nogradlint>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        msg = _first_line(exc.msg or "")
        if "too many" in msg or "too complex" in msg or "too deeply" in msg:
            return f"code is nested too deeply to analyse (Python: {msg}, line {exc.lineno or 1})"
    except (RecursionError, MemoryError):
        return "code is nested too deeply to analyse (Python's own parser gives up on it)"
    except ValueError:
        pass
    else:
        return None
    if depth > _CRASH_BRACKETS:  # another syntax error hid the depth from CPython
        return f"code is nested too deeply to analyse ({depth} nested brackets; Python allows 200)"
    return None


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "invalid syntax"


_TRIGGERS: dict = {}


class _Triggers:
    """Whether a text may hold a finding of the selected rules: each rule's trigger searched on
    its own, so each keeps re's fast scan for its literal prefix (one alternation of them all
    tries every pattern at every position: about 1.7 x slower over a file that matches none)."""

    __slots__ = ("patterns", "confirmed")

    def __init__(self, parts: tuple) -> None:
        unique = dict.fromkeys(parts)
        plain = _unsubsumed([p for p in unique if type(p) is str])
        self.patterns = tuple(re.compile(p) for p in plain)
        # (gate, confirm) pairs: the confirm only where the gate matched (Rule.triggers).
        self.confirmed = tuple((re.compile(p[0]), re.compile(p[1])) for p in unique if type(p) is not str)

    def search(self, text: str) -> bool:
        return any(p.search(text) for p in self.patterns) or any(
            g.search(text) and c.search(text) for g, c in self.confirmed)


_LITERAL_ALTERNATIVES = re.compile(r"(?:[\w]|\\[.(])+(?:\|(?:[\w]|\\[.(])+)*")


def _literal(pattern: str) -> str:
    r"""The literal text every match of ``pattern`` starts with (`autograd\.grad` -> `autograd.grad`)."""
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern) and pattern[i + 1] in ".(":
            out.append(pattern[i + 1])
            i += 2
        elif c.isalnum() or c == "_":
            out.append(c)
            i += 1
        else:
            break
    # A quantifier after the last character makes it optional.
    if i < len(pattern) and pattern[i] in "?*{" and out:
        out.pop()
    return "".join(out) if i == len(pattern) or pattern[i] != "|" else ""


def _unsubsumed(patterns: list) -> list:
    r"""``patterns`` less those whose every match holds a literal another, pure alternation of
    literals, already finds (`no_grad` beside `no_grad|inference_mode|set_grad_enabled`,
    `autograd\.grad` beside `autograd`): the search asks whether any matches, so they add nothing
    but another scan of every file that matches none."""
    literal = {p: _literal(p) for p in patterns}
    alternations = [(p, [a.replace("\\", "") for a in p.split("|")]) for p in patterns
                    if _LITERAL_ALTERNATIVES.fullmatch(p)]
    return [p for p in patterns if not any(
        q != p and literal[p] and any(a and a in literal[p] for a in alternatives) for q, alternatives in alternations)]


# A file that switches grad mode decides, through its call sites, in which mode functions of other
# files run (a finding's condition): it is parsed whatever rules are selected, so that `--select
# NG004` finds what the full rule set finds.
# (Three patterns, each starting with its literal: an alternation loses re's fast prefix scan.)
_MODE_SWITCHES = (r"no_grad", r"inference_mode", r"set_grad_enabled")


def _trigger_regex(codes: tuple, settings: Optional[Settings] = None):
    settings = settings or Settings()
    parts = tuple(t for r in all_rules() if r.code in codes for t in r.triggers_for(settings))
    if parts:
        parts += _MODE_SWITCHES
    if parts not in _TRIGGERS:
        _TRIGGERS[parts] = _Triggers(parts) if parts else None
    return _TRIGGERS[parts]


def _facts_from_text(module: str, text: str) -> FileFacts:
    return facts_from_text(module, text)


def _unreadable_finding(display, message, line=1, column=1, cell=None) -> Finding:
    return Finding(UNREADABLE, "unreadable-file", message, display, line, column, line, column, cell=cell)


def _unreadable(display: str, message: str) -> FileResult:
    return FileResult(display, [_unreadable_finding(display, message)])


def _materialize(module: cst.Module, pending: list, display: str, cell, source: str,
                 used: Optional[set] = None) -> list:
    nodes = []
    for p in pending:
        nodes.append(p.node)
        if p.fix is not None:
            for change in p.fix.changes:
                # A range change names its first and last node (FixSpec.replace_range).
                nodes.extend(change[0] if isinstance(change[0], tuple) else (change[0],))
    spans = spans_of(module, nodes)
    noqa = noqa_lines(source)
    out = []
    for p in pending:
        span = spans.get(id(p.node))
        if span is None:  # pragma: no cover - every reported node is in the module
            continue
        line, col, end_line, end_col = span
        if is_suppressed(noqa, line, p.rule.code):
            if used is not None:
                used.add((line, p.rule.code))
            continue
        fix = _fix(module, p.fix, spans) if p.fix is not None else None
        out.append(
            Finding(p.rule.code, p.rule.name, p.message, display, line, col + 1, end_line, end_col + 1,
                    fix=fix, cell=cell, condition=p.condition)
        )
    return out


def fix_edits(module: cst.Module, spec: FixSpec) -> Optional[Fix]:
    """A fix built outside the walk (run-time evidence): its own positions pass."""
    nodes = [n for change in spec.changes for n in (change[0] if isinstance(change[0], tuple) else (change[0],))]
    return _fix(module, spec, spans_of(module, nodes))


def _fix(module: cst.Module, spec: FixSpec, spans: dict) -> Optional[Fix]:
    edits = []
    for node, replacement, how in spec.changes:
        if isinstance(node, tuple):  # from the start of the first node to the end of the last
            first, last = spans.get(id(node[0])), spans.get(id(node[-1]))
            span = None if first is None or last is None else (first[0], first[1], last[2], last[3])
        else:
            span = spans.get(id(node))
        if span is None:
            return None
        line, col, end_line, end_col = span
        if how == "replace":
            content = replacement if isinstance(replacement, str) else module.code_for_node(replacement)
            edits.append(Edit(line, col + 1, end_line, end_col + 1, content))
        elif how == "insert_before":
            edits.append(Edit(line, col + 1, line, col + 1, replacement))
        else:
            edits.append(Edit(end_line, end_col + 1, end_line, end_col + 1, replacement))
    return Fix(spec.applicability, spec.message, tuple(edits))


# --------------------------------------------------------------------------------------------
# the whole run


# libcst builds hundreds of thousands of small objects per file, and CPython's default thresholds
# (700, 10, 10) then run a full collection every few files, traversing every tree still alive; the
# linter makes no reference cycles worth collecting that often. Raised for the run, as mypy does
# (about 13 % of a cold run; docs/benchmarks.md), and restored after it for in-process callers.
_GC_THRESHOLDS = (50_000, 20, 20)


@contextlib.contextmanager
def _fewer_collections():
    old = gc.get_threshold()
    gc.set_threshold(*_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def run_jobs(jobs: list, workers: int) -> list:
    with _fewer_collections():  # forked workers inherit the thresholds
        return _run_jobs(jobs, workers)


def _run_jobs(jobs: list, workers: int) -> list:
    if workers <= 1 or len(jobs) < 2 * workers:
        return [lint_job(job) for job in jobs]
    try:
        context = multiprocessing.get_context("fork") if sys.platform != "win32" else None
    except ValueError:  # pragma: no cover
        context = None
    chunk = max(1, min(16, len(jobs) // (workers * 4)))
    try:
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(lint_job, jobs, chunksize=chunk))
    except concurrent.futures.process.BrokenProcessPool:
        raise WorkerDied("a worker process died while linting; rerun with --jobs 1 to find the file") from None


def lint_text(text: str, *, path: str = "<stdin>.py", settings: Optional[Settings] = None,
              codes: Optional[Iterable[str]] = None) -> list:
    """Lint one source text in-process (the API for editors, flake8 and tests)."""
    settings = settings or Settings()
    if codes is None:
        codes = [r.code for r in all_rules()]
    job = LintJob(path=path, display=path, codes=tuple(codes), settings=settings,
                  module=os.path.splitext(os.path.basename(path))[0], text=text)
    return resolve([lint_job(job)])


def lint_project(paths: Iterable[str], *, settings: Optional[Settings] = None,
                 codes: Optional[Iterable[str]] = None, jobs: int = 1) -> list:
    """Lint files and folders as one project, in-process API (no cache, no config lookup)."""
    from .discover import discover, module_name

    settings = settings or Settings()
    if codes is None:
        codes = [r.code for r in all_rules()]
    files = discover(list(paths), settings.exclude + settings.extend_exclude, settings.root,
                     settings.respect_gitignore)
    batch = []
    for f in files:
        module, is_package = module_name(f.path)
        batch.append(LintJob(f.path, f.display, tuple(codes), settings, module, is_package))
    return resolve(*with_summaries(batch, run_jobs(batch, jobs), lambda forced: run_jobs(forced, jobs)))
