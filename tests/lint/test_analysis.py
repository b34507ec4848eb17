"""The grad-mode analysis: the mode in force at points in code, for every spelling torch accepts.

Each source marks points with calls to ``probe()``; the walker runs with a probe rule that
records ``ctx.grad_mode`` at each of them, in order.
"""

from __future__ import annotations

import libcst as cst
import pytest

from nogradlint.analysis.context import FileContext
from nogradlint.analysis.gradmode import Mode
from nogradlint.analysis.names import collect_module_imports
from nogradlint.analysis.walker import Walker, walk_nodes
from nogradlint.config import Settings
from nogradlint.rules.base import Rule, RuleDocs

E, D, I, U, H = Mode.ENABLED, Mode.DISABLED, Mode.INFERENCE, Mode.UNKNOWN, Mode.INHERIT


class _Probe(Rule):
    code = "NG999"
    name = "probe"
    message = "probe"
    docs = RuleDocs("", "", "", "")

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.modes: list = []
        self.reasons: list = []

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "probe":
            self.modes.append(self.ctx.grad_mode)
            fn = self.ctx.frames[-1].function
            self.reasons.append(fn.reason if fn is not None else "")


def probe_modes(source: str, settings: Settings | None = None, module: str = "example") -> _Probe:
    tree = cst.parse_module(source)
    ctx = FileContext("example.py", module, False, settings or Settings())
    ctx.module_node = tree
    collect_module_imports(tree, ctx.aliases)
    rule = _Probe(ctx)
    Walker(ctx, [rule]).walk(tree)
    return rule


def modes(source: str, **kwargs) -> list:
    return probe_modes(source, **kwargs).modes


# -- with blocks, every spelling ---------------------------------------------------------------

WITH_CASES = [
    ("import torch\nwith torch.no_grad():\n    probe()\nprobe()\n", [D, E]),
    ("import torch\nwith torch.inference_mode():\n    probe()\n", [I]),
    ("import torch\nwith torch.inference_mode(False):\n    probe()\n", [E]),
    ("import torch\nwith torch.inference_mode(mode=False):\n    probe()\n", [E]),
    ("import torch\nwith torch.inference_mode(True):\n    probe()\n", [I]),
    ("import torch\nwith torch.inference_mode(flag):\n    probe()\n", [U]),
    ("import torch\nwith torch.set_grad_enabled(False):\n    probe()\n", [D]),
    ("import torch\nwith torch.set_grad_enabled(mode=False):\n    probe()\n", [D]),
    ("import torch\nwith torch.set_grad_enabled(0):\n    probe()\n", [D]),
    ("import torch\nwith torch.set_grad_enabled(True):\n    probe()\n", [E]),
    ("import torch\nwith torch.set_grad_enabled(phase == 'train'):\n    probe()\n", [U]),
    ("import torch\nwith torch.set_grad_enabled(is_training):\n    probe()\n", [U]),
    ("import torch as T\nwith T.no_grad():\n    probe()\n", [D]),
    ("from torch import no_grad as ng\nwith ng():\n    probe()\n", [D]),
    ("from torch import inference_mode\nwith inference_mode():\n    probe()\n", [I]),
    ("import torch\nwith torch.autograd.no_grad():\n    probe()\n", [D]),
    ("import torch\nwith torch.autograd.grad_mode.no_grad():\n    probe()\n", [D]),
    ("import torch\nwith torch.autograd.set_grad_enabled(False):\n    probe()\n", [D]),
    ("import torch\nwith torch._C.set_grad_enabled(False):\n    probe()\n", [D]),
    ("import torch.autograd as ag\nwith ag.no_grad():\n    probe()\n", [D]),
    ("from torch import autograd\nwith autograd.grad_mode.inference_mode():\n    probe()\n", [I]),
    ("from torch.autograd.grad_mode import no_grad\nwith no_grad():\n    probe()\n", [D]),
    ("from torch import *\nwith no_grad():\n    probe()\n", [D]),
    # several items: the grad-mode one counts
    ("import torch\nwith torch.autocast('cuda'), torch.no_grad():\n    probe()\n", [D]),
    ("import torch\nwith open(p) as fh, torch.inference_mode():\n    probe()\n", [I]),
    # not torch's, but named like a grad-mode context manager: it may disable grad
    ("from mylib import no_grad\nwith no_grad():\n    probe()\n", [U]),
    ("import mylib\nwith mylib.utils.evaluating(model):\n    probe()\n", [U]),
    ("with inference_context():\n    probe()\n", [U]),
    # a context manager of this file that switches grad mode (defined before or after its use)
    ("import torch\nclass M:\n    def predict(self, xs):\n        with self._mode(False):\n            probe()\n"
     "    @contextlib.contextmanager\n    def _mode(self, training):\n        with torch.set_grad_enabled(training):\n"
     "            yield\n", [U]),
    ("import torch, contextlib\n@contextlib.contextmanager\ndef timed():\n    yield\nwith timed():\n    probe()\n", [E]),
    # unrelated context managers change nothing
    ("import torch\nwith open(p) as fh, timer('eval'):\n    probe()\n", [E]),
    ("import torch\nwith model.no_sync():\n    probe()\n", [E]),
    # a context manager chosen at run time
    ("import torch, contextlib\nwith (torch.no_grad() if frozen else contextlib.nullcontext()):\n    probe()\n", [U]),
    ("import torch\nwith torch.no_grad() if a else torch.inference_mode():\n    probe()\n", [D]),
    ("import torch, contextlib\nctx = torch.no_grad() if frozen else contextlib.nullcontext()\nwith ctx:\n    probe()\n", [U]),
    ("import torch\nguard = torch.inference_mode()\nwith guard:\n    probe()\n", [I]),
    ("import torch\nguard = torch.no_grad()\nguard = make_guard()\nwith guard:\n    probe()\n", [E]),
]


