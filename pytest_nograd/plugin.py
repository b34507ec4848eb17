"""pytest entry point (pytest11) for pytest-nograd.

Hooks stay thin: options.py resolves settings, markers.py validates markers, measure.py
and sanitizer.py do the work, report.py keeps the results. torch is imported only when a
test, option or fixture needs it.
"""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

import pytest

from . import measure, options, runtime
from .findings import LEAK, Finding, GradModeWarning
from .fixture import Nograd
from .conventions import header_line, typo_hints, unswallow_xfail
from .markers import MARKERS, MarkerError, MarkerSpec, spec_for
from .report import SessionResults
from .torchload import TorchMissingError, require_torch, torch_if_imported

_settings_key = pytest.StashKey["options.Settings"]()
_results_key = pytest.StashKey[SessionResults]()
_spec_key = pytest.StashKey[MarkerSpec]()
_record_key = pytest.StashKey["_Record"]()


@dataclass
class _Record:
    measurements: Dict[str, Any] = field(default_factory=dict)
    findings: List[Finding] = field(default_factory=list)
    forwards: List[Dict[str, Any]] = field(default_factory=list)  # the sanitizer's forward records
    sent: int = 0  # findings already attached to an earlier report of this test
    comparisons: List[Dict[str, Any]] = field(default_factory=list)  # compare_modes calls, plain data
    # The plugin failed a test whose body passed (a leak, or a finding under
    # --nograd-strict): for an xfail test that must not pass as the expected failure.
    plugin_failure: Optional[str] = None

    def take(self) -> Optional[Dict[str, Any]]:
        new = self.findings[self.sent:]
        self.sent = len(self.findings)
        if not new and not self.measurements and not self.comparisons and not self.forwards:
            return None
        data = {"measurements": self.measurements, "findings": [f.to_dict() for f in new],
                "comparisons": self.comparisons}
        if self.forwards:
            data["forwards"] = self.forwards
        self.measurements = {}
        self.comparisons = []
        self.forwards = []
        return data


def _is_worker(config: Any) -> bool:
    return hasattr(config, "workerinput")


# ------------------------------------------------------------------------ configuration


def pytest_addoption(parser: Any) -> None:
    options.addoption(parser)


def pytest_addhooks(pluginmanager: Any) -> None:
    from . import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


def pytest_configure(config: Any) -> None:
    for text in MARKERS.values():
        config.addinivalue_line("markers", text)
    settings = options.resolve(config)  # raises UsageError naming a bad key
    config.stash[_settings_key] = settings
    results = SessionResults(str(config.rootpath))
    config.stash[_results_key] = results
    if settings.check or settings.memory_budget is not None:
        try:
            require_torch("--nograd-check" if settings.check else "nograd_memory_budget")
        except TorchMissingError as exc:
            raise pytest.UsageError(str(exc)) from None
    if settings.check:
        from .scopes import ScopedLeakGuard

        config.pluginmanager.register(ScopedLeakGuard(_test_fixture_leak, _scoped_fixture_leak), "nograd-scopes")
    if not _is_worker(config):
        for what, path in (("the JSON report", settings.json_path), ("the HTML report", settings.html_path)):
            if path:
                _check_report_path(what, path)
        config.pluginmanager.register(_ResultsPlugin(settings, results), "nograd-results")
        if config.pluginmanager.hasplugin("xdist"):
            from .xdist import XdistHooks

            config.pluginmanager.register(XdistHooks(results), "nograd-xdist")
    extra = config.hook.pytest_nograd_meters(config=config)
    measure._extra_meters[:] = [m for ms in extra for m in (ms or [])]


def _check_report_path(what: str, path: str) -> None:
    """Fail at start-up, not after the whole run, when a report could not be written."""
    problem = _report_path_problem(path)
    if problem:
        raise pytest.UsageError(f"pytest-nograd: cannot write {what} to {path}: {problem}")


