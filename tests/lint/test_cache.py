"""The cache: warm runs do no linting, cross-file facts stay correct after edits (cached output
byte-identical to ``--no-cache``), concurrent runs sharing one cache, corrupt and foreign
entries, ``--no-cache``, ``cache-dir`` and ``--cache-dir``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types

import libcst as cst
import pytest

from nogradlint import cache as cache_mod
from nogradlint import cli, registry, runner
from nogradlint.rules.base import Rule, RuleDocs

from .cli_helpers import rule_registered


class ModelCallWithGrad(Rule):
    """Test-only rule whose findings depend on other files: a call of ``model(...)`` while grad
    is enabled, conditional on the callers when it is inside a function."""

    code = "XT001"
    name = "model-call-with-grad"
    message = "model called with grad enabled"
    triggers = (r"model\(",)
    docs = RuleDocs(what="w", why="w", example="model(x)\n", use_instead="with torch.no_grad():\n    model(x)\n")
    VALID = ("import torch\nwith torch.no_grad():\n    model(x)\n",)
    INVALID = ("model(x)\n",)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "model":
            self.report_if_grad_enabled(node)


@pytest.fixture
def xt_rule(monkeypatch):
    with rule_registered(monkeypatch, ModelCallWithGrad):
        yield


@pytest.fixture
def counting(monkeypatch):
    """Counts of files linted and libcst parses in this process."""
    counts = {"linted": 0, "parsed": 0}
    real_lint, real_parse = runner.lint_job, cst.parse_module

    def lint_job(job):
        counts["linted"] += 1
        return real_lint(job)

    def parse_module(*args, **kwargs):
        counts["parsed"] += 1
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(runner, "lint_job", lint_job)
    monkeypatch.setattr(cst, "parse_module", parse_module)
    return counts


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


MAIN_PROTECTED = "import torch\nfrom pkg.ev import evaluate\n\nwith torch.no_grad():\n    evaluate(model, x)\n"
MAIN_UNPROTECTED = "import torch\nfrom pkg.ev import evaluate\n\nevaluate(model, x)\n"


def make_project(root):
    write(root / "pkg" / "__init__.py", "")
    write(root / "pkg" / "ev.py", "import torch\n\n\ndef evaluate(model, x):\n    return model(x)\n")
    write(root / "pkg" / "main.py", MAIN_PROTECTED)
    write(root / "pkg" / "util.py", "import torch\n\n\ndef helper(model, x):\n    with torch.no_grad:\n        return model(x)\n")
    for i in range(5):
        write(root / "pkg" / f"plain{i}.py", f"VALUE = {i}\n")


def run_inprocess(capsys, root, *args):
    capsys.readouterr()
    rc = cli.main(["--jobs", "1", "--extend-select", "XT", "--output-format", "json", *args, "pkg"])
    out = capsys.readouterr().out
    return rc, out


def test_warm_run_lints_nothing_and_cross_file_edits_match_no_cache(tmp_path, capsys, xt_rule, counting, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path)
    cold = run_inprocess(capsys, tmp_path)
    assert counting["linted"] == 9 and counting["parsed"] > 0
    assert cold == run_inprocess(capsys, tmp_path, "--no-cache")
    codes = [(f["path"], f["code"]) for f in json.loads(cold[1])]
    assert ("pkg/util.py", "NG006") in codes and not any(c == "XT001" for _, c in codes)

    counting.update(linted=0, parsed=0)
    warm = run_inprocess(capsys, tmp_path)
    assert warm == cold
    assert counting == {"linted": 0, "parsed": 0}  # nothing linted, nothing parsed

    # Remove the no_grad around the only call of evaluate(): ev.py is unchanged (its entry is
    # reused) but its finding now holds.
    write(tmp_path / "pkg" / "main.py", MAIN_UNPROTECTED)
    counting.update(linted=0, parsed=0)
    edited = run_inprocess(capsys, tmp_path)
    assert counting["linted"] == 1  # only main.py
    assert edited == run_inprocess(capsys, tmp_path, "--no-cache")
    assert ("pkg/ev.py", "XT001", 5) in [(f["path"], f["code"], f["line"]) for f in json.loads(edited[1])]

    # A sequence of further edits, each compared byte for byte with a --no-cache run.
    edits = [
        ("main.py", MAIN_PROTECTED),
        ("util.py", "import torch\nfrom pkg.ev import evaluate\n\n\ndef helper(model, x):\n    return evaluate(model, x)\n"),
        ("main.py", "from pkg.util import helper\nhelper(model, 1)\n"),
        ("main.py", "import torch\nfrom pkg.util import helper\nwith torch.no_grad():\n    helper(model, 1)\n"),
        ("ev.py", "import torch\n\n\ndef evaluate(model, x):\n    with torch.enable_grad():\n        return model(x)\n"),
        ("plain0.py", "from pkg.ev import evaluate\nevaluate(model, 2)\n"),
    ]
    outputs = set()
    for name, text in edits:
        write(tmp_path / "pkg" / name, text)
        cached = run_inprocess(capsys, tmp_path)
        assert cached == run_inprocess(capsys, tmp_path, "--no-cache"), name
        outputs.add(cached)
    assert len(outputs) > 2  # the edits did change the findings
    # deleting a file drops its facts too
    (tmp_path / "pkg" / "plain0.py").unlink()
    assert run_inprocess(capsys, tmp_path) == run_inprocess(capsys, tmp_path, "--no-cache")


def test_cache_key_covers_configuration_and_rules(tmp_path, capsys, xt_rule, counting, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path)
    write(tmp_path / "pyproject.toml", "[tool.nogradlint]\n")
    run_inprocess(capsys, tmp_path)
    counting.update(linted=0)
    run_inprocess(capsys, tmp_path, "--ignore", "NG006")
    assert counting["linted"] == 9  # other rules: other keys
    counting.update(linted=0)
    write(tmp_path / "pyproject.toml", '[tool.nogradlint]\neval-function-patterns = ["assess"]\n')
    run_inprocess(capsys, tmp_path)
    assert counting["linted"] == 9  # another effective configuration
    counting.update(linted=0)
    run_inprocess(capsys, tmp_path)
    assert counting["linted"] == 0
    # the code that produced the entries is part of the key (editable installs, upgraded plug-ins)
    monkeypatch.setattr(cache_mod, "code_fingerprint", lambda: "another build")
    run_inprocess(capsys, tmp_path)
    assert counting["linted"] == 9


def test_no_cache_and_cache_dir_option_and_config(tmp_path, capsys, counting, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path)
    cli.main(["--jobs", "1", "--no-cache", "pkg"])
    assert not (tmp_path / ".nogradlint_cache").exists()
    cli.main(["--jobs", "1", "pkg"])
    assert (tmp_path / ".nogradlint_cache" / ".gitignore").read_text().strip().endswith("*")
    assert (tmp_path / ".nogradlint_cache" / "CACHEDIR.TAG").exists()
    # --cache-dir is relative to the current folder
    sub = tmp_path / "pkg"
    monkeypatch.chdir(sub)
    cli.main(["--jobs", "1", "--cache-dir", "../elsewhere", "."])
    assert (tmp_path / "elsewhere" / ".gitignore").exists()
    # cache-dir in the configuration is relative to the configuration file
    write(tmp_path / "pyproject.toml", '[tool.nogradlint]\ncache-dir = "build/ngcache"\n')
    counting.update(linted=0)
    cli.main(["--jobs", "1", "."])
    assert (tmp_path / "build" / "ngcache" / ".gitignore").exists()
    assert counting["linted"] == 9
    counting.update(linted=0)
    cli.main(["--jobs", "1", "."])
    assert counting["linted"] == 0
    capsys.readouterr()


def _entries(cache_dir):
    return sorted(p for p in cache_dir.rglob("*.json"))


def test_corrupt_truncated_and_foreign_entries_are_rebuilt(tmp_path, capsys, xt_rule, counting, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path)
    expected = run_inprocess(capsys, tmp_path, "--no-cache")
    assert run_inprocess(capsys, tmp_path) == expected
    entries = _entries(tmp_path / ".nogradlint_cache")
    assert len(entries) == 9
    key_of = {p: json.loads(p.read_text())["key"] for p in entries}
    damage = [
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),  # truncated
        lambda p: p.write_bytes(b"\x00\xff garbage \x80"),  # not text
        lambda p: p.write_text("[1, 2, 3]"),  # JSON, not ours
        lambda p: p.write_text(json.dumps({"key": key_of[p], "result": {"display": "x", "findings": "no"}})),
        # foreign but well-formed JSON under the right key: bad facts must be a miss, not a crash
        lambda p: p.write_text(json.dumps({"key": key_of[p], "result": {
            "display": json.loads(p.read_text())["result"]["display"], "parsed": True, "findings": [],
            "facts": {"module": "m", "defs": {}, "sites": [[1, 2, 3]]}}})),
        lambda p: p.write_text(json.dumps({"key": key_of[p], "result": {
            "display": json.loads(p.read_text())["result"]["display"], "parsed": True,
            "findings": [{"code": "NG006", "name": "n", "message": "m", "path": "p", "span": ["a", 1, 1, 1],
                          "cell": None, "fix": None, "condition": None}], "facts": None}})),
        lambda p: (p.unlink(), p.mkdir()),  # a folder where the entry should be
        lambda p: p.write_text(""),  # empty
    ]
    for path, spoil in zip(entries, damage):
        spoil(path)
    counting.update(linted=0)
    assert run_inprocess(capsys, tmp_path) == expected
    assert counting["linted"] == len(damage)
    counting.update(linted=0)
    assert run_inprocess(capsys, tmp_path) == expected
    assert counting["linted"] == 1  # rebuilt, except the one blocked by a folder


def test_fix_with_the_cache_then_relint(tmp_path, capsys, xt_rule, counting, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path)
    before = run_inprocess(capsys, tmp_path)
    assert "NG006" in before[1]
    capsys.readouterr()
    assert cli.main(["--jobs", "1", "--fix", "pkg"]) == 0
    capsys.readouterr()
    assert "with torch.no_grad():" in (tmp_path / "pkg" / "util.py").read_text()
    after = run_inprocess(capsys, tmp_path)
    assert after == run_inprocess(capsys, tmp_path, "--no-cache")
    assert "NG006" not in after[1]


def test_unusable_cache_dir_is_not_an_error(tmp_path, capsys, xt_rule, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path)
    (tmp_path / "cachefile").write_text("not a folder")
    expected = run_inprocess(capsys, tmp_path, "--no-cache")
    assert run_inprocess(capsys, tmp_path, "--cache-dir", "cachefile") == expected
    assert (tmp_path / "cachefile").read_text() == "not a folder"


# -- real processes -----------------------------------------------------------------------------


def _cli(*args, cwd, env=None):
    full_env = dict(os.environ, **(env or {}))
    return subprocess.Popen([sys.executable, "-m", "nogradlint", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=full_env)


def _finish(proc):
    out, err = proc.communicate(timeout=180)
    return proc.returncode, out, err


def make_real_project(root, n=30):
    """A project the real rules see: evaluation functions called from another file."""
    write(root / "proj" / "__init__.py", "")
    write(root / "proj" / "evaluation.py",
          "import torch\n\n\ndef evaluate(model, loader):\n    model.eval()\n    total = 0\n"
          "    for x, y in loader:\n        out = model(x)\n        total += (out.argmax(1) == y).sum()\n"
          "    return total\n")
    write(root / "proj" / "train.py",
          "import torch\nfrom proj.evaluation import evaluate\n\n\ndef main(model, loader):\n"
          "    with torch.no_grad():\n        evaluate(model, loader)\n    with torch.no_grad:\n        pass\n")
    for i in range(n):
        write(root / "proj" / f"mod{i}.py",
              f"import torch\n\n\ndef step{i}(model, x):\n    torch.no_grad()\n    return model(x)\n")


def _while_code_is_unchanged(scenario):
    """Run ``scenario`` again if nogradlint's own code changed while it ran (the cache key
    includes the code, so entries written before an edit of a rule are rightly not reused)."""
    for _ in range(3):
        cache_mod.code_fingerprint.cache_clear()
        before = cache_mod.code_fingerprint()
        try:
            scenario()
        except AssertionError:
            cache_mod.code_fingerprint.cache_clear()
            if cache_mod.code_fingerprint() == before:
                raise
            continue
        cache_mod.code_fingerprint.cache_clear()
        if cache_mod.code_fingerprint() == before:
            return
    pytest.skip("nogradlint's source files kept changing while the test ran")


def test_real_cli_cached_output_is_byte_identical_and_warm_run_hits(tmp_path):
    _while_code_is_unchanged(lambda: _real_cli_scenario(tmp_path / f"try{len(list(tmp_path.iterdir()))}"))


def _real_cli_scenario(tmp_path):
    tmp_path.mkdir()
    make_real_project(tmp_path, n=5)
    env = {cache_mod.DEBUG_ENV: "1"}
    expected = _finish(_cli("--no-cache", "proj", cwd=tmp_path))
    cold = _finish(_cli("proj", cwd=tmp_path, env=env))
    warm = _finish(_cli("proj", cwd=tmp_path, env=env))
    assert cold[:2] == warm[:2] == expected[:2]
    assert b"cache: 0 hits, 8 misses" in cold[2]
    assert b"cache: 8 hits, 0 misses" in warm[2]
    # the only call of evaluate() loses its no_grad: a cached run says what --no-cache says
    train = tmp_path / "proj" / "train.py"
    train.write_text(train.read_text().replace("    with torch.no_grad():\n        evaluate", "    if True:\n        evaluate"))
    expected = _finish(_cli("--no-cache", "proj", cwd=tmp_path))
    edited = _finish(_cli("proj", cwd=tmp_path, env=env))
    assert edited[:2] == expected[:2]
    assert b"cache: 7 hits, 1 misses" in edited[2]
    if "NG001" in [r.code for r in registry.all_rules()]:
        # evaluation.py was served from the cache, yet its NG001 finding appears
        assert b"proj/evaluation.py:7:5: NG001" in edited[1] and b"NG001" not in cold[1]


def test_concurrent_runs_share_one_cache(tmp_path, monkeypatch):
    def scenario():
        root = tmp_path / f"try{len(list(tmp_path.iterdir()))}"
        root.mkdir()
        monkeypatch.chdir(root)
        _concurrent_scenario(root)

    _while_code_is_unchanged(scenario)


def _concurrent_scenario(tmp_path):
    make_real_project(tmp_path, n=30)
    cache_dir = str(tmp_path / "shared-cache")
    configs = [("--select", "NG006"), ()]  # two configurations writing the same entries
    for round_ in range(3):
        if round_:
            (tmp_path / "proj" / f"mod{round_}.py").write_text(f"import torch\nwith torch.no_grad:\n    y = {round_}\n")
        expected = [_finish(_cli("--no-cache", *config, "proj", cwd=tmp_path))[:2] for config in configs]
        # both processes start before either finishes, on the same cache folder
        procs = [_cli("--cache-dir", cache_dir, *config, "proj", cwd=tmp_path) for config in configs]
        results = [_finish(p) for p in procs]
        for (rc, out, err), want in zip(results, expected):
            assert (rc, out) == want, (round_, err)
            assert b"Traceback" not in err and b"error" not in err
    leftovers = [p for p in (tmp_path / "shared-cache").rglob("*.tmp")]
    assert leftovers == []
    assert len(list((tmp_path / "shared-cache").rglob("*.json"))) == 33


def test_a_fifo_named_on_the_command_line_does_not_block_the_cache(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / "pipe.py")  # no writer: a plain open() would block forever
    (tmp_path / "ok.py").write_text("import torch\nwith torch.no_grad:\n    pass\n")

    def run(*extra):
        capsys.readouterr()
        rc = cli.main(["--jobs", "1", "--output-format", "json", *extra, "pipe.py", "ok.py"])
        return rc, capsys.readouterr().out

    rc, out = run()
    assert [(f["path"], f["code"]) for f in json.loads(out)] == [("ok.py", "NG006"), ("pipe.py", "NG900")]
    assert (rc, out) == run("--no-cache") == run()


def test_a_forward_through_another_files_method_survives_the_cache(tmp_path):
    # `Agent.act` runs its policy through `policy.sample` -> `self.forward` in a third file: the
    # files' run_calls facts, served from the cache, still make the test episodes a finding.
    _while_code_is_unchanged(lambda: _run_calls_scenario(tmp_path / f"try{len(list(tmp_path.iterdir()))}"))


def _corpus_project_cold_and_warm(tmp_path, name: str) -> tuple:
    """Lint a copy of a corpus project without the cache, then cold and warm with it: the warm
    run's (rc, stdout, stderr) once the three runs print the same findings."""
    import shutil

    corpus = os.path.join(os.path.dirname(__file__), "..", "corpus", "projects", name)
    shutil.copytree(corpus, tmp_path / "proj")
    env = {cache_mod.DEBUG_ENV: "1"}
    expected = _finish(_cli("--no-cache", "--isolated", "proj", cwd=tmp_path))
    cold = _finish(_cli("--isolated", "proj", cwd=tmp_path, env=env))
    warm = _finish(_cli("--isolated", "proj", cwd=tmp_path, env=env))
    assert cold[:2] == warm[:2] == expected[:2]
    return warm


