"""What a rule is, and what it produces.

A rule is one small class (in the style of Fixit): metadata, documentation, VALID/INVALID
examples that the test suite runs, and ``visit_<Node>`` / ``leave_<Node>`` methods called by
the walker in one shared pass. ``self.ctx`` is the file's analysis context (grad mode in force,
enclosing function and class, import aliases, configuration).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Optional, Sequence, Tuple, Union

# Conditions are analysis facts (analysis/ never imports rules/); re-exported for rule authors.
from ..analysis.conditions import Condition  # noqa: F401

if TYPE_CHECKING:
    # Annotations only: findings, fixes and rule metadata are read on a cache hit, which never
    # imports libcst (docs/benchmarks.md, "Start-up").
    import libcst as cst

    from ..analysis.context import FileContext

SAFE = "safe"
UNSAFE = "unsafe"


@dataclass(frozen=True)
class Invalid:
    """An INVALID example; ``expected_fix`` is the source after applying the rule's fix
    (``None`` when the rule offers no fix for it)."""

    code: str
    expected_fix: Optional[str] = None
    # How many findings of this rule the example holds.
    count: int = 1
    # The rule must offer no fix for it (not merely: the example shows none).
    no_fix: bool = False


@dataclass(frozen=True)
class RuleDocs:
    what: str
    why: str
    example: str
    use_instead: str
    fix_safety: str = "This rule has no automatic fix."


@dataclass(frozen=True)
class Edit:
    """Replace the text between two positions (1-based line, 1-based column, end exclusive)."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str

    def to_json(self) -> dict:
        return {
            "location": {"line": self.line, "column": self.column},
            "end_location": {"line": self.end_line, "column": self.end_column},
            "content": self.content,
        }


@dataclass(frozen=True)
class Fix:
    applicability: str  # SAFE or UNSAFE
    message: str
    edits: tuple[Edit, ...]

    def to_json(self) -> dict:
        return {
            "applicability": self.applicability,
            "message": self.message,
            "edits": [e.to_json() for e in self.edits],
        }


def format_bytes(n: Optional[int]) -> str:
    """Bytes as the plugin prints them (binary units, one decimal)."""
    if n is None:
        return "an unmeasured amount"
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


@dataclass(frozen=True)
class Observed:
    """What the tests showed about a finding's code (``--runtime-evidence``): ``status`` is
    "confirmed" (an evaluation forward there built a graph nobody used), "seen" (NG013: only the
    run-time evidence found it) or "protected" (its forwards ran only with grad disabled)."""

    status: str
    tests: tuple
    graph_bytes: Optional[int] = None  # the largest unused graph, in bytes
    calls: int = 0
    modules: tuple = ()
    grad_modes: tuple = ()

    def to_json(self) -> dict:
        return {"status": self.status, "tests": list(self.tests), "graph_bytes": self.graph_bytes,
                "calls": self.calls, "modules": list(self.modules), "grad_modes": list(self.grad_modes)}


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    message: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    fix: Optional[Fix] = None
    cell: Optional[int] = None
    condition: Optional[Condition] = None
    observed: Optional[Observed] = None

    def sort_key(self) -> tuple:
        return (self.path, self.cell or 0, self.line, self.column, self.code, self.message)


@dataclass
class FixSpec:
    """A fix described on CST nodes; turned into text ``Edit``s once positions are known.

    Each change is (node, replacement, how): ``how`` is "replace" (replacement is a node or
    text), "insert_before" / "insert_after" (text at the node's start / end). For a range
    change (``replace_range``) ``node`` is a (first, last) pair.
    """

    applicability: str
    message: str
    changes: list = field(default_factory=list)

    def replace(self, node: cst.CSTNode, replacement: Union[cst.CSTNode, str]) -> "FixSpec":
        self.changes.append((node, replacement, "replace"))
        return self

    def replace_range(self, first: cst.CSTNode, last: cst.CSTNode, text: str) -> "FixSpec":
        """Replace the text from the start of ``first`` to the end of ``last`` (e.g. a run of
        consecutive statements)."""
        self.changes.append(((first, last), text, "replace"))
        return self

    def insert_before(self, node: cst.CSTNode, text: str) -> "FixSpec":
        self.changes.append((node, text, "insert_before"))
        return self

    def insert_after(self, node: cst.CSTNode, text: str) -> "FixSpec":
        self.changes.append((node, text, "insert_after"))
        return self


@dataclass
class PendingFinding:
    """A finding whose position is not computed yet (positions cost a code-generation pass,
    paid only by files that have findings)."""

    rule: "Rule"
    node: cst.CSTNode
    message: str
    fix: Optional[FixSpec]
    condition: Optional[Condition]


_CODE = re.compile(r"^[A-Z]{1,4}\d{3}$")
# A line break (and the indentation around it) inside a message, e.g. in quoted source of a
# multi-line expression; next to an opening or before a closing bracket it is dropped.
_BREAK_AFTER_OPEN = re.compile(r"([(\[{])[ \t]*[\r\n]\s*")
_BREAK_BEFORE_CLOSE = re.compile(r"\s*[\r\n]\s*([)\]}])")
_BREAK_BEFORE_DOT = re.compile(r"[ \t]*\\?[ \t]*[\r\n]\s*(?=\.[A-Za-z_])")
_BREAK = re.compile(r"[ \t]*\\?[ \t]*[\r\n]\s*")


