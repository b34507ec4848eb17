"""Configuration: every ``[tool.nogradlint]`` key, precedence (command line > file > defaults),
where the file is found, and one-line errors that name the key and the file."""

from __future__ import annotations

import json
import os

import pytest

from nogradlint.config import DEFAULT_EXCLUDE, ConfigError, Settings, find_config, load_settings

from .cli_helpers import CLEAN_SOURCE, assert_one_line_error, extra_rule, run_cli, run_main, write  # noqa: F401

FINDING = "import torch\ntorch.no_grad()\n"


@pytest.fixture
def proj(tmp_path, monkeypatch):
    write(tmp_path / "a.py", FINDING)
    write(tmp_path / "sub" / "b.py", FINDING)
    write(tmp_path / "gen" / "c.py", FINDING)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def config(proj, body: str, name: str = "pyproject.toml") -> str:
    header = "[tool.nogradlint]\n" if name == "pyproject.toml" else ""
    return write(proj / name, "[project]\nname = 'x'\n\n" * (name == "pyproject.toml") + header + body)


def linted(result) -> list:
    return sorted({line.split(":")[0] for line in result.out.splitlines() if ": NG" in line or ": TST" in line})


# -- defaults ------------------------------------------------------------------------------

def test_defaults():
    s = Settings()
    assert s.select == ("NG",) and s.ignore == () and s.extend_select == ()
    assert s.exclude == DEFAULT_EXCLUDE
    for name in (".git", ".venv", "venv", "build", "dist", "__pycache__", ".tox", "node_modules", "site-packages"):
        assert name in s.exclude
    assert s.extend_exclude == () and s.per_file_ignores == ()
    assert s.respect_gitignore is True and s.cache_dir == ".nogradlint_cache"
    assert s.grad_disabled_hooks == () and s.eval_function_patterns == () and s.train_function_patterns == ()


# -- every key, accepted and applied -------------------------------------------------------

def test_every_key_is_read(proj):
    path = config(proj, """
select = ["NG006", "NG9"]
ignore = ["NG900"]
extend-select = ["NG0"]
exclude = ["gen"]
extend-exclude = ["*_pb2.py"]
per-file-ignores = { "tests/*" = ["NG006"], "conftest.py" = ["ALL"] }
respect-gitignore = false
cache-dir = "out/cache"
grad-disabled-hooks = ["mylib.Trainer.eval_step", "run_eval"]
eval-function-patterns = ["bench(mark)?"]
train-function-patterns = ["learn_.*"]
""")
    s = load_settings(path)
    assert s.select == ("NG006", "NG9") and s.ignore == ("NG900",) and s.extend_select == ("NG0",)
    assert s.exclude == ("gen",) and s.extend_exclude == ("*_pb2.py",)
    assert s.per_file_ignores == (("tests/*", ("NG006",)), ("conftest.py", ("ALL",)))
    assert s.respect_gitignore is False and s.cache_dir == "out/cache"
    assert s.grad_disabled_hooks == ("mylib.Trainer.eval_step", "run_eval")
    assert s.eval_function_patterns == ("bench(mark)?",) and s.train_function_patterns == ("learn_.*",)
    assert s.root == str(proj) and s.source == path
    # the name patterns extend the defaults
    assert s.eval_name_re.search("run_benchmark") and s.eval_name_re.search("evaluate")
    assert s.train_name_re.search("learn_policy") and s.train_name_re.search("train_one_epoch")


def test_select_and_ignore_from_config(proj, capsys):
    config(proj, 'ignore = ["NG006"]\n')
    assert run_main(capsys, "--no-cache", ".").rc == 0
    config(proj, 'select = ["NG900"]\n')
    assert run_main(capsys, "--no-cache", ".").rc == 0
    config(proj, 'select = ["NG900"]\nextend-select = ["NG006"]\n')
    assert linted(run_main(capsys, "--no-cache", ".")) == ["a.py", "gen/c.py", "sub/b.py"]


def test_exclude_and_extend_exclude_from_config(proj, capsys):
    write(proj / "build" / "d.py", FINDING)
    config(proj, 'extend-exclude = ["gen", "sub/b.py"]\n')
    assert linted(run_main(capsys, "--no-cache", ".")) == ["a.py"]
    config(proj, 'exclude = ["gen"]\n')  # replaces the defaults: build/ is linted again
    assert linted(run_main(capsys, "--no-cache", ".")) == ["a.py", "build/d.py", "sub/b.py"]


def test_path_globs_are_anchored_at_the_config_folder(proj, capsys, monkeypatch):
    config(proj, 'extend-exclude = ["sub/*.py"]\n')
    monkeypatch.chdir(proj / "sub")
    r = run_main(capsys, "--no-cache", ".", "../a.py")
    assert linted(r) == ["../a.py"]