@pytest.mark.parametrize("source,expected", WITH_CASES)
def test_with_block_modes(source, expected):
    assert modes(source) == expected


# -- re-enabling inside a disabled region ------------------------------------------------------

NESTED_CASES = [
    ("import torch\nwith torch.no_grad():\n    probe()\n    with torch.enable_grad():\n        probe()\n    probe()\n",
     [D, E, D]),
    ("import torch\nwith torch.no_grad():\n    with torch.set_grad_enabled(True):\n        probe()\n", [E]),
    ("import torch\nwith torch.inference_mode():\n    with torch.inference_mode(False):\n        probe()\n", [E]),
    ("from torch.autograd import enable_grad\nimport torch\n@torch.no_grad()\ndef step():\n    probe()\n"
     "    with enable_grad():\n        probe()\n", [D, E]),
    ("import torch\nwith torch.enable_grad():\n    with torch.no_grad():\n        probe()\n    probe()\n", [D, E]),
]


@pytest.mark.parametrize("source,expected", NESTED_CASES)
def test_reenabling(source, expected):
    assert modes(source) == expected


# -- decorators ---------------------------------------------------------------------------------

DECORATOR_CASES = [
    ("import torch\n@torch.no_grad()\ndef f():\n    probe()\n", [D]),
    ("import torch\n@torch.no_grad\ndef f():\n    probe()\n", [D]),
    ("import torch\n@torch.inference_mode()\ndef f():\n    probe()\n", [I]),
    ("import torch\n@torch.inference_mode\ndef f():\n    probe()\n", [I]),
    ("import torch\n@torch.inference_mode(mode=False)\ndef f():\n    probe()\n", [E]),
    ("import torch\n@torch.set_grad_enabled(False)\ndef f():\n    probe()\n", [D]),
    ("import torch\n@torch.enable_grad()\ndef f():\n    probe()\n", [E]),
    ("import torch as T\n@T.autograd.no_grad()\ndef f():\n    probe()\n", [D]),
    ("from torch import no_grad as ng\nclass A:\n    @staticmethod\n    @ng()\n    def f():\n        probe()\n", [D]),
    ("import torch\n@torch.no_grad()\nasync def f():\n    probe()\n", [D]),
    # a project's own grad decorator may disable grad
    ("from utils import smart_inference_mode\n@smart_inference_mode()\ndef f():\n    probe()\n", [U]),
    ("import utils\n@utils.no_grad_if(frozen)\ndef f():\n    probe()\n", [U]),
    ("import functools\n@functools.lru_cache()\ndef f():\n    probe()\n", [H]),
    # a function body without a local switch: its callers decide
    ("import torch\ndef f():\n    probe()\n", [H]),
    # the decorator applies to the body, not to the code around the definition
    ("import torch\n@torch.no_grad()\ndef f(x=probe()):\n    pass\nprobe()\n", [E, E]),
    # a nested function has its own frame even inside a no_grad block
    ("import torch\nwith torch.no_grad():\n    def g():\n        probe()\n    probe()\n", [H, D]),
]


