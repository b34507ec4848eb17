"""Every command-line option of ``nogradlint`` (issue 2). Most runs are in-process
(``cli.main`` with capsys); exit codes, stdin and "no traceback" are checked on the real command."""

from __future__ import annotations

import json
import os
import re

import pytest

from nogradlint import __version__
from nogradlint.registry import all_rules

from .cli_helpers import (
    CLEAN_SOURCE, NG006_SOURCE, assert_one_line_error, extra_rule, run_cli, run_main, write,  # noqa: F401
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A small project in the current directory: two files with findings, one clean file."""
    write(tmp_path / "pkg" / "__init__.py", "")
    write(tmp_path / "pkg" / "model.py", NG006_SOURCE)
    write(tmp_path / "pkg" / "clean.py", CLEAN_SOURCE)
    write(tmp_path / "train.py", "import torch\ntorch.enable_grad()\n")
    # Only the engine's rules: rules added later must not change these hand-checked reports.
    write(tmp_path / "pyproject.toml", '[tool.nogradlint]\nselect = ["NG006", "NG900"]\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


_FINDING = re.compile(r"^.+?:(cell \d+:)?\d+:\d+: [A-Z]+\d+ ")


def lines_of(out: str) -> list:
    """The finding lines of a text report (without the summary)."""
    return [line for line in out.splitlines() if _FINDING.match(line)]


# -- paths ---------------------------------------------------------------------------------

def test_paths_default_to_current_directory(project, capsys):
    default = run_main(capsys, "--no-cache")
    dot = run_main(capsys, "--no-cache", ".")
    assert default.rc == dot.rc == 1
    assert default.out == dot.out
    assert lines_of(default.out) == [
        "pkg/model.py:2:1: NG006 `torch.no_grad()` as a statement does nothing; use `with torch.no_grad():` "
        "around the code or decorate the function",
        "pkg/model.py:4:5: NG006 [*unsafe] the result of `.detach()` is discarded, so nothing is detached; "
        "assign it (`x = x.detach()`) or use `.detach_()`",
        "pkg/model.py:6:6: NG006 [*] `with torch.no_grad:` lacks the call and raises TypeError at run time; "
        "write `with torch.no_grad():`",
        "train.py:2:1: NG006 `torch.enable_grad()` as a statement does nothing; use `with torch.enable_grad():` "
        "around the code or decorate the function",
    ]
    assert "Found 4 errors.\n[*] 1 fixable with the `--fix` option.\n1 more fixable with the `--fix --unsafe-fixes` options.\n" in default.out


def test_paths_as_given_and_several(project, capsys):
    r = run_main(capsys, "--no-cache", "train.py", "./pkg")
    assert [line.split(":")[0] for line in lines_of(r.out)] == ["pkg/model.py"] * 3 + ["train.py"]
    absolute = run_main(capsys, "--no-cache", str(project / "train.py"))
    assert lines_of(absolute.out)[0].startswith(str(project / "train.py") + ":2:1: NG006")


def test_clean_tree_exits_0(project, capsys):
    r = run_main(capsys, "--no-cache", "pkg/clean.py")
    assert (r.rc, r.out) == (0, "All checks passed!\n")


# -- information ---------------------------------------------------------------------------

def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        from nogradlint import cli

        cli.main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"nogradlint {__version__}\n"


def test_version_real_command():
    r = run_cli("--version")
    assert (r.rc, r.out, r.err) == (0, f"nogradlint {__version__}\n", "")


def test_list_rules_lists_every_registered_rule(capsys):
    r = run_main(capsys, "--list-rules")
    assert r.rc == 0
    rows = r.out.splitlines()
    assert [row.split()[0] for row in rows] == [rule.code for rule in all_rules()]
    ng006 = next(row for row in rows if row.startswith("NG006"))
    assert "no-op-grad-call" in ng006 and "[*]" in ng006 and "grad-mode call has no effect" in ng006


def test_explain_prints_the_rule_docs(capsys):
    r = run_main(capsys, "--explain", "NG006")
    assert r.rc == 0
    assert r.out.startswith("# no-op-grad-call (NG006)\n")
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert heading in r.out
    assert run_main(capsys, "--explain", "ng006").out == r.out  # case-insensitive
    assert run_main(capsys, "--explain", "no-op-grad-call").out == r.out  # by name


def test_explain_unknown_rule_is_a_usage_error(capsys):
    r = run_main(capsys, "--explain", "NG999")
    assert_one_line_error(r, "unknown rule 'NG999'")


# -- rule selection ------------------------------------------------------------------------

def codes_in(out: str) -> list:
    return [line.split(": ", 1)[1].split()[0] for line in lines_of(out)]


def test_select_ignore_extend_select(project, capsys, extra_rule):
    write(project / "p.py", "import torch\nprint(1)\ntorch.no_grad()\n")
    assert codes_in(run_main(capsys, "--no-cache", "p.py").out) == ["NG006"]  # TST001 is not under NG
    assert codes_in(run_main(capsys, "--no-cache", "--extend-select", "TST", "p.py").out) == ["TST001", "NG006"]
    assert codes_in(run_main(capsys, "--no-cache", "--select", "TST001", "p.py").out) == ["TST001"]
    assert codes_in(run_main(capsys, "--no-cache", "--select", "ALL", "p.py").out) == ["TST001", "NG006"]
    assert codes_in(run_main(capsys, "--no-cache", "--select", "ALL", "--ignore", "NG", "p.py").out) == ["TST001"]
    assert codes_in(run_main(capsys, "--no-cache", "--select", "NG,TST", "--ignore", "TST001", "p.py").out) == ["NG006"]
    r = run_main(capsys, "--no-cache", "--ignore", "NG006", "p.py")
    assert (r.rc, r.out) == (0, "All checks passed!\n")


def test_most_specific_selector_wins(project, capsys):
    # --ignore NG with --select NG006: the code is more specific than the prefix.
    assert codes_in(run_main(capsys, "--no-cache", "--select", "NG006", "--ignore", "NG", "train.py").out) == ["NG006"]
    # --select NG with --ignore NG00: the longer prefix wins.
    r = run_main(capsys, "--no-cache", "--select", "NG", "--ignore", "NG00", "train.py")
    assert (r.rc, codes_in(r.out)) == (0, [])
    # --extend-select counts as a selector too: NG006 beats --ignore NG0.
    r = run_main(capsys, "--no-cache", "--ignore", "NG0", "--extend-select", "NG006", "train.py")
    assert codes_in(r.out) == ["NG006"]


@pytest.mark.parametrize("option", ["--select", "--ignore", "--extend-select"])
def test_unknown_code_is_an_error_naming_the_option(project, capsys, option):
    assert_one_line_error(run_main(capsys, option, "NG998", "train.py"), option, "'NG998'", "--list-rules")


@pytest.mark.parametrize("value", ["ng-6", "NG0061", "6", "NG 006x"])
def test_malformed_code_is_an_error(project, capsys, value):
    assert_one_line_error(run_main(capsys, "--select", value, "train.py"), "--select")


# -- output --------------------------------------------------------------------------------

def test_output_file(project, capsys):
    r = run_main(capsys, "--no-cache", "--output-format", "json", "-o", "report.json", "train.py")
    assert r.rc == 1 and r.out == ""
    data = json.loads((project / "report.json").read_text())
    assert [(d["path"], d["line"]) for d in data] == [("train.py", 2)]
    r = run_main(capsys, "--no-cache", "--output-file", "report.txt", "train.py")
    assert r.rc == 1 and r.out == ""
    assert (project / "report.txt").read_text().startswith("train.py:2:1: NG006 ")


def test_output_file_unwritable_is_one_line_error(project, capsys):
    r = run_main(capsys, "--no-cache", "-o", str(project / "no" / "such" / "dir" / "r.txt"), "train.py")
    assert_one_line_error(r, "--output-file")


def test_exit_zero(project, capsys):
    r = run_main(capsys, "--no-cache", "--exit-zero", "train.py")
    assert r.rc == 0 and "NG006" in r.out


def test_quiet_prints_findings_only(project, capsys):
    r = run_main(capsys, "--no-cache", "-q", "train.py")
    assert r.rc == 1
    assert r.out.splitlines() == lines_of(r.out) and len(r.out.splitlines()) == 1
    assert run_main(capsys, "--no-cache", "--quiet", "pkg/clean.py").out == ""


def test_statistics(project, capsys, extra_rule):
    write(project / "p.py", "print(1)\nprint(2)\n")
    r = run_main(capsys, "--no-cache", "--statistics", "--extend-select", "TST", ".")
    assert r.rc == 1
    assert r.out == "    4\tNG006\t[*]       no-op-grad-call\n    2\tTST001\t[*unsafe] print-call\n"
    r = run_main(capsys, "--no-cache", "--statistics", "pkg/clean.py")
    assert (r.rc, r.out) == (0, "")


def test_show_source_is_the_full_format(project, capsys):
    shown = run_main(capsys, "--no-cache", "--show-source", "pkg/model.py")
    full = run_main(capsys, "--no-cache", "--output-format", "full", "pkg/model.py")
    assert shown.out == full.out
    assert (
        "pkg/model.py:6:6: NG006 [*] `with torch.no_grad:` lacks the call and raises TypeError at run time; "
        "write `with torch.no_grad():`\n"
        "  6 | with torch.no_grad:\n"
        "    |      ^^^^^^^^^^^^^\n"
    ) in shown.out


def test_concise_is_one_line_per_finding(project, capsys):
    r = run_main(capsys, "--no-cache", "--output-format", "concise", "-q", ".")
    assert len(r.out.splitlines()) == 4 and all(": NG006 " in line for line in r.out.splitlines())


def test_unknown_output_format_is_usage_error(project, capsys):
    assert_one_line_error(run_main(capsys, "--output-format", "xml", "."), "--output-format", "'xml'")


# -- fixes ---------------------------------------------------------------------------------

FIXED_NG006 = NG006_SOURCE.replace("with torch.no_grad:", "with torch.no_grad():")


def test_fix_applies_safe_fixes_and_reports_the_rest(project, capsys):
    r = run_main(capsys, "--no-cache", "--fix", "pkg/model.py")
    assert (project / "pkg" / "model.py").read_text() == FIXED_NG006
    assert r.rc == 1  # two findings have no safe fix
    assert codes_in(r.out) == ["NG006", "NG006"]
    # ruff's summary; the discarded `.detach()` has an unsafe fix
    assert r.out.endswith("Found 3 errors (1 fixed, 2 remaining).\n1 fixable with the `--fix --unsafe-fixes` options.\n")
    r = run_main(capsys, "--no-cache", "--fix", "pkg/model.py")
    assert (project / "pkg" / "model.py").read_text() == FIXED_NG006
    assert r.out.endswith("Found 2 errors.\n1 fixable with the `--fix --unsafe-fixes` options.\n")
    assert "fixed" not in r.out


def test_fix_keeps_crlf_and_encoding(project, capsys):
    source = "# -*- coding: latin-1 -*-\r\nimport torch\r\nname = 'caf\xe9'\r\nwith torch.no_grad:\r\n    pass\r\n"
    write(project / "crlf.py", source.encode("latin-1"))
    assert run_main(capsys, "--no-cache", "--fix", "crlf.py").rc == 0
    assert (project / "crlf.py").read_bytes() == source.replace("no_grad:", "no_grad():").encode("latin-1")


def test_unsafe_fixes_only_with_the_flag(project, capsys, extra_rule):
    write(project / "p.py", "print(1)\n")
    r = run_main(capsys, "--no-cache", "--extend-select", "TST", "p.py")
    # the hint names both options: --unsafe-fixes alone shows unsafe fixes but applies nothing
    assert "[*unsafe]" in r.out and r.out.endswith("Found 1 error.\n1 fixable with the `--fix --unsafe-fixes` options.\n")
    r = run_main(capsys, "--no-cache", "--extend-select", "TST", "--unsafe-fixes", "p.py")
    assert r.out.endswith("Found 1 error.\n[*] 1 fixable with the `--fix` option.\n")
    r = run_main(capsys, "--no-cache", "--extend-select", "TST", "--fix", "p.py")
    assert (r.rc, (project / "p.py").read_text()) == (1, "print(1)\n")
    r = run_main(capsys, "--no-cache", "--extend-select", "TST", "--fix", "--unsafe-fixes", "p.py")
    assert (r.rc, (project / "p.py").read_text()) == (0, "log(1)\n")
    assert r.out == "Found 1 error (1 fixed, 0 remaining).\n"


def test_diff_writes_nothing_and_exits_1_when_it_would_change(project, capsys):
    before = (project / "pkg" / "model.py").read_text()
    r = run_main(capsys, "--no-cache", "--diff", "pkg/model.py")
    assert r.rc == 1
    assert (project / "pkg" / "model.py").read_text() == before
    assert r.out == (
        "--- a/pkg/model.py\n+++ b/pkg/model.py\n@@ -3,5 +3,5 @@\n"
        " def step(h):\n     h.detach()\n     return h\n-with torch.no_grad:\n+with torch.no_grad():\n     pass\n"
    )
    assert "Would fix 1 file." in r.err
    # Findings without a fix: nothing would change.
    r = run_main(capsys, "--no-cache", "--diff", "train.py")
    assert (r.rc, r.out) == (0, "")


def test_diff_with_unsafe_fixes(project, capsys, extra_rule):
    write(project / "p.py", "print(1)\n")
    assert run_main(capsys, "--no-cache", "--extend-select", "TST", "--diff", "p.py").rc == 0
    r = run_main(capsys, "--no-cache", "--extend-select", "TST", "--diff", "--unsafe-fixes", "p.py")
    assert r.rc == 1 and "-print(1)\n+log(1)\n" in r.out
    assert (project / "p.py").read_text() == "print(1)\n"


def test_add_noqa_silences_every_finding(project, capsys):
    r = run_main(capsys, "--no-cache", "--add-noqa", ".")
    assert r.rc == 0 and "Added 4 noqa directives." in r.err
    assert (project / "train.py").read_text() == "import torch\ntorch.enable_grad()  # noqa: NG006\n"
    assert "    h.detach()  # noqa: NG006\n" in (project / "pkg" / "model.py").read_text()
    r = run_main(capsys, "--no-cache", ".")
    assert (r.rc, r.out) == (0, "All checks passed!\n")
    r = run_main(capsys, "--no-cache", "--add-noqa", ".")
    assert "Added 0 noqa directives." in r.err


def test_add_noqa_merges_with_an_existing_code_list(project, capsys):
    write(project / "m.py", "import torch\ntorch.no_grad()  # noqa: NG001\n")
    run_main(capsys, "--no-cache", "--add-noqa", "m.py")
    assert (project / "m.py").read_text() == "import torch\ntorch.no_grad()  # noqa: NG001, NG006\n"


# -- standard input ------------------------------------------------------------------------

def test_stdin_filename_lints_standard_input():
    r = run_cli("--no-cache", "--stdin-filename", "src/editor.py", stdin="import torch\ntorch.no_grad()\n")
    assert r.rc == 1
    assert r.out.startswith("src/editor.py:2:1: NG006 ")
    r = run_cli("--no-cache", "--stdin-filename", "x.py", "--output-format", "json", stdin=CLEAN_SOURCE)
    assert (r.rc, json.loads(r.out)) == (0, [])


def test_stdin_fix_writes_the_fixed_source_to_stdout(tmp_path):
    r = run_cli("--stdin-filename", "x.py", "--fix", stdin=NG006_SOURCE, cwd=tmp_path)
    assert r.out == FIXED_NG006
    assert r.rc == 1  # two findings remain (they have no fix)
    r = run_cli("--stdin-filename", "x.py", "--fix", stdin="import torch\nwith torch.no_grad:\n    pass\n", cwd=tmp_path)
    assert (r.rc, r.out) == (0, "import torch\nwith torch.no_grad():\n    pass\n")
    assert not (tmp_path / "x.py").exists()
    r = run_cli("--stdin-filename", "x.py", "--diff", stdin="import torch\nwith torch.no_grad:\n    pass\n", cwd=tmp_path)
    assert r.rc == 1 and "-with torch.no_grad:\n+with torch.no_grad():\n" in r.out


def test_stdin_filename_uses_the_config_near_that_name(tmp_path):
    write(tmp_path / "proj" / "pyproject.toml", '[tool.nogradlint]\nignore = ["NG006"]\n')
    r = run_cli("--no-cache", "--stdin-filename", "proj/a.py", stdin="import torch\ntorch.no_grad()\n", cwd=tmp_path)
    assert (r.rc, r.out) == (0, "All checks passed!\n")


def test_stdin_with_bad_bytes_is_ng900():
    r = run_cli("--no-cache", "--stdin-filename", "x.py", stdin=b"x = '\xff'\n")
    assert r.rc == 1 and r.out.startswith("x.py:1:1: NG900 not valid utf-8")
    assert "Traceback" not in r.err


# -- run -----------------------------------------------------------------------------------

@pytest.fixture
def many_files(tmp_path, monkeypatch):
    """Enough files that --jobs 2 really uses the process pool (the runner lints fewer than
    2 * jobs files in-process)."""
    for i in range(12):
        body = "import torch\n" + "x = 1\n" * (i % 3) + "torch.no_grad()\n" + ("with torch.no_grad:\n    pass\n" if i % 2 else "")
        write(tmp_path / f"d{i % 3}" / f"f{i:02d}.py", body)
    write(tmp_path / "d0" / "broken.py", "import torch\ndef f(:\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_jobs_output_is_deterministic(many_files, capsys, monkeypatch):
    from nogradlint import runner

    pooled = []
    real = runner.run_jobs

    def spy(jobs, workers):
        pooled.append(workers > 1 and len(jobs) >= 2 * workers)
        return real(jobs, workers)

    monkeypatch.setattr("nogradlint.cli.run_jobs", spy)
    one = run_main(capsys, "--no-cache", "--jobs", "1", ".")
    two = run_main(capsys, "--no-cache", "--jobs", "2", ".")
    four = run_main(capsys, "-j", "4", "--no-cache", "--output-format", "json", ".")
    assert pooled == [False, True, True]
    assert one.rc == two.rc == four.rc == 1
    assert one.out == two.out
    keys = [(d["path"], d["line"], d["column"]) for d in json.loads(four.out)]
    assert keys == sorted(keys) and len(keys) == 19
    assert lines_of(one.out)[0].startswith("d0/broken.py:2:7: NG900 syntax error")


def test_jobs_deterministic_real_command(many_files):
    one = run_cli("--no-cache", "--jobs", "1", ".", cwd=many_files)
    two = run_cli("--no-cache", "--jobs", "2", ".", cwd=many_files)
    assert one.rc == two.rc == 1 and one.out == two.out and "Traceback" not in one.err + two.err


@pytest.mark.parametrize("value", ["0", "-3"])
def test_jobs_must_be_positive(project, capsys, value):
    assert_one_line_error(run_main(capsys, "--jobs", value, "."), "--jobs")


def test_cache_is_written_and_reused(project, capsys, monkeypatch):
    first = run_main(capsys, ".")
    assert (project / ".nogradlint_cache").is_dir()
    entries = [f for _, _, fs in os.walk(project / ".nogradlint_cache") for f in fs if f.endswith(".json")]
    assert len(entries) == 4  # one per linted file
    from nogradlint import runner

    def must_not_lint(job):
        raise AssertionError(f"{job.display} was linted again instead of read from the cache")

    monkeypatch.setattr(runner, "lint_job", must_not_lint)
    second = run_main(capsys, ".")
    assert (second.rc, second.out) == (first.rc, first.out)


def test_no_cache_neither_reads_nor_writes(project, capsys):
    run_main(capsys, "--no-cache", ".")
    assert not (project / ".nogradlint_cache").exists()


def test_cache_dir_option(project, capsys):
    run_main(capsys, "--cache-dir", "elsewhere/cache", ".")
    assert (project / "elsewhere" / "cache").is_dir()
    assert not (project / ".nogradlint_cache").exists()


def test_cache_follows_changes(project, capsys):
    assert run_main(capsys, "train.py").rc == 1
    write(project / "train.py", CLEAN_SOURCE)
    assert run_main(capsys, "train.py").rc == 0
    assert run_main(capsys, "--ignore", "NG006", "pkg/model.py").rc == 0
    assert run_main(capsys, "pkg/model.py").rc == 1


# -- errors --------------------------------------------------------------------------------

def test_usage_errors_are_one_line_exit_2():
    assert_one_line_error(run_cli("--no-such-option"), "--no-such-option")
    assert_one_line_error(run_cli("--jobs", "x"), "--jobs")
    assert_one_line_error(run_cli("--config", "does-not-exist.toml"), "does-not-exist.toml")


def test_internal_error_is_one_line(project, capsys, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("nogradlint.cli.lint_paths", boom)
    r = run_main(capsys, ".")
    assert r.rc == 2
    assert r.err.strip().splitlines() == [
        "nogradlint: internal error: RuntimeError: simulated bug "
        "(rerun with NOGRADLINT_DEBUG=1 for details and please report it)"
    ]


def test_internal_error_in_one_file_is_its_ng900_and_the_run_goes_on(project, capsys, monkeypatch):
    # A bug of ours met in one file (lerobot's file made the whole package print nothing, once):
    # that file gets an NG900 with the error, the other files their findings, no traceback.
    from nogradlint import runner

    real = runner._lint_job

    def buggy(job):
        if job.display.endswith("train.py"):
            raise TypeError("simulated bug")
        return real(job)

    monkeypatch.setattr(runner, "_lint_job", buggy)
    monkeypatch.setattr(runner, "RAISE_INTERNAL_ERRORS", False)
    monkeypatch.delenv("NOGRADLINT_DEBUG", raising=False)
    r = run_main(capsys, "--no-cache", "--output-format", "concise", ".")
    assert r.rc == 1 and r.err == ""
    assert "train.py:1:1: NG900 internal error while analysing this file: TypeError: simulated bug " \
           "(rerun with NOGRADLINT_DEBUG=1 for details and please report it)" in r.out
    assert any(line.startswith(os.path.join("pkg", "model.py") + ":") and " NG006 " in line
               for line in r.out.splitlines())


def test_no_files_found_warns_and_passes(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run_main(capsys, "--no-cache", ".")
    assert r.rc == 0 and "no Python files found" in r.err


def test_stdin_fix_gives_undecodable_input_back_unchanged(tmp_path):
    data = b"x = '\xff'\n"
    r = run_cli("--stdin-filename", "x.py", "--fix", stdin=data, cwd=tmp_path)
    assert r.rc == 1 and r.out.encode("utf-8", "surrogateescape") != b""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "nogradlint", "--stdin-filename", "x.py", "--fix"], input=data,
                          capture_output=True, cwd=tmp_path, timeout=120)
    assert (proc.returncode, proc.stdout) == (1, data)
    assert b"Traceback" not in proc.stderr


def test_stdin_force_exclude(tmp_path):
    source = "import torch\nwith torch.no_grad:\n    pass\n"
    r = run_cli("--no-cache", "--stdin-filename", "build/gen.py", "--force-exclude", stdin=source, cwd=tmp_path)
    assert r.rc == 0
    r = run_cli("--stdin-filename", "build/gen.py", "--force-exclude", "--fix", stdin=source, cwd=tmp_path)
    assert (r.rc, r.out) == (0, source)
    r = run_cli("--no-cache", "--stdin-filename", "build/gen.py", stdin=source, cwd=tmp_path)
    assert r.rc == 1  # without --force-exclude the name is linted like any explicit file


def test_stdin_ng900_whatever_the_selection(tmp_path):
    r = run_cli("--no-cache", "--stdin-filename", "nb.ipynb", "--ignore", "NG900", stdin=b"\xff", cwd=tmp_path)
    assert r.rc == 1 and r.out.startswith("nb.ipynb:1:1: NG900 ")
    r = run_cli("--no-cache", "--stdin-filename", "nb.ipynb", stdin=b"{\xff", cwd=tmp_path)
    assert r.rc == 1 and r.out.startswith("nb.ipynb:1:1: NG900 notebook is not valid UTF-8 at byte 1")


def test_dash_reads_standard_input(tmp_path):
    source = "import torch\nwith torch.no_grad:\n    pass\n"
    r = run_cli("--no-cache", "-", stdin=source, cwd=tmp_path)
    assert r.rc == 1 and r.out.startswith("-:2:6: NG006 [*] ")
    r = run_cli("--fix", "-", stdin=source, cwd=tmp_path)
    assert (r.rc, r.out) == (0, source.replace("no_grad:", "no_grad():"))
    assert os.listdir(tmp_path) == []


def test_add_noqa_refuses_standard_input(tmp_path):
    write(tmp_path / "x.py", "import torch\n")
    r = run_cli("--add-noqa", "--stdin-filename", "x.py", stdin="import torch\ntorch.no_grad()\n", cwd=tmp_path)
    assert_one_line_error(r, "--add-noqa", "standard input")
    assert (tmp_path / "x.py").read_text() == "import torch\n"  # the file on disk is not touched


@pytest.mark.parametrize("selection", [("--select", "NG001"), ("--ignore", "NG900"), ("--select", "NG006",
                                                                                      "--ignore", "NG9")])
def test_ng900_is_never_hidden_by_the_selection(tmp_path, selection):
    """A missing path and a syntax error are reported, as ruff always reports invalid syntax."""
    write(tmp_path / "broken.py", "def f(:\n")
    r = run_cli("--no-cache", *selection, "broken.py", "missing.py", cwd=tmp_path)
    assert r.rc == 1, r
    assert [line.split(" ")[:2] for line in r.out.splitlines()[:2]] == [
        ["broken.py:1:7:", "NG900"], ["missing.py:1:1:", "NG900"]]
    assert "All checks passed!" not in r.out


def test_ng900_is_not_hidden_by_per_file_ignores(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.nogradlint]\nper-file-ignores = { "*.py" = ["ALL"] }\n')
    write(tmp_path / "broken.py", "def f(:\n")
    write(tmp_path / "ok.py", "import torch\ntorch.no_grad()\n")
    r = run_cli("--no-cache", "--output-format", "concise", "-q", ".", cwd=tmp_path)
    assert (r.rc, [line.split(" ")[1] for line in r.out.splitlines()]) == (1, ["NG900"])


@pytest.mark.parametrize("option", ["--select", "--select="])
def test_empty_select_is_a_usage_error(tmp_path, option):
    write(tmp_path / "ok.py", "x = 1\n")
    args = [option + ""] if option.endswith("=") else [option, ""]
    assert_one_line_error(run_cli("--no-cache", *args, "ok.py", cwd=tmp_path), "--select", "empty")


def test_rule_codes_in_any_letter_case(tmp_path):
    write(tmp_path / "p.py", NG006_SOURCE)
    write(tmp_path / "sub" / "pyproject.toml", '[tool.nogradlint]\nignore = ["ng006"]\n')
    write(tmp_path / "sub" / "q.py", NG006_SOURCE)
    upper = run_cli("--no-cache", "--select", "NG006", "p.py", cwd=tmp_path)
    lower = run_cli("--no-cache", "--select", "ng006", "p.py", cwd=tmp_path)
    assert (lower.rc, lower.out) == (upper.rc, upper.out) and upper.out.count("NG006") == 3
    assert run_cli("--no-cache", "--ignore", "ng", "p.py", cwd=tmp_path).rc == 0
    assert "(NG006)" in run_cli("--no-cache", "--explain", "ng006", cwd=tmp_path).out.splitlines()[0]
    r = run_cli("--no-cache", "q.py", cwd=tmp_path / "sub")  # `ignore = ["ng006"]` in the file
    assert (r.rc, r.out.strip()) == (0, "All checks passed!")


def test_show_fixes_lists_what_fix_changed(tmp_path):
    write(tmp_path / "a.py", "import torch\nwith torch.no_grad:\n    pass\nwith torch.no_grad:\n    pass\ntorch.no_grad()\n")
    write(tmp_path / "b.py", "import torch\nwith torch.no_grad:\n    pass\n")
    r = run_cli("--no-cache", "--fix", "--show-fixes", ".", cwd=tmp_path)
    assert r.rc == 1, r
    assert r.out.endswith(
        "\nFixed 3 errors:\n- a.py:\n    2 × NG006 (no-op-grad-call)\n- b.py:\n    1 × NG006 (no-op-grad-call)\n"
        "Found 4 errors (3 fixed, 1 remaining).\n"), r.out
    r = run_cli("--no-cache", "--fix", "--show-fixes", ".", cwd=tmp_path)  # nothing left to fix
    assert "Fixed" not in r.out and r.out.endswith("Found 1 error.\n")
    write(tmp_path / "b.py", "import torch\nwith torch.no_grad:\n    pass\n")
    r = run_cli("--no-cache", "--fix", "--show-fixes", "--output-format", "json", "b.py", cwd=tmp_path)
    assert json.loads(r.out) == [] and r.err == "Fixed 1 error.\n\nFixed 1 error:\n- b.py:\n    1 × NG006 (no-op-grad-call)\n"


# -- colour, help, abbreviations -------------------------------------------------------------

def _on_a_terminal(args, cwd, env=None) -> str:
    """stdout of the real command attached to a pseudo-terminal (what `auto` colour looks at)."""
    import pty
    import subprocess
    import sys

    main_fd, worker_fd = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "NOGRADLINT_DEBUG")}
    full_env["TERM"] = "xterm"
    full_env.update(env or {})
    proc = subprocess.Popen([sys.executable, "-m", "nogradlint", *args], cwd=cwd, stdout=worker_fd,
                            stderr=subprocess.PIPE, env=full_env)
    os.close(worker_fd)
    chunks = []
    while True:
        try:
            data = os.read(main_fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(main_fd)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


ANSI = "\x1b["


def test_colour_on_a_terminal_and_its_switches(tmp_path):
    write(tmp_path / "m.py", NG006_SOURCE)
    plain = run_cli("--no-cache", "m.py", cwd=tmp_path).out  # a pipe: no colour
    assert ANSI not in plain and "m.py:6:6: NG006 [*]" in plain
    coloured = _on_a_terminal(["--no-cache", "m.py"], tmp_path)
    assert "\x1b[1mm.py:6:6\x1b[0m: \x1b[1;31mNG006\x1b[0m \x1b[36m[*]\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain  # colour changes nothing else
    assert ANSI not in _on_a_terminal(["--no-cache", "m.py"], tmp_path, env={"NO_COLOR": "1"})
    assert ANSI not in _on_a_terminal(["--no-cache", "--color", "never", "m.py"], tmp_path)
    assert ANSI not in _on_a_terminal(["--no-cache", "m.py"], tmp_path, env={"TERM": "dumb"})
    assert ANSI in run_cli("--no-cache", "m.py", cwd=tmp_path, env={"FORCE_COLOR": "1"}).out
    assert ANSI in run_cli("--no-cache", "--color", "always", "m.py", cwd=tmp_path, env={"NO_COLOR": "1"}).out
    assert ANSI not in run_cli("--no-cache", "--color", "never", "m.py", cwd=tmp_path, env={"FORCE_COLOR": "1"}).out
    # machine-readable output and report files are never coloured by the environment
    assert ANSI not in _on_a_terminal(["--no-cache", "--output-format", "json", "m.py"], tmp_path)
    run_cli("--no-cache", "-o", "report.txt", "m.py", cwd=tmp_path, env={"FORCE_COLOR": "1"})
    assert ANSI not in (tmp_path / "report.txt").read_text()
    assert_one_line_error(run_cli("--color", "sometimes", "m.py", cwd=tmp_path), "--color", "sometimes")


def test_help_documents_every_option_exit_codes_and_examples(tmp_path):
    r = run_cli("--help", cwd=tmp_path)
    assert r.rc == 0
    parser = __import__("nogradlint.cli", fromlist=["build_parser"]).build_parser()
    for action in parser._actions:
        assert action.help and action.help != "==SUPPRESS==", action.option_strings
        for option in action.option_strings:
            assert option in r.out, option
    assert "exit codes:" in r.out and "\n  2  a usage or configuration error" in r.out
    assert "examples:" in r.out and "nogradlint --fix --unsafe-fixes ." in r.out


@pytest.mark.parametrize("abbreviation", ["--fi", "--unsafe", "--stat", "--output-f=json"])
def test_no_silent_abbreviations(tmp_path, abbreviation):
    write(tmp_path / "m.py", NG006_SOURCE)
    r = run_cli("--no-cache", abbreviation, "m.py", cwd=tmp_path)
    assert_one_line_error(r, "unrecognized arguments", abbreviation)
    assert (tmp_path / "m.py").read_text() == NG006_SOURCE


def test_paths_next_to_stdin_filename_draw_a_warning(tmp_path):
    write(tmp_path / "other.py", NG006_SOURCE)
    r = run_cli("--no-cache", "--stdin-filename", "m.py", "other.py", "-", stdin="x = 1\n", cwd=tmp_path)
    assert r.rc == 0 and r.out == "All checks passed!\n"
    assert r.err == ("nogradlint: warning: ignoring other.py in favor of standard input "
                     "(--stdin-filename lints standard input only)\n")
    r = run_cli("--no-cache", "--stdin-filename", "m.py", "-", stdin="x = 1\n", cwd=tmp_path)
    assert (r.rc, r.err) == (0, "")


# -- files that are not Python, empty notebooks ------------------------------------------------

def test_non_python_files_named_are_skipped_with_a_note(tmp_path):
    write(tmp_path / "README.md", "with torch.no_grad: not Python\n")
    write(tmp_path / "setup.cfg", "[metadata]\n")
    write(tmp_path / "train", "#!/usr/bin/env python3\nimport torch\ntorch.no_grad()\n")  # a script: linted
    write(tmp_path / "m.py", NG006_SOURCE)
    r = run_cli("--no-cache", "--output-format", "concise", "-q", "README.md", "setup.cfg", "train", "m.py",
                "missing.md", cwd=tmp_path)
    assert r.rc == 1
    assert sorted({line.split(":")[0] for line in r.out.splitlines()}) == ["m.py", "missing.md", "train"]
    assert "missing.md:1:1: NG900 no such file" in r.out  # a path that does not exist is still reported
    assert r.err.splitlines() == [
        f"nogradlint: note: skipping {name}: not a Python file or notebook (.py, .pyi, .pyw, .ipynb, or a #!...python script)"
        for name in ("README.md", "setup.cfg")]
    r = run_cli("--no-cache", "README.md", cwd=tmp_path)
    assert r.rc == 0 and "NG900" not in r.out
    r = run_cli("--no-cache", "--fix", "README.md", "m.py", cwd=tmp_path)  # several fix rounds: one note
    assert r.err.count("skipping README.md") == 1, r.err


def test_empty_notebook_is_ng900(tmp_path):
    write(tmp_path / "empty.ipynb", b"")
    write(tmp_path / "blank.ipynb", "\n  \n")
    r = run_cli("--no-cache", ".", cwd=tmp_path)
    assert r.rc == 1 and "All checks passed!" not in r.out
    assert [line.split(": NG900 ")[0] for line in r.out.splitlines() if " NG900 " in line] == [
        "blank.ipynb:1:1", "empty.ipynb:1:1"]
    assert "notebook is empty" in r.out