def test_per_file_ignores(proj, capsys, extra_rule):
    write(proj / "sub" / "p.py", "import torch\nprint(1)\ntorch.no_grad()\n")
    config(proj, 'extend-select = ["TST"]\nper-file-ignores = { "sub/*.py" = ["NG006"], "a.py" = ["ALL"] }\n')
    r = run_main(capsys, "--no-cache", ".")
    assert sorted(line.split(": ")[0] + " " + line.split(": ")[1].split()[0] for line in r.out.splitlines()
                  if ": NG" in line or ": TST" in line) == ["gen/c.py:2:1 NG006", "sub/p.py:2:1 TST001"]


def test_per_file_ignores_prefix_and_basename(proj, capsys):
    config(proj, 'per-file-ignores = { "b.py" = ["NG0"] }\n')  # a name without "/" matches in any folder
    assert linted(run_main(capsys, "--no-cache", ".")) == ["a.py", "gen/c.py"]


def test_respect_gitignore_from_config(proj, capsys):
    os.mkdir(proj / ".git")
    write(proj / ".gitignore", "gen/\n")
    assert linted(run_main(capsys, "--no-cache", ".")) == ["a.py", "sub/b.py"]
    config(proj, "respect-gitignore = false\n")
    assert linted(run_main(capsys, "--no-cache", ".")) == ["a.py", "gen/c.py", "sub/b.py"]


def test_cache_dir_from_config(proj, capsys):
    config(proj, 'cache-dir = "var/lint-cache"\n')
    run_main(capsys, ".")
    assert (proj / "var" / "lint-cache").is_dir() and not (proj / ".nogradlint_cache").exists()


def test_analysis_keys_reach_the_rules(proj, capsys, monkeypatch):
    # Their meaning belongs to the analysis; here: the validated values arrive in each file's context.
    config(proj, 'grad-disabled-hooks = ["mylib.Trainer.eval_step"]\neval-function-patterns = ["bench"]\n'
                 'train-function-patterns = ["learn"]\n')
    seen = []
    from nogradlint.analysis import context

    real_init = context.FileContext.__init__

    def spy(self, path, module, is_package, settings):
        seen.append(settings)
        real_init(self, path, module, is_package, settings)

    monkeypatch.setattr(context.FileContext, "__init__", spy)
    run_main(capsys, "--no-cache", "--jobs", "1", "a.py")
    assert [(s.grad_disabled_hooks, s.eval_function_patterns, s.train_function_patterns) for s in seen] == [
        (("mylib.Trainer.eval_step",), ("bench",), ("learn",))
    ]


# -- precedence ----------------------------------------------------------------------------

def test_cli_beats_config_beats_defaults(proj, capsys):
    config(proj, 'ignore = ["NG006"]\nexclude = ["gen"]\nrespect-gitignore = false\ncache-dir = "c1"\n')
    assert run_main(capsys, "--no-cache", ".").rc == 0  # config beats the default select
    assert linted(run_main(capsys, "--no-cache", "--select", "NG", ".")) == ["a.py", "sub/b.py"]  # CLI select
    assert linted(run_main(capsys, "--no-cache", "--select", "NG", "--exclude", "sub", ".")) == ["a.py", "gen/c.py"]
    os.mkdir(proj / ".git")
    write(proj / ".gitignore", "a.py\n")
    assert linted(run_main(capsys, "--no-cache", "--select", "NG", "--respect-gitignore", ".")) == ["sub/b.py"]
    run_main(capsys, "--cache-dir", "c2", ".")
    assert (proj / "c2").is_dir() and not (proj / "c1").exists()


def test_rule_selection_is_layered(proj, capsys, extra_rule):
    """Like ruff: the file's selection, then the command line's. A layer's `select` starts over,
    `extend-select` and `ignore` adjust; within a layer the most specific selector wins."""
    write(proj / "p.py", "import torch\nprint(1)\ntorch.no_grad()\n")

    def codes(*args):
        r = run_main(capsys, "--no-cache", *args, "p.py")
        return sorted(line.split(": ")[1].split()[0] for line in r.out.splitlines() if ": NG" in line or ": TST" in line)

    config(proj, 'extend-select = ["TST001"]\nignore = ["NG006"]\n')
    assert codes() == ["TST001"]
    assert codes("--ignore", "TST") == []  # adds to the file's ignore, and beats its extend-select
    assert codes("--extend-select", "NG006") == ["NG006", "TST001"]  # re-enables what the file ignored
    assert codes("--select", "NG") == ["NG006"]  # starts over: the file's TST001 and its ignore are gone
    assert codes("--select", "NG,TST", "--ignore", "TST001") == ["NG006"]
    config(proj, 'select = ["TST001", "NG"]\nignore = ["NG00"]\n')
    assert codes() == ["TST001"]  # NG00 is more specific than NG
    assert codes("--extend-select", "NG0") == ["NG006", "TST001"]  # a later layer wins over the file
    config(proj, 'select = ["NG"]\nignore = ["NG"]\n')
    assert codes() == []  # a tie: ignore wins