@pytest.mark.parametrize("source,expected", DECORATOR_CASES)
def test_decorator_modes(source, expected):
    assert modes(source) == expected


# -- statements that flip the global mode for what follows --------------------------------------

SWITCH_CASES = [
    ("import torch\nprobe()\ntorch.set_grad_enabled(False)\nprobe()\ntorch.set_grad_enabled(True)\nprobe()\n", [E, D, E]),
    ("import torch\ndef f():\n    torch.set_grad_enabled(False)\n    probe()\n", [D]),
    ("import torch\ntorch.no_grad().__enter__()\nprobe()\n", [D]),
    # inference_mode's guard is dropped at once: the mode ends on its own line (NG006)
    ("import torch\ntorch.inference_mode().__enter__()\nprobe()\n", [E]),
    ("import torch\ntorch._C._set_grad_enabled(False)\nprobe()\n", [D]),
    ("import torch\ntorch.set_grad_enabled(train)\nprobe()\n", [U]),
    # the switch ends with its `with` block
    ("import torch\nwith torch.no_grad():\n    torch.set_grad_enabled(True)\n    probe()\nprobe()\n", [E, E]),
]


@pytest.mark.parametrize("source,expected", SWITCH_CASES)
def test_switch_statements(source, expected):
    assert modes(source) == expected


def test_import_below_the_use_still_resolves():
    source = "def f():\n    with T.no_grad():\n        probe()\n\nimport torch as T\n"
    assert modes(source) == [D]


def test_function_local_import():
    source = "def f():\n    import torch as th\n    with th.inference_mode():\n        probe()\n"
    assert modes(source) == [I]


# -- framework hooks -----------------------------------------------------------------------------

LIGHTNING = (
    "import pytorch_lightning as pl\n"
    "class M(pl.LightningModule):\n"
    "    def training_step(self, batch, i):\n        probe()\n"
    "    def validation_step(self, batch, i):\n        probe()\n"
    "    def test_step(self, batch, i):\n        probe()\n"
    "    def predict_step(self, batch, i):\n        probe()\n"
    "    def on_validation_epoch_end(self):\n        probe()\n"
    "    def on_test_batch_end(self, *args):\n        probe()\n"
    "    def on_predict_start(self):\n        probe()\n"
)


def test_lightning_eval_hooks_are_grad_disabled():
    assert modes(LIGHTNING) == [H, D, D, D, D, D, D]


@pytest.mark.parametrize("base", ["lightning.pytorch.LightningModule", "lightning.LightningModule",
                                  "pytorch_lightning.core.LightningModule"])
def test_lightning_spellings(base):
    module, _, cls = base.rpartition(".")
    source = f"from {module} import {cls}\nclass M({cls}):\n    def validation_step(self, b, i):\n        probe()\n"
    assert modes(source) == [D]


def test_lightning_subclass_of_a_project_base_is_recognised_by_its_methods():
    source = (
        "from .base import BaseModule\nclass M(BaseModule):\n"
        "    def training_step(self, b, i):\n        pass\n"
        "    def validation_step(self, b, i):\n        probe()\n"
    )
    assert modes(source) == [D]


def test_lightning_hook_in_a_mixin_of_a_lightning_file():
    source = "import lightning.pytorch as L\nclass EvalMixin:\n    def test_step(self, b, i):\n        probe()\n"
    assert modes(source) == [D]


