"""NG003 graph-kept-across-iterations."""

from __future__ import annotations

import dataclasses
import re
from typing import Optional

import libcst as cst

from ..analysis.gradmode import Mode
from ..analysis.names import dotted, string_index, string_value
from ..analysis.plain_values import is_conversion, path_to, plain_names_at
from ..analysis.conditions import Condition
from ..analysis.reaching import ALL, ReachingDefinitions, inplace_detaches
from ..analysis.tensors import Env, detached_somewhere, flows_into, integer_tensor, names_in
from ..analysis.values import GRAPH, NUMBER, OBJECT, TENSOR
from ..analysis.walker import walk_nodes
from .base import UNSAFE, Invalid, Rule, RuleDocs

# `optimizer`, `opt_g`, `optD`, `optimizerG`, `g_optimizer`, `scaler`
_OPTIMIZER = re.compile(r"(?:^|_)(?:[Oo]pt|[Oo]ptim|[Oo]ptimi[sz]ers?|[Ss]caler)(?:\d+|[A-Z]\w*)?(?:_|$)")
_GRAD_FUNCTIONS = frozenset({"torch.autograd.grad", "torch.autograd.backward"})
_ACCUMULATING_OPS = (cst.AddAssign, cst.SubtractAssign)


class _Loop:
    __slots__ = ("node", "assigned", "attrs", "training", "stepped", "events", "train_calls", "targets",
                 "over_optimizers", "reported_accumulators", "branches", "updates")

    def __init__(self, node, over_optimizers: bool = False, branches: int = 0) -> None:
        self.node = node
        self.branches = branches  # the branches open around the loop (ctx.branches): a deeper one is in its body
        # `for idx, opt in enumerate(self.optimizers)`: one training step's updates, one per
        # optimizer (a GAN's generator output handed to the discriminator's), not iterations.
        self.over_optimizers = over_optimizers
        self.targets: set = set()  # names the loop binds as its target (what it iterates over)
        self.assigned: set = set()  # names (re)bound in the loop body: they do not outlive it
        self.attrs: set = set()  # dotted attributes (re)bound in the loop body
        self.training = False  # the body runs backward / autograd.grad / an optimizer step
        self.stepped = False  # the body runs an optimizer step (a training loop, not a loss builder)
        self.updates = False  # the body steps an optimizer itself (not only a backward that frees the graph)
        self.events: list = []
        # Raw references of the project functions the body calls: the loop trains if one of them
        # does (`loss = self.train_step(batch)`), which the project decides (Condition.trains).
        self.train_calls: list = []
        # Names an inner training loop accumulates into (its own finding): keeping that name in
        # this loop (`history.append(running)`) is the same graph chain, reported once.
        self.reported_accumulators: set = set()


class _Event:
    __slots__ = ("node", "kind", "root", "value", "condition", "target", "stepped", "rebound_in", "trains", "keeps",
                 "micro")

    def __init__(self, node, kind, root, value, condition, target) -> None:
        self.node = node
        self.kind = kind  # "aug" | "append" | "self" | "store" | "kept" | "inplace" (`acc.add_(v)`)
        self.root = root  # the accumulator: a name or a dotted attribute
        self.value = value  # the accumulated expression
        self.condition = condition
        self.target = target  # the accumulator expression (for the message)
        self.stepped = False
        # Accumulated in a loop that backpropagates but steps no optimizer itself: one step's
        # micro-batches, if the function steps after the loop (decided in _finish).
        self.micro = False
        self.rebound_in = None  # the training loop, when the accumulator is (re)bound somewhere in it
        self.trains: tuple = ()  # calls one of which must train (a loop that trains only through them)
        # "kept": (call reference, argument position): the method must keep that argument's graph.
        self.keeps: tuple = ()


class _Function:
    __slots__ = ("node", "env", "backward", "candidates", "returns", "part_backward", "part_stores", "added",
                 "histories", "key_loops", "reaching", "fills", "updates")

    def __init__(self, node: Optional[cst.FunctionDef] = None) -> None:
        self.node = node  # None: module level
        self.env = Env()
        self.returns: list = []  # returned expressions
        self.updates = False  # an optimizer step somewhere in the function
        self.backward: list = []  # expressions handed to backward / autograd.grad
        self.candidates: list = []  # events of training loops whose accumulator outlives the iteration
        # Names a part of which was backpropagated (`out["loss"].backward()`): they hold history.
        self.part_backward: set = set()
        # (target, value) of each store into a part of a name: `out["loss"] = out["loss"].detach()`.
        self.part_stores: list = []
        # name -> the terms added to it in place (`total += loss`): they flow into it.
        self.added: dict = {}
        # `self.loss_hist.append(loss)` outside any loop of a method: kept across its calls.
        self.histories: list = []
        # Key name -> the container a loop iterates the keys of (`for k, v in out.items()`: "out").
        self.key_loops: dict = {}
        self.reaching = None  # reaching.ReachingDefinitions of the body, on first use
        # name -> the values stored into it (`d[k] = v`): what a container that a history reads holds.
        self.fills: dict = {}