def _report_path_problem(path: str) -> Optional[str]:
    """Why a report cannot be written to ``path`` (creating its directory), or None."""
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        return "it is a directory"
    try:
        os.makedirs(directory, exist_ok=True)
    except FileExistsError as exc:  # makedirs' "File exists" for a file in the way reads oddly
        return f"cannot create its directory {directory}: {exc.filename} is a file"
    except OSError as exc:
        return f"cannot create its directory {directory}: {exc.strerror or exc}"
    if not os.access(directory, os.W_OK):
        return f"its directory {directory} is not writable"
    return None


def pytest_unconfigure(config: Any) -> None:
    measure._extra_meters[:] = []


# -------------------------------------------------------------------------- collection


def pytest_generate_tests(metafunc: Any) -> None:
    # Validating here makes a bad marker a collection error that names the test, like a
    # bad parametrize, instead of an INTERNALERROR or a failure at run time.
    error = _marker_error(metafunc.definition)
    if error:
        pytest.fail(error, pytrace=False)


def _marker_error(node: Any) -> Optional[str]:
    # The message is built inside the except block but raised outside it, so the report
    # shows one message, not the MarkerError and then the failure chained to it.
    try:
        spec_for(node)
    except MarkerError as exc:
        return f"In {node.name}: {exc}"
    return None


def pytest_collection_modifyitems(config: Any, items: List[Any]) -> None:
    registered = {line.split(":")[0].split("(")[0].strip() for line in config.getini("markers")}
    for (name, item), hint in typo_hints(items, registered).items():
        # Next to pytest's own PytestUnknownMarkWarning, which has no suggestion.
        item.warn(pytest.PytestUnknownMarkWarning(
            f"unknown marker @pytest.mark.{name}: did you mean `{hint}`? (a pytest-nograd marker)"))


def pytest_report_header(config: Any) -> Optional[str]:
    settings = config.stash.get(_settings_key, None)
    return header_line(settings) if settings is not None else None


# ------------------------------------------------------------------------------ running


def _guarded(settings: options.Settings, spec: MarkerSpec) -> bool:
    return settings.check or spec.uses_torch or spec.allow_grad_mode_change or settings.memory_budget is not None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: Any) -> None:
    # A plain tryfirst hook (not a wrapper): it runs before fixtures are set up but inside
    # other plugins' wrappers, so a skip or error raised here is an ordinary setup outcome.
    item.stash[_record_key] = _Record()
    error = _marker_error(item)  # markers added after collection are validated here
    if error:
        pytest.fail(error, pytrace=False)
    spec = item.stash[_spec_key] = spec_for(item)
    if spec.uses_torch:
        try:
            torch = require_torch(_marker_names(spec))
        except TorchMissingError as exc:
            pytest.fail(str(exc), pytrace=False)
        if spec.memory is not None and spec.memory.device == "cuda" and not torch.cuda.is_available():
            _skip_at_item("memory_budget(device='cuda'): CUDA is not available")


def _skip_at_item(reason: str) -> None:
    try:  # report the skip at the test's location, like a skip marker does
        raise pytest.skip.Exception(reason, _use_item_location=True)
    except TypeError:  # pragma: no cover - older pytest without the keyword
        pytest.skip(reason)


def _marker_names(spec: MarkerSpec) -> str:
    names = [n for n, on in (("no_graph", spec.no_graph), ("memory_budget", spec.memory is not None),
                             ("autograd_budget", spec.autograd_limit is not None)) if on]
    return " and ".join(f"@pytest.mark.{n}" for n in names)


