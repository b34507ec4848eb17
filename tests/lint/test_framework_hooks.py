"""Framework hooks as data (lint/analysis/framework_hooks.json): the generator reads them from the
frameworks' own sources, refuses sources without the no_grad evidence, and the committed data
matches every framework installed in the test environment."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import subprocess
import sys
import textwrap
import zipfile

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "scripts"))
import generate_framework_hooks as gen  # noqa: E402

MODULE = '''\
class LightningModule:
    def training_step(self, batch, batch_idx): ...
    def validation_step(self, batch, batch_idx): ...
    def validation_epoch_end(self, outputs): ...
    def predict_step(self, batch, batch_idx): ...
    def configure_optimizers(self): ...
    def freeze(self):
        for param in self.parameters():
            param.requires_grad = False
        self.eval()
    def toggle(self, flag):
        for param in self.parameters():
            param.requires_grad = False
'''
HOOKS = '''\
class ModelHooks:
    def on_train_start(self): ...
    def on_test_batch_end(self, outputs, batch, batch_idx): ...
class DataHooks:
    def test_dataloader(self): ...
'''
CALLBACK = "class Callback:\n    def on_predict_start(self, trainer, pl_module): ...\n"
LOOP = '''\
import torch
def _no_grad_context(fn):
    def run(*args):
        with torch.no_grad():
            return fn(*args)
    return run
'''


def _wheel(tmp_path, loop=LOOP):
    path = tmp_path / "pytorch_lightning-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("pytorch_lightning/core/module.py", MODULE)
        z.writestr("pytorch_lightning/core/hooks.py", HOOKS)
        z.writestr("pytorch_lightning/callbacks/callback.py", CALLBACK)
        z.writestr("pytorch_lightning/loops/utilities.py", loop)
        z.writestr("pytorch_lightning-9.9.9.dist-info/METADATA", "Name: pytorch_lightning\nVersion: 9.9.9\n")
    return str(path)


def test_the_hooks_of_the_evaluation_stages_are_read_from_the_source(tmp_path):
    key, entry = gen.read_source(_wheel(tmp_path))
    assert key == "pytorch_lightning==9.9.9"
    # validation / test / predict methods and hooks; not training ones, not dataloaders
    assert entry["no_grad_hooks"] == ["on_predict_start", "on_test_batch_end", "predict_step",
                                      "validation_epoch_end", "validation_step"]
    assert entry["markers"] == ["configure_optimizers", "training_step"]
    # what freezes every parameter without an argument (not a method that takes one)
    assert entry["freezers"] == ["freeze"]


def test_a_source_whose_loops_do_not_disable_grad_is_refused(tmp_path):
    with pytest.raises(gen.SourceError, match="no no_grad"):
        gen.read_source(_wheel(tmp_path, loop="def _no_grad_context(fn):\n    return fn\n"))
    proc = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "generate_framework_hooks.py"), "--check",
                           _wheel(tmp_path, loop="")], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "error:" in proc.stderr


def test_ignite_evaluators_are_the_steps_under_no_grad_and_their_factories(tmp_path):
    path = tmp_path / "pytorch_ignite-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("ignite/engine/__init__.py", textwrap.dedent('''\
            import torch
            from typing import Callable
            def supervised_training_step(model, prepare_batch: Callable = None): ...
            def supervised_evaluation_step(model, prepare_batch: Callable = None, output_transform: Callable = None):
                def update(engine, batch):
                    with torch.no_grad():
                        return output_transform(model(prepare_batch(batch)))
                return update
            def create_supervised_evaluator(model, prepare_batch: Callable = None):
                return supervised_evaluation_step(model, prepare_batch)
            '''))
        z.writestr("ignite/engine/engine.py", textwrap.dedent('''\
            import torch
            class Engine:
                def __init__(self, process_function):
                    self._process_function = process_function
                def _run_once_on_dataset(self, data):
                    for batch in data:
                        self.state.output = self._process_function(self, batch)
            class QuietEngine:
                def __init__(self, process_function):
                    self._process_function = process_function
                def run(self, data):
                    with torch.no_grad():
                        return [self._process_function(self, b) for b in data]
            '''))
        z.writestr("ignite/engine/deterministic.py", textwrap.dedent('''\
            from ignite.engine.engine import Engine
            class DeterministicEngine(Engine):
                def __init__(self, process_function):
                    super().__init__(process_function)
            '''))
        z.writestr("pytorch_ignite-9.9.9.dist-info/METADATA", "Name: pytorch-ignite\nVersion: 9.9.9\n")
    key, entry = gen.read_source(str(path))
    assert key == "pytorch_ignite==9.9.9"
    # The engines run their function with grad as the caller left it (not one that runs it under
    # no_grad), and so does a subclass of one.
    assert entry == {"evaluators": ["create_supervised_evaluator", "supervised_evaluation_step"],
                     "callback_keywords": ["output_transform", "prepare_batch"],
                     "engines": ["DeterministicEngine", "Engine"]}


def _mmengine_wheel(tmp_path, decorated: bool):
    path = tmp_path / "mmengine-9.9.9-py3-none-any.whl"
    decorator = "    @torch.no_grad()\n" if decorated else ""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mmengine/runner/loops.py", (
            "import torch\n\nclass ValLoop:\n" + decorator +
            "    def run_iter(self, idx, data_batch):\n        return self.runner.model.val_step(data_batch)\n\n"
            "class TestLoop:\n" + decorator +
            "    def run_iter(self, idx, data_batch):\n        return self.runner.model.test_step(data_batch)\n"))
        z.writestr("mmengine/model/base_model/base_model.py", textwrap.dedent('''\
            class BaseModel:
                def train_step(self, data, optim_wrapper):
                    return self._run_forward(data, mode='loss')

                def val_step(self, data):
                    return self._run_forward(data, mode='predict')

                def test_step(self, data):
                    return self._run_forward(data, mode='predict')
            '''))
        z.writestr("mmengine-9.9.9.dist-info/METADATA", "Name: mmengine\nVersion: 9.9.9\n")
    return str(path)


def test_mmengine_hooks_are_the_steps_its_no_grad_loops_run_and_their_forward_mode(tmp_path):
    key, entry = gen.read_source(_mmengine_wheel(tmp_path, decorated=True))
    assert key == "mmengine==9.9.9"
    assert entry == {"no_grad_hooks": ["predict", "test_step", "val_step"], "markers": ["loss", "predict"]}


def test_an_mmengine_whose_loops_keep_grad_is_refused(tmp_path):
    with pytest.raises(gen.SourceError, match="no run_iter under no_grad"):
        gen.read_source(_mmengine_wheel(tmp_path, decorated=False))


@pytest.mark.parametrize("module,distribution", [("lightning", "lightning"), ("pytorch_lightning", "pytorch_lightning"),
                                                 ("ignite", "pytorch-ignite"), ("mmengine", "mmengine")])
def test_committed_data_matches_each_installed_framework(tmp_path, module, distribution):
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        pytest.skip(f"{module} is not installed in the test environment")
    # Only the package and its dist-info, not all of site-packages.
    package_dir = list(spec.submodule_search_locations)[0]
    site = os.path.dirname(package_dir)
    dist = importlib.metadata.distribution(distribution)
    info = next(os.path.join(site, d) for d in os.listdir(site)
                if d.endswith(".dist-info") and d.lower().replace("-", "_").startswith(
                    f"{distribution.replace('-', '_')}-{dist.version}".lower()))
    os.symlink(package_dir, tmp_path / os.path.basename(package_dir))
    os.symlink(info, tmp_path / os.path.basename(info))
    proc = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "generate_framework_hooks.py"), "--check",
                           str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_the_linter_reads_the_union_of_every_recorded_version():
    from nogradlint.analysis.framework_hooks import (IGNITE_CALLBACK_KEYWORDS, IGNITE_EVALUATORS,
                                                     LIGHTNING_NO_GRAD_HOOKS)
    assert {"validation_step", "on_test_batch_end", "predict_step"} <= LIGHTNING_NO_GRAD_HOOKS
    assert "validation_epoch_end" in LIGHTNING_NO_GRAD_HOOKS  # Lightning 1.x only: still in user code
    assert "training_step" not in LIGHTNING_NO_GRAD_HOOKS
    assert "create_supervised_evaluator" in IGNITE_EVALUATORS and "prepare_batch" in IGNITE_CALLBACK_KEYWORDS
    from nogradlint.analysis.framework_hooks import MMENGINE_MARKERS, MMENGINE_NO_GRAD_HOOKS
    assert {"val_step", "test_step", "predict"} <= MMENGINE_NO_GRAD_HOOKS and "train_step" not in MMENGINE_NO_GRAD_HOOKS
    assert MMENGINE_MARKERS == {"loss", "predict"}
