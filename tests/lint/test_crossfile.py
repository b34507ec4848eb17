"""Cross-function and cross-file grad-mode inference on small multi-file projects."""

from __future__ import annotations

import os
import textwrap

from nogradlint.config import Settings, load_settings
from nogradlint.runner import lint_project

from .cli_helpers import run_cli, write

EVALUATION = '''\
import torch


def evaluate(model, loader):
    model.eval()
    total = 0.0
    for x, y in loader:
        total += torch.nn.functional.mse_loss(model(x), y).item()
    return total / len(loader)
'''

TRAIN_PROTECTED = '''\
import torch

from .evaluation import evaluate


def fit(model, loader, val_loader, optimizer):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    with torch.no_grad():
        return evaluate(model, val_loader)
'''


def _project(tmp_path, files: dict) -> str:
    root = tmp_path / "proj"
    for name, text in files.items():
        write(root / name, textwrap.dedent(text))
    return str(root)


def _found(root: str, codes=("NG001", "NG002"), settings=None) -> list:
    return sorted(
        (os.path.relpath(f.path, root), f.line, f.code)
        for f in lint_project([root], codes=codes, settings=settings)
    )


def test_function_only_called_under_no_grad_from_another_file_is_silent(tmp_path):
    root = _project(tmp_path, {
        "app/__init__.py": "",
        "app/evaluation.py": EVALUATION,
        "app/train.py": TRAIN_PROTECTED,
    })
    assert _found(root) == []


def test_one_unprotected_call_site_makes_it_fire(tmp_path):
    root = _project(tmp_path, {
        "app/__init__.py": "",
        "app/evaluation.py": EVALUATION,
        "app/train.py": TRAIN_PROTECTED,
        "app/cli.py": "from app.evaluation import evaluate\n\ndef main(m, l):\n    print(evaluate(m, l))\n",
    })
    assert _found(root) == [(os.path.join("app", "evaluation.py"), 7, "NG001")]


def test_uncalled_function_is_an_entry_point_with_grad_on(tmp_path):
    root = _project(tmp_path, {"app/__init__.py": "", "app/evaluation.py": EVALUATION})
    assert _found(root) == [(os.path.join("app", "evaluation.py"), 7, "NG001")]


def test_inference_mode_and_decorated_callers_count_as_disabled(tmp_path):
    root = _project(tmp_path, {
        "app/__init__.py": "",
        "app/evaluation.py": EVALUATION,
        "app/run.py": (
            "import torch\nfrom . import evaluation\n\n"
            "@torch.no_grad()\ndef report(m, l):\n    return evaluation.evaluate(m, l)\n\n"
            "def final(m, l):\n    with torch.inference_mode():\n        return evaluation.evaluate(m, l)\n"
        ),
    })
    assert _found(root) == []


def test_transitive_callers(tmp_path):
    # evaluate <- summarize <- main (under no_grad): all grad-disabled.
    root = _project(tmp_path, {
        "evaluation.py": EVALUATION,
        "summary.py": "from evaluation import evaluate\n\ndef summarize(m, l):\n    return {'loss': evaluate(m, l)}\n",
        "main.py": "import torch\nfrom summary import summarize\n\ndef main(m, l):\n    with torch.no_grad():\n        summarize(m, l)\n",
    })
    assert _found(root) == []
    # ...and a second, unprotected caller of the middle function reaches evaluate with grad on.
    write(os.path.join(root, "other.py"), "from summary import summarize\n\ndef other(m, l):\n    summarize(m, l)\n")
    assert _found(root) == [("evaluation.py", 7, "NG001")]


def test_relative_imports_two_levels(tmp_path):
    root = _project(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/core/__init__.py": "",
        "pkg/core/evaluation.py": EVALUATION,
        "pkg/train/__init__.py": "",
        "pkg/train/loop.py": "import torch\nfrom ..core.evaluation import evaluate as ev\n\n"
                             "def run(m, l):\n    with torch.no_grad():\n        ev(m, l)\n",
    })
    assert _found(root) == []


def test_self_methods(tmp_path):
    trainer = '''\
    import torch


    class Trainer:
        def __init__(self, model, loader):
            self.model, self.loader = model, loader

        def evaluate(self):
            self.model.eval()
            return [self.model(x) for x in self.loader]

        def fit(self):
            with torch.no_grad():
                return self.evaluate()
    '''
    root = _project(tmp_path, {"trainer.py": trainer})
    assert _found(root) == []
    # A call through self outside no_grad makes the method reachable with grad on.
    unprotected = textwrap.dedent(trainer) + "\n    def report(self):\n        return self.evaluate()\n"
    write(os.path.join(root, "trainer.py"), unprotected)
    assert _found(root) == [("trainer.py", 10, "NG001")]


