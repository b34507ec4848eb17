"""Framework hooks as data: the methods and callables that frameworks run without grad.

Lightning runs its evaluation and prediction loops (validate, test, predict, and the validation
run inside fit) under `no_grad` / `inference_mode`, with every `validation_*`, `test_*` and
`predict_*` step and hook they call; ignite's `create_supervised_evaluator` runs its callables
inside `torch.no_grad()`; mmengine's validation and test loops run an OpenMMLab model's
`val_step` / `test_step`, i.e. its `predict`, under `@torch.no_grad()`. ``scripts/generate_framework_hooks.py`` reads these facts from the
frameworks' own sources (one entry per version, so hooks that later versions removed still
count in code written for them) into ``framework_hooks.json``; the linter never imports them.
"""

from __future__ import annotations

import json
import os

_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "framework_hooks.json")

with open(_PATH, encoding="utf-8") as _fh:
    _SOURCES: dict = json.load(_fh)["sources"]


def _union(framework: str, key: str) -> frozenset:
    return frozenset(n for source, entry in _SOURCES.items() if source.startswith(framework) for n in entry[key])


# Methods of a LightningModule (or a Callback) that Lightning runs without grad.
LIGHTNING_NO_GRAD_HOOKS = _union("lightning", "no_grad_hooks") | _union("pytorch_lightning", "no_grad_hooks")
# Methods only Lightning modules define: a class with one of them is a LightningModule even when
# its base class lives in another file.
LIGHTNING_MARKERS = _union("lightning", "markers") | _union("pytorch_lightning", "markers")
# Methods of a LightningModule that set `requires_grad = False` on all its parameters (`freeze()`,
# which also puts it in eval mode): no graph is recorded from them after it.
LIGHTNING_FREEZERS = _union("lightning", "freezers") | _union("pytorch_lightning", "freezers")
# ignite functions that run the callables they are given inside torch.no_grad(), and the
# keyword arguments that hand them those callables.
IGNITE_EVALUATORS = _union("pytorch_ignite", "evaluators")
# Methods of an OpenMMLab model that mmengine's validation and test loops run without grad
# (`val_step`, `test_step` and the forward mode they run, `predict`), and the methods that mark a
# class as such a model when its base class lives in another file (one per forward mode: `loss`,
# `predict`).
MMENGINE_NO_GRAD_HOOKS = _union("mmengine", "no_grad_hooks")
MMENGINE_MARKERS = _union("mmengine", "markers")
IGNITE_CALLBACK_KEYWORDS = _union("pytorch_ignite", "callback_keywords")

# Deep-learning frameworks other than torch, by their top-level package, whose models also have
# `.eval()`, their own `nn.Module` and their own no_grad: a file importing one of them and not
# torch is not torch code, and a class deriving from `mlx.nn.Module` is no torch module.
OTHER_FRAMEWORKS = frozenset({"paddle", "tensorflow", "keras", "jax", "flax", "mindspore", "oneflow", "mxnet",
                              "megengine", "jittor", "MNN", "chainer", "mlx", "tinygrad", "equinox"})
# ignite engine classes that run the `process_function` they are built with once per batch, with
# grad as the caller left it (`Engine(step).run(loader)`: a loop whose body is `step`).
IGNITE_ENGINES = _union("pytorch_ignite", "engines")
