"""What linting produces, apart from how it is produced: the job for one file, its result, and
the cross-file resolution that turns results into findings.

The cache rebuilds results and the command resolves them without importing the analysis
(``runner``, which imports libcst): a run whose files are all cache hits never parses anything.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from .analysis.atoms import CALL
from .analysis.project import FileFacts, ProjectFacts
from .config import Settings
from .rules.base import Finding

UNREADABLE = "NG900"
UNUSED_NOQA = "NG901"


@dataclass(frozen=True)
class LintJob:
    path: str
    display: str
    codes: tuple  # enabled rule codes
    settings: Settings
    module: str = ""
    is_package: bool = False
    text: Optional[str] = None  # standard input, instead of reading ``path``
    # Parse the file even if no rule's trigger matches it: its function summaries are needed
    # (see with_summaries). Its result stands for the file's (no trigger: no rule finds anything
    # there either way), so the cache keeps it under the same key.
    summaries: bool = False


@dataclass
class FileResult:
    display: str
    findings: list = field(default_factory=list)
    facts: Optional[FileFacts] = None
    parsed: bool = False


class WorkerDied(Exception):
    """A worker process died (killed, out of memory): reported as a usage error, never a hang."""


def resolve(results: Iterable[FileResult], project: Optional[ProjectFacts] = None) -> list:
    """Apply the cross-file facts: keep each conditional finding only if its function runs in
    the mode the finding needs, across the whole project. ``project`` is the solve of a larger
    set of files (the language server keeps one for the workspace and resolves one file)."""
    results = list(results)
    if project is None:
        project = ProjectFacts([r.facts for r in results if r.facts is not None])
    findings = []
    for result in results:
        for f in result.findings:
            if f.condition is not None and not project.holds(f.condition):
                continue
            if f.fix is not None and f.condition is not None and f.condition.fix_tensors and not all(
                    project.returns_tensors(atom) for atom in f.condition.fix_tensors):
                f = dataclasses.replace(f, fix=None)  # the fix would raise where a callee returns a number
            findings.append(f)
    findings.sort(key=Finding.sort_key)
    return findings


def with_summaries(jobs: list, results: list, run: Callable[[list], list]) -> tuple:
    """``results`` (one per job) completed with the function summaries the findings ask about,
    and the project solve of them (for ``resolve``).

    A file that no rule's trigger matches is not parsed (its facts come from its text), so the
    functions it defines have no summaries (what they return, which arguments they keep). When a
    finding's condition rests on such a file's functions (`total += compute_loss(out, y)`,
    `compute_loss` in a helpers file), that file is parsed after all, by ``run`` on jobs marked
    ``summaries``, and its result replaces the text's (a cache keeps it under the file's usual
    key, so a warm run finds it parsed). Likewise a file whose text calls a project function
    that trains (`loss = train_step(...)`, the backward pass in another file) may hold a loop
    that keeps each step's graph (NG003) with no trigger of its own. Repeated while the new
    results reach more such files; each file at most once."""
    done: set = set()
    while True:
        project = ProjectFacts([r.facts for r in results if r.facts is not None])
        needed = [i for i in _unsummarised(results, project) | _calling_training(jobs, results, project)
                  if i not in done]
        if not needed:
            return results, project
        done.update(needed)
        for i, result in zip(needed, run([dataclasses.replace(jobs[i], summaries=True) for i in needed])):
            if result.facts is not None and result.parsed:
                results[i] = result


# Rules with findings in loops that train only through the project functions they call.
_THROUGH_CALLS = ("NG003",)


def _calling_training(jobs: list, results: list, project: ProjectFacts) -> set:
    """Indices of the unparsed files (selecting such a rule) whose calls name a function that
    trains, itself or through what it calls, in another file."""
    out = set()
    for i, r in enumerate(results):
        if r.parsed or r.facts is None or not any(c in jobs[i].codes for c in _THROUGH_CALLS):
            continue
        if any(caller is not None and project.trains(ref) for ref, _, caller in r.facts.sites):
            out.add(i)
    return out


def _unsummarised(results: list, project: ProjectFacts) -> set:
    """Indices of the unparsed files defining functions whose summaries the findings need."""
    owner = {key: i for i, r in enumerate(results) if r.facts is not None and not r.parsed for key in r.facts.defs}
    if not owner:
        return set()
    atoms, refs, classes = [], [], set()
    for r in results:
        for f in r.findings:
            # Only findings that the summaries can still decide: a loop that does not train,
            # or a function its callers never run with grad on, needs no file parsed.
            if f.condition is not None and f.condition.needs_project() and project.holds(f.condition, False):
                atoms.extend(a for a in f.condition.returns + f.condition.fix_tensors + f.condition.graphless
                             if a[0] == CALL)
                refs.extend(pair[0] for pair in f.condition.keeps + f.condition.runs + f.condition.freezes
                            + f.condition.handed)
                refs.extend(f.condition.contexts)
                classes.update(f.condition.classes)
                # A context manager's class: only its file's parse tells whether it switches grad.
                classes.update(r[1] for r in f.condition.contexts if r[0] == "qual")
    if not atoms and not refs and not classes:
        return set()
    needed = project.unsummarised(atoms, owner)
    # A method that may keep its argument's graph, run a model or freeze it: only its file's parse can tell.
    needed.update(t for ref in refs for t in project.targets(ref) if t in owner)
    out = {owner[key] for key in needed}
    # A model's class that may hold no parameters: its file's parse tells (FileFacts.parameterless).
    for key in filter(None, (project.class_key(name) for name in classes)):
        out.update(i for k, i in owner.items() if k.startswith(key + "."))
    return out