def test_self_call_in_a_base_class_reaches_subclass_overrides(tmp_path):
    root = _project(tmp_path, {
        "engine.py": "import torch\n\nclass Engine:\n    def eval_step(self, b):\n        raise NotImplementedError\n\n"
                     "    def validate(self, loader):\n        with torch.no_grad():\n"
                     "            return [self.eval_step(b) for b in loader]\n",
        "models.py": "from engine import Engine\n\nclass Seg(Engine):\n    def eval_step(self, batch):\n"
                     "        self.model.eval()\n        return [self.model(x) for x in batch]\n",
    })
    assert _found(root) == []


def test_ng002_backward_in_a_function_only_called_under_no_grad(tmp_path):
    root = _project(tmp_path, {
        "agent.py": "def learn(model, opt, x):\n    loss = model(x).mean()\n    loss.backward()\n    opt.step()\n",
        "runner.py": "import torch\nfrom agent import learn\n\ndef run(model, opt, xs):\n"
                     "    with torch.no_grad():\n        for x in xs:\n            learn(model, opt, x)\n",
    })
    assert _found(root) == [("agent.py", 3, "NG002")]
    # one call with grad on: the function is not always grad-disabled, so no NG002
    write(os.path.join(root, "main.py"), "from agent import learn\n\ndef main(m, o, x):\n    learn(m, o, x)\n")
    assert _found(root) == []


def test_ignite_evaluator_callbacks_run_under_no_grad(tmp_path):
    root = _project(tmp_path, {
        "run.py": "import torch\nfrom ignite.engine import create_supervised_evaluator\n\n"
                  "def prepare(batch, device=None, non_blocking=False):\n    return batch\n\n"
                  "def predict_transform(model, crops):\n    model.eval()\n"
                  "    return torch.stack([model(c) for c in crops]).mean(0)\n\n"
                  "def build(model):\n    return create_supervised_evaluator(model, prepare_batch=prepare, "
                  "model_fn=predict_transform)\n",
    })
    assert _found(root) == []


def test_lightning_module_defined_in_another_file(tmp_path):
    root = _project(tmp_path, {
        "base.py": "import lightning.pytorch as L\n\nclass Base(L.LightningModule):\n    pass\n",
        "model.py": "from base import Base\n\nclass M(Base):\n    def training_step(self, b, i):\n        return self.net(b).sum()\n\n"
                    "    def validation_step(self, batch, i):\n        self.net.eval()\n"
                    "        return [self.net(x) for x in batch]\n",
    })
    assert _found(root) == []


HOOK_PROJECT = {
    "pkg/__init__.py": "",
    "pkg/engine.py": "class Engine:\n    def eval_step(self, batch):\n        raise NotImplementedError\n",
    "pkg/model.py": "import torch\nfrom pkg.engine import Engine\n\nclass Seg(Engine):\n"
                    "    def eval_step(self, batch):\n        self.model.eval()\n"
                    "        return [self.model(x) for x in batch]\n",
}


def test_configured_hook_silences_and_its_absence_does_not(tmp_path):
    root = _project(tmp_path, HOOK_PROJECT)
    assert _found(root) == [(os.path.join("pkg", "model.py"), 7, "NG001")]
    settings = Settings(grad_disabled_hooks=("pkg.engine.Engine.eval_step",))
    assert _found(root, settings=settings) == []


def test_configured_hook_from_pyproject_through_the_cli(tmp_path):
    root = _project(tmp_path, HOOK_PROJECT)
    args = ("--no-cache", "--select", "NG001", "--output-format", "concise", ".")
    before = run_cli(*args, cwd=root)
    assert before.rc == 1 and "NG001" in before.out and "model.py:7" in before.out
    write(os.path.join(root, "pyproject.toml"),
          '[tool.nogradlint]\ngrad-disabled-hooks = ["pkg.engine.Engine.eval_step"]\n')
    after = run_cli(*args, cwd=root)
    assert after.rc == 0, after


def test_eval_function_patterns_from_pyproject(tmp_path):
    root = _project(tmp_path, {
        "bench.py": "import torch\n\ndef benchmark_model(net, loader):\n    for batch in loader:\n"
                    "        net(batch)\n",
    })
    assert _found(root, codes=("NG001",)) == []
    write(os.path.join(root, "pyproject.toml"), '[tool.nogradlint]\neval-function-patterns = ["benchmark\\\\w*"]\n')
    settings = load_settings(os.path.join(root, "pyproject.toml"))
    assert _found(root, codes=("NG001",), settings=settings) == [("bench.py", 4, "NG001")]