def test_validation_step_of_a_plain_class_is_not_a_hook():
    source = "class Runner:\n    def validation_step(self, b):\n        probe()\n"
    assert modes(source) == [H]


def test_optimizer_step_bodies():
    source = (
        "import torch\nclass Opt(torch.optim.Optimizer):\n    def step(self, closure=None):\n        probe()\n"
        "    def helper(self):\n        probe()\n"
        "class NotAnOptimizer:\n    def step(self):\n        probe()\n"
    )
    rule = probe_modes(source)
    assert rule.modes == [D, H, H]
    assert "optimizer" in rule.reasons[0]


@pytest.mark.parametrize(
    "hook,source,expected",
    [
        ("mylib.Trainer.eval_step",
         "from mylib import Trainer\nclass T(Trainer):\n    def eval_step(self, b):\n        probe()\n"
         "    def train_step(self, b):\n        probe()\n", [D, H]),
        ("mylib.Trainer.eval_step",
         "import mylib\nclass T(mylib.Trainer):\n    def eval_step(self, b):\n        probe()\n", [D]),
        # a class with the configured owner's name, defined in the linted project
        ("mylib.Trainer.eval_step", "class Trainer:\n    def eval_step(self, b):\n        probe()\n", [D]),
        # another class's method of the same name is not the hook
        ("mylib.Trainer.eval_step",
         "from other import Runner\nclass T(Runner):\n    def eval_step(self, b):\n        probe()\n", [H]),
        # a module-level function, by its qualified name
        ("example.evaluate", "def evaluate(m):\n    probe()\ndef other():\n    probe()\n", [D, H]),
        ("pkg.example.evaluate", "def evaluate(m):\n    probe()\n", [H]),
        # a bare name: every function or method called that
        ("eval_step", "def eval_step(b):\n    probe()\nclass A:\n    def eval_step(self):\n        probe()\n", [D, D]),
    ],
)
def test_configured_grad_disabled_hooks(hook, source, expected):
    assert modes(source, settings=Settings(grad_disabled_hooks=(hook,))) == expected


def test_no_configured_hooks_by_default():
    source = "class Trainer:\n    def eval_step(self, b):\n        probe()\n"
    assert modes(source) == [H]


# -- function name patterns ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["evaluate", "validate", "val_epoch", "run_validation", "test", "predict",
                                  "predict_batch", "infer", "inference", "score", "_eval_loop", "evaluation"])
def test_default_eval_names(name):
    assert Settings().eval_name_re.search(name)


@pytest.mark.parametrize("name", ["interval", "retrieve", "attest", "protest_votes", "scores_to_labels", "forward"])
def test_not_eval_names(name):
    assert not Settings().eval_name_re.search(name)


def test_configured_name_patterns_extend_the_defaults():
    settings = Settings(eval_function_patterns=(r"benchmark\w*",), train_function_patterns=(r"optimi[sz]e",))
    assert settings.eval_name_re.search("benchmark_model")
    assert settings.eval_name_re.search("evaluate")
    assert settings.train_name_re.search("optimize")
    assert settings.train_name_re.search("train_one_epoch")
    assert not Settings().eval_name_re.search("benchmark_model")


@pytest.mark.parametrize("loop", [
    "    for ax in axes: total, _ = total.min(ax)\n",
    "    for ax in axes:\n        pass\n    else: total = total.item()\n",
    "    while axes: total = total.item(); axes = axes[1:]\n",
])
def test_plain_value_search_reaches_one_line_suites(loop):
    # NG003 asks which names hold plain values at an accumulation; a target inside a one-line
    # `for ...: stmt` suite or an `else:` clause once crashed it (tsai 1.0.1, reached only
    # through the project's call graph).
    from nogradlint.analysis.plain_values import plain_names_at

    module = cst.parse_module("def f(total, axes):\n    total = total.item()\n" + loop)
    fn = module.body[0]
    target = [n for n in walk_nodes(fn) if type(n) is cst.Name and n.value == "total"][-1]
    assert plain_names_at(fn, target) <= {"total"}
