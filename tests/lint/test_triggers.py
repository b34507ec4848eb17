"""The prefilter: a file is parsed only when its text may hold a finding of an enabled rule
(each rule's ``triggers``). A trigger that is too loose costs a parse; one that is too tight
loses findings, so each refined trigger is checked both ways on real findings."""

from __future__ import annotations

import textwrap

from nogradlint import runner
from nogradlint.config import Settings
from nogradlint.registry import all_rules


class _Linted:
    def __init__(self, result) -> None:
        self.parsed = result.parsed
        # The findings once the file's own project facts decide their conditions.
        self.codes = [f.code for f in runner.resolve([result])]


def _lint(tmp_path, source: str, name: str = "m.py") -> _Linted:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    codes = tuple(r.code for r in all_rules())
    return _Linted(runner.lint_job(runner.LintJob(str(path), str(path), codes, Settings(), name[:-3], False)))


def test_a_pair_matches_only_when_its_gate_and_its_confirm_both_do():
    triggers = runner._Triggers((("detach", r"(?m)^\s*\w+\.detach\(\)$"), r"never_here"))
    assert triggers.search("h.detach()\n")
    assert not triggers.search("y = h.detach()\n")  # the gate alone is not enough
    assert not triggers.search("nothing at all\n")


def test_a_data_module_path_and_weight_initialisation_are_not_parsed(tmp_path):
    result = _lint(tmp_path, """
        from torch.utils.data import Dataset
        from timm.data import IMAGENET_DEFAULT_MEAN

        def init(m):
            m.weight.data.normal_(0, 0.02)
            m.bias.data.zero_()
            return m.weight.data.shape
        """)
    assert not result.parsed and result.codes == []


def test_a_data_read_into_the_loss_is_parsed_and_reported(tmp_path):
    result = _lint(tmp_path, """
        import torch

        def step(model, x, y, opt, crit):
            loss = crit(model(x).data, y)
            loss.backward()
            opt.step()
        """)
    assert result.parsed and result.codes == ["NG007"]


def test_a_parameter_list_argument_is_parsed_and_a_count_of_parameters_is_not(tmp_path):
    found = _lint(tmp_path, """
        import torch

        def sgd_step(
            params,
            lr,
        ):
            for p in params:
                p -= lr * p.grad
        """)
    assert found.parsed and found.codes == ["NG004"]
    skipped = _lint(tmp_path, "def describe(model, num_params=0, hparams=None):\n    return num_params\n", "n.py")
    assert not skipped.parsed


def test_evaluation_names_are_whole_words(tmp_path):
    # `interval` contains `val`, but no word of it is an evaluation name: not parsed.
    assert not _lint(tmp_path, "def interval(model, xs):\n    return [model(x) for x in xs]\n").parsed
    found = _lint(tmp_path, """
        import torch

        def run_validation(model, loader):
            outs = []
            for x in loader:
                outs.append(model(x))
            return [o.argmax(1) for o in outs]
        """, "v.py")
    assert found.parsed and found.codes == ["NG001"]


def test_configured_evaluation_names_trigger_a_parse(tmp_path):
    path = tmp_path / "s.py"
    path.write_text("def sweep_epoch(model, xs):\n    for x in xs:\n        print(model(x).max(1))\n")
    codes = tuple(r.code for r in all_rules())
    job = runner.LintJob(str(path), str(path), codes, Settings(), "s", False)
    assert not runner.lint_job(job).parsed
    job = runner.LintJob(str(path), str(path), codes, Settings(eval_function_patterns=("sweep",)), "s", False)
    assert runner.lint_job(job).parsed


def test_a_running_statistic_blended_by_a_helper_is_parsed_only_beside_a_forward(tmp_path):
    helper = """
        import torch
        from torch import nn

        def blend(x, running, m):
            running = (1 - m) * running + m * x.mean(0)
            return x - running, running
        """
    module = """
        class Norm(nn.Module):
            def forward(self, x):
                y, self.running = blend(
                    x, self.running, 0.1)
                return y
        """
    found = _lint(tmp_path, helper + module)
    assert found.parsed and found.codes == ["NG014"]
    # No `forward` in the file: the statistic of a module is nowhere to be updated.
    plain = helper + "\ndef update(state, x):\n    y, state.running = blend(x, state.running, 0.1)\n    return y\n"
    assert not _lint(tmp_path, plain, "p.py").parsed


def test_patterns_a_literal_pattern_already_finds_are_dropped_and_the_rest_kept():
    triggers = runner._Triggers((r"autograd", r"autograd\.grad", r"requires_grad", r"requires_grad_\(",
                                 r"\.requires?_grad\s*=", r"no_grad|inference_mode", r"topk\((?<!\wtopk\()"))
    kept = [p.pattern for p in triggers.patterns]
    assert kept == [r"autograd", r"requires_grad", r"\.requires?_grad\s*=", r"no_grad|inference_mode",
                    r"topk\((?<!\wtopk\()"]
    # The same texts match as with every pattern.
    assert triggers.search("torch.autograd.grad(y, x)") and triggers.search("p.require_grad = False")
    assert triggers.search("scores.topk(5)") and not triggers.search("mytopk(5)")


def test_each_builtin_trigger_keeps_the_fast_literal_scan():
    # A pattern that starts with `\b` or an alternation makes re try every position of every file
    # that matches none (the benchmark corpus spent 0.2 s in `\btopk\(` alone).
    for rule in all_rules():
        for trigger in rule.triggers_for(Settings()):
            first = trigger[0] if type(trigger) is tuple else trigger
            if rule.code == "NG001" and first.startswith(r"def\s+"):
                continue  # the configured evaluation names: after `def`, a literal too
            assert not first.startswith("\\b") and "|" not in first.split("(")[0], (rule.code, first)
