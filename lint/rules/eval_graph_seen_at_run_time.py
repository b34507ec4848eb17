"""NG013 eval-graph-seen-at-run-time: a finding that only the tests' run-time evidence shows.

The rule has no visitor: ``evidence/join.py`` reports it from ``--runtime-evidence`` (what
``pytest --nograd-check --nograd-json`` saw), at a forward the static analysis did not flag.
Its INVALID examples mark the forward the tests saw with ``# ran in the tests:``;
tests/lint/test_runtime_evidence.py turns that mark into a report and runs them.
"""

from __future__ import annotations

from .base import UNSAFE, Invalid, Rule, RuleDocs

# The comment that stands for a run-time record in this rule's examples (see the module doc).
EXAMPLE_MARK = "# ran in the tests:"


class EvalGraphSeenAtRunTime(Rule):
    code = "NG013"
    name = "eval-graph-seen-at-run-time"
    message = "a forward of a model in eval mode built an autograd graph that the tests never used"
    triggers = ()  # reported from run-time evidence, never by a visitor
    fix_applicability = UNSAFE
    needs_runtime_evidence = True
    docs = RuleDocs(
        what=(
            "Reports a forward pass of a module in eval mode that ran with gradients enabled in your tests and "
            "built an autograd graph that no backward pass ever used, at a call the static rules did not flag "
            "(a receiver whose type the analysis cannot know, a call through a callback or a config-chosen "
            "object). It is reported only with `--runtime-evidence FILE` (or `runtime-evidence` in "
            "`[tool.nogradlint]`), where FILE is written by `pytest --nograd-check --nograd-json=FILE`; the "
            "message names a test that showed it and the bytes the graph kept alive. Evidence for a file that "
            "changed since the test run is ignored with one note."
        ),
        why=(
            "The graph keeps every intermediate activation of the forward alive until its outputs are released: "
            "evaluation uses several times the memory it needs and runs slower. Here the tests measured it."
        ),
        example=(
            "def embed_all(encode, batches):\n"
            "    out = []\n"
            "    for batch in batches:\n"
            "        features = encode(batch)  # ran in the tests: eval-mode forward, graph never used\n"
            "        out.append(features.mean(0).tolist())\n"
            "    return out\n"
        ),
        use_instead=(
            "import torch\n\n\n"
            "def embed_all(encode, batches):\n"
            "    out = []\n"
            "    for batch in batches:\n"
            "        with torch.no_grad():\n"
            "            features = encode(batch)\n"
            "        out.append(features.mean(0).tolist())\n"
            "    return out\n"
        ),
        fix_safety=(
            "The fix wraps the statement that made the call in `with torch.no_grad():` (adding `import torch` "
            "when the file has none). It is unsafe: the tests never used the graph, but code they did not run "
            "might. It is offered only for a simple statement directly in a function body whose function has no "
            "backward pass, `torch.autograd.grad`, optimizer step or `requires_grad` use, and not when the graph "
            "was built inside library code (the library may need it)."
        ),
    )
    VALID = (
        "def embed_all(encode, batches):\n"
        "    return [encode(b).mean(0).tolist() for b in batches]\n",
    )
    INVALID = (
        Invalid(
            "import torch\n\n\n"
            "def embed_all(encode, batches):\n"
            "    out = []\n"
            "    for batch in batches:\n"
            "        features = encode(batch)  # ran in the tests: eval-mode forward, graph never used\n"
            "        out.append(features.mean(0).tolist())\n"
            "    return out\n",
            "import torch\n\n\n"
            "def embed_all(encode, batches):\n"
            "    out = []\n"
            "    for batch in batches:\n"
            "        with torch.no_grad():\n"
            "            features = encode(batch)  # ran in the tests: eval-mode forward, graph never used\n"
            "        out.append(features.mean(0).tolist())\n"
            "    return out\n",
        ),
        # The function also trains: no fix (the graph may be needed on a path the tests missed).
        Invalid(
            "def step(model, opt, x, y):\n"
            "    logits = model(x)  # ran in the tests: eval-mode forward, graph never used\n"
            "    if y is not None:\n"
            "        loss = (logits - y).pow(2).mean()\n"
            "        loss.backward()\n"
            "        opt.step()\n"
            "    return logits\n",
        ),
    )
