"""The cache (``.nogradlint_cache/``): per-file results keyed by content, tool version and the
effective configuration.

Only per-file results are cached (findings, still conditional, and the file's call-site facts);
the cross-file resolution always runs on the complete set, so a cached run prints exactly what
a ``--no-cache`` run prints. Entries are JSON written atomically (temporary file + rename), so
concurrent runs can share a cache; an unreadable, corrupt or foreign entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from typing import Callable, Optional

from . import __version__
from .analysis.project import FileFacts
from .config import Settings
from .rules.base import Condition, Edit, Finding, Fix
from .runner import FileResult, LintJob

_FORMAT = 1


class Cache:
    def __init__(self, directory: str, fingerprint: str) -> None:
        self.directory = os.path.join(directory, f"v{_FORMAT}-{__version__}")
        self.fingerprint = fingerprint
        self.hits = 0
        self.misses = 0

    @classmethod
    def for_settings(cls, settings: Settings) -> "Cache":
        directory = settings.cache_dir
        if not os.path.isabs(directory):
            directory = os.path.join(settings.root, directory)
        return cls(directory, settings.fingerprint())

    def _key(self, job: LintJob, data: bytes) -> str:
        h = hashlib.sha256()
        for part in (__version__, self.fingerprint, ",".join(job.codes), job.display, job.module,
                     str(job.is_package)):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        h.update(data)
        return h.hexdigest()

    def _entry_path(self, job: LintJob) -> str:
        name = hashlib.sha256(os.path.abspath(job.path).encode("utf-8", "surrogatepass")).hexdigest()
        return os.path.join(self.directory, name[:2], name + ".json")

    def run(self, jobs: list, workers: int, run_jobs: Callable) -> list:
        results: list = [None] * len(jobs)
        todo, keys = [], {}
        for i, job in enumerate(jobs):
            try:
                with open(job.path, "rb") as fh:
                    data = fh.read()
            except OSError:
                todo.append(i)  # unreadable: lint it (it becomes an NG900 diagnostic), never cache
                continue
            key = self._key(job, data)
            keys[i] = key
            cached = self._load(job, key)
            if cached is not None:
                results[i] = cached
                self.hits += 1
            else:
                todo.append(i)
        self.misses = len(todo)
        fresh = run_jobs([jobs[i] for i in todo], workers)
        for i, result in zip(todo, fresh):
            results[i] = result
            if i in keys:
                self._store(jobs[i], keys[i], result)
        return results

    def _load(self, job: LintJob, key: str) -> Optional[FileResult]:
        try:
            with open(self._entry_path(job), encoding="utf-8") as fh:
                entry = json.load(fh)
            if entry.get("key") != key:
                return None
            return _result_from_json(entry["result"])
        except Exception:  # corrupt, foreign or concurrently replaced: a miss, never a crash
            return None

    def _store(self, job: LintJob, key: str, result: FileResult) -> None:
        path = self._entry_path(job)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            _ensure_gitignore(os.path.dirname(self.directory))
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"key": key, "result": _result_to_json(result)}, fh)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only or full disk makes the cache useless, not the run


def _ensure_gitignore(directory: str) -> None:
    path = os.path.join(directory, ".gitignore")
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("# Automatically created by nogradlint.\n*\n")


def _result_to_json(r: FileResult) -> dict:
    return {
        "display": r.display,
        "parsed": r.parsed,
        "findings": [_finding_to_json(f) for f in r.findings],
        "facts": None if r.facts is None else {"module": r.facts.module, "defs": r.facts.defs, "sites": r.facts.sites},
    }


def _finding_to_json(f: Finding) -> dict:
    return {
        "code": f.code, "name": f.name, "message": f.message, "path": f.path,
        "span": [f.line, f.column, f.end_line, f.end_column], "cell": f.cell,
        "fix": None if f.fix is None else {
            "applicability": f.fix.applicability, "message": f.fix.message,
            "edits": [[e.line, e.column, e.end_line, e.end_column, e.content] for e in f.fix.edits],
        },
        "condition": None if f.condition is None else [f.condition.function, f.condition.mode],
    }


def _tuples(value):
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def _result_from_json(d: dict) -> FileResult:
    findings = []
    for f in d["findings"]:
        fix = None
        if f["fix"] is not None:
            fix = Fix(f["fix"]["applicability"], f["fix"]["message"], tuple(Edit(*e) for e in f["fix"]["edits"]))
        condition = Condition(*f["condition"]) if f["condition"] is not None else None
        findings.append(Finding(f["code"], f["name"], f["message"], f["path"], *f["span"], fix=fix,
                                cell=f["cell"], condition=condition))
    facts = None
    if d["facts"] is not None:
        defs = {k: tuple(v) for k, v in d["facts"]["defs"].items()}
        facts = FileFacts(d["facts"]["module"], defs, [_tuples(s) for s in d["facts"]["sites"]])
    return FileResult(d["display"], findings, facts, d["parsed"])