def _filtered(item: Any, findings: List[Finding]) -> List[Finding]:
    kept = []
    for f in findings:
        f.nodeid = item.nodeid
        if item.config.hook.pytest_nograd_filter_finding(item=item, finding=f) is not False:
            kept.append(f)
    return kept


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: Any) -> Any:
    settings = item.config.stash[_settings_key]
    spec = item.stash.get(_spec_key, None) or MarkerSpec()
    if not _guarded(settings, spec) or torch_if_imported() is None and not spec.uses_torch:
        # track() / budget() in an unguarded test still point their allocation lines at
        # the test's own line, as they do under --nograd-check.
        runtime.state.test_file = str(item.path)
        runtime.state.comparisons = _comparisons_of(item)
        try:
            return (yield)
        finally:
            runtime.state.test_file = None
            runtime.state.comparisons = None

    from .sanitizer import Sanitizer, describe_changes, restore, snapshot

    memory = spec.memory if spec.memory is not None else (
        _default_budget(settings.memory_budget))
    limit = memory.limit if memory is not None else None
    runtime.state.test_file = str(item.path)
    runtime.state.comparisons = _comparisons_of(item)
    sanitizer = Sanitizer(str(item.path), str(item.config.rootpath)) if settings.check else None
    tracker = None
    if limit is not None or spec.autograd_limit is not None or spec.no_graph:
        tracker = measure.track(
            device=memory.device if memory is not None else "auto",
            memory=limit is not None,
            saved_for_backward=spec.autograd_limit is not None,
            graph=spec.no_graph,
        )
    exc: Optional[BaseException] = None
    changed: List[Any] = []
    m = None
    try:
        if sanitizer is not None:
            sanitizer.install()
        if tracker is not None:
            m = tracker.__enter__()
        before = snapshot()  # taken with our own modes on the stack
        try:
            result = yield
        except BaseException as e:  # noqa: B036 - re-raised below after cleanup
            exc = e
            result = None
        # Undo what the test left behind first, so our own modes are on top again.
        changed = restore(before)
    finally:
        if tracker is not None:
            tracker.__exit__(None, None, None)
        if sanitizer is not None:
            sanitizer.remove()
        runtime.state.test_file = None
        runtime.state.comparisons = None

    record = item.stash[_record_key]
    failures: List[str] = []
    findings: List[Finding] = []
    if changed:
        what = describe_changes(changed)
        if settings.check and not spec.allow_grad_mode_change:
            findings.append(Finding(LEAK, f"the test changed global autograd state and did not restore it: {what} (restored)"))
            failures.append(f"pytest-nograd: the test left global autograd state changed: {what}. "
                            "The state was restored so later tests are unaffected; restore it in the test "
                            "(use a with-block), or mark the test @pytest.mark.allow_grad_mode_change.")
        item.add_report_section("call", "nograd", f"restored global autograd state: {what}")
    if sanitizer is not None:
        findings.extend(sanitizer.collect())
        record.forwards = sanitizer.forward_records
    findings = _filtered(item, findings)
    record.findings.extend(findings)
    if m is not None:
        record.measurements = m.to_dict() if limit is not None else {
            k: v for k, v in m.to_dict().items() if k != "largest_allocations" and k != "peak_bytes"}
        if spec.autograd_limit is None:
            record.measurements.pop("saved_bytes", None)
        if not spec.no_graph:
            record.measurements.pop("graph_ops", None)
        if spec.no_graph and m.graph_ops:
            fn, ln = m.first_graph_op_location
            where = f" at {fn}:{ln}" if fn else ""
            failures.append(f"no_graph: the test body built an autograd graph: first op producing a tensor "
                            f"with grad_fn was {m.first_graph_op}{where} ({m.graph_ops} graph-building ops in all)")
        if limit is not None:
            msg = measure.check_budget(m, limit, memory.device)
            if msg:
                failures.append(msg)
        if spec.autograd_limit is not None:
            msg = measure.check_saved(m, spec.autograd_limit)
            if msg:
                failures.append(msg)

    sanitizer_findings = [f for f in findings if f.kind != LEAK]
    if exc is not None:
        if failures or sanitizer_findings:
            text = "\n".join(failures + [f"{f.kind}: {f.message} {f.where()}" for f in sanitizer_findings])
            item.add_report_section("call", "nograd", text)
        raise exc
    if sanitizer_findings:
        if settings.strict:
            failures.extend(f"{f.kind}: {f.message}" + (f" ({f.where()})" if f.where() else "") for f in sanitizer_findings)
        else:
            for f in sanitizer_findings:
                # warn_explicit points the warning at the user's line; with
                # -W error::pytest_nograd.GradModeWarning it raises here and fails the test.
                warnings.warn_explicit(f"{f.kind}: {f.message}", GradModeWarning,
                                       f.filename or str(item.path), f.lineno or 0)
    if failures:
        if changed or (settings.strict and sanitizer_findings):
            record.plugin_failure = "\n".join(failures)
        pytest.fail("\n".join(failures), pytrace=False)
    return result