def _run_calls_scenario(tmp_path):
    warm = _corpus_project_cold_and_warm(tmp_path, "policy_of_two_classes_sampled")
    assert b"cache: 3 hits, 0 misses" in warm[2]
    assert b"proj/rollout.py:12:9: NG001" in warm[1]


def test_context_manager_and_abstract_method_facts_survive_the_cache(tmp_path):
    # `with utils.eval_mode(...)` (a project context manager that switches no grad mode, decided by
    # FileFacts.context_managers and Condition.contexts) and a base class's `eval_step` that only
    # raises (FileFacts.abstract): both facts come back from the cache and keep the findings.
    _while_code_is_unchanged(lambda: _cached_facts_scenario(tmp_path / f"try{len(list(tmp_path.iterdir()))}"))


def _cached_facts_scenario(tmp_path):
    import shutil

    projects = os.path.join(os.path.dirname(__file__), "..", "corpus", "projects")
    reported = {
        "eval_mode_context_of_another_file": [b"evaluate.py:19:9: NG001", b"evaluate.py:32:9: NG001"],
        "evaluation_through_overridden_step": [b"base_agent.py:18:9: NG001"],
    }
    for name, lines in reported.items():
        shutil.copytree(os.path.join(projects, name), tmp_path / name)
        env = {cache_mod.DEBUG_ENV: "1"}
        expected = _finish(_cli("--no-cache", "--isolated", name, cwd=tmp_path))
        cold = _finish(_cli("--isolated", name, cwd=tmp_path, env=env))
        warm = _finish(_cli("--isolated", name, cwd=tmp_path, env=env))
        assert cold[:2] == warm[:2] == expected[:2]
        assert b" 0 misses" in warm[2]
        assert warm[1].count(b": NG001") == len(lines) and all(line in warm[1] for line in lines)


