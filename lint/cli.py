"""The ``nogradlint`` command line (vocabulary and exit codes follow ruff's).

Exit codes: 0 no findings, 1 findings, 2 usage or configuration error, or a crash of the tool.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import sys
from typing import Optional, Sequence

from . import __version__
from .config import ConfigError, Settings, SettingsResolver, check_known_codes, describe, parse_cli_codes
from .discover import discover, module_name
from .fixes.apply import FixError, fix_file, read_for_fix
from .registry import PluginError, rule_by_code, rule_catalog, select_layers
from .report import FORMAT_NAMES, renderer
from .report.text import show_fixes, statistics, statistics_json, summary
from .results import UNREADABLE, LintJob, WorkerDied, resolve, with_summaries

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
MAX_FIX_ROUNDS = 8


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every other error here
        raise UsageError(message)


EPILOG = """\
exit codes:
  0  no findings (or --exit-zero)
  1  findings; with --diff: something would change
  2  a usage or configuration error, a plug-in that cannot be loaded, a fix that
     cannot be written, or a crash of the tool (one `nogradlint: error:` line)

examples:
  nogradlint                               lint the current folder
  nogradlint src/ train.py nb.ipynb        files and folders (.py and .ipynb)
  nogradlint --fix .                       apply the safe fixes
  nogradlint --fix --unsafe-fixes .        apply the unsafe fixes too
  nogradlint --diff .                      show the fixes as a diff; write nothing
  nogradlint --select NG001,NG006 .        only these rules
  nogradlint --output-format sarif -o nogradlint.sarif .
  nogradlint --stdin-filename src/m.py - < buffer   lint an editor's buffer
  nogradlint --explain NG001               a rule's documentation