def _comparisons_of(item: Any) -> Optional[List[Dict[str, Any]]]:
    record = item.stash.get(_record_key, None)
    return record.comparisons if record is not None else None


def _default_budget(budget: Optional[int]) -> Any:
    from .markers import MemoryBudget

    return MemoryBudget(budget, "auto") if budget is not None else None


def _test_fixture_leak(item: Any, changed: List[Any]) -> None:
    from .leakguard import describe_changes

    what = describe_changes(changed)
    spec = item.stash.get(_spec_key, None) or MarkerSpec()
    if spec.allow_grad_mode_change:
        return
    finding = Finding(LEAK, f"setup/teardown (a fixture) left global autograd state changed: {what} (restored)")
    kept = _filtered(item, [finding])
    if kept:
        item.stash[_record_key].findings.extend(kept)
        pytest.fail(f"pytest-nograd: a fixture of this test left global autograd state changed: {what}. "
                    "It was restored so later tests are unaffected.", pytrace=False)


def _scoped_fixture_leak(item: Any, fixturedef: Any, changed: List[Any]) -> None:
    from .leakguard import describe_changes

    what = describe_changes(changed)
    name = f"fixture '{fixturedef.argname}' ({fixturedef.scope} scope)"
    finding = Finding(LEAK, f"{name} left global autograd state changed when it was finalised: {what} (restored)")
    kept = _filtered(item, [finding]) if item is not None else [finding]
    if kept:
        if item is not None:
            item.stash[_record_key].findings.extend(kept)
        pytest.fail(f"pytest-nograd: {name} left global autograd state changed when it was finalised: "
                    f"{what}. It was restored so later tests are unaffected.", pytrace=False)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Any:
    report = yield
    record = item.stash.get(_record_key, None)
    if record is not None and record.plugin_failure and call.when == "call":
        unswallow_xfail(report, record.plugin_failure)
    if record is not None:
        data = record.take()
        if data is not None:
            report.nograd = data  # plain data: survives xdist's report serialization
    return report


class _ResultsPlugin:
    """Controller-side (or single-process) collection, summary and JSON output."""

    def __init__(self, settings: options.Settings, results: SessionResults) -> None:
        self.settings = settings
        self.results = results
        self.write_errors: List[str] = []

    def pytest_runtest_logreport(self, report: Any) -> None:
        self.results.add(report)

    def _write_html(self, path: str) -> None:
        from .html_report import write_html

        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        write_html(path, self.results.to_json(), generated=stamp)

    def pytest_sessionfinish(self, session: Any) -> None:
        for what, path, write in (("JSON report", self.settings.json_path, self.results.write_json),
                                  ("HTML report", self.settings.html_path, self._write_html)):
            if not path:
                continue
            try:
                write(path)
            except OSError as exc:  # checked at start-up, but the disk can change meanwhile
                why = _report_path_problem(path) or exc.strerror or str(exc)
                self.write_errors.append(f"pytest-nograd: cannot write the {what} to {path}: {why}")
                if session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
                    session.exitstatus = pytest.ExitCode.USAGE_ERROR

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        for error in self.write_errors:
            terminalreporter.write_line(error, red=True, bold=True)
        lines = self.results.summary_lines()
        if not lines and not self.settings.check:
            return
        terminalreporter.write_sep("=", "nograd summary")
        for line in lines or ["no findings"]:
            terminalreporter.write_line(line)


# ------------------------------------------------------------------------------ fixture


@pytest.fixture
def nograd() -> Nograd:
    """Assertions about requires_grad state, graphs and memory (see pytest_nograd)."""
    try:
        require_torch("the nograd fixture")
    except TorchMissingError as exc:
        pytest.fail(str(exc), pytrace=False)
    return Nograd()