class GraphKeptAcrossIterations(Rule):
    code = "NG003"
    name = "graph-kept-across-iterations"
    message = "a tensor with autograd history is accumulated across iterations"
    fix_applicability = UNSAFE
    triggers = (r"\.backward\(", r"autograd\.grad", r"manual_backward\(")
    docs = RuleDocs(
        what=(
            "Checks training loops (loops that call `.backward()`, `torch.autograd.grad` (not one with "
            "`create_graph=True`, which builds a derivative to differentiate again, as a PINN's residual terms do) "
            "or an optimizer "
            "`step`, also one kept in a dict, `bag[\"optimizer\"].step()`, or a project function that runs backward itself or through the functions it calls, "
            "in any file: `loss = trainer.step(batch)` with `trainer = Stepper(...)`; a file with no "
            "trigger of its own is linted when it calls such a function) for a tensor that carries autograd history (a loss, a model output, arithmetic on "
            "them) accumulated into something that outlives the iteration: `total += loss`, "
            "`d[k] += loss_k`, `losses[i] = loss`, `avg.add_(loss)`, `outputs.append(logits)`, `self.history.append(loss)`, "
            "`avg = 0.9 * avg + 0.1 * loss`, `total = loss if total is None else total + loss`, a new display that unpacks the old one, "
            "`P = {**P, f\"epoch{i}\": p}`, or handed to a method of a project class that adds its "
            "argument to its object's state (`meter.update(loss)` with `def update(self, val): "
            "self.sum += val`, or one that rebuilds an attribute from its own last value, "
            "`self.v = (self.v * self.n + x) / (self.n + 1)`; the class in any file). What a project function returns counts by its "
            "summary, also given the arguments the call passes (`total += smooth_l1(out, y)` with the "
            "helper in another file), and given the flags it passes: a module of unknown class called "
            "`out, e = self.model(x, last=True, freeze=True)` hands back an `e` without a graph when every "
            "project `forward` that declares those keywords computes that element under `no_grad` for that "
            "flag (`if freeze: with torch.no_grad(): e = ...`) or returns the caller's own argument there "
            "(`if last: return scores, x`). A field of a value whose class is not known here (`out.metrics` of "
            "what a loss object handed in returns) counts by the project's declarations of it: none where "
            "every class that declares the field annotates Python values (`metrics: dict[str, float]`). A loss summed over one step's micro-batches is not reported: each is "
            "backpropagated in the loop, which steps no optimizer itself, and the function steps after it "
            "(`for _ in range(accumulate): total += loss; loss.backward()`, then `optimizer.step()`): each "
            "backward frees its graph's tensors and the chain ends with the step. Values taken through `.item()`, `.detach()`, `float()`, "
            "`.tolist()` or `.cpu().numpy()` (also through a name rebound to such a value on every path "
            "before the accumulation: `loss = loss.detach().cpu().item()`, or through the names it was "
            "computed from: `mse, l1 = self.score(x)` returning floats, then `mixed = mse * 0.7 + l1 * 0.3`; "
            "or detached in place first: `x_adv.detach_(), loss.detach_()`), tensors without history "
            "(comparisons, `argmax`, counts), a store under a fixed key that the next iteration overwrites "
            "(`loss_dict[\"d\"] = d_loss`: no more graph than the local it came from), "
            "an accumulator reset in the body of the loop whose items feed it (one batch's losses of "
            "several models: a bounded number of graphs), names last bound to a number "
            "(`loss = np.mean(values)`), "
            "loss terms summed within one step before `backward` (an accumulator reset on every "
            "iteration; one reset only every N steps, `if i % 2000 == 1999: running_loss = 0.0`, still "
            "chains the graphs of the steps in between), and accumulators that are backpropagated later "
            "(what a loop returns when its backward keeps the graph, `create_graph=True`, or it runs none) "
            "are not reported. A loop whose `.backward()` frees the graph on every iteration uses each step's graph "
            "up: the outputs it collects and returns (micro-batches' outputs kept for post-processing) are "
            "reported; one whose backward runs only under a flag (`if backward: aux.backward()`) leaves the sum "
            "to its caller. "
            "Values computed where an expression decides the grad mode (`with torch.no_grad() if forward_only "
            "else nullcontext():`) carry a graph on the path that trains. A container whose part was backpropagated (`out[\"loss\"].backward()` then "
            "`outputs.append(out)`) holds history too, unless that part is replaced by a value without "
            "history before it is stored (`out[\"loss\"] = out[\"loss\"].detach()`). A loop over one step's "
            "optimizers (`for idx, opt in enumerate(self.optimizers)`, a GAN handing the generator's output to "
            "the discriminator's update) is one step, not iterations: what it keeps per optimizer is not reported "
            "there (a loop around it over batches still is). Outside loops, a method that appends a value "
            "with history to an attribute of its object (`self.loss_hist.append(loss)` in the TD-loss "
            "method an update step calls) keeps every call's graph with the object: reported when nothing "
            "in the file reads that attribute (a REINFORCE agent that stacks its saved log-probabilities "
            "into the loss it backpropagates reads them) and the method does not rebind it itself."
        ),
        why=(
            "Each accumulated tensor keeps a reference to its `grad_fn`, and through it the graph of the "
            "iteration that produced it. `total_loss += loss` therefore chains every iteration's graph "
            "to the next: memory grows with every batch until the epoch ends (or the process runs out of "
            "memory), and each step gets slower. This is the first item of PyTorch's memory FAQ."
        ),
        example=(
            "for x, y in loader:\n"
            "    loss = criterion(model(x), y)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
            "    total_loss += loss\n"
            "    all_logits.append(model_out)\n"
        ),
        use_instead=(
            "for x, y in loader:\n"
            "    loss = criterion(model(x), y)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
            "    total_loss += loss.item()\n"
            "    all_logits.append(model_out.detach())\n"
        ),
        fix_safety=(
            "The fix is offered only where the accumulated value is a tensor on every path (for what a "
            "project function returns: by its summary, so a helper that may return `0.0` gets none; a "
            "later element of what a callee the analysis cannot name returns, `loss, acc = net(x)`, gets "
            "none either: the accuracy may be a float). "
            "The fix is unsafe: it turns `total += loss` into `total += loss.item()` (a Python float) when "
            "`loss` is known to be a scalar (the loop calls `loss.backward()` with no gradient argument, "
            "which works on scalars only) and the function neither reads the accumulator as a tensor "
            "(`total.item()`, `torch.stack(total)`) nor hands it back (`return total / n`: a caller may call "
            "`.mean()` on it), else into `.detach()` (`.item()` raises on a tensor of more than "
            "one element, such as a per-sample loss), and `xs.append(t)` into "
            "`xs.append(t.detach())`. That ends the memory growth, but the accumulator changes type or "
            "no longer carries gradients: code that later calls `.backward()` on it, or expects a tensor, "
            "must be checked by hand."
        ),
    )

    VALID = (
        "import torch\nfor x, y in loader:\n    loss = criterion(model(x), y)\n    loss.backward()\n"
        "    optimizer.step()\n    running_loss += loss.item()\n",
        # A metric object accumulating a comparison (no history).
        "import torch\nfor x, y in loader:\n    out = model(x)\n    loss = criterion(out, y)\n    loss.backward()\n"
        "    pred = out.argmax(dim=1)\n    correct += (pred == y).sum()\n    metric.update((pred == y).sum())\n",
        # Loss terms summed within one step before backward.
        "import torch\nfor x, y in loader:\n    loss = 0\n    for head in heads:\n        loss += criterion(head(x), y)\n"
        "    loss.backward()\n    optimizer.step()\n",
        # Micro-batches accumulated on purpose, backpropagated after the loop.
        "import torch\ndef step(model, chunks):\n    total = 0\n    for x, y in chunks:\n"
        "        total += criterion(model(x), y)\n    total.backward()\n",
        # Meta-learning: the meta-loss is backpropagated after the task loop.
        "import torch\ndef meta_step(model, tasks):\n    meta_loss = 0\n    for support, query in tasks:\n"
        "        grads = torch.autograd.grad(loss_fn(model(support)), model.parameters(), create_graph=True)\n"
        "        meta_loss += loss_fn(model(query))\n    meta_loss.backward()\n",
        "import torch\nfor x, y in loader:\n    out = model(x)\n    loss = criterion(out, y)\n    loss.backward()\n"
        "    history.append(loss.detach().cpu())\n    preds.append(out.detach())\n    avg = 0.9 * avg + 0.1 * float(loss)\n",
        # Saved log-probabilities, stacked into the loss that is backpropagated (REINFORCE).
        "import torch\nclass Reinforce:\n    def act(self, s):\n"
        "        dist = torch.distributions.Categorical(logits=self.policy(s))\n        a = dist.sample()\n"
        "        self.log_probs.append(dist.log_prob(a))\n        return a.item()\n\n"
        "    def finish(self, returns):\n        (-(torch.stack(self.log_probs) * returns).sum()).backward()\n"
        "        self.opt.step()\n        self.log_probs = []\n",
        # Computed under no_grad: no history.
        "import torch\nfor x, y in loader:\n    loss = criterion(model(x), y)\n    loss.backward()\n"
        "    with torch.no_grad():\n        val = criterion(model(xv), yv)\n    val_total += val\n",
        # Not a training loop.
        "import torch\nwith torch.no_grad():\n    for x, y in loader:\n        total += criterion(model(x), y)\n",
        # The name is rebound to a Python float before it is accumulated.
        "import math\nimport torch\nfor x, y in loader:\n    optimizer.zero_grad()\n    loss = criterion(model(x), y)\n"
        "    loss.backward()\n    loss = loss.detach().cpu().item()\n    if math.isnan(loss):\n        break\n"
        "    optimizer.step()\n    losses.append(loss)\n    total += loss\n",
    )
    INVALID = (
        # a scalar loss, but the accumulator is later read as a tensor: `.detach()`, not `.item()`
        Invalid(
            "import torch\ndef fit(model, loader, opt):\n    total = 0\n    for x in loader:\n"
            "        loss = model(x).mean()\n        loss.backward()\n        opt.step()\n        total += loss\n"
            "    return total.item()\n",
            expected_fix=(
                "import torch\ndef fit(model, loader, opt):\n    total = 0\n    for x in loader:\n"
                "        loss = model(x).mean()\n        loss.backward()\n        opt.step()\n        total += loss.detach()\n"
                "    return total.item()\n"
            ),
        ),
        # a scalar loss whose average the function hands back: a caller may call `.item()` on it
        Invalid(
            "import torch\ndef epoch(model, loader, opt):\n    total = 0\n    for x in loader:\n"
            "        loss = model(x).mean()\n        opt.zero_grad()\n        loss.backward()\n        opt.step()\n"
            "        total += loss\n    avg = total / len(loader)\n    return avg\n",
            expected_fix=(
                "import torch\ndef epoch(model, loader, opt):\n    total = 0\n    for x in loader:\n"
                "        loss = model(x).mean()\n        opt.zero_grad()\n        loss.backward()\n        opt.step()\n"
                "        total += loss.detach()\n    avg = total / len(loader)\n    return avg\n"
            ),
        ),
        # a method that adds its argument to its object's state
        Invalid(
            "import torch\nclass Meter:\n    def update(self, v):\n        self.total += v\n\n"
            "def fit(model, loader, opt, meter: Meter):\n    meter = Meter()\n    for x in loader:\n"
            "        loss = model(x).mean()\n        loss.backward()\n        opt.step()\n        meter.update(loss)\n",
            expected_fix=(
                "import torch\nclass Meter:\n    def update(self, v):\n        self.total += v\n\n"
                "def fit(model, loader, opt, meter: Meter):\n    meter = Meter()\n    for x in loader:\n"
                "        loss = model(x).mean()\n        loss.backward()\n        opt.step()\n        meter.update(loss.detach())\n"
            ),
        ),
        # A value that is a Python number on one path and a loss on the other: reported, but no
        # `.detach()`/`.item()` fix (it would raise on the number).
        Invalid(
            "import torch\ndef train(model, loader, opt, criterion, warmup):\n    total = 0.0\n"
            "    for step, (x, y) in enumerate(loader):\n        loss = criterion(model(x), y)\n"
            "        loss.backward()\n        opt.step()\n        term = 0.0 if step < warmup else loss\n"
            "        total += term\n",
        ),
        Invalid(
            "import torch\n\nfor x, y in loader:\n    optimizer.zero_grad()\n    loss = criterion(model(x), y)\n"
            "    loss.backward()\n    optimizer.step()\n    total_loss += loss\n",
            expected_fix=(
                "import torch\n\nfor x, y in loader:\n    optimizer.zero_grad()\n    loss = criterion(model(x), y)\n"
                "    loss.backward()\n    optimizer.step()\n    total_loss += loss.item()\n"
            ),
        ),
        Invalid(
            "import torch\ndef train(model, loader, opt):\n    all_logits = []\n    for x, y in loader:\n"
            "        logits = model(x)\n        loss = F.cross_entropy(logits, y)\n        opt.zero_grad()\n"
            "        loss.backward()\n        opt.step()\n        all_logits.append(logits)\n    return all_logits\n",
            expected_fix=(
                "import torch\ndef train(model, loader, opt):\n    all_logits = []\n    for x, y in loader:\n"
                "        logits = model(x)\n        loss = F.cross_entropy(logits, y)\n        opt.zero_grad()\n"
                "        loss.backward()\n        opt.step()\n        all_logits.append(logits.detach())\n"
                "    return all_logits\n"
            ),
        ),
        Invalid(
            "import torch\nclass Trainer:\n    def fit(self, loader):\n        for batch in loader:\n"
            "            out = self.model(**batch)\n            out.loss.backward()\n            self.opt.step()\n"
            "            self.history.append(out.loss)\n",
            expected_fix=(
                "import torch\nclass Trainer:\n    def fit(self, loader):\n        for batch in loader:\n"
                "            out = self.model(**batch)\n            out.loss.backward()\n            self.opt.step()\n"
                "            self.history.append(out.loss.detach())\n"
            ),
        ),
        Invalid(
            "import torch\ndef train(model, loader, opt):\n    losses = {'ce': 0.0, 'reg': 0.0}\n    for x, y in loader:\n"
            "        ce = criterion(model(x), y)\n        reg = model.l2()\n        loss = ce + reg\n        loss.backward()\n"
            "        opt.step()\n        losses['ce'] += ce\n",
            expected_fix=(
                "import torch\ndef train(model, loader, opt):\n    losses = {'ce': 0.0, 'reg': 0.0}\n    for x, y in loader:\n"
                "        ce = criterion(model(x), y)\n        reg = model.l2()\n        loss = ce + reg\n        loss.backward()\n"
                "        opt.step()\n        losses['ce'] += ce.detach()\n"
            ),
        ),
        "import torch\ndef train(model, loader, opt):\n    avg = 0.0\n    for x, y in loader:\n"
        "        loss = criterion(model(x), y)\n        loss.backward()\n        opt.step()\n"
        "        avg = 0.9 * avg + 0.1 * loss\n    return avg\n",
        "import torch\nfor epoch in range(10):\n    epoch_loss = 0\n    for x, y in loader:\n"
        "        loss = loss_fn(net(x), y)\n        loss.backward()\n        optimizer.step()\n        epoch_loss += loss\n",
        # Reset only every 100 steps: the graphs of the steps in between stay chained.
        Invalid(
            "import torch\nfor i, (x, y) in enumerate(loader):\n    loss = criterion(model(x), y)\n    loss.backward()\n"
            "    optimizer.step()\n    running_loss += loss\n    if i % 100 == 99:\n        print(running_loss / 100)\n"
            "        running_loss = 0.0\n",
            expected_fix=(
                "import torch\nfor i, (x, y) in enumerate(loader):\n    loss = criterion(model(x), y)\n    loss.backward()\n"
                "    optimizer.step()\n    running_loss += loss.item()\n    if i % 100 == 99:\n        print(running_loss / 100)\n"
                "        running_loss = 0.0\n"
            ),
        ),
        # The stored dict holds the loss that was backpropagated (no automatic fix: it is not a tensor).
        "import torch\nfor i, batch in enumerate(loader):\n    optimizer.zero_grad()\n"
        "    output = module.training_step(batch, i)\n    output['loss'].backward()\n    optimizer.step()\n"
        "    outputs.append(output)\n",
        # Every call of the method keeps its loss, with its graph, in a list nothing reads.
        "import torch\nclass Agent:\n    def __init__(self):\n        self.net = torch.nn.Linear(3, 1)\n"
        "        self.opt = torch.optim.SGD(self.net.parameters(), lr=0.1)\n        self.loss_hist = []\n\n"
        "    def td_loss(self, s, y):\n        loss = (self.net(s) - y).pow(2).mean()\n"
        "        self.loss_hist.append(loss)\n        return loss\n\n    def update(self, s, y):\n"
        "        self.td_loss(s, y).backward()\n        self.opt.step()\n",
        # Converted on one path only: the tensor with its graph reaches the append on the other.
        "import torch\nfor x, y in loader:\n    loss = criterion(model(x), y)\n    loss.backward()\n    optimizer.step()\n"
        "    if as_float:\n        loss = float(loss)\n    losses.append(loss)\n",
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._functions: list = [_Function()]
        self._loops: list = []  # loops of the innermost function
        self._outer_loops: list = []  # saved loop stacks of enclosing functions
        self._histories: list = []  # (event, graph, fact) of each method history append, for the file
        self._stepping: dict = {}  # top-level function name -> _file_function_steps' answer

    # -- scopes ----------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append(_Function(node))
        self._outer_loops.append(self._loops)
        self._loops = []

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._finish(self._functions.pop())
        self._loops = self._outer_loops.pop()

    def leave_Module(self, node: cst.Module) -> None:
        self._finish(self._functions[-1])
        if self._histories:
            self._report_histories(node)

    def visit_For(self, node: cst.For) -> None:
        # The target is an element of what is iterated: `for k, v in loss_dict.items()` gives
        # v what the dict holds (the value model reads containers through their elements).
        self._functions[-1].env.assign(node.target, node.iter, _may_record(self.ctx))
        keyed = _keys_of(node)
        if keyed is not None:
            self._functions[-1].key_loops[keyed[0]] = keyed[1]
        loop = _Loop(node, _iterates_optimizers(node.iter), len(self.ctx.branches))
        for name in _bound(node.target):
            loop.assigned.add(name)
            loop.targets.add(name)
        self._loops.append(loop)

    def leave_For(self, node: cst.For) -> None:
        self._leave_loop()

    def visit_While(self, node: cst.While) -> None:
        self._loops.append(_Loop(node, branches=len(self.ctx.branches)))

    def leave_While(self, node: cst.While) -> None:
        self._leave_loop()

    def _leave_loop(self) -> None:
        loop = self._loops.pop()
        outer = self._loops[-1] if self._loops else None
        if (loop.training or loop.train_calls) and not loop.over_optimizers:
            for event in loop.events:
                if event.kind == "kept" and not loop.training:
                    continue  # `meter.update(x)` counts in a loop that backpropagates itself
                if type(event.value) is cst.Name and event.value.value in loop.reported_accumulators:
                    continue
                if self._reset_per_item(event, loop):
                    continue
                if not loop.training:
                    # The loop trains through the functions it calls, which run backward
                    # themselves: what it accumulates is not a loss built for its caller.
                    event.trains = tuple(dict.fromkeys(loop.train_calls))
                if event.root in loop.assigned or event.root in loop.attrs:
                    # Reset every iteration (summed within one step) unless the reset is only
                    # occasional: decided for a finding about to be reported.
                    event.rebound_in = loop.node
                event.stepped = loop.stepped or not loop.training
                event.micro = loop.training and not loop.updates and not loop.over_optimizers
                self._functions[-1].candidates.append(event)
            if outer is not None:
                outer.reported_accumulators |= {e.root for e in loop.events if e.kind in ("aug", "self")}
        elif outer is not None:
            outer.events.extend(loop.events)
        if outer is not None:
            outer.assigned |= loop.assigned
            outer.attrs |= loop.attrs
            outer.training = outer.training or loop.training
            outer.stepped = outer.stepped or loop.stepped
            outer.updates = outer.updates or loop.updates
            outer.train_calls.extend(loop.train_calls)

    # -- facts -----------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        fn = self._functions[-1]
        history_ok = _may_record(self.ctx)
        for target in node.targets:
            t = target.target
            fn.env.assign(t, node.value, history_ok)
            if type(t) is cst.Subscript and type(t.value) is cst.Name and t.value.value != "self":
                # `output["m"] = mean(...)`: the container holds the value too (`mean_loss = output["m"]`).
                fn.fills.setdefault(t.value.value, []).append(node.value if history_ok else None)
            if not self._loops:
                continue
            loop = self._loops[-1]
            value = node.value
            if type(t) is cst.Name and type(value) is cst.IfExp:
                # `total = loss if total is None else total + loss`: the side that accumulates.
                sides = [v for v in (value.body, value.orelse) if _refers_to(v, t.value)]
                value = sides[0] if len(sides) == 1 else value
            if type(t) is cst.Name and len(node.targets) == 1 and _refers_to(value, t.value):
                self._event(node, "self", t.value, value, t)
                continue
            if type(t) in (cst.Subscript, cst.Attribute):
                fn.part_stores.append((t, node.value))
            if type(t) is cst.Subscript and len(node.targets) == 1:
                # `losses[i] = loss`: stored into a container (kept if it outlives the iteration).
                root = _root(t)
                if root is not None and root != "self" and not self._integer_container(fn, root) \
                        and not (_constant_key(t) and root not in names_in(node.value)):
                    self._event(node, "store", root, node.value, t)
                continue
            for name in _bound(t):
                loop.assigned.add(name)
            if type(t) is cst.Attribute:
                name = dotted(t)
                if name is not None:
                    loop.attrs.add(name)

    def visit_Expr(self, node: cst.Expr) -> None:
        # `x_adv.detach_(), loss.detach_()`: from here on the name holds a leaf, as after
        # `loss = loss.detach()`.
        detaches = inplace_detaches(node.value)
        if detaches:
            fn = self._functions[-1]
            history_ok = _may_record(self.ctx)
            for call in detaches:
                fn.env.assign(call.func.value, call, history_ok)

    def _integer_container(self, fn, root: str) -> bool:
        """`best = torch.zeros(n, dtype=int)`: every binding of the container is a torch tensor of
        an integer dtype, which holds copies of what is stored into it, never a graph."""
        bound = fn.env.values.get(root)
        return bool(bound) and all(v is not None and integer_tensor(v, self.ctx.aliases) for v in bound)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._functions[-1].env.assign(node.target, node.value, _may_record(self.ctx))
        if self._loops:
            self._loops[-1].assigned.update(_bound(node.target))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self._functions[-1].returns.append(node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if type(node.target) is cst.Name:
            # `loss_trunc += loss`: what flows into a later `loss_trunc.backward()` includes
            # what `loss` was built from; and the name holds what `loss` makes it (`adv_loss =
            # torch.tensor(0.0)` then `adv_loss += criterion(...)` carries the criterion's graph).
            self._functions[-1].added.setdefault(node.target.value, []).append(node.value)
            self._functions[-1].env.assign(node.target, node.value, _may_record(self.ctx))
        if not self._loops or not isinstance(node.operator, _ACCUMULATING_OPS):
            return
        root = _root(node.target)
        if root is not None:
            self._event(node, "aug", root, node.value, node.target)

    def _file_function_steps(self, name: str) -> bool:
        """Whether the file's top-level function ``name`` calls `.backward(...)` and `.step(...)`,
        itself or through the file's top-level functions it calls (read when a loop first calls it)."""
        top = self.ctx.top_functions()
        if name not in self._stepping:
            self._stepping[name] = False  # (a recursion says nothing more)
            fn = top.get(name)
            calls = [n for n in walk_nodes(fn.body) if type(n) is cst.Call] if fn is not None else []
            attrs = {n.func.attr.value for n in calls if type(n.func) is cst.Attribute}
            self._stepping[name] = "backward" in attrs and "step" in attrs or any(
                type(n.func) is cst.Name and n.func.value in top and n.func.value != name
                and self._file_function_steps(n.func.value) for n in calls)
        return self._stepping[name]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (self._loops and not self._loops[-1].training and self.ctx.values is not None
                and type(func) is cst.Attribute and type(func.value) is cst.Name):
            ref = self.ctx.values.ref_of(func)
            # A method of a known class (`self.train_step(...)`, `stepper.step(...)` with
            # `stepper = Stepper(...)`): what a training step looks like from its loop. A plain
            # function call is left out: most are utilities, and each candidate whose callee is
            # in another file costs positions until the project decides (measured: +7 % of a cold
            # run on the benchmark corpus when plain functions counted too).
            if ref is not None and ref[0] in ("method", "typed", "super"):
                self._loops[-1].train_calls.append(ref)
        elif self._loops and not self._loops[-1].training and type(func) is cst.Name \
                and self._file_function_steps(func.value) and self.ctx.values is not None:
            # A function of this file that takes a training step (`_, m = step(model, x, opt)`):
            # the loop trains through it, as through a method.
            ref = self.ctx.values.ref_of(func)
            if ref is not None:
                self._loops[-1].train_calls.append(ref)
        if type(func) is cst.Attribute:
            attr = func.attr.value
            if attr == "backward":
                positional = [a for a in node.args if a.keyword is None]
                if positional:  # accelerator.backward(loss), fabric.backward(loss)
                    self._backward(positional[0].value)
                else:
                    self._backward(func.value)
                frame = self.ctx.frames[-1]
                if self._loops and (len(self.ctx.branches) == self._loops[-1].branches or (
                        frame.mode is Mode.UNKNOWN and frame.origin == "with" and not frame.guessed)) and not any(
                        a.keyword is not None and a.keyword.value in ("retain_graph", "create_graph") for a in node.args):
                    # A backward that frees its graph on every iteration uses each step's graph up,
                    # as an optimizer step does: what the loop returns is no loss built for a later
                    # backward. One under `if backward:` leaves that to the caller, unless the other
                    # side builds no graph either (`with torch.no_grad() if forward_only else ...`).
                    self._loops[-1].stepped = True
                return
            if attr == "manual_backward" and node.args:
                self._backward(node.args[0].value)
                return
            if attr == "step" and self._functions and _optimizer_step(func.value):
                self._functions[-1].updates = True
            if attr == "step" and self._loops:
                base = func.value
                name = base.value if type(base) is cst.Name else base.attr.value if type(base) is cst.Attribute else ""
                index = string_index(base) if type(base) is cst.Subscript else None
                if type(index) is cst.SimpleString:
                    # `models["optimizer"].step()`: the object a bag of models and optimizers holds
                    # under that key (what it holds is no value fact the analysis has).
                    key = string_value(index)
                    name = key if isinstance(key, str) else ""
                if _OPTIMIZER.search(name):
                    self._loops[-1].training = True
                    self._loops[-1].stepped = True
                    self._loops[-1].updates = True
                return
            if attr == "append" and len(node.args) == 1 and not node.args[0].keyword:
                root = _root(func.value)
                if root is not None and self._loops:
                    self._event(node, "append", root, node.args[0].value, func.value)
                elif root is not None:
                    self._history(node, func.value)
                return
            if attr == "add_" and self._loops and node.args and not node.args[0].keyword:
                # `avg.add_(loss)`: an in-place `avg += loss` on a tensor accumulator.
                root = _root(func.value)
                if root is not None:
                    self._event(node, "inplace", root, node.args[0].value, func.value)
                return
            if self._loops and node.args and self.ctx.values is not None:
                self._kept_by_method(node, func)
        if node.args and (
            (type(func) is cst.Attribute and func.attr.value in ("grad", "backward"))
            or (type(func) is cst.Name and func.value in self.ctx.aliases.names)
        ) and self.ctx.aliases.resolve(func) in _GRAD_FUNCTIONS:
            higher_order = any(a.keyword is not None and a.keyword.value == "create_graph"
                               and type(a.value) is cst.Name and a.value.value == "True" for a in node.args)
            # `autograd.grad(u, x, create_graph=True)` builds a derivative to differentiate again (a
            # PINN's residual terms): its graph is kept on purpose, and the loop takes no step.
            self._backward(node.args[0].value, trains=not higher_order)

    def _kept_by_method(self, node: cst.Call, func: cst.Attribute) -> None:
        """`meter.update(loss)`: a method of a project class that keeps its argument in its
        object's state (`self.sum += val`) holds every iteration's graph if the argument has one
        (the method's summary, FileFacts.keeps, decides; its class may be in another file)."""
        ref = self.ctx.values.ref_of(func)
        if ref is None or ref[0] not in ("method", "typed"):
            return  # a method by its name alone (an untyped receiver) could be anybody's `update`
        root = _root(func.value)
        if root is None:
            return
        for position, arg in enumerate(node.args):
            if arg.keyword is not None or arg.star:
                break
            if type(arg.value) in (cst.Name, cst.Attribute, cst.Subscript, cst.Call, cst.BinaryOperation):
                event = self._event(node, "kept", root, arg.value, func)
                if event is not None:
                    event.keeps = ((ref, position),)

    def _history(self, node: cst.Call, target: cst.BaseExpression) -> None:
        """`self.loss_hist.append(loss)` in a method, outside its loops: every call adds to a list
        that outlives it (decided in _report_histories, once the file's reads are known)."""
        fn = self._functions[-1]
        if (fn.node is None or self.ctx.cell is not None or type(target) is not cst.Attribute
                or type(target.value) is not cst.Name or target.value.value != "self"):
            return
        params = fn.node.params.params
        if not params or params[0].name.value != "self":
            return
        condition = self._keep_condition("history", node.args[0].value)
        if condition is not False:
            fn.histories.append(_Event(node, "history", f"self.{target.attr.value}", node.args[0].value,
                                       condition, target))

    def _keep_condition(self, kind: str, value: cst.BaseExpression):
        """The grad mode an accumulation needs: enabled where it computes (`total += loss`). A
        store of a name computes nothing (`with torch.set_grad_enabled(flag): hist.append(loss)`):
        the value keeps whatever graph it was computed with (one computed under the switch has
        none: the value model says so), so a switch the code decides at run time is no reason to
        drop it."""
        condition = self.ctx.condition_for("enabled")
        if condition is False and kind in _STORING and type(value) is cst.Name \
                and self.ctx.grad_mode is Mode.UNKNOWN:
            return self.ctx.function_condition("enabled")
        return condition

    def _backward(self, expr: cst.BaseExpression, trains: bool = True) -> None:
        fn = self._functions[-1]
        fn.backward.append(expr)
        if type(expr) is cst.Name:
            fn.env.backward_names.add(expr.value)
        elif type(expr) in (cst.Subscript, cst.Attribute):
            base = expr.value
            while type(base) in (cst.Subscript, cst.Attribute):
                base = base.value
            if type(base) is cst.Name and base.value != "self":
                fn.part_backward.add(base.value)
        if self._loops and trains:
            self._loops[-1].training = True

    def _reset_per_item(self, event: "_Event", left: "_Loop") -> bool:
        """`for data, label in loader: avg = 0; for i in range(k): loss = f(models[i](data)) ...;
        avg += loss`: the accumulator is rebound in an enclosing loop whose targets feed what is
        accumulated (the data loop), so it holds one data item's graphs, a bounded number, not
        every item's. (An epoch loop that resets `total` does not feed the loss: that leaks.)"""
        env = _flow_env(self._functions[-1])
        for depth, loop in enumerate(self._loops):
            if event.root not in loop.assigned or event.root in loop.targets:
                continue
            # What the value reads, not through the items of the loops inside this one: a batch of
            # `for batch in make_loader(epoch)` is no more the epoch's item than any other batch.
            inner = frozenset(t for deeper in (*self._loops[depth + 1:], left) for t in deeper.targets)
            if not loop.targets.isdisjoint(flows_into(names_in(event.value), env, inner)):
                return True
        return False

    def _event(self, node, kind, root, value, target) -> Optional[_Event]:
        condition = self._keep_condition(kind, value)
        if condition is False:
            return None
        event = _Event(node, kind, root, value, condition, target)
        self._loops[-1].events.append(event)
        return event

    # -- reporting -------------------------------------------------------------------------
    def _report_histories(self, module: cst.Module) -> None:
        """A method that appends a graph-carrying value to an attribute of its object on every call
        (`self.loss_hist.append(loss)` in the step a training loop calls), where nothing in the file
        reads that attribute: each call's graph stays alive with the object. An attribute the file
        reads (a REINFORCE step's `torch.stack(self.log_probs).sum().backward()`, a reset loop) is left
        alone; what another file reads of it is not known here."""
        reads = _attribute_reads(module, {e.target.attr.value for e, _, _ in self._histories})
        for event, graph, fact in self._histories:
            if reads[event.target.attr.value]:
                continue
            shown = module.code_for_node(event.value)
            new = (shown if _atomic(event.value) else f"({shown})") + ".detach()"
            fix = None
            if _certainly_tensor(fact):
                fix = self.fix(UNSAFE, f"Append `{new}` (assumes nothing backpropagates through the kept "
                                       "values)").replace(event.value, new)
            assumed = _fix_assumptions(fact, fix)
            self.report(
                event.node,
                f"`{event.root}.append({shown})` keeps the autograd graph of every call alive, and nothing in "
                f"this file reads `{event.root}`; append {_instead(new, fix, assumed)}",
                fix=fix,
                condition=_condition(event, graph, assumed),
            )

    def _finish(self, fn: _Function) -> None:
        for event in fn.histories:
            # What is appended, by the value model: a value with a graph (or what project functions
            # return), not rebound to a plain value before the append, nor rebound to a fresh list
            # by the method itself (then it holds one call's values).
            env = _filled_env(fn)
            graph = _graph_of([event.value], env, self.ctx.values)
            if graph and not (type(event.value) is cst.Name and detached_somewhere(event.value.value, fn.env)) \
                    and not _rebinds_attribute(fn.node, event.target.attr.value):
                self._histories.append((event, graph, self.ctx.values.infer_fields(event.value, env)))
        if not fn.candidates:
            return
        feeding = flows_into((n for e in fn.backward for n in names_in(e)), _flow_env(fn))
        # A loop that builds a loss without stepping an optimizer (GradCache-style chunks, micro-
        # batches) and returns what it accumulated: the caller backpropagates it.
        returned = flows_into((n for e in fn.returns for n in names_in(e)), fn.env) if fn.returns else set()
        values = self.ctx.values
        module = self.ctx.module_node
        backpropagated = {n for e in fn.backward for n in names_in(e)}
        for event in fn.candidates:
            if event.root in feeding:
                continue  # accumulated on purpose, backpropagated later
            if event.micro and fn.updates and event.kind in ("aug", "self") and "." not in event.root \
                    and event.root in fn.env.values and any(n in backpropagated for n in names_in(event.value)):
                # `total += loss; loss.backward()` over one step's micro-batches, the optimizer
                # stepped after the loop: each backward frees its graph's tensors, and what stays
                # chained is a few graph nodes per micro-batch, bounded by the step.
                continue
            if event.trains:
                # A loop that trains only through calls: the accumulated value must be what such
                # a call returns (`loss = stepper.step(batch); total += loss`).
                refs = [values.ref_of(c.func) for c in _producing_calls(event.value, fn.env)]
                event.trains = tuple(dict.fromkeys(r for r in refs if r is not None and r in event.trains))
                if not event.trains:
                    continue
                # Calls of this file's own code that take no training step are dropped by
                # walker.finalize_condition before the finding costs a position.
            if not event.stepped and (event.root in returned or event.root.partition(".")[0] in returned):
                continue
            value = event.value
            if type(value) is cst.Name and detached_somewhere(value.value, fn.env):
                continue  # `x = x.detach()` on some path: the author handles the graph
            if event.kind == "self":
                parts = [p for p in _operands(value) if not _is_old_value(p, event.root)]
                graph = _graph_of(parts, fn.env, values)
                if not graph:
                    continue
                env = _env_at(fn, event, value, module, values, self.ctx.definitions_of)
                if env is not fn.env:
                    graph = _graph_of(parts, env, values)
                    if not graph:
                        continue  # every name it reads was rebound to a plain value before this point
                if event.rebound_in is not None and _reset_each_iteration(event):
                    continue
                self.report(
                    event.node,
                    f"`{event.root}` is updated with a tensor that keeps its autograd graph, so every "
                    f"iteration's graph stays in memory; use `.item()` or `.detach()` on the new term",
                    condition=_condition(event, graph),
                )
                continue
            container = False
            graph = _graph_of([value], fn.env, values)
            # `out = module.training_step(batch)`, `out["loss"].backward()`, `outs.append(out)`:
            # the container holds the backpropagated tensor (one binding: the same value), whatever
            # the call's summary says of the whole.
            holds_backward = (type(value) is cst.Name and value.value in fn.part_backward
                              and len(fn.env.values.get(value.value, ())) == 1)
            if not graph or holds_backward and graph is not True:
                if not holds_backward:
                    continue
                if _parts_detached(fn, value.value, values):
                    continue  # `out["loss"] = out["loss"].detach()` before it is stored
                container = True
            env = _env_at(fn, event, value, module, values, self.ctx.definitions_of)
            if env is not fn.env:
                if container:
                    continue
                graph = _graph_of([value], env, values)
                if not graph:
                    continue  # `loss = loss.detach().cpu().item()` before it: a plain value is accumulated
            if event.rebound_in is not None and _reset_each_iteration(event):
                continue
            target = module.code_for_node(event.target)
            shown = module.code_for_node(value)
            what = (_what(event.kind, target, shown) if event.kind not in ("kept", "inplace")
                    else f"`{module.code_for_node(event.node)}`")
            if container:
                self.report(
                    event.node,
                    f"{what} keeps the autograd graph of every iteration alive: `{shown}` holds the tensor "
                    f"that was backpropagated; store detached values (`.detach()`, `.item()`) instead",
                    condition=_condition(event, True),
                )
                continue
            scalar = (event.kind == "aug" and _known_scalar(value, fn.env)
                      and not _used_as_tensor(fn.node or module, event.root, self.ctx.aliases))
            suffix = ".item()" if scalar else ".detach()"
            new = (shown if _atomic(value) else f"({shown})") + suffix
            fix = None
            fact = values.infer_fields(value, env)
            if env.reaching is not None:
                # A fix asks more than a finding: a tensor on every path the names alone allow
                # (a rebound `stats` may still be a dict where the reads narrow it to a tensor).
                fact = fact | values.infer_fields(value, fn.env)
            if _certainly_tensor(fact):
                # `.item()` / `.detach()` exist on tensors only: a value that may also be a Python
                # number on some path (`term = 0 if skip else loss`) gets no fix, so the fixed code
                # never raises AttributeError where the original ran. What a project function
                # returns is settled by its summary (Condition.fix_tensors).
                fix = self.fix(UNSAFE, f"Accumulate `{new}` (assumes what is accumulated is only read, never "
                                       "backpropagated)").replace(value, new)
            verb = "pass" if event.kind == "kept" else "accumulate"
            assumed = _fix_assumptions(fact, fix)
            self.report(
                event.node,
                f"{what} keeps the autograd graph of every iteration alive; {verb} "
                f"{_instead(new, fix, assumed)}",
                fix=fix,
                condition=_condition(event, graph, assumed),
            )


def _rebinds_attribute(fn: cst.FunctionDef, attr: str) -> bool:
    """`self.<attr> = ...` somewhere in the function."""
    for node in walk_nodes(fn.body):
        if type(node) in (cst.Assign, cst.AnnAssign):
            targets = [t.target for t in node.targets] if type(node) is cst.Assign else [node.target]
            if any(type(t) is cst.Attribute and t.attr.value == attr and type(t.value) is cst.Name
                   and t.value.value == "self" for t in targets):
                return True
    return False


def _attribute_reads(module: cst.Module, attrs: set) -> dict:
    """How often each attribute name of ``attrs`` is read in the file (`x.<attr>` anywhere, of any
    object), apart from a bare assignment target (`self.hist = []`) and the receiver of an
    `.append(...)` call."""
    counts = dict.fromkeys(attrs, 0)
    skipped: set = set()
    for node in walk_nodes(module):
        if type(node) is cst.Assign:
            skipped.update(id(t.target) for t in node.targets)
        elif type(node) is cst.AnnAssign:
            skipped.add(id(node.target))
        elif type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "append":
            skipped.add(id(node.func.value))
        elif type(node) is cst.Attribute and node.attr.value in counts and id(node) not in skipped:
            counts[node.attr.value] += 1
    return counts


def _iterates_optimizers(iterable: cst.BaseExpression) -> bool:
    """`self.optimizers`, `enumerate(opts)`, `zip(optimizers, schedulers)`: a loop over the
    optimizers of one step. By name: what a list attribute holds is no fact the model has."""
    if type(iterable) is cst.Call and type(iterable.func) is cst.Name and iterable.func.value in ("enumerate", "zip") \
            and iterable.args:
        iterable = iterable.args[0].value
    name = iterable.value if type(iterable) is cst.Name else iterable.attr.value if type(iterable) is cst.Attribute else ""
    return bool(name) and bool(_OPTIMIZER.search(name))


# Accumulations that store the value itself (its graph, if any), computing nothing with it.
_STORING = frozenset({"append", "store", "kept", "history"})


def _filled_env(fn: _Function) -> Env:
    """The function's assignments with what it stores into its containers as their values too
    (`output["m"] = torch.mean(...)`; `mean_loss = output["m"]` holds that mean)."""
    return _with_values(fn.env, fn.fills)


def _flow_env(fn: _Function) -> Env:
    """The function's assignments with the in-place additions (`total += loss`) as flows too."""
    return _with_values(fn.env, fn.added)


def _with_values(env: Env, extra: dict) -> Env:
    """``env`` with more values for some names (``extra``: name -> values), or ``env`` itself."""
    if not extra:
        return env
    return env.derived(values={name: env.values.get(name, []) + extra.get(name, [])
                               for name in env.values.keys() | extra.keys()})


def _certainly_tensor(fact) -> bool:
    """Every way the value can be is a tensor (or what a project function returns: the finding
    stands only if that is a graph-carrying tensor)."""
    return bool(fact) and all(type(a) is tuple or a in (GRAPH, TENSOR) for a in fact)


def _what(kind: str, target: str, shown: str) -> str:
    if kind == "aug":
        return f"`{target} += {shown}`"
    if kind == "store":
        return f"`{target} = {shown}`"
    return f"`{target}.append({shown})`"


def _may_record(ctx) -> bool:
    """Whether autograd may record here: grad enabled, the callers' mode, or a mode an expression
    decides (`with torch.no_grad() if forward_only else nullcontext():` records when the loop
    trains), not one guessed from a context manager's name (`with evaluating(model):`)."""
    frame = ctx.frames[-1]
    mode = frame.mode
    return mode is Mode.ENABLED or mode is Mode.INHERIT or (
        mode is Mode.UNKNOWN and frame.origin != "function" and not frame.guessed)


def _graph_of(parts: list, env: Env, values):
    """Whether the values carry an autograd graph, from the value model: True, False, or the
    project calls whose summaries decide it (see ValueModel.graph). A field read of a value of
    unknown class is decided by the project's declarations of the field (`**out.metrics`, with
    `metrics: dict[str, float]` in a dataclass of another file)."""
    calls: set = set()
    for part in parts:
        graph = values.graph(part, env, fields=True)
        if graph is True:
            return True
        if graph:
            calls.update(graph)
    return tuple(sorted(calls, key=repr)) or False


def _fix_assumptions(fact, fix) -> tuple:
    """The call atoms a fix's "it is a tensor" rests on (Condition.fix_tensors), in a fixed order."""
    return tuple(sorted((a for a in fact if type(a) is tuple), key=repr)) if fix else ()


def _instead(new: str, fix, assumed: tuple) -> str:
    """What to keep instead: the fixed expression when the value is certainly a tensor (the fix
    rests on it, and on no project summary that may still drop it), else detached values in
    general (it may be a dict or a list of tensors, or a number on some path, where `.detach()`
    would raise)."""
    if fix is not None and not assumed:
        return f"`{new}` instead"
    return "detached values instead (`.detach()` or `.item()` on the tensors it holds)"


def _condition(event: "_Event", graph, fix_tensors: tuple = ()):
    """The finding's condition: the enclosing function's grad mode (event.condition), and, when
    the accumulated value is what project functions return, that one of them returns a graph
    (and, for the fix, that each of them returns only tensors)."""
    base = event.condition or None
    if graph is True:
        if not event.trains and not fix_tensors and not event.keeps:
            return base
        graph = ()
    demands = dict(returns=graph, trains=event.trains, fix_tensors=fix_tensors, keeps=event.keeps)
    return dataclasses.replace(base, **demands) if base else Condition("", "", **demands)


def _bound(target: cst.BaseExpression):
    if type(target) is cst.Name:
        yield target.value
    elif type(target) in (cst.Tuple, cst.List):
        for element in target.elements:
            yield from _bound(element.value)
    elif type(target) is cst.StarredElement:
        yield from _bound(target.value)


def _root(expr: cst.BaseExpression) -> Optional[str]:
    """The accumulator a target names: `total` for `total`, `d` for `d[k]`, `self.history`."""
    if type(expr) is cst.Name:
        return expr.value
    if type(expr) is cst.Subscript:
        return _root(expr.value)
    if type(expr) is cst.Attribute:
        return dotted(expr)
    return None


def _operands(expr: cst.BaseExpression) -> list:
    """The leaves of a chain of binary operations (`0.9 * avg + 0.1 * loss` -> 0.9, avg, 0.1, loss),
    through the elements of a tuple (`(avg[0] * 0.99 + loss, avg[1] * 0.99 + 1.0)`), and the values
    of a display that unpacks the old value (`{**P, epoch: p}`)."""
    if type(expr) is cst.BinaryOperation:
        return _operands(expr.left) + _operands(expr.right)
    if type(expr) is cst.Tuple:
        return [p for e in expr.elements for p in _operands(e.value)]
    if type(expr) in (cst.Dict, cst.List, cst.Set):
        # `P = {**P, **p_}`, `xs = [*xs, loss]`: the old value unpacked, and what is added.
        return [e.value for e in expr.elements]
    return [expr]


def _is_old_value(expr: cst.BaseExpression, name: str) -> bool:
    """`avg`, or an element of it (`avg[0]`, a running average kept in a tuple)."""
    if type(expr) is cst.Subscript:
        expr = expr.value
    return type(expr) is cst.Name and expr.value == name


def _refers_to(value: cst.BaseExpression, name: str) -> bool:
    """`avg = 0.9 * avg + ...`: the name is an operand of the binary-operation chain (or of one
    element of a tuple: `avg = (avg[0] * 0.99 + loss, avg[1] * 0.99 + 1.0)`), or unpacked into a new
    display (`P = {**P, **p_}`)."""
    if type(value) is cst.Tuple:
        return any(type(e.value) is cst.BinaryOperation and _refers_to(e.value, name) for e in value.elements)
    if type(value) in (cst.Dict, cst.List, cst.Set):
        # `P = {**P, **p_}`: a new display that unpacks the old one.
        return any(type(e) in (cst.StarredDictElement, cst.StarredElement) and _is_old_value(e.value, name)
                   for e in value.elements)
    if not type(value) is cst.BinaryOperation:
        return False
    return any(_is_old_value(p, name) for p in _operands(value))


def _atomic(expr: cst.BaseExpression) -> bool:
    return type(expr) in (cst.Name, cst.Attribute, cst.Call, cst.Subscript) and not expr.lpar


def _used_as_tensor(scope: cst.CSTNode, root: str, aliases) -> bool:
    """Whether the function reads the accumulator, or a name computed from it, as a tensor
    (`avg.item()`, `total.backward()`, `torch.stack(total)`), or hands it back (`return total / n`,
    `avg_loss = sum_loss / n; return avg_loss`: what its callers do with it, such as `.mean()`, is
    not this function's to see): then `.item()` would make those raise on a float; `.detach()` keeps
    it a tensor."""
    nodes = list(walk_nodes(scope))
    # The names computed from it too (`avg_loss = sum_loss / n; return avg_loss`: a caller's
    # `avg_loss.item()` raises on a float just the same), to a fixpoint.
    names = {root}
    grown = True
    while grown:
        grown = False
        for node in nodes:
            if type(node) is cst.Assign and len(node.targets) == 1 and type(node.targets[0].target) is cst.Name \
                    and node.targets[0].target.value not in names and any(
                        type(n) is cst.Name and n.value in names for n in walk_nodes(node.value)):
                names.add(node.targets[0].target.value)
                grown = True
    for node in nodes:
        if type(node) in (cst.Return, cst.Yield) and node.value is not None and any(
                type(n) is cst.Name and n.value in names for n in walk_nodes(node.value)):
            return True
        if type(node) is cst.Attribute and type(node.value) is cst.Name and node.value.value in names:
            return True
        if type(node) is cst.Call and any(type(a.value) is cst.Name and a.value.value in names for a in node.args):
            qualified = aliases.resolve(node.func)
            if qualified is not None and qualified.startswith("torch."):
                return True
    return False


def _known_scalar(value: cst.BaseExpression, env: Env) -> bool:
    """A value the code itself shows to be a scalar, so `.item()` works on it: a name whose
    `.backward()` is called without a gradient (which raises on anything but a scalar). A name
    alone says nothing: `losses` may be a per-sample loss, on which `.item()` raises."""
    return any(name in env.backward_names for name in _leading_names(value))


def _leading_names(expr: cst.BaseExpression):
    if type(expr) is cst.Name:
        yield expr.value
    elif type(expr) is cst.Attribute:
        yield expr.attr.value
        yield from _leading_names(expr.value)
    elif type(expr) is cst.BinaryOperation:
        yield from _leading_names(expr.left)
        yield from _leading_names(expr.right)


def _producing_calls(value: cst.BaseExpression, env: Env, limit: int = 3) -> list:
    """The calls whose results an expression is made of, through the names it reads
    (`total += loss` with `loss = stepper.step(batch)`, `out[0]`, `out.loss`, sums of them)."""
    calls, seen, stack = [], set(), [(value, 0)]
    while stack:
        expr, depth = stack.pop()
        while type(expr) in (cst.Subscript, cst.Attribute):
            expr = expr.value
        t = type(expr)
        if t is cst.Call:
            calls.append(expr)
        elif t is cst.Name and depth < limit and expr.value not in seen:
            seen.add(expr.value)
            stack.extend((v, depth + 1) for v in env.values.get(expr.value, ()) if v is not None)
        elif t is cst.BinaryOperation:
            stack.extend(((expr.left, depth), (expr.right, depth)))
    return calls


def _parts_detached(fn: _Function, root: str, values) -> bool:
    """Whether every backpropagated part of ``root`` (`out["loss"]` of `out["loss"].backward()`) is
    also replaced in the function by a value without a graph (`out["loss"] = out["loss"].detach()`)."""
    parts = [e for e in fn.backward if type(e) in (cst.Subscript, cst.Attribute) and _root(e) == root]
    if parts and any(_every_key(fn, target, root) and not values.graph(value, fn.env) for target, value in fn.part_stores):
        return True  # `for k, v in out.items(): out[k] = v.detach() if isinstance(v, Tensor) else v`
    return bool(parts) and all(
        any(target.deep_equals(part) and not values.graph(value, fn.env) for target, value in fn.part_stores)
        for part in parts)


def _every_key(fn: _Function, target, root: str) -> bool:
    """`out[k]` where `k` runs over the keys of `out` itself: a store into every part of it."""
    if type(target) is not cst.Subscript or dotted(target.value) != root or len(target.slice) != 1:
        return False
    index = target.slice[0].slice
    return type(index) is cst.Index and type(index.value) is cst.Name and fn.key_loops.get(index.value.value) == root


def _keys_of(node: cst.For) -> Optional[tuple]:
    """(key name, container) of `for k, v in d.items():` / `for k in d.keys():` / `for k in d:`."""
    it, target = node.iter, node.target
    if type(it) is cst.Call and type(it.func) is cst.Attribute and not it.args and it.func.attr.value in ("items", "keys"):
        container = dotted(it.func.value)
        if it.func.attr.value == "items":
            if type(target) not in (cst.Tuple, cst.List) or len(target.elements) != 2:
                return None
            target = target.elements[0].value
    else:
        container = dotted(it)
    if container is None or type(target) is not cst.Name:
        return None
    return target.value, container


# Facts of a value that is no tensor: a Python (or numpy) number, an object.
_NOT_TENSOR = frozenset({NUMBER, OBJECT})


def _env_at(fn: _Function, event: _Event, value: cst.BaseExpression, module: cst.Module, values,
            definitions_of) -> Env:
    """``fn.env`` as seen at the accumulation: the names of ``value`` that certainly hold a
    plain value there (see :func:`plain_names_at`) have no history."""
    names = set(names_in(value))
    if not names:
        return fn.env

    def plain(bound) -> bool:
        # A conversion, or a value the model shows to be no tensor at all (`np.mean(floats)`).
        return is_conversion(bound) or (bound is not None and values.infer(bound, fn.env) <= _NOT_TENSOR)

    converted = plain_names_at(fn.node if fn.node is not None else module, event.node, plain) & names
    narrowed = _reaching_values(fn, value, module, definitions_of)
    if not converted and not narrowed:
        return fn.env
    env = Env()
    env.values = dict(fn.env.values)
    if narrowed:
        # Each read of a name (here and in what it was computed from) sees what reaches it.
        env.reaching = fn.reaching
    for name in converted:
        env.values[name] = []
    env.backward_names = fn.env.backward_names - converted - {
        n for n, kept in narrowed.items() if not _backward_reaches(fn, n, kept)}
    return env


def _reaching_values(fn: _Function, value: cst.BaseExpression, module: cst.Module, definitions_of) -> dict:
    """Name -> the values it may hold where ``value`` reads it, for the names whose reaching
    assignments (reaching.ReachingDefinitions) are fewer than all of them: `loss.backward(); ...;
    loss = float(loss)` then `history.append(loss)` reads the float, not the backpropagated loss."""
    reaching = fn.reaching
    if reaching is None:
        body = fn.node if fn.node is not None else module
        reaching = fn.reaching = definitions_of(body) if definitions_of is not None else ReachingDefinitions(body)
    if not reaching.supported:
        return {}
    out: dict = {}
    # Through what the read names were computed from too: `loss1, loss2 = self.score(x)` (floats)
    # after `loss1 = mse(...)`, then `val = loss1 * 0.7 + loss2 * 0.3; vals.append(val)` reads the
    # floats. (Bounded: a long chain of rebindings is followed a few hundred reads deep.)
    stack, seen = [value], set()
    while stack and len(seen) < 400:
        expr = stack.pop()
        if id(expr) in seen:
            continue
        seen.add(id(expr))
        for node in walk_nodes(expr):
            if type(node) is not cst.Name or id(node) not in reaching.reads:
                continue
            bound = fn.env.values.get(node.value)
            if bound:
                kept = reaching.narrow(node, bound)
                if len(kept) < len(bound):
                    # (The read nearest the accumulation says what it holds: a deeper read of the
                    # same name is what that value was computed from, `loss = float(loss)`.)
                    out.setdefault(node.value, kept)
                stack.extend(v for v in kept if v is not None)
    return out


def _backward_reaches(fn: _Function, name: str, kept: list) -> bool:
    """Whether the value a backward pass read under ``name`` is among ``kept`` (what the
    accumulation reads): the backpropagated loss itself, not a float made from it later."""
    reaching = fn.reaching
    kept_statements = {reaching.binding_statement(v) for v in kept}
    for expr in fn.backward:
        for node in walk_nodes(expr):
            if type(node) is cst.Name and node.value == name:
                defs = reaching.reads.get(id(node), ALL)
                if defs is ALL or any(d[1] in kept_statements for d in defs):
                    return True
    return False


def _optimizer_step(base: cst.BaseExpression) -> bool:
    """`opt.step()`, `self.optimizer.step()`, `scaler.step(opt)`: a receiver named like an optimizer."""
    name = base.value if type(base) is cst.Name else base.attr.value if type(base) is cst.Attribute else ""
    return bool(_OPTIMIZER.search(name))


def _reset_each_iteration(event: _Event) -> bool:
    """Whether the accumulator, (re)bound somewhere in the training loop, is reset on every
    iteration that reaches the accumulation: bound by a statement of the loop body or of a block
    enclosing the accumulation (`loss = 0` then `loss += term` per head), or rebound anywhere to
    its own value without history (`total = total.detach()`: the author cuts the graph). A reset inside
    a branch of its own (`if i % 2000 == 1999: running_loss = 0.0`) leaves the graphs of every
    iteration in between chained together."""
    loop = event.rebound_in
    path = path_to(loop, event.node)
    if path is None:
        return True
    root = event.root
    on_path = {id(n) for n in path}
    for node in path:
        if type(node) is cst.For and id(node.body) in on_path and _binds(node.target, root):
            return True
        if type(node) in (cst.IndentedBlock, cst.SimpleStatementSuite) and _block_resets(node.body, root, event.node):
            return True
    for node in walk_nodes(loop.body):
        if (type(node) is cst.Assign and any(_binds(t.target, root) for t in node.targets)
                and _reads(node.value, root) and is_conversion(node.value)):
            return True
    return False


def _block_resets(statements, root: str, own: cst.CSTNode) -> bool:
    """A statement of the block (or of a `with` / `try` body in it) binds ``root`` afresh."""
    for statement in statements:
        if type(statement) is cst.SimpleStatementLine:
            if _block_resets(statement.body, root, own):
                return True
        elif type(statement) is cst.Assign:
            if statement is not own and any(_binds(t.target, root) for t in statement.targets) and not _reads(
                    statement.value, root):
                return True
        elif type(statement) is cst.AnnAssign:
            if statement.value is not None and _binds(statement.target, root) and not _reads(statement.value, root):
                return True
        elif type(statement) in (cst.With, cst.Try, cst.TryStar):
            if _block_resets(statement.body.body, root, own):
                return True
    return False


def _binds(target: cst.BaseExpression, root: str) -> bool:
    if type(target) is cst.Name:
        return target.value == root
    if type(target) in (cst.Tuple, cst.List):
        return any(_binds(e.value, root) for e in target.elements)
    if type(target) is cst.StarredElement:
        return _binds(target.value, root)
    if type(target) is cst.Attribute:
        return dotted(target) == root
    return False


def _reads(value: cst.BaseExpression, root: str) -> bool:
    """`total = total + loss` reads the accumulator: an update, not a reset."""
    if "." not in root:
        return any(name == root for name in names_in(value))
    return any(type(node) is cst.Attribute and dotted(node) == root for node in walk_nodes(value))


def _constant_key(target: cst.Subscript) -> bool:
    """`loss_dict["d"] = d_loss`: the same slot every iteration, overwritten by the next one (only
    the latest graph stays, as it does in the local it came from), unlike `losses[i] = loss` (and
    unlike `totals["loss"] = totals["loss"] + loss`, which reads the slot: the caller checks)."""
    if len(target.slice) != 1 or type(target.slice[0].slice) is not cst.Index:
        return False
    key = target.slice[0].slice.value
    if type(key) is cst.UnaryOperation and type(key.operator) is cst.Minus:
        key = key.expression
    return type(key) in (cst.SimpleString, cst.Integer, cst.ConcatenatedString)