def test_train_function_patterns(tmp_path):
    root = _project(tmp_path, {
        "opt.py": "import torch\n\n@torch.no_grad()\ndef optimise_policy(model, x, opt):\n"
                  "    model(x).sum().backward()\n    opt.step()\n",
    })
    # not a training name by default: the backward itself is reported
    assert _found(root, codes=("NG002",)) == [("opt.py", 5, "NG002")]
    settings = Settings(train_function_patterns=("optimise_policy",))
    # a training name: the decorator is reported instead
    assert _found(root, codes=("NG002",), settings=settings) == [("opt.py", 3, "NG002")]


def test_a_cycle_that_nothing_calls_is_an_entry_point(tmp_path):
    # validate() is called only from train(); train() only "calls itself" through model.train():
    # nothing outside calls either, so both run with grad on.
    root = _project(tmp_path, {
        "trainer.py": "import torch\n\nclass Trainer:\n    def validate(self):\n        self.model.eval()\n"
                      "        out = [self.model(x) for x in self.val]\n        self.model.train()\n        return out\n\n"
                      "    def train(self):\n        self.model.train()\n        for x in self.data:\n"
                      "            self.model(x).sum().backward()\n        self.validate()\n",
    })
    assert _found(root) == [("trainer.py", 6, "NG001")]


def test_mutually_recursive_helpers_called_only_under_no_grad(tmp_path):
    root = _project(tmp_path, {
        "walk.py": "import torch\n\ndef predict_tree(model, node):\n    model.eval()\n"
                   "    outs = [model(c) for c in node.children]\n    return [visit(model, c) for c in node.children] + outs\n\n"
                   "def visit(model, node):\n    return predict_tree(model, node)\n\n"
                   "def main(model, root):\n    with torch.no_grad():\n        return predict_tree(model, root)\n",
    })
    assert _found(root) == []


def test_inference_named_helper_used_by_training_in_another_file(tmp_path):
    helper = (
        "import torch\n\ndef sliding_window_inference(image, predictor, tile=64):\n"
        "    outs = []\n    for part in image.split(tile, -1):\n        outs.append(predictor(part))\n"
        "    return torch.cat(outs, -1)\n"
    )
    root = _project(tmp_path, {
        "infer.py": helper,
        "cli.py": "from infer import sliding_window_inference\n\ndef main(net, x):\n"
                  "    return sliding_window_inference(x, net)\n",
    })
    # Only an inference entry point calls it: an evaluation loop with grad on.
    assert _found(root, codes=("NG001",)) == [("infer.py", 5, "NG001")]
    # A training step of another file backpropagates through it: its callers decide.
    write(os.path.join(root, "train.py"),
          "from infer import sliding_window_inference\n\ndef train_step(net, x, y, opt):\n"
          "    loss = (sliding_window_inference(x, net) - y).abs().mean()\n    loss.backward()\n    opt.step()\n")
    # (NG002's triggers make train.py parsed: the walker records that train_step runs backward)
    assert _found(root, codes=("NG001", "NG002")) == []
    # ...and when that training file is not parsed (no NG001 trigger in it): facts from its text.
    assert _found(root, codes=("NG001",)) == []


def test_model_put_in_eval_mode_is_evaluation_whoever_calls_it(tmp_path):
    root = _project(tmp_path, {
        "ev.py": "import torch\n\ndef run_batches(model, batches):\n    model.eval()\n"
                 "    return [model(b) for b in batches]\n",
        "train.py": "from ev import run_batches\n\ndef train_step(model, bs, opt):\n"
                    "    sum(o.sum() for o in run_batches(model, bs)).backward()\n",
    })
    assert _found(root, codes=("NG001",)) == [("ev.py", 5, "NG001")]


def test_notebook_cells_share_the_models_put_in_eval_mode(tmp_path):
    nbformat = __import__("pytest").importorskip("nbformat")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import torch\nmodel = torch.load('model.pt')\nmodel.eval()"),
        nbformat.v4.new_markdown_cell("## Predictions"),
        nbformat.v4.new_code_cell("preds = []\nfor x in loader:\n    preds.append(model(x))"),
        nbformat.v4.new_code_cell("with torch.no_grad():\n    more = [model(x) for x in loader]"),
    ]
    nbformat.write(nb, str(tmp_path / "evaluate.ipynb"))
    found = [(f.cell, f.line, f.code) for f in lint_project([str(tmp_path)], codes=("NG001",))]
    assert found == [(3, 2, "NG001")]