def test_select_on_cli_replaces_config_select(proj, capsys):
    config(proj, 'select = ["NG900"]\n')
    assert linted(run_main(capsys, "--no-cache", "--select", "NG006", "a.py")) == ["a.py"]


# -- which file ----------------------------------------------------------------------------

def test_nearest_pyproject_with_a_nogradlint_table(proj, capsys):
    config(proj, 'ignore = ["NG006"]\n')
    write(proj / "sub" / "pyproject.toml", "[project]\nname = 'sub'\n")  # no table: skipped
    assert find_config(str(proj / "sub")) == str(proj / "pyproject.toml")
    assert run_main(capsys, "--no-cache", "sub").rc == 0
    write(proj / "sub" / "pyproject.toml", "[tool.nogradlint]\nselect = ['NG']\n")
    assert find_config(str(proj / "sub" / "b.py")) == str(proj / "sub" / "pyproject.toml")
    assert run_main(capsys, "--no-cache", "sub").rc == 1


def test_explicit_config_file(proj, capsys):
    path = config(proj, 'ignore = ["NG006"]\n', name="cfg/nogradlint.toml")  # not above the linted files
    assert run_main(capsys, "--no-cache", "--config", path, ".").rc == 0
    other = write(proj / "other" / "pyproject.toml", "[tool.nogradlint]\nignore = ['NG006']\n")
    assert run_main(capsys, "--no-cache", "--config", other, ".").rc == 0
    assert run_main(capsys, "--no-cache", ".").rc == 1  # neither is found on its own


def test_explicit_pyproject_without_table_is_an_error(proj, capsys):
    path = write(proj / "pyproject.toml", "[project]\nname = 'x'\n")
    assert_one_line_error(run_main(capsys, "--config", path, "."), path, "[tool.nogradlint]")


def test_isolated_ignores_configuration(proj, capsys):
    config(proj, 'ignore = ["NG006"]\n')
    assert run_main(capsys, "--no-cache", ".").rc == 0
    assert run_main(capsys, "--no-cache", "--isolated", ".").rc == 1
    write(proj / "broken" / "pyproject.toml", "[tool.nogradlint]\nnot-a-key = 1\n")
    assert run_main(capsys, "--no-cache", "--isolated", "broken").rc == 0


# -- errors --------------------------------------------------------------------------------

BAD = [
    ("unknown-key = 1", "`unknown-key`"),
    ("select = 'NG006x'", "`select`"),
    ("select = ['NG998']", "`select`"),
    ("ignore = ['NG998']", "`ignore`"),
    ("extend-select = ['XYZ']", "`extend-select`"),
    ("select = [6]", "`select`"),
    ("exclude = 'build'", "`exclude`"),
    ("extend-exclude = [1]", "`extend-exclude`"),
    ("per-file-ignores = ['x.py']", "`per-file-ignores`"),
    ("per-file-ignores = { 'x.py' = ['NG998'] }", "`per-file-ignores`"),
    ("per-file-ignores = { 'x.py' = [3] }", "`per-file-ignores`"),
    ("per-file-ignores = { 'x.py' = 'NG006' }", "`per-file-ignores`"),
    ("respect-gitignore = 'yes'", "`respect-gitignore`"),
    ("cache-dir = ''", "`cache-dir`"),
    ("cache-dir = 3", "`cache-dir`"),
    ("grad-disabled-hooks = ['not a name']", "`grad-disabled-hooks`"),
    ("grad-disabled-hooks = 'mylib.Trainer.eval_step'", "`grad-disabled-hooks`"),
    ("eval-function-patterns = ['(']", "`eval-function-patterns`"),
    ("train-function-patterns = [1]", "`train-function-patterns`"),
]


@pytest.mark.parametrize("line,key", BAD, ids=[b[0] for b in BAD])
def test_bad_key_or_value_names_key_and_file(proj, capsys, line, key):
    path = config(proj, line + "\n")
    assert_one_line_error(run_main(capsys, "."), key, path)


def test_bad_value_in_explicit_config(proj, capsys):
    path = config(proj, "respect-gitignore = 1\n", name="nogradlint.toml")
    assert_one_line_error(run_main(capsys, "--config", path, "."), "`respect-gitignore`", path)


def test_invalid_toml_is_an_error(proj, capsys):
    path = write(proj / "pyproject.toml", "[tool.nogradlint\nselect = [\n")
    assert_one_line_error(run_main(capsys, "."), path, "invalid TOML")


