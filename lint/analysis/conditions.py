"""What a finding still depends on once its file is analysed: facts only the whole project knows.

A finding made inside a function body without a local grad-mode switch holds only if the
function's callers run it in a given mode; a finding about a value returned by a project
function holds only if that function's summary says the value carries an autograd graph.
Both are decided after every file is analysed (``project.ProjectFacts.holds``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Condition:
    """``function``/``mode``: the function's callers across the project run it in this mode
    ("enabled", "disabled", or "evaluation"); an empty ``function`` puts no demand on modes.
    ``returns``: call references (see ``walker``), at least one of which must return a value
    that carries an autograd graph (from the project's function summaries). ``trains``: resolved
    call references, at least one of which must name a function that trains (calls `.backward()`
    and a `.step()`, itself or through the functions it calls, in any file)."""

    function: str
    mode: str
    returns: tuple = ()
    trains: tuple = ()

    def to_json(self) -> list:
        return [self.function, self.mode, [list(r) for r in self.returns], [list(r) for r in self.trains]]
