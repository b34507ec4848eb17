"""How a finding's place is written for people: ``path:line:col`` or ``path:cell N:line:col``."""

from __future__ import annotations

from ..rules.base import Finding


def where(f: Finding) -> str:
    if f.cell is not None:
        return f"{f.path}:cell {f.cell}:{f.line}:{f.column}"
    return f"{f.path}:{f.line}:{f.column}"
