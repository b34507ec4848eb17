"""Line and column of chosen nodes.

libcst's PositionProvider records every node of the file and costs about three parses; a file
with findings needs the positions of a handful. This code generation pass records only those,
and stops after the last of them.
"""

from __future__ import annotations

from contextlib import contextmanager, nullcontext
from typing import Iterable, Iterator, Optional

import libcst as cst
from libcst._nodes.internal import CodegenState

Span = tuple  # (line, column, end_line, end_column): 1-based lines, 0-based columns, end exclusive


class _AllRecorded(Exception):
    pass


_NOT_RECORDED = nullcontext()


class _PositionState(CodegenState):
    """Records where the target nodes' code starts and ends while generating code.

    A mark is an index into ``tokens``; lines and columns are counted once, at the end, over the
    joined text between marks (counting them token by token cost as much as the generation)."""

    def __init__(self, module: cst.Module, targets: set) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.targets = targets
        self.marks: dict[int, tuple] = {}  # id(node) -> (start token index, end token index)
        self.starts: list = []
        # With spans_of: the asked-for nodes not yet generated past (None: generate everything).
        self.remaining: Optional[set] = None

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.targets:
            self.starts.append(len(self.tokens))

    def after_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.targets:
            start = self.starts.pop()
            self.marks.setdefault(id(node), (start, len(self.tokens)))
            remaining = self.remaining
            if remaining is not None:
                remaining.discard(id(node))
                if not remaining:
                    raise _AllRecorded  # the rest of the file would only be generated and dropped

    def pop_trailing_newline(self) -> None:
        pass  # the tokens are not the output; a mark may sit past the file's last newline

    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: Optional[cst.CSTNode] = None,
        end_node: Optional[cst.CSTNode] = None,
    ):
        # libcst enters this for most nodes it generates: a shared no-op for all but the targets
        # (a generator-based context manager each time was a quarter of the pass).
        if id(node) not in self.targets:
            return _NOT_RECORDED
        return self._record(node, start_node, end_node)

    @contextmanager
    def _record(self, node: cst.CSTNode, start_node: Optional[cst.CSTNode],
                end_node: Optional[cst.CSTNode]) -> Iterator[None]:
        # Make sure the children libcst hoists from are recorded too.
        for extra in (start_node, end_node):
            if extra is not None:
                self.targets.add(id(extra))
        start = len(self.tokens)
        try:
            yield
        finally:
            end = len(self.tokens)
            # libcst hoists these from children (e.g. a statement's start is its first token).
            if start_node is not None and id(start_node) in self.marks:
                start = self.marks[id(start_node)][0]
            if end_node is not None and id(end_node) in self.marks:
                end = self.marks[id(end_node)][1]
            self.marks[id(node)] = (start, end)

    @property
    def spans(self) -> dict[int, Span]:
        """``id(node) -> span`` of every node marked so far."""
        where = {}
        line, column, done = 1, 0, 0
        tokens = self.tokens
        for index in sorted({i for mark in self.marks.values() for i in mark}):
            if index > done:
                text = "".join(tokens[done:index])
                breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
                if breaks:
                    line += breaks
                    column = len(text) - max(text.rfind("\n"), text.rfind("\r")) - 1
                else:
                    column += len(text)
                done = index
            where[index] = (line, column)
        return {key: (*where[start], *where[end]) for key, (start, end) in self.marks.items()}


def spans_of(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[int, Span]:
    """``id(node) -> span`` for the given nodes of ``module``."""
    targets = {id(n) for n in nodes}
    if not targets:
        return {}
    state = _PositionState(module, targets)
    state.remaining = set(targets)
    try:
        module._codegen(state)
    except _AllRecorded:
        pass
    return state.spans