def test_callback_handed_over_under_no_grad_is_not_grad_disabled(tmp_path):
    # The closure is called by optimizer.step (under enable_grad in torch's optimizers), not here.
    root = _project(tmp_path, {
        "fit.py": "import torch\n\n@torch.no_grad()\ndef refine(model, x, y, optimizer):\n"
                  "    def closure():\n        optimizer.zero_grad()\n        loss = (model(x) - y).pow(2).mean()\n"
                  "        loss.backward()\n        return loss\n    optimizer.step(closure)\n",
    })
    assert _found(root, codes=("NG002",)) == []


def test_helper_of_a_lightning_training_step_is_used_for_training(tmp_path):
    # training_step returns the loss; Lightning runs backward. The shared helper is not evaluation.
    root = _project(tmp_path, {
        "model.py": "import torch\nimport lightning.pytorch as L\n\nclass M(L.LightningModule):\n"
                    "    def predict_crops(self, crops):\n        return torch.stack([self.net(c) for c in crops]).mean(0)\n\n"
                    "    def training_step(self, batch, i):\n        x, y = batch\n"
                    "        return torch.nn.functional.mse_loss(self.predict_crops(x), y)\n",
    })
    assert _found(root, codes=("NG001",)) == []


DECODERS = '''\
import torch
from torch import nn


class DurationPredictor(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, 1)

    def inference(self, hs):
        return self.proj(hs).exp().round()


class Tacotron(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.decoder = nn.GRUCell(dim, dim)
        self.duration = DurationPredictor(dim)

    def forward(self, xs):
        return self.decoder(xs), self.duration.inference(xs)

    def inference(self, h, maxlen=100):
        outs = []
        for _ in range(maxlen):
            h = self.decoder(h, h)
            outs.append(h)
        return torch.stack(outs)
'''


def test_a_method_called_on_a_typed_attribute_resolves_to_that_class_only(tmp_path):
    # `self.duration.inference(xs)` runs with grad on in forward, but `self.duration` is a
    # DurationPredictor: it says nothing about Tacotron.inference, whose only caller is under no_grad.
    decode = "import torch\nfrom .models import Tacotron\n\n@torch.no_grad()\ndef decode(model: Tacotron, xs):\n" \
             "    return [model.inference(x) for x in xs]\n"
    root = _project(tmp_path, {"tts/__init__.py": "", "tts/models.py": DECODERS, "tts/decode.py": decode})
    assert _found(root) == []
    # An unprotected call through a Tacotron-typed local reaches Tacotron.inference with grad on.
    root = _project(tmp_path / "b", {
        "tts/__init__.py": "", "tts/models.py": DECODERS, "tts/decode.py": decode,
        "tts/demo.py": "from .models import Tacotron\n\ndef demo(h):\n    tts = Tacotron(8)\n    return tts.inference(h)\n",
    })
    assert _found(root) == [(os.path.join("tts", "models.py"), 25, "NG001")]


def test_calling_a_local_object_runs_its_class_call_method(tmp_path):
    root = _project(tmp_path, {"search.py": '''\
import torch


def score(decoder, labels):
    decoder.eval()
    outs = []
    for label in labels:
        outs.append(decoder(label))
    return outs


class BeamSearch:
    def __init__(self, decoder):
        self.decoder = decoder

    def __call__(self, labels):
        return score(self.decoder, labels)


@torch.no_grad()
def recognize(decoder, labels):
    searcher = BeamSearch(decoder)
    return searcher(labels)
'''})
    assert _found(root) == []


def test_a_method_of_an_outside_class_is_not_a_project_method_of_the_same_name(tmp_path):
    # `clf.fit(...)` under no_grad is scikit-learn's fit, not the project's Trainer.fit.
    trainer = '''\
class Trainer:
    def train_one_epoch(self):
        for x, y in self.loader:
            loss = self.loss_fn(self.model(x), y)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()

    def fit(self, epochs):
        for _ in range(epochs):
            self.train_one_epoch()
'''
    probe = '''\
import torch
from sklearn.linear_model import LogisticRegression

clf = LogisticRegression()
with torch.no_grad():
    feats = backbone(images)
    clf.fit(feats.numpy(), labels)
'''
    root = _project(tmp_path, {"trainer.py": trainer, "probe.py": probe})
    assert _found(root) == []
    # The project's own Trainer, called under no_grad, is still reported.
    root = _project(tmp_path / "b", {"trainer.py": trainer, "probe.py": probe.replace(
        "from sklearn.linear_model import LogisticRegression", "from trainer import Trainer").replace(
        "LogisticRegression()", "Trainer()").replace("clf.fit(feats.numpy(), labels)", "clf.fit(3)")})
    assert _found(root) == [("trainer.py", 6, "NG002")]