def test_table_must_be_a_table(proj, capsys):
    path = write(proj / "pyproject.toml", "[tool]\nnogradlint = 3\n")
    assert_one_line_error(run_main(capsys, "."), path, "must be a table")


def test_config_error_real_command_has_no_traceback(proj):
    config(proj, "select = ['NG998']\nwhatever = 1\n")
    r = run_cli(".", cwd=proj)
    assert_one_line_error(r, "pyproject.toml", "`whatever`")


def test_load_settings_raises_config_error_for_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_settings(str(tmp_path / "nope.toml"), explicit=True)


# -- per-file configuration (as ruff): the nearest configuration of each file's own folder -------

def _nested(root):
    """root/pyproject.toml ignores nothing; root/sub (nogradlint.toml) ignores NG006;
    root/sub/deep (.nogradlint.toml) selects NG006 again and excludes gen/."""
    write(root / "pyproject.toml", "[tool.nogradlint]\nselect = ['NG']\n")
    write(root / "sub" / "nogradlint.toml", "ignore = ['NG006']\n")
    write(root / "sub" / "deep" / ".nogradlint.toml", "select = ['NG006']\nextend-exclude = ['gen/']\n")
    for folder in (root, root / "sub", root / "sub" / "deep", root / "sub" / "deep" / "gen"):
        write(folder / "m.py", "import torch\ntorch.no_grad()\n")


def test_each_file_takes_its_nearest_configuration(tmp_path):
    _nested(tmp_path)
    r = run_cli("--no-cache", "-q", "--output-format", "concise", ".", cwd=tmp_path)
    assert sorted(line.split(":")[0] for line in r.out.splitlines()) == ["m.py", "sub/deep/m.py"], r
    # the same from inside a folder, and for files named one by one
    r = run_cli("--no-cache", "-q", "--output-format", "concise", "m.py", "deep/m.py", cwd=tmp_path / "sub")
    assert [line.split(":")[0] for line in r.out.splitlines()] == ["deep/m.py"], r


def test_result_does_not_depend_on_the_order_of_the_paths(tmp_path):
    _nested(tmp_path)
    orders = [["sub", "m.py"], ["m.py", "sub"], ["sub/deep", "sub/m.py", "m.py"], ["m.py", "sub/m.py", "sub/deep"]]
    outputs = {tuple(o): run_cli("--no-cache", "--output-format", "json", *o, cwd=tmp_path).out for o in orders}
    assert len({json.dumps(sorted((d["path"], d["code"]) for d in json.loads(out))) for out in outputs.values()}) == 1
    assert sorted(d["path"] for d in json.loads(outputs[("m.py", "sub")])) == ["m.py", "sub/deep/m.py"]


def test_show_settings_names_the_file_and_its_configuration(tmp_path):
    _nested(tmp_path)
    r = run_cli("--show-settings", "sub/m.py", cwd=tmp_path)
    assert r.rc == 0, r
    lines = r.out.splitlines()
    assert lines[:2] == ["Resolved settings for: sub/m.py", f"Settings path: {tmp_path / 'sub' / 'nogradlint.toml'}"]
    assert 'ignore = ["NG006"]' in lines and 'select = ["NG"]' in lines and "respect-gitignore = true" in lines
    assert "NG006" not in lines[-1] and lines[-1].startswith("rules = [NG001, ")
    r = run_cli("--show-settings", "sub/deep/m.py", "--extend-select", "NG001", cwd=tmp_path)
    assert r.out.splitlines()[1].endswith(".nogradlint.toml") and r.out.splitlines()[-1] == "rules = [NG001, NG006, NG900]"
    r = run_cli("--isolated", "--show-settings", "sub/m.py", cwd=tmp_path)
    assert r.out.splitlines()[1] == "Settings path: none (--isolated)"


def test_show_files_lists_what_would_be_linted(tmp_path):
    _nested(tmp_path)
    write(tmp_path / "notes.txt", "x\n")
    r = run_cli("--show-files", ".", cwd=tmp_path)
    assert (r.rc, r.out.splitlines()) == (0, ["m.py", "sub/deep/m.py", "sub/m.py"])  # not sub/deep/gen/m.py
    r = run_cli("--show-files", "sub/deep/gen/m.py", cwd=tmp_path)  # named: linted, as any explicit file
    assert r.out.splitlines() == ["sub/deep/gen/m.py"]


def test_a_bad_nested_configuration_is_an_error(tmp_path):
    _nested(tmp_path)
    write(tmp_path / "sub" / "nogradlint.toml", "ignroe = ['NG006']\n")
    assert_one_line_error(run_cli("--no-cache", ".", cwd=tmp_path), "nogradlint.toml", "ignroe")
