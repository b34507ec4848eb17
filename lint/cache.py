"""The cache (``.nogradlint_cache/``): per-file results keyed by content, tool version and the
effective configuration.

Only per-file results are cached (findings, still conditional, and the file's call-site facts);
the cross-file resolution always runs on the complete set, so a cached run prints exactly what
a ``--no-cache`` run prints.

The key of an entry covers everything a file's result depends on: the file's bytes, its
display path and module name, the enabled rules, every setting that reaches the analysis, the
tool version and a fingerprint of the code that produced it (the stat of nogradlint's own
modules and of every rule plug-in's module, so an editable install or an upgraded plug-in
never reads stale results).

Entries are JSON written atomically (temporary file + rename), so concurrent runs can share a
cache; an unreadable, corrupt, truncated or foreign entry is a miss and is rewritten, never a
crash. Set ``NOGRADLINT_CACHE_DEBUG=1`` to print the hit and miss counts to standard error.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
import sys
import tempfile
from functools import lru_cache
from typing import Callable, Optional

from . import __version__
from .analysis.conditions import Condition
from .analysis.project import FileFacts
from .config import Settings
from .rules.base import Edit, Finding, Fix
from .results import FileResult, LintJob

_FORMAT = 10
# Settings that only choose which files are linted, or where the cache lives, and the run-time
# evidence (joined after the cache, evidence/join.py): not in the key.
_NOT_IN_KEY = {"exclude", "extend_exclude", "respect_gitignore", "cache_dir", "source", "runtime_evidence",
               "runtime_evidence_protected"}
DEBUG_ENV = "NOGRADLINT_CACHE_DEBUG"


def settings_fingerprint(settings: Settings) -> str:
    """Every setting that can change a file's result (all of them, except those that only
    choose the files or the cache's place)."""
    fields = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings) if f.name not in _NOT_IN_KEY}
    return repr(sorted(fields.items()))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """nogradlint's own modules, its data files (torch's API, the framework hooks) and the rule
    plug-ins' modules (path, size, mtime)."""
    from .registry import rule_catalog

    files = set()
    package = os.path.dirname(os.path.abspath(__file__))
    for folder, _, names in os.walk(package):
        files.update(os.path.join(folder, n) for n in names if n.endswith((".py", ".json")))
    for rule in rule_catalog():
        module = sys.modules.get(rule.module)  # a plug-in's (loaded); the built-in ones are walked above
        if getattr(module, "__file__", None):
            files.add(os.path.abspath(module.__file__))
    h = hashlib.sha256()
    for path in sorted(files):
        try:
            info = os.stat(path)
        except OSError:
            continue
        h.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode("utf-8", "surrogatepass"))
    rules = ",".join(f"{r.code}={r.module}.{r.qualname}" for r in rule_catalog())
    h.update(rules.encode())
    return h.hexdigest()


class Cache:
    def __init__(self, directory: str, fingerprint: str) -> None:
        self.root = directory
        self.directory = os.path.join(directory, f"v{_FORMAT}-{__version__}")
        self.fingerprint = fingerprint
        self.hits = 0
        self.misses = 0

    @classmethod
    def for_settings(cls, settings: Settings) -> "Cache":
        directory = settings.cache_dir
        if not os.path.isabs(directory):
            directory = os.path.join(settings.root, directory)
        return cls(directory, settings_fingerprint(settings) + "\0" + code_fingerprint())

    def _key(self, job: LintJob, data: bytes) -> str:
        h = hashlib.sha256()
        # The job's own settings: files under different configurations share one cache.
        for part in (__version__, self.fingerprint, settings_fingerprint(job.settings), ",".join(job.codes),
                     job.display, job.module, str(job.is_package)):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        h.update(data)
        return h.hexdigest()

    def _entry_path(self, job: LintJob) -> str:
        name = hashlib.sha256(os.path.abspath(job.path).encode("utf-8", "surrogatepass")).hexdigest()
        return os.path.join(self.directory, name[:2], name + ".json")

    def run(self, jobs: list, workers: int, run_jobs: Callable) -> list:
        results: list = [None] * len(jobs)
        todo, keys, digests = [], {}, {}
        for i, job in enumerate(jobs):
            data = _read(job.path)
            if data is None:
                todo.append(i)  # unreadable: lint it (it becomes an NG900 diagnostic), never cache
                continue
            keys[i] = self._key(job, data)
            digests[i] = hashlib.sha256(data).digest()
            cached = self._load(job, keys[i])
            if cached is not None and job.summaries and not cached.parsed:
                cached = None  # the file's text facts: its summaries need the parse
            if cached is not None:
                results[i] = cached
                self.hits += 1
            else:
                todo.append(i)
        self.misses += len(todo)
        fresh = run_jobs([jobs[i] for i in todo], workers)
        for i, result in zip(todo, fresh):
            results[i] = result
            if i in keys:
                # Store only what was computed from the bytes the key was made of: a file
                # edited while it was being linted is linted again next time.
                data = _read(jobs[i].path)
                if data is not None and hashlib.sha256(data).digest() == digests[i]:
                    self._store(jobs[i], keys[i], result)
        if os.environ.get(DEBUG_ENV):
            print(f"nogradlint: cache: {self.hits} hits, {self.misses} misses ({self.directory})", file=sys.stderr)
        return results

    def _load(self, job: LintJob, key: str) -> Optional[FileResult]:
        try:
            with open(self._entry_path(job), encoding="utf-8") as fh:
                entry = json.load(fh)
            if not isinstance(entry, dict) or entry.get("key") != key:
                return None
            result = _result_from_json(entry["result"])
            if result.display != job.display:
                return None
            return result
        except Exception:  # corrupt, foreign or concurrently replaced: a miss, never a crash
            return None

    def _store(self, job: LintJob, key: str, result: FileResult) -> None:
        path = self._entry_path(job)
        tmp = None
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            _ensure_gitignore(self.root)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".entry-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"key": key, "result": _result_to_json(result)}, fh, separators=(",", ":"))
            os.replace(tmp, path)
            tmp = None
        except (OSError, TypeError, ValueError):
            pass  # a read-only or full disk makes the cache useless, not the run
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