def test_an_inherited_method_resolves_through_the_project_base_class(tmp_path):
    root = _project(tmp_path, {"models.py": '''\
import torch
from torch import nn


class Base(nn.Module):
    def predict(self, loader):
        self.eval()
        return [self(x) for x in loader]


class Net(Base):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)


class Other(nn.Module):
    def predict(self, loader):
        self.eval()
        return [self(x) for x in loader]


@torch.no_grad()
def run(loader):
    net = Net()
    return net.predict(loader)


def run_other(loader):
    return Other().predict(loader)
'''})
    # Net().predict is Base.predict (called under no_grad); Other.predict is called with grad on.
    assert _found(root) == [("models.py", 20, "NG001")]


def test_validation_once_per_epoch_is_not_part_of_the_training_step(tmp_path):
    # validate() runs once per epoch, outside the batch loop that runs backward: its loop is an
    # evaluation loop. score_batch() runs inside that loop and its result is backpropagated.
    root = _project(tmp_path, {"train.py": '''\
import torch


def validate(model, loader, criterion):
    total = 0.0
    for x, y in loader:
        total += criterion(model(x), y).item()
    return total


def score_batches(model, batches, criterion):
    return sum(criterion(model(x), y) for x, y in batches)


def train(model, loader, val_loader, criterion, optimizer, epochs):
    for epoch in range(epochs):
        model.train()
        for chunk in loader:
            loss = score_batches(model, chunk, criterion)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        validate(model, val_loader, criterion)
'''})
    assert _found(root) == [("train.py", 6, "NG001")]


def test_module_api_on_a_typed_torch_attribute_is_no_project_method(tmp_path):
    # `self.encoder.train()` on an nn.Sequential is nn.Module.train, not the project's
    # Trainer.train: Trainer.train's only call is under no_grad, so NG002 stands.
    root = _project(tmp_path, {"app.py": '''\
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(2, 2))

    def unfreeze(self):
        self.encoder.train()


class Trainer:
    def train(self, model, loader, opt):
        for x, y in loader:
            loss = torch.nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()


def main(model, loader, opt):
    with torch.no_grad():
        Trainer().train(model, loader, opt)
'''})
    assert _found(root) == [("app.py", 18, "NG002")]


STEPPER_PROJECT = {
    "pkg/__init__.py": "",
    "pkg/steps.py": '''\
        class Stepper:
            def __init__(self, model, optimizer):
                self.model = model
                self.optimizer = optimizer

            def step(self, x):
                self.optimizer.zero_grad()
                loss = self.model(x).mean()
                loss.backward()
                self.optimizer.step()
                return loss

            def score(self, x):
                return self.model(x).mean()
        ''',
    "pkg/fit.py": '''\
        import torch
        from pkg.steps import Stepper


        def fit(model, optimizer, batches):
            stepper = Stepper(model, optimizer)
            total = 0
            for x in batches:
                loss = stepper.step(x)
                total += loss
            seen = 0
            for x in batches:
                seen += stepper.score(x)
            with torch.no_grad():
                return total, seen
        ''',
}


def test_a_loop_that_trains_through_another_files_step_is_checked_and_the_cache_keeps_it(tmp_path):
    # `Stepper.step` takes the training step (backward and step) in another file: the loop that
    # accumulates what it returns is a training loop. `score` trains nothing: that loop is not.
    root = _project(tmp_path, STEPPER_PROJECT)
    expected = [(os.path.join("pkg", "fit.py"), 10, "NG003")]
    assert _found(root, codes=None) == expected
    # The training summaries and the finding's condition survive the cache (a warm run).
    args = ("--output-format", "concise", "--cache-dir", str(tmp_path / "cache"), ".")
    cold, warm = run_cli(*args, cwd=root), run_cli(*args, cwd=root)
    assert cold.rc == warm.rc == 1 and cold.out == warm.out and "fit.py:10:" in warm.out
    assert "fit.py:13:" not in warm.out


