"""The language server's model of a workspace, independent of the protocol.

Every file's per-file result (findings, still conditional, and its call-site facts) is kept in
memory, so an edit re-lints that one file and re-runs only the cross-file solve
(analysis/project.py), and only when the file's facts changed. The per-file work and the
solve are the runner's own (lint_job, resolve), so the server reports what the command line
reports for the same files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Optional

from ..analysis.project import ProjectFacts
from ..config import ConfigError, Settings, find_config, load_settings, validate_codes
from ..discover import discover, module_name
from ..registry import select_layers
from ..runner import UNREADABLE, FileResult, LintJob, lint_job, resolve, run_jobs, with_summaries

CONFIG_NAMES = ("pyproject.toml", "nogradlint.toml", ".nogradlint.toml")


@dataclass(frozen=True)
class ClientOptions:
    """The editor's settings (initializationOptions, or the `nogradlint` section of the
    workspace configuration). The rule selection is a layer on top of the configuration file,
    as the command line's --select/--ignore are."""

    select: Optional[tuple] = None
    extend_select: tuple = ()
    ignore: tuple = ()
    unsafe_fixes: bool = False

    @classmethod
    def from_json(cls, data: Any) -> "ClientOptions":
        """Raises ConfigError (one line) for a setting that is not understood."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ConfigError(f"settings must be an object, not {data!r}")
        keys = {"select": "select", "extendSelect": "extend_select", "ignore": "ignore",
                "unsafeFixes": "unsafe_fixes"}
        values: dict = {}
        for key, value in data.items():
            name = keys.get(key)
            if name is None:
                raise ConfigError(f"unknown setting `{key}` (known: {', '.join(keys)})")
            if name == "unsafe_fixes":
                if not isinstance(value, bool):
                    raise ConfigError(f"setting `{key}` must be true or false, not {value!r}")
                values[name] = value
            elif value is not None:
                codes = validate_codes(value, f"setting `{key}`")
                values[name] = tuple(c.upper() for c in codes)
        options = cls(**values)
        try:  # unknown codes are an error now, not on the first lint
            select_layers([(options.select, options.extend_select, options.ignore)])
        except ConfigError as exc:
            raise ConfigError(f"settings: {exc}") from None
        return options


class Workspace:
    """One workspace folder (``root``), or no folder at all (``root=None``: each file is its
    own project, as ``nogradlint file.py`` would see it)."""

    def __init__(self, root: Optional[str], options: ClientOptions = ClientOptions(), *,
                 use_cache: bool = True) -> None:
        self.root = os.path.abspath(root) if root else None
        self.options = options
        self.use_cache = use_cache
        self.results: dict[str, FileResult] = {}  # absolute path -> result (of the buffer when open)
        self.indexed = False
        self._settings: dict[str, Settings] = {}  # folder -> its configuration
        self._codes: dict[str, tuple] = {}  # Settings.fingerprint() -> enabled codes
        self._project: Optional[ProjectFacts] = None
        self.texts: dict[str, str] = {}  # absolute path -> unsaved buffer text (run-time evidence)
        self._evidence: dict = {}  # evidence file -> ((mtime, size), RuntimeEvidence)

    # -- configuration ------------------------------------------------------------------------
    def settings_for(self, path: str) -> Settings:
        """The nearest configuration above the file ``path`` (raises ConfigError)."""
        return self._settings_in(os.path.dirname(os.path.abspath(path)))

    def _settings_in(self, folder: str) -> Settings:
        settings = self._settings.get(folder)
        if settings is None:
            settings = self._settings[folder] = load_settings(find_config(folder))
        return settings

    def codes_for(self, settings: Settings) -> tuple:
        key = settings.fingerprint()
        codes = self._codes.get(key)
        if codes is None:
            o = self.options
            layers = [(settings.select, settings.extend_select, settings.ignore),
                      (o.select, o.extend_select, o.ignore)]
            codes = self._codes[key] = tuple(r.code for r in select_layers(layers))
        return codes

    def job(self, path: str, text: Optional[str] = None) -> LintJob:
        path = os.path.abspath(path)
        settings = self.settings_for(path)
        module, is_package = module_name(path)
        return LintJob(path, path, self.codes_for(settings), settings, module, is_package, text=text)

    # -- linting -------------------------------------------------------------------------------
    def index(self, workers: int = 1) -> None:
        """Lint every file of the workspace (the cold start; results from the on-disk cache
        where the command line left them). Raises ConfigError."""
        self.results.clear()
        self._project = None
        if self.root is not None:
            top = self._settings_in(self.root)
            files = discover([self.root], top.exclude + top.extend_exclude, top.root, top.respect_gitignore)
            groups: dict = {}  # settings -> jobs: each configuration has its own cache
            for f in files:
                job = self.job(f.path)
                groups.setdefault(job.settings, []).append(job)
            every_job, every_result = [], []
            for settings, jobs in groups.items():
                every_job.extend(jobs)
                every_result.extend(self._run(settings, jobs, workers))
            # The summaries the workspace's findings ask of files no trigger made us parse.
            every_result, project = with_summaries(
                every_job, every_result, lambda forced: [self._run(job.settings, [job], workers)[0] for job in forced])
            for job, result in zip(every_job, every_result):
                self.results[job.path] = result
            self._project = project  # the solve of these very results (see `project`)
        self.indexed = True

    def _run(self, settings: Settings, jobs: list, workers: int) -> list:
        if not self.use_cache:
            return run_jobs(jobs, workers)
        from ..cache import Cache

        return Cache.for_settings(settings).run(jobs, workers, run_jobs)

    def update(self, path: str, text: Optional[str]) -> bool:
        """Lint ``path`` again, from ``text`` (an editor buffer) or from disk (``None``). Returns
        whether the cross-file facts changed (then other files' findings may have too)."""
        path = os.path.abspath(path)
        if text is None and not os.path.isfile(path):
            return self.forget(path)
        result = lint_job(self.job(path, text))
        if text is None:
            self.texts.pop(path, None)
        else:
            self.texts[path] = text
        old = self.results.get(path)
        if (text is not None and old is not None and old.facts is not None
                and any(f.code == UNREADABLE for f in result.findings)):
            # A buffer mid-edit that does not parse has no facts: keep its last ones, so the
            # other files' findings do not flicker with every keystroke.
            result.facts = old.facts
        self.results[path] = result
        changed = old is None or old.facts != result.facts
        if changed:
            self._project = None
        return changed

    def forget(self, path: str) -> bool:
        """A file that is gone; returns whether the cross-file facts changed."""
        old = self.results.pop(os.path.abspath(path), None)
        if old is not None and old.facts is not None:
            self._project = None
            return True
        return False

    @property
    def project(self) -> ProjectFacts:
        """The cross-file solve over every file's facts, redone only after facts changed."""
        if self._project is None:
            self._project = ProjectFacts([r.facts for r in self.results.values() if r.facts is not None])
        return self._project

    def findings(self, path: str) -> list:
        """The findings of ``path`` as last linted (update() first), with the workspace's
        cross-file facts applied."""
        result = self.results.get(os.path.abspath(path))
        if result is None:
            return []
        return self._resolved(path, result)

    def preview(self, path: str, text: str) -> list:
        """Findings of a candidate text of ``path`` (e.g. after a round of fixes), without
        storing it: the rest of the workspace stays as it is."""
        return self._resolved(path, lint_job(self.job(path, text)), text)

    def _resolved(self, path: str, result: FileResult, text: Optional[str] = None) -> list:
        # No workspace: the file alone is the project, as `nogradlint file.py` sees it.
        findings = resolve([result]) if self.root is None else resolve([result], self.project)
        settings = self.settings_for(path)
        findings = _kept(findings, settings)
        if settings.runtime_evidence:
            findings = self._with_evidence(os.path.abspath(path), findings, settings, text)
        return findings

    def _with_evidence(self, path: str, findings: list, settings: Settings, text: Optional[str]) -> list:
        """Join the tests' run-time evidence, read again only when its file changes; the buffer
        counts as the file (an unsaved edit makes the evidence for it stale)."""
        from ..cli import per_file_ignored
        from ..evidence.join import join
        from ..evidence.load import load_evidence

        source = settings.runtime_evidence
        try:
            st = os.stat(source)
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        cached = self._evidence.get(source)
        if cached is None or cached[0] != stamp:
            cached = self._evidence[source] = (stamp, load_evidence(source))  # EvidenceError: a ConfigError
        text = text if text is not None else self.texts.get(path)
        codes = self.codes_for(settings)
        out, _ = join(findings, cached[1], {path: path},
                      enabled=lambda d, c: c in codes and not per_file_ignored(settings, d, c),
                      protected=settings.runtime_evidence_protected,
                      texts={path: text} if text is not None else None)
        return out


def inside(path: str, folder: str) -> bool:
    path, folder = os.path.abspath(path), os.path.abspath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _kept(findings: list, settings: Settings) -> list:
    from ..cli import per_file_ignored

    return [f for f in findings if not per_file_ignored(settings, f.path, f.code)]