def test_flag_output_facts_survive_the_cache(tmp_path):
    # A forward whose `if freeze:` branch computes the embedding under no_grad (FileFacts.flag_outputs,
    # with the keywords it declares): served from the cache, it still clears the NG003 a caller's
    # `out, e = self.model(x, last=True, freeze=True)` would otherwise get.
    _while_code_is_unchanged(lambda: _flag_outputs_scenario(tmp_path / f"try{len(list(tmp_path.iterdir()))}"))


def _flag_outputs_scenario(tmp_path):
    warm = _corpus_project_cold_and_warm(tmp_path, "forward_flag_computes_without_grad")
    assert b"cache: 2 hits, 0 misses" in warm[2]
    assert b"NG003" not in warm[1] and b"proj/selection.py:29:9: NG001" in warm[1]
    # Without the models file the flags tell nothing: the kept rows are reported.
    os.remove(tmp_path / "proj" / "models.py")
    assert b"proj/selection.py:24:13: NG003" in _finish(_cli("--isolated", "proj", cwd=tmp_path))[1]


def test_code_fingerprint_covers_the_linter_data_files(monkeypatch):
    """A regenerated `torch_api.json` (or framework hooks data) changes what the rules decide:
    entries written with the old data are not reused."""
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        info = real_stat(path, *args, **kwargs)
        if str(path).endswith("torch_api.json"):
            return types.SimpleNamespace(st_size=info.st_size, st_mtime_ns=info.st_mtime_ns + 1)
        return info

    cache_mod.code_fingerprint.cache_clear()
    before = cache_mod.code_fingerprint()
    monkeypatch.setattr(cache_mod.os, "stat", stat)
    cache_mod.code_fingerprint.cache_clear()
    try:
        assert cache_mod.code_fingerprint() != before
    finally:
        monkeypatch.undo()
        cache_mod.code_fingerprint.cache_clear()


def test_weight_loader_facts_survive_the_cache(tmp_path):
    # A builder of another file that loads a checkpoint through its helper (FileFacts.weight_loaders):
    # served from the cache, the wrappers that store its model and run it under no_grad in training
    # mode are still reported; once the helper no longer loads anything, a re-lint drops them.
    _while_code_is_unchanged(lambda: _weight_loaders_scenario(tmp_path / f"try{len(list(tmp_path.iterdir()))}"))


def _weight_loaders_scenario(tmp_path):
    warm = _corpus_project_cold_and_warm(tmp_path, "wrapper_stores_model_loaded_by_builder")
    assert b"cache: 2 hits, 0 misses" in warm[2]
    assert all(f"proj/embedders.py:{line}".encode() in warm[1] for line in ("18:9: NG017", "29:9: NG017", "95:16: NG017"))
    nets = tmp_path / "proj" / "nets.py"
    nets.write_text(nets.read_text().replace('model.load_state_dict(state["model"])', 'print(state)'))
    relint = _finish(_cli("--isolated", "proj", cwd=tmp_path, env={cache_mod.DEBUG_ENV: "1"}))
    assert b"NG017" not in relint[1] and relint[0] == 0