LOSS_HELPERS_PROJECT = {
    # No rule's trigger matches this file (no backward, no grad-mode call, no .detach()): it is
    # parsed only because the loop's findings ask what its functions return.
    "pkg/losses.py": '''\
        import torch
        import torch.nn.functional as F


        def alignment(a, b):
            return F.cosine_embedding_loss(a, b, torch.ones(len(a)))


        def penalty(activations, weight):
            if weight == 0:
                return 0.0
            return weight * activations.abs().mean()


        def accuracy(logits, y):
            return (logits.argmax(1) == y).float().mean().item()
        ''',
    "pkg/fit.py": '''\
        import torch.nn.functional as F
        from pkg.losses import accuracy, alignment, penalty


        def fit(model, loader, optimizer):
            running, penalties, accs = 0.0, 0.0, []
            for x, y in loader:
                optimizer.zero_grad()
                out = model(x)
                F.cross_entropy(out, y).backward()
                optimizer.step()
                running += alignment(out, out)
                penalties += penalty(out, 0.1)
                accs.append(accuracy(out, y))
            return running, penalties, accs
        ''',
}


def test_what_a_helper_file_without_triggers_returns_decides_accumulations(tmp_path):
    # `alignment` returns a loss computed from its arguments (the loop passes a model output):
    # its summary given graph-carrying arguments says it keeps the graph. `penalty` does too, or
    # returns 0.0; `accuracy` returns a float.
    root = _project(tmp_path, LOSS_HELPERS_PROJECT)
    fit = os.path.join("pkg", "fit.py")
    assert _found(root, codes=("NG003",)) == [(fit, 12, "NG003"), (fit, 13, "NG003")]
    args = ("--output-format", "concise", "--cache-dir", str(tmp_path / "cache"), "--unsafe-fixes", "--diff", ".")
    cold, warm = run_cli(*args, cwd=root), run_cli(*args, cwd=root)
    assert cold.rc == warm.rc == 1 and cold.out == warm.out
    # The `.detach()` fix only where the helper returns a tensor on every path: on `penalty`'s
    # 0.0 it would raise AttributeError.
    assert "+        running += alignment(out, out).detach()" in warm.out
    assert "+        penalties += penalty(out, 0.1)" not in warm.out
    found = run_cli("--output-format", "concise", "--cache-dir", str(tmp_path / "cache"), ".", cwd=root)
    assert "fit.py:12:9: NG003 [*unsafe]" in found.out and "fit.py:13:9: NG003 `penalties" in found.out


def test_a_helper_that_detaches_its_argument_keeps_no_graph(tmp_path):
    files = dict(LOSS_HELPERS_PROJECT)
    files["pkg/losses.py"] = files["pkg/losses.py"].replace(
        "return F.cosine_embedding_loss(a, b, torch.ones(len(a)))",
        "return F.cosine_embedding_loss(a, b, torch.ones(len(a))).item()")
    root = _project(tmp_path, files)
    assert _found(root, codes=("NG003",)) == [(os.path.join("pkg", "fit.py"), 13, "NG003")]


def test_a_meter_in_another_file_that_keeps_its_argument(tmp_path):
    # `RunningMean.update` adds its argument to the meter's state; its file has no trigger, so
    # it is parsed for its summary only. A meter fed `.item()` keeps nothing.
    root = _project(tmp_path, {
        "meters.py": '''\
            class RunningMean:
                def __init__(self):
                    self.total, self.count = 0.0, 0

                def update(self, value, n=1):
                    self.total += value * n
                    self.count += n


            class Counter:
                def __init__(self):
                    self.seen = 0

                def update(self, value):
                    self.seen += len(value)
            ''',
        "fit.py": '''\
            import torch.nn.functional as F
            from meters import Counter, RunningMean


            def fit(model, loader, optimizer):
                meter, plain, counter = RunningMean(), RunningMean(), Counter()
                for x, y in loader:
                    loss = F.cross_entropy(model(x), y)
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                    meter.update(loss, len(x))
                    plain.update(loss.item(), len(x))
                    counter.update(loss)
                return meter.total, plain.total, counter.seen
            ''',
    })
    assert _found(root, codes=("NG003",)) == [("fit.py", 12, "NG003")]
    args = ("--output-format", "concise", "--cache-dir", str(tmp_path / "cache"), ".")
    cold, warm = run_cli(*args, cwd=root), run_cli(*args, cwd=root)
    assert cold.rc == warm.rc == 1 and cold.out == warm.out
    assert "fit.py:12:9: NG003 [*unsafe] `meter.update(loss, len(x))` keeps the autograd graph" in warm.out