def one_line(message: str) -> str:
    """A finding's message on one line: every output format shows one line per finding."""
    if "\n" not in message and "\r" not in message:
        return message
    message = _BREAK_AFTER_OPEN.sub(r"\1", message)
    message = _BREAK_BEFORE_CLOSE.sub(r"\1", message)
    message = _BREAK_BEFORE_DOT.sub("", message)
    return _BREAK.sub(" ", message.strip())


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    message: ClassVar[str]
    docs: ClassVar[RuleDocs]
    VALID: ClassVar[Sequence[str]] = ()
    INVALID: ClassVar[Sequence[Union[str, Invalid]]] = ()
    # A file is parsed for this rule only if its text matches one of these regexes:
    # files that cannot hold a finding are never parsed. A pair (gate, confirm) matches when both
    # do: the gate, a pattern that starts with a literal, keeps re's fast scan; the slower confirm
    # is searched only in the files the gate lets through.
    triggers: ClassVar[Sequence[Union[str, Tuple[str, str]]]] = ()
    # Literal words a file must hold (any one of them) for the rule to walk it, once it is parsed
    # for some rule: a cheaper cut than triggers for a rule whose visitor costs more than its findings.
    requires: ClassVar[Sequence[str]] = ()
    # Whether the rule offers a fix, and of what kind (SAFE / UNSAFE / None).
    fix_applicability: ClassVar[Optional[str]] = None
    # Rule options read from [tool.nogradlint] (key -> default), validated by config.
    options: ClassVar[dict] = {}

    def __init__(self, ctx: "FileContext") -> None:
        self.ctx = ctx

    @classmethod
    def triggers_for(cls, settings) -> Sequence[str]:
        """The trigger regexes under a configuration: a rule whose findings depend on configured
        names (e.g. ``eval-function-patterns``) adds patterns for them."""
        return cls.triggers

    # -- reporting -------------------------------------------------------------------------
    def release(self) -> None:
        """Called once the file's findings are made: break the reference cycles the rule's own
        state forms (a scope and its loops), so the syntax tree they hold goes by reference
        counting. Most rules keep no cycles."""

    def report(
        self,
        node: cst.CSTNode,
        message: Optional[str] = None,
        *,
        fix: Optional[FixSpec] = None,
        condition: Optional[Condition] = None,
    ) -> None:
        self.ctx.pending.append(PendingFinding(self, node, one_line(message or self.message), fix, condition))

    def report_if_grad_enabled(self, node: cst.CSTNode, message: Optional[str] = None, *, fix=None) -> bool:
        """Report when grad is (or, through the callers, may be) enabled at this point."""
        condition = self.ctx.condition_for("enabled")
        if condition is False:
            return False
        self.report(node, message, fix=fix, condition=condition or None)
        return True

    def report_if_grad_disabled(self, node: cst.CSTNode, message: Optional[str] = None, *, fix=None) -> bool:
        """Report when grad is (or, through every caller, will be) disabled at this point."""
        condition = self.ctx.condition_for("disabled")
        if condition is False:
            return False
        self.report(node, message, fix=fix, condition=condition or None)
        return True

    def fix(self, applicability: str, message: str) -> FixSpec:
        return FixSpec(applicability, message)

    @classmethod
    def check_metadata(cls) -> list[str]:
        """Problems with the rule's declaration (used by the registry and the tests)."""
        problems = []
        for attr in ("code", "name", "message", "docs"):
            if not hasattr(cls, attr):
                problems.append(f"{cls.__name__} has no `{attr}`")
        if hasattr(cls, "code") and not _CODE.match(cls.code):
            problems.append(f"{cls.__name__}.code {cls.code!r} is not like 'NG001'")
        for trigger in cls.triggers:
            patterns = trigger if type(trigger) is tuple and len(trigger) == 2 else (trigger,)
            for pattern in patterns:
                if type(pattern) is not str:
                    problems.append(f"{cls.__name__}.triggers holds {trigger!r}: each is a regex or a (gate, confirm) pair")
                    break
                try:
                    re.compile(pattern)
                except re.error as exc:
                    problems.append(f"{cls.__name__}.triggers: {pattern!r} is not a regex ({exc})")
        return problems


@dataclass(frozen=True)
class RuleInfo:
    """A rule's metadata without its class: what the command line, the configuration checks, the
    cache key and the reports need. The built-in rules' infos are generated data
    (``rules/catalog.py``), so a run that lints nothing (all cache hits, ``--list-rules``,
    ``--explain``) never imports the rule modules, nor libcst through them."""

    code: str
    name: str
    message: str
    docs: RuleDocs
    fix_applicability: Optional[str]
    opt_in: bool
    # Where the class is: part of the cache key (``cache.code_fingerprint``).
    module: str
    qualname: str

    @classmethod
    def of(cls, rule: type) -> "RuleInfo":
        return cls(rule.code, rule.name, rule.message, rule.docs, rule.fix_applicability,
                   bool(getattr(rule, "opt_in", False)), rule.__module__, rule.__qualname__)