Rule codes and prefixes may be written in any letter case (ng001 is NG001).
"""


def build_parser() -> argparse.ArgumentParser:
    # allow_abbrev=False: `--fi` must not silently mean `--fix` (a later option could make it mean another)
    p = _Parser(prog="nogradlint", description="Find PyTorch grad-mode misuse.", epilog=EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False)
    p.add_argument("paths", nargs="*", help="files or folders to lint (default: .); `-` reads standard input")
    p.add_argument("--version", action="version", version=f"nogradlint {__version__}",
                   help="print the version and exit")
    p.add_argument("--config", metavar="FILE",
                   help="read settings for every file from this pyproject.toml or nogradlint.toml (default: each "
                        "file's nearest configuration, from its folder upwards)")
    p.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    sel = p.add_argument_group("rule selection")
    sel.add_argument("--select", metavar="CODES", help="comma-separated rule codes or prefixes to enable")
    sel.add_argument("--ignore", metavar="CODES", help="comma-separated rule codes or prefixes to disable")
    sel.add_argument("--extend-select", metavar="CODES", help="enable these in addition to `select`")
    files = p.add_argument_group("file selection")
    files.add_argument("--exclude", metavar="GLOBS", help="comma-separated globs to exclude (replaces the defaults)")
    files.add_argument("--extend-exclude", metavar="GLOBS", help="comma-separated globs to exclude as well")
    files.add_argument("--respect-gitignore", dest="respect_gitignore", action="store_true", default=None,
                       help="skip what .gitignore files ignore (the default)")
    files.add_argument("--no-respect-gitignore", dest="respect_gitignore", action="store_false",
                       help="lint what .gitignore files ignore too")
    files.add_argument("--force-exclude", action="store_true", help="apply excludes to files named on the command line too")
    files.add_argument("--stdin-filename", metavar="NAME", help="lint standard input, reporting it as NAME")
    fix = p.add_argument_group("fixes")
    fix.add_argument("--fix", action="store_true", help="apply safe fixes")
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply (with --fix) or show unsafe fixes")
    fix.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    fix.add_argument("--add-noqa", action="store_true", help="add `# noqa: CODE` to every line with a finding")
    evid = p.add_argument_group("run-time evidence (what `pytest --nograd-check --nograd-json=FILE` saw)")
    evid.add_argument("--runtime-evidence", metavar="FILE",
                      help="join the tests' run-time evidence with the findings: confirm NG001 loops that built "
                           "an unused graph, add NG013 where only the tests saw one, note loops that ran only "
                           "under no_grad")
    evid.add_argument("--runtime-evidence-protected", choices=("keep", "drop"), metavar="keep|drop",
                      help="an NG001 whose forwards ran in the tests only with grad disabled: keep it with a "
                           "note (default) or drop it")
    out = p.add_argument_group("output")
    out.add_argument("--output-format", choices=FORMAT_NAMES, default="text", metavar="FMT",
                     help=f"how to print findings: {', '.join(FORMAT_NAMES)} (default: text)")
    out.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                     help="colour the text output: auto (default) colours on a terminal unless NO_COLOR is "
                          "set, or when FORCE_COLOR is set")
    out.add_argument("--show-source", action="store_true", help="show the source lines of each finding (same as --output-format full)")
    out.add_argument("-o", "--output-file", metavar="FILE", help="write the report to FILE")
    out.add_argument("--statistics", action="store_true", help="print counts per rule instead of the findings")
    out.add_argument("--show-fixes", action="store_true",
                     help="after --fix, list the fixes applied, per file and rule")
    out.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    out.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
    run = p.add_argument_group("run")
    run.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: CPU count)")
    run.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    run.add_argument("--cache-dir", metavar="DIR", help="where to keep the cache (default .nogradlint_cache)")
    info = p.add_argument_group("information")
    info.add_argument("--explain", metavar="CODE", help="print a rule's documentation")
    info.add_argument("--list-rules", action="store_true", help="list every rule")
    info.add_argument("--show-settings", metavar="FILE",
                      help="print the settings FILE is linted with, and the configuration they come from")
    info.add_argument("--show-files", action="store_true", help="print the files that would be linted")
    run.add_argument("--watch", action="store_true", help="lint again whenever a file changes (Ctrl-C to stop)")
    return p


def _csv(value: Optional[str]) -> Optional[tuple]:
    if value is None:
        return None
    return tuple(v.strip() for v in value.split(",") if v.strip())


def run_jobs(jobs: list, workers: int) -> list:
    """``runner.run_jobs``, imported only when there is a file to lint: the runner imports libcst
    and the rules, which a run whose files are all cache hits never needs."""
    if not jobs:
        return []
    from .runner import run_jobs as run

    return run(jobs, workers)


def explain(code: str) -> str:
    from .rule_docs import rule_markdown

    rule = rule_by_code(code.upper()) or rule_by_code(code)
    if rule is None:
        raise UsageError(f"unknown rule {code!r}; see `nogradlint --list-rules`")
    return rule_markdown(rule)


def list_rules() -> str:
    lines = []
    for rule in rule_catalog():
        fix = {"safe": "[*]", "unsafe": "[*unsafe]"}.get(rule.fix_applicability or "", "")
        lines.append(f"{rule.code}  {rule.name:<36} {fix:<10} {rule.message}")
    return "\n".join(lines) + "\n"


def resolve_settings(args) -> SettingsResolver:
    """Each file's settings (its nearest configuration, or --config / --isolated for all) with
    the command line on top. Every configuration file is checked as it is first used."""
    cli_codes = {
        option: parse_cli_codes(value, option)
        for option, value in (("--select", args.select), ("--ignore", args.ignore),
                              ("--extend-select", args.extend_select))
        if value is not None
    }
    if cli_codes.get("--select") == ():
        # ruff treats an empty selection as a mistake, not as "no rules": so do we.
        raise UsageError("--select is empty; give rule codes or prefixes (like NG001, NG or ALL)")
    known = [r.code for r in rule_catalog()]
    check_known_codes(Settings(), known, cli_codes)
    # The rule selection is layered (file, then command line; see registry.select_layers):
    # kept apart here, combined in enabled_codes().
    args._cli_selection = (cli_codes.get("--select"), cli_codes.get("--extend-select"), cli_codes.get("--ignore"))
    overrides = dict(
        exclude=_csv(args.exclude),
        extend_exclude=_csv(args.extend_exclude),
        respect_gitignore=args.respect_gitignore,
        # --cache-dir is relative to where the command runs (cache-dir in a config file is
        # relative to that file's folder).
        cache_dir=os.path.abspath(args.cache_dir) if args.cache_dir else None,
        runtime_evidence=os.path.abspath(args.runtime_evidence) if args.runtime_evidence else None,
        runtime_evidence_protected=args.runtime_evidence_protected,
    )
    return SettingsResolver(isolated=args.isolated, config=args.config, overrides=overrides,
                            check=lambda settings: check_known_codes(settings, known))


def enabled_codes(settings: Settings, cli_selection: tuple) -> tuple:
    """Defaults, then the configuration file, then the command line."""
    layers = [(settings.select, settings.extend_select, settings.ignore), cli_selection]
    codes = tuple(r.code for r in select_layers(layers))
    # A file that cannot be linted is never hidden by the rule selection (as ruff always reports
    # invalid syntax): `--select NG001` on a syntax error must not say "All checks passed!".
    return codes if UNREADABLE in codes else codes + (UNREADABLE,)


def per_file_ignored(settings: Optional[Settings], path: str, code: str) -> bool:
    if settings is None or not settings.per_file_ignores or code == "NG900":  # NG900 is never hidden (enabled_codes)
        return False
    rel = os.path.relpath(os.path.abspath(path), settings.root).replace(os.sep, "/")
    base = os.path.basename(path)
    for glob, codes in settings.per_file_ignores:
        target = rel if "/" in glob else base
        if fnmatch.fnmatchcase(target, glob) or fnmatch.fnmatchcase(rel, glob):
            if any(c == "ALL" or code.startswith(c) for c in codes):
                return True
    return False


def find_files(args, resolver: SettingsResolver) -> list:
    """(file, its settings) for every file to lint. Each path given is walked with its own
    settings' excludes, and a file found under a nested configuration also with that
    configuration's excludes, so the files and their settings do not depend on the order of
    the paths (pre-commit passes them in any order)."""
    from .discover import Excluder, excluded_within

    found, seen, excluders, skipped = [], set(), {}, []
    for given in args.paths or ["."]:
        outer = resolver.for_path(given)
        for f in discover([given], outer.exclude + outer.extend_exclude, outer.root, outer.respect_gitignore,
                          args.force_exclude, skipped):
            key = os.path.realpath(f.path)
            if key in seen:
                continue
            seen.add(key)
            own = outer if f.explicit else resolver.for_path(f.path)
            if own is not outer and own.source is not None:
                excluder = excluders.get(own.source)
                if excluder is None:
                    excluder = excluders[own.source] = Excluder(own.exclude + own.extend_exclude, own.root)
                if excluded_within(f.path, excluder):
                    continue
            found.append((f, own))
    for path in skipped if not getattr(args, "_skips_noted", False) else ():  # once, not per --fix round
        args._skips_noted = True
        print(f"nogradlint: note: skipping {path}: not a Python file or notebook (.py, .pyi, .pyw, "
              ".ipynb, or a #!...python script)", file=sys.stderr)
    return found


def lint_paths(args, resolver: SettingsResolver) -> tuple[list, dict]:
    """Findings for every file; also the display-path -> filesystem-path map for fixes."""
    codes_of: dict = {}

    def codes_for(settings: Settings) -> tuple:
        if id(settings) not in codes_of:
            codes_of[id(settings)] = enabled_codes(settings, args._cli_selection)
        return codes_of[id(settings)]

    if args.stdin_filename is not None or args.paths == ["-"]:
        name = args.stdin_filename or "-"
        settings = resolver.for_path(name if args.stdin_filename is not None else ".")
        codes = codes_for(settings)
        data = sys.stdin.buffer.read()
        args._stdin_raw = data
        from .discover import Excluder, _force_excluded
        from .source.reading import SourceError, decode_source

        if args.force_exclude and _force_excluded(
            name, Excluder(settings.exclude + settings.extend_exclude, settings.root), settings.respect_gitignore
        ):
            return [], {}  # like ruff: an excluded file given on standard input is not linted
        try:
            text = decode_source(data, name)
        except SourceError as exc:
            from .runner import _unreadable

            return (resolve([_unreadable(name, str(exc))]) if UNREADABLE in codes else []), {}
        module, is_package = module_name(name)
        job = LintJob(name, name, codes, settings, module, is_package, text=text)
        args._stdin_text = text
        from .runner import lint_job

        findings = _with_evidence(args, settings, resolve([lint_job(job)]), {name: name},
                                  lambda display, code: code in codes, texts={name: text})
        return findings, {}
    found = find_files(args, resolver)
    if not found:
        print("warning: no Python files found under the given paths", file=sys.stderr)
    jobs, settings_of = [], {}
    for f, settings in found:
        module, is_package = module_name(f.path)
        settings_of[f.display] = settings
        jobs.append(LintJob(f.path, f.display, codes_for(settings), settings, module, is_package))
    workers = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise UsageError(f"--jobs must be at least 1, not {workers}")
    from .cache import Cache

    # One cache, where the first path's configuration puts it; each entry is keyed by its file's settings.
    cache = None if args.no_cache else Cache.for_settings(resolver.for_path((args.paths or ["."])[0]))
    def run(batch: list) -> list:
        return cache.run(batch, workers, run_jobs) if cache is not None else run_jobs(batch, workers)

    jobs += _context_jobs(args, found, resolver)
    results, project = with_summaries(jobs, run(jobs), run)
    findings = [f for f in resolve(results, project)
                if not per_file_ignored(settings_of.get(f.path), f.path, f.code)]
    paths = {f.display: f.path for f, _ in found}

    def enabled(display: str, code: str) -> bool:
        settings = settings_of.get(display)
        return settings is not None and code in codes_for(settings) and not per_file_ignored(settings, display, code)

    first = resolver.for_path((args.paths or ["."])[0])
    return _with_evidence(args, first, findings, paths, enabled), paths


# Files read for context at most (a named file in a huge tree must not cost a walk of all of it).
_CONTEXT_LIMIT = 20000
_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


def _project_root(path: str, settings: Settings) -> Optional[str]:
    """The project a named file belongs to: the folder of its `[tool.nogradlint]` configuration,
    else the nearest folder above it holding a `pyproject.toml`, `setup.py`, `setup.cfg` or `.git`;
    None for a file in no project (then no other file is read)."""
    if settings.source is not None:
        return os.path.abspath(settings.root)
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        if any(os.path.exists(os.path.join(folder, marker)) for marker in _PROJECT_MARKERS):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _context_jobs(args, found: list, resolver: SettingsResolver) -> list:
    """When only files are named (pre-commit passes the committed ones), the other files of their
    project, linted with no rule: their facts (who calls a function, under which grad mode, and
    whether the caller trains) decide the named files' findings as in a whole-project run. Without
    them a helper that training calls in another file (`prediction = self._inference(batch)` and
    then `loss.backward()`) looks like an inference loop, and its unsafe fix would break training.
    Their text is read, or their cached facts; they are parsed only when a finding needs what
    their functions return."""
    if not found or any(os.path.isdir(p) for p in args.paths or ["."]):
        return []
    named = {os.path.realpath(f.path) for f, _ in found}
    jobs, seen = [], set()
    for f, settings in found:
        root = _project_root(f.path, settings)
        if root is None or root in seen:
            continue
        seen.add(root)
        # `discover` applies the configuration's excludes (and .gitignore) as it walks.
        for other in discover([root], settings.exclude + settings.extend_exclude, settings.root,
                              settings.respect_gitignore):
            if len(jobs) >= _CONTEXT_LIMIT:
                return jobs
            key = os.path.realpath(other.path)
            if key in named:
                continue
            named.add(key)
            module, is_package = module_name(other.path)
            jobs.append(LintJob(other.path, other.display, (), resolver.for_path(other.path), module, is_package))
    return jobs


def _with_evidence(args, settings: Settings, findings: list, paths: dict, enabled, texts=None) -> list:
    """Join the run-time evidence (one file for the run, from the first path's configuration, as
    the cache is) with the findings. Its notes are printed once, not per --fix round."""
    if not settings.runtime_evidence:
        return findings
    from .evidence.join import join
    from .evidence.load import load_evidence

    evidence = load_evidence(settings.runtime_evidence)
    findings, notes = join(findings, evidence, paths, enabled=enabled,
                           protected=settings.runtime_evidence_protected, texts=texts)
    if not getattr(args, "_evidence_noted", False):
        args._evidence_noted = True
        for note in notes:
            print(f"nogradlint: note: {note}", file=sys.stderr)
    return findings


def _diff(path: str, old: str, new: str) -> str:
    import difflib

    if path.endswith(".ipynb"):
        cells = _notebook_diff(path, old, new)
        if cells is not None:
            return cells
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        fromfile=f"a/{path}", tofile=f"b/{path}"))


def _notebook_diff(path: str, old: str, new: str) -> Optional[str]:
    """A notebook's fixes as one diff per changed cell (named like its findings: `cell N`), not
    as a diff of the JSON. None when the cells cannot be paired (then the JSON diff is shown)."""
    import json

    from .source.notebook import cell_text

    try:
        before, after = json.loads(old)["cells"], json.loads(new)["cells"]
        pairs = [(cell_text(a.get("source", "")), cell_text(b.get("source", ""))) for a, b in zip(before, after)]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if len(before) != len(after):
        return None

    def lines(text: str) -> list:
        out = text.splitlines(keepends=True)
        if out and not out[-1].endswith(("\n", "\r")):
            out[-1] += "\n"  # a cell's last line has no newline; the diff's lines must end
        return out

    import difflib

    return "".join("".join(difflib.unified_diff(lines(a), lines(b), fromfile=f"a/{path}:cell {i}",
                                                tofile=f"b/{path}:cell {i}"))
                   for i, (a, b) in enumerate(pairs, start=1) if a != b)


def main(argv: Optional[Sequence[str]] = None) -> int:
    try:
        return _main(argv)
    except (UsageError, ConfigError, PluginError, FixError, WorkerDied) as exc:
        print(f"nogradlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("nogradlint: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR
    except Exception as exc:  # the tool itself failed: say so in one line, never a traceback
        if os.environ.get("NOGRADLINT_DEBUG"):
            raise
        print(f"nogradlint: internal error: {type(exc).__name__}: {exc} "
              "(rerun with NOGRADLINT_DEBUG=1 for details and please report it)", file=sys.stderr)
        return EXIT_ERROR


def _main(argv) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["server"]:  # a subcommand: `nogradlint ./server` lints a folder of that name
        from .server import main as server_main

        return server_main(argv[1:])
    args = build_parser().parse_args(argv)
    if args.explain:
        sys.stdout.write(explain(args.explain))
        return EXIT_OK
    if args.list_rules:
        sys.stdout.write(list_rules())
        return EXIT_OK
    stdin = args.stdin_filename is not None or args.paths == ["-"]
    if args.stdin_filename is not None:
        ignored = [p for p in args.paths if p != "-"]
        if ignored:  # ruff warns too: these would silently not be linted
            print(f"nogradlint: warning: ignoring {', '.join(ignored)} in favor of standard input "
                  "(--stdin-filename lints standard input only)", file=sys.stderr)
    if args.watch:
        if stdin or args.diff or args.add_noqa:
            raise UsageError("--watch lints files as they change; it cannot be used with standard input, --diff or --add-noqa")
        from .integrations.watch import watch

        rest = [a for a in (sys.argv[1:] if argv is None else argv) if a != "--watch"]
        return watch(lambda: main(rest), args.paths or ["."])
    if stdin and args.add_noqa:
        raise UsageError("--add-noqa edits files in place; it cannot be used with standard input")
    resolver = resolve_settings(args)
    if args.show_settings is not None:
        return _show_settings(args, resolver, args.show_settings)
    if args.show_files:
        for f, _ in sorted(find_files(args, resolver), key=lambda item: item[0].display):
            print(f.display)
        return EXIT_OK
    findings, paths = lint_paths(args, resolver)

    if stdin and (args.fix or args.diff):
        return _fix_stdin(args, findings)
    if args.diff:
        return _show_diff(findings, paths, args)
    fix_errors: list = []
    applied: list = []
    if args.fix:
        findings, applied, fix_errors = _apply_fixes(args, resolver, findings, paths)
    if args.add_noqa:
        from .fixes.noqa import add_noqa

        added, problems = add_noqa(findings, paths)
        for problem in problems:
            print(f"nogradlint: warning: {problem}", file=sys.stderr)
        print(f"Added {added} noqa directive{'s' if added != 1 else ''}.", file=sys.stderr)
        return EXIT_ERROR if fix_errors else EXIT_OK

    fmt = "full" if args.show_source and args.output_format == "text" else args.output_format
    color = use_color(args.color, sys.stdout if args.output_file is None else None)
    if args.statistics:
        report = statistics_json(findings) if fmt == "json" else statistics(findings)
    else:
        sources = _sources(findings, paths, args) if fmt == "full" else None
        if fmt in TEXT_FORMATS:
            report = renderer(fmt)(findings, sources, color=color)
        else:
            report = renderer(fmt)(findings, sources)
    _write(report, args.output_file)
    if fmt in TEXT_FORMATS and not args.quiet and not args.statistics and args.output_file is None:
        if args.show_fixes:
            sys.stdout.write(show_fixes(applied))
        sys.stdout.write(summary(findings, len(applied), args.unsafe_fixes, color=color))
    elif applied and not args.quiet:  # the report is machine-readable: say it on stderr
        print(f"Fixed {len(applied)} error{'s' if len(applied) != 1 else ''}.", file=sys.stderr)
        if args.show_fixes:
            sys.stderr.write(show_fixes(applied))
    if fix_errors:
        return EXIT_ERROR
    if findings and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_OK


TEXT_FORMATS = ("text", "full", "concise")


def _show_settings(args, resolver: SettingsResolver, path: str) -> int:
    """--show-settings FILE: the settings FILE is linted with and where they come from."""
    settings = resolver.for_path(path)
    if args.isolated:
        source = "none (--isolated)"
    else:
        source = os.path.abspath(settings.source) if settings.source else "none (defaults)"
    codes = ", ".join(enabled_codes(settings, args._cli_selection))
    sys.stdout.write(f"Resolved settings for: {path}\nSettings path: {source}\n\n{describe(settings)}"
                     f"\n# enabled rules\nrules = [{codes}]\n")
    return EXIT_OK


def use_color(choice: str, stream) -> bool:
    """--color beats the environment; then NO_COLOR (no-color.org) beats FORCE_COLOR
    (force-color.org); then a terminal. A report written to a file (``stream`` None) is coloured
    only with --color always."""
    if choice != "auto":
        return choice == "always"
    if stream is None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def _write(report: str, output_file: Optional[str]) -> None:
    if output_file is None:
        sys.stdout.write(report)
        return
    try:
        with open(output_file, "w", encoding="utf-8") as fh:
            fh.write(report)
    except OSError as exc:
        raise UsageError(f"cannot write --output-file {output_file}: {exc.strerror or exc}") from None


def _sources(findings: list, paths: dict, args) -> dict:
    out: dict = {}
    for f in findings:
        key = (f.path, f.cell)
        if key in out:
            continue
        try:
            if getattr(args, "_stdin_text", None) is not None:
                text = args._stdin_text
            else:
                text, _, _ = read_for_fix(paths.get(f.path, f.path))
            if f.cell is not None:
                import json

                from .source.notebook import cell_text

                text = cell_text(json.loads(text)["cells"][f.cell - 1].get("source", ""))
        except Exception:
            continue
        out[key] = text.splitlines(keepends=True)
    return out


def _by_file(findings: list) -> dict:
    grouped: dict = {}
    for f in findings:
        grouped.setdefault(f.path, []).append(f)
    return grouped


def _fix_error(errors: list, message: str) -> None:
    """Report a fix that could not be applied or written: one line, once."""
    if message not in errors:
        errors.append(message)
        print(f"nogradlint: error: {message}", file=sys.stderr)


def _rejected(errors: list, result) -> None:
    from .report.location import where

    for finding, reason in result.rejected:
        _fix_error(errors, f"{where(finding)}: {finding.code} fix not applied: {reason}")


def _show_diff(findings: list, paths: dict, args) -> int:
    """Print the fixes of one round as a unified diff; write nothing. Exit 1 when something
    would change, 2 when a fix could not be computed."""
    changed, errors = 0, []
    for display, items in _by_file(findings).items():
        try:
            result = fix_file(paths.get(display, display), items, args.unsafe_fixes, write=False)
        except FixError as exc:
            _fix_error(errors, str(exc))
            continue
        if result is None:
            continue
        _rejected(errors, result)
        if result.changed:
            changed += 1
            sys.stdout.write(_diff(display, result.old, result.new))
    if changed and not args.quiet:
        print(f"Would fix {changed} file{'s' if changed != 1 else ''}.", file=sys.stderr)
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if changed else EXIT_OK


def _apply_fixes(args, resolver, findings, paths) -> tuple[list, list, list]:
    """Fix, lint again, repeat: fixes that overlapped in one round are applied in the next.
    Returns (remaining findings, the findings whose fix was applied, error lines). A file that cannot be
    fixed (unwritable, a fix that would not parse) is reported and left intact; the others
    are still fixed."""
    fixed, errors, failed = [], [], set()
    for _ in range(MAX_FIX_ROUNDS):
        progress = 0
        for display, items in _by_file(findings).items():
            path = paths.get(display, display)
            if path in failed:  # reported as unchanged: a later round must not write it after all
                continue
            try:
                result = fix_file(path, items, args.unsafe_fixes)
            except FixError as exc:
                failed.add(path)
                _fix_error(errors, str(exc))
                continue
            if result is None:
                continue
            _rejected(errors, result)
            if result.changed:
                progress += 1
                fixed.extend(result.applied)
        if not progress:
            break
        findings, paths = lint_paths(args, resolver)
    return findings, fixed, errors


def _fix_stdin(args, findings: list) -> int:
    """With --stdin-filename, --fix writes the fixed source to stdout (editor integration)."""
    from .fixes.apply import plan_fixes

    text = getattr(args, "_stdin_text", None)
    if text is None:  # not decodable (NG900) or force-excluded: give the input back unchanged
        if not args.diff:
            sys.stdout.flush()
            sys.stdout.buffer.write(args._stdin_raw)
        return EXIT_FINDINGS if findings and not args.exit_zero else EXIT_OK
    errors: list = []
    result = plan_fixes(text, findings, args.unsafe_fixes, notebook=(args.stdin_filename or "-").endswith(".ipynb"))
    _rejected(errors, result)
    if args.diff:
        sys.stdout.write(_diff(args.stdin_filename or "-", text, result.new))
        if errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if result.changed else EXIT_OK
    sys.stdout.write(result.new)
    if errors:
        return EXIT_ERROR
    remaining = len(findings) - len(result.applied)
    return EXIT_FINDINGS if remaining and not args.exit_zero else EXIT_OK