def test_a_training_script_without_triggers_is_linted_when_it_calls_a_training_step(tmp_path):
    # fit.py has no backward, grad-mode call or `.detach()`: no rule's trigger matches it, but it
    # calls `Stepper.train_step`, which trains in another file, so it is parsed after all (also
    # when NG003 is the only rule selected).
    root = _project(tmp_path, {
        "steps.py": '''\
            import torch


            class Stepper:
                def __init__(self, model, optimizer):
                    self.model, self.optimizer = model, optimizer

                def train_step(self, x, y):
                    self.optimizer.zero_grad()
                    loss = torch.nn.functional.mse_loss(self.model(x), y)
                    loss.backward()
                    self.optimizer.step()
                    return loss
            ''',
        "fit.py": '''\
            from steps import Stepper


            def fit(model, optimizer, loader):
                stepper = Stepper(model, optimizer)
                running = 0.0
                for x, y in loader:
                    loss = stepper.train_step(x, y)
                    running += loss
                return running
            ''',
    })
    assert _found(root, codes=("NG003",)) == [("fit.py", 9, "NG003")]
    for selection in ((), ("--select", "NG003")):
        args = ("--output-format", "concise", "--cache-dir", str(tmp_path / "cache"), *selection, ".")
        cold, warm = run_cli(*args, cwd=root), run_cli(*args, cwd=root)
        assert cold.rc == warm.rc == 1 and cold.out == warm.out and "fit.py:9:9: NG003" in warm.out


def test_fix_for_a_later_element_of_an_unknown_callees_result_is_not_guessed(tmp_path):
    # `loss, acc = self.vae(batch)` where the analysis cannot name the class (its constructor is
    # a name the project does not define): `acc` may well be a float, so its `.detach()` fix would
    # raise; the first element, the loss, keeps its fix. With the class known, the summary of its
    # `forward` decides, and the float accuracy is not reported at all.
    trainer = '''
        import torch
        import external_models


        class Runner:
            def __init__(self, cfg):
                self.vae = external_models.VAE(cfg)

            def fit(self, loader, optimizer):
                total, accs = 0.0, 0.0
                for batch in loader:
                    optimizer.zero_grad()
                    loss, acc = self.vae(batch)
                    loss.backward()
                    optimizer.step()
                    total += loss
                    accs += acc
                return total, accs
        '''
    root = _project(tmp_path, {"pkg/__init__.py": "", "pkg/runner.py": trainer})
    args = ("--output-format", "concise", "--no-cache", "--isolated", "--unsafe-fixes", "--diff", ".")
    diff = run_cli(*args, cwd=root)
    assert "+            total += loss.detach()" in diff.out  # returned: the caller may use it as a tensor
    assert "accs += acc." not in diff.out
    found = run_cli("--output-format", "concise", "--no-cache", "--isolated", ".", cwd=root)
    assert "runner.py:17:13: NG003 [*unsafe] `total += loss`" in found.out
    assert "runner.py:18:13: NG003 `accs += acc`" in found.out

    models = '''
        import torch
        from torch import nn


        class VAE(nn.Module):
            def __init__(self, cfg):
                super().__init__()
                self.enc = nn.Linear(cfg, 2)

            def forward(self, batch):
                z = self.enc(batch)
                return z.pow(2).mean(), (z > 0).float().mean().item()
        '''
    known = _project(tmp_path, {"pkg/__init__.py": "", "pkg/models.py": models,
                                "pkg/runner.py": trainer.replace("import external_models", "from pkg import models")
                                .replace("external_models.VAE", "models.VAE")})
    found = run_cli("--output-format", "concise", "--no-cache", "--isolated", ".", cwd=known)
    assert "runner.py:17:13: NG003 [*unsafe] `total += loss`" in found.out
    assert "accs += acc" not in found.out


def test_container_method_names_in_a_file_read_as_text_reach_no_project_method(tmp_path):
    # dgl's sparse optimizer: `update` runs only under the step's no_grad; a file the linter does
    # not parse (no rule's trigger) calls `cfg.update(...)` on a dict, which says nothing about it.
    optim = """\
        import torch


        class SparseSGD:
            def __init__(self, tables, lr):
                self.tables, self.lr = tables, lr

            def step(self, grads):
                with torch.no_grad():
                    for table, (idx, grad) in zip(self.tables, grads):
                        self.update(table, idx, grad)

            def update(self, table, idx, grad):
                table.weight[idx] -= self.lr * grad
        """
    config = "def merged(cfg, extra):\n    cfg.update(extra)\n    return cfg\n"
    root = _project(tmp_path, {"emb/__init__.py": "", "emb/optim.py": optim, "emb/config.py": config})
    assert _found(root, codes=("NG004",)) == []
    # A name no container has still counts: `opt.apply_rows(...)` there may be the project's method,
    # called with grad on.
    renamed = optim.replace("self.update(", "self.apply_rows(").replace("def update(", "def apply_rows(")
    root = _project(tmp_path / "b", {"emb/__init__.py": "", "emb/optim.py": renamed,
                                     "emb/config.py": "def refresh(opt, t, i, g):\n    opt.apply_rows(t, i, g)\n"})
    assert _found(root, codes=("NG004",)) == [(os.path.join("emb", "optim.py"), 14, "NG004")]


