"""Line and column of chosen nodes.

libcst's PositionProvider records every node of the file and costs about three parses; a file
with findings needs the positions of a handful. This code generation pass records only those,
and stops after the last of them.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterable, Iterator, Optional

import libcst as cst
from libcst._nodes.internal import CodegenState

Span = tuple  # (line, column, end_line, end_column): 1-based lines, 0-based columns, end exclusive


class _AllRecorded(Exception):
    pass


class _PositionState(CodegenState):
    """Tracks line/column while generating code; records the spans of target nodes."""

    def __init__(self, module: cst.Module, targets: set) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.line = 1
        self.column = 0
        self.targets = targets
        self.spans: dict[int, Span] = {}
        self.starts: list = []
        # With spans_of: the asked-for nodes not yet generated past (None: generate everything).
        self.remaining: Optional[set] = None

    def add_indent_tokens(self) -> None:
        self.tokens.extend(self.indent_tokens)
        for token in self.indent_tokens:
            self._advance(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self._advance(value)

    def _advance(self, value: str) -> None:
        if "\n" in value or "\r" in value:
            lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            self.line += len(lines) - 1
            self.column = len(lines[-1])
        else:
            self.column += len(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.targets:
            self.starts.append((self.line, self.column))

    def after_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.targets:
            start = self.starts.pop()
            self.spans.setdefault(id(node), (start[0], start[1], self.line, self.column))
            remaining = self.remaining
            if remaining is not None:
                remaining.discard(id(node))
                if not remaining:
                    raise _AllRecorded  # the rest of the file would only be generated and dropped

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: Optional[cst.CSTNode] = None,
        end_node: Optional[cst.CSTNode] = None,
    ) -> Iterator[None]:
        if id(node) not in self.targets:
            yield
            return
        # Make sure the children libcst hoists from are recorded too.
        for extra in (start_node, end_node):
            if extra is not None:
                self.targets.add(id(extra))
        start = (self.line, self.column)
        try:
            yield
        finally:
            end = (self.line, self.column)
            # libcst hoists these from children (e.g. a statement's start is its first token).
            if start_node is not None and id(start_node) in self.spans:
                start = self.spans[id(start_node)][:2]
            if end_node is not None and id(end_node) in self.spans:
                end = self.spans[id(end_node)][2:]
            self.spans[id(node)] = (start[0], start[1], end[0], end[1])


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