def _read(path: str) -> Optional[bytes]:
    """A regular file's bytes, or None (unreadable, or a FIFO/device/socket, which the runner
    reports as NG900; opening a FIFO without a writer would block)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb", opener=lambda p, flags: os.open(p, flags | getattr(os, "O_NONBLOCK", 0))) as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            return fh.read()
    except OSError:
        return None


def _ensure_gitignore(directory: str) -> None:
    for name, content in ((".gitignore", "# Automatically created by nogradlint.\n*\n"),
                          ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                                           "# This file is a cache directory tag created by nogradlint.\n")):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            continue
        try:
            with open(path, "x", encoding="utf-8") as fh:  # exclusive: two runs never clash
                fh.write(content)
        except FileExistsError:
            pass


def _result_to_json(r: FileResult) -> dict:
    return {
        "display": r.display,
        "parsed": r.parsed,
        "findings": [_finding_to_json(f) for f in r.findings],
        "facts": None if r.facts is None else {"module": r.facts.module, "defs": r.facts.defs, "sites": r.facts.sites,
                                               "returns": r.facts.returns, "training": list(r.facts.training),
                                               "gradients": list(r.facts.gradients),
                                               "keeps": {k: list(v) for k, v in r.facts.keeps.items()},
                                               "runs": {k: list(v) for k, v in r.facts.runs.items()},
                                               "attributes": {k: list(v) for k, v in r.facts.attributes.items()},
                                               "freezes": {k: list(v) for k, v in r.facts.freezes.items()},
                                               "flag_freezes": {k: [list(e) for e in v]
                                                                for k, v in r.facts.flag_freezes.items()},
                                               "parameterless": list(r.facts.parameterless),
                                               "context_managers": r.facts.context_managers,
                                               "abstract": list(r.facts.abstract),
                                               "quiet": {k: [list(e) for e in v] for k, v in r.facts.quiet.items()},
                                               "closures": list(r.facts.closures),
                                               "flag_outputs": {k: [list(e) for e in v] for k, v in r.facts.flag_outputs.items()},
                                               "keywords": {k: list(v) for k, v in r.facts.keywords.items()},
                                               "mode_layers": {k: [own, list(calls), list(bases)] for k, (own, calls, bases)
                                                               in r.facts.mode_layers.items()},
                                               "weight_loaders": {k: [own, list(calls)] for k, (own, calls)
                                                                  in r.facts.weight_loaders.items()},
                                               "module_parts": {k: list(v) for k, v in r.facts.module_parts.items()},
                                               "fields": r.facts.fields,
                                               "run_calls": {k: [[[list(r) for r in refs], at, mine] for refs, at, mine in v]
                                                             for k, v in r.facts.run_calls.items()}},
    }


def _finding_to_json(f: Finding) -> dict:
    return {
        "code": f.code, "name": f.name, "message": f.message, "path": f.path,
        "span": [f.line, f.column, f.end_line, f.end_column], "cell": f.cell,
        "fix": None if f.fix is None else {
            "applicability": f.fix.applicability, "message": f.fix.message,
            "edits": [[e.line, e.column, e.end_line, e.end_column, e.content] for e in f.fix.edits],
        },
        "condition": None if f.condition is None else f.condition.to_json(),
    }


def _tuples(value):
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


class _Bad(Exception):
    pass


def _check(condition: bool) -> None:
    if not condition:
        raise _Bad()


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _plain(value) -> bool:
    """JSON scalars and lists of them (what call-site refs are made of)."""
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


_SCALAR = (str, int, float, bool, type(None))


def _plain_tuple(value: list) -> tuple:
    """``_tuples(value)`` once ``_plain(value)`` holds; the common flat case in one pass (the warm
    path runs this for every call site of every file)."""
    if all(type(v) in _SCALAR for v in value):
        return tuple(value)
    _check(_plain(value))
    return _tuples(value)


def _result_from_json(d: dict) -> FileResult:
    """Rebuild a result, checking every field's type: a well-formed but foreign entry must be
    a miss here, not a crash later in the cross-file resolution or a report."""
    _check(isinstance(d, dict) and isinstance(d["display"], str) and isinstance(d["findings"], list))
    findings = []
    for f in d["findings"]:
        _check(isinstance(f, dict))
        _check(all(isinstance(f[k], str) for k in ("code", "name", "message", "path")))
        _check(isinstance(f["span"], list) and len(f["span"]) == 4 and all(_is_int(v) for v in f["span"]))
        _check(f["cell"] is None or _is_int(f["cell"]))
        fix = None
        if f["fix"] is not None:
            raw = f["fix"]
            _check(isinstance(raw["applicability"], str) and isinstance(raw["message"], str))
            _check(isinstance(raw["edits"], list))
            edits = []
            for e in raw["edits"]:
                _check(isinstance(e, list) and len(e) == 5 and all(_is_int(v) for v in e[:4])
                       and isinstance(e[4], str))
                edits.append(Edit(*e))
            fix = Fix(raw["applicability"], raw["message"], tuple(edits))
        condition = None
        if f["condition"] is not None:
            raw_condition = f["condition"]
            _check(isinstance(raw_condition, list) and len(raw_condition) == 18
                   and all(isinstance(v, str) for v in raw_condition[:2])
                   and all(isinstance(v, list) for v in raw_condition[2:]))
            refs: list = [[] for _ in raw_condition[2:]]
            for part, raw_refs in zip(refs, raw_condition[2:]):
                for ref in raw_refs:
                    _check(isinstance(ref, list) and ref and _plain(ref))
                    part.append(_tuples(ref))
            *parts, classes, contexts, quiet, mode_classes, graphless, handed, loaded, members = (
                tuple(r) for r in refs)
            _check(all(len(c) == 1 and isinstance(c[0], str) for c in (*classes, *mode_classes, *loaded)))
            _check(all(len(m) == 2 and all(isinstance(v, str) for v in m) for m in members))
            _check(all(len(q) == 4 for q in quiet))
            condition = Condition(raw_condition[0], raw_condition[1], *parts, tuple(c[0] for c in classes), contexts,
                                  quiet, tuple(c[0] for c in mode_classes), graphless, handed,
                                  tuple(c[0] for c in loaded), members)
        findings.append(Finding(f["code"], f["name"], f["message"], f["path"], *f["span"], fix=fix,
                                cell=f["cell"], condition=condition))
    facts = None
    if d["facts"] is not None:
        raw = d["facts"]
        _check(isinstance(raw, dict) and isinstance(raw["module"], str) and isinstance(raw["defs"], dict))
        _check(isinstance(raw["sites"], list))
        defs = {}
        for k, v in raw["defs"].items():
            _check(isinstance(v, list) and _plain(v))
            defs[k] = tuple(v)
        sites = []
        for s in raw["sites"]:
            _check(isinstance(s, list) and len(s) == 3 and isinstance(s[0], list) and s[0]
                   and isinstance(s[0][0], str) and isinstance(s[1], str)
                   and (s[2] is None or isinstance(s[2], str)))
            sites.append((_plain_tuple(s[0]), s[1], s[2]))
        _check(isinstance(raw["returns"], dict))
        returns = {}
        for k, v in raw["returns"].items():
            _check(isinstance(v, list) and _plain(v))
            returns[k] = _tuples(v)
        for name in ("training", "gradients"):
            _check(isinstance(raw[name], list) and all(isinstance(k, str) for k in raw[name]))
        _check(isinstance(raw["keeps"], dict) and all(
            isinstance(v, list) and all(_is_int(p) for p in v) for v in raw["keeps"].values()))
        keeps = {k: tuple(v) for k, v in raw["keeps"].items()}
        _check(isinstance(raw["runs"], dict) and all(
            isinstance(v, list) and all(_is_int(p) for p in v) for v in raw["runs"].values()))
        runs = {k: tuple(v) for k, v in raw["runs"].items()}
        _check(isinstance(raw["attributes"], dict) and all(
            isinstance(v, list) and all(isinstance(a, str) for a in v) for v in raw["attributes"].values()))
        attributes = {k: tuple(v) for k, v in raw["attributes"].items()}
        _check(isinstance(raw["freezes"], dict) and all(
            isinstance(v, list) and all(_is_int(p) for p in v) for v in raw["freezes"].values()))
        freezes = {k: tuple(v) for k, v in raw["freezes"].items()}
        _check(isinstance(raw["flag_freezes"], dict) and all(
            isinstance(v, list) and all(isinstance(e, list) and len(e) == 4 and _is_int(e[0]) and _is_int(e[1])
                                        and isinstance(e[2], str) and (e[3] is None or isinstance(e[3], bool))
                                        for e in v) for v in raw["flag_freezes"].values()))
        flag_freezes = {k: tuple(tuple(e) for e in v) for k, v in raw["flag_freezes"].items()}
        _check(isinstance(raw["parameterless"], list) and all(isinstance(k, str) for k in raw["parameterless"]))
        _check(isinstance(raw["abstract"], list) and all(isinstance(k, str) for k in raw["abstract"]))
        _check(isinstance(raw["closures"], list) and all(isinstance(k, str) for k in raw["closures"]))
        _check(isinstance(raw["quiet"], dict) and all(
            isinstance(v, list) and all(isinstance(e, list) and len(e) == 3 and isinstance(e[0], str)
                                        and _is_int(e[1]) and isinstance(e[2], str) for e in v)
            for v in raw["quiet"].values()))
        _check(isinstance(raw["flag_outputs"], dict) and all(
            isinstance(v, list) and all(isinstance(e, list) and len(e) == 4 and isinstance(e[0], str)
                                        and isinstance(e[1], str) and _is_int(e[2]) and isinstance(e[3], str)
                                        for e in v)
            for v in raw["flag_outputs"].values()))
        _check(isinstance(raw["keywords"], dict) and all(
            isinstance(v, list) and all(isinstance(n, str) for n in v) for v in raw["keywords"].values()))
        _check(isinstance(raw["mode_layers"], dict) and all(
            isinstance(v, list) and len(v) == 3 and isinstance(v[0], bool)
            and all(isinstance(n, str) for n in v[1]) and all(isinstance(n, str) for n in v[2])
            for v in raw["mode_layers"].values()))
        _check(isinstance(raw["weight_loaders"], dict) and all(
            isinstance(v, list) and len(v) == 2 and isinstance(v[0], bool) and all(isinstance(n, str) for n in v[1])
            for v in raw["weight_loaders"].values()))
        _check(isinstance(raw["module_parts"], dict) and all(
            isinstance(v, list) and all(isinstance(n, str) for n in v) for v in raw["module_parts"].values()))
        _check(isinstance(raw["fields"], dict) and all(isinstance(v, str) for v in raw["fields"].values()))
        _check(isinstance(raw["context_managers"], dict)
               and all(isinstance(v, bool) for v in raw["context_managers"].values()))
        _check(isinstance(raw["run_calls"], dict) and all(
            isinstance(v, list) and all(isinstance(c, list) and len(c) == 3 and isinstance(c[0], list) and c[0]
                                        and all(isinstance(r, list) and r for r in c[0])
                                        and _is_int(c[1]) and _is_int(c[2]) for c in v)
            for v in raw["run_calls"].values()))
        run_calls = {k: tuple((tuple(_plain_tuple(r) for r in c[0]), c[1], c[2]) for c in v)
                     for k, v in raw["run_calls"].items()}
        facts = FileFacts(raw["module"], defs, sites, returns, tuple(raw["training"]), tuple(raw["gradients"]), keeps,
                          runs, attributes, run_calls=run_calls, freezes=freezes, flag_freezes=flag_freezes,
                          parameterless=tuple(raw["parameterless"]), context_managers=dict(raw["context_managers"]),
                          abstract=tuple(raw["abstract"]),
                          quiet={k: tuple(tuple(e) for e in v) for k, v in raw["quiet"].items()},
                          closures=tuple(raw["closures"]),
                          flag_outputs={k: tuple(tuple(e) for e in v) for k, v in raw["flag_outputs"].items()},
                          keywords={k: tuple(v) for k, v in raw["keywords"].items()},
                          mode_layers={k: (v[0], tuple(v[1]), tuple(v[2])) for k, v in raw["mode_layers"].items()},
                          weight_loaders={k: (v[0], tuple(v[1])) for k, v in raw["weight_loaders"].items()},
                          module_parts={k: tuple(v) for k, v in raw["module_parts"].items()},
                          fields=dict(raw["fields"]))
    _check(isinstance(d["parsed"], bool))
    return FileResult(d["display"], findings, facts, d["parsed"])