def test_a_call_by_name_in_a_file_read_as_text_reaches_only_the_classes_it_names(tmp_path):
    # `synth.inference(text)` in a demo read as text (no trigger: not parsed) that uses another
    # class, `Vocoder`: it says nothing about Tacotron.inference, whose typed caller runs it under
    # inference_mode. A demo that names Tacotron does reach it with grad on.
    decode = "import torch\nfrom .models import Tacotron\n\n@torch.inference_mode()\ndef decode(model: Tacotron, xs):\n" \
             "    return [model.inference(x) for x in xs]\n"
    vocoder = "class Vocoder:\n    def inference(self, mel):\n        return mel\n"
    demo = "from .vocoder import Vocoder\n\ndef run(mel):\n    synth = Vocoder()\n    return synth.inference(mel)\n"
    files = {"tts/__init__.py": "", "tts/models.py": DECODERS, "tts/decode.py": decode, "tts/vocoder.py": vocoder,
             "tts/demo.py": demo}
    assert _found(_project(tmp_path, files)) == []
    files["tts/demo.py"] = demo.replace("Vocoder", "Tacotron").replace("Tacotron()", "Tacotron(8)")
    assert _found(_project(tmp_path / "b", files)) == [(os.path.join("tts", "models.py"), 25, "NG001")]



def test_selecting_one_rule_keeps_the_modes_other_files_set(tmp_path):
    # The caller's file holds no word NG004 looks for, only its `no_grad`: selecting NG004 alone
    # must not lose that mode (the file is read for its call sites whatever rules are selected).
    root = _project(tmp_path, {
        "masks.py": "import torch\n\ndef apply_mask(layer, mask):\n    layer.weight *= mask\n",
        "prune.py": "import torch\nfrom masks import apply_mask\n\ndef prune(net, mask):\n"
                    "    with torch.no_grad():\n        apply_mask(net.fc, mask)\n",
    })
    assert _found(root) == []
    assert _found(root, codes=("NG004",)) == []


FIELD_PROJECT = {
    "pkg/__init__.py": "",
    # No trigger in this file: it is read as text, and its declarations still count.
    "pkg/outputs.py": '''\
        from dataclasses import dataclass, field
        from typing import Dict, List, Optional


        @dataclass
        class LossOutput:
            loss: object
            metrics: Dict[str, float] = field(default_factory=dict)
            parts: Optional[List[object]] = None
        ''',
    "pkg/train.py": '''\
        import torch


        def fit(model, loss_fn, batches, opt):
            history, kept, losses = [], [], []
            for x in batches:
                out = loss_fn(model, x)
                opt.zero_grad()
                out.loss.backward()
                opt.step()
                history.append({"n": len(x), **out.metrics})
                kept.append(out.parts)
                losses.append(out.loss)
            return history, kept, losses
        ''',
}


def test_fields_declared_as_python_values_in_another_file_keep_no_graph(tmp_path):
    # `out` comes from a loss object of unknown class: its `metrics` field is declared floats by
    # the project's only class that has one; `parts` a list (no `.detach()` on it), `loss` unknown.
    root = _project(tmp_path, FIELD_PROJECT)
    train = os.path.join("pkg", "train.py")
    assert _found(root, codes=("NG003",)) == [(train, 12, "NG003"), (train, 13, "NG003")]
    args = ("--output-format", "concise", "--cache-dir", str(tmp_path / "cache"), "--unsafe-fixes", "--diff", ".")
    cold, warm = run_cli(*args, cwd=root), run_cli(*args, cwd=root)
    assert cold.rc == warm.rc == 1 and cold.out == warm.out
    assert "+        losses.append(out.loss.detach())" in warm.out
    assert "out.parts.detach()" not in warm.out  # a list: the fix would raise AttributeError
    # Declared a tensor by another class of the project: the field may hold a graph after all.
    files = dict(FIELD_PROJECT)
    files["pkg/other.py"] = "import torch\n\n\nclass Stats:\n    metrics: torch.Tensor\n"
    root = _project(tmp_path / "second", files)
    assert (train, 11, "NG003") in _found(root, codes=("NG003",))
