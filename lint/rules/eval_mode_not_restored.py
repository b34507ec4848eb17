"""NG012 eval-mode-not-restored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import libcst as cst

from ..analysis.modes import ENCLOSING, HelperModes, final_modes, helper_modes, mode_switches, switch_mode
from ..analysis.iterations import last_iteration_only
from ..analysis.names import dotted, positional_names
from ..analysis.torch_api import NN_MODULE_METHODS
from ..analysis.network_names import names_network
from ..analysis.patterns import bound_names, grad_use, model_receiver, related
from ..analysis.walker import walk_nodes
from .base import Rule, RuleDocs


@dataclass(eq=False)
class _Function:
    """What a function of this file does to the train/eval mode of its parameters and of self."""

    node: cst.FunctionDef
    params: tuple  # positional parameter names, `self` / `cls` excluded for methods
    is_method: bool
    state: dict = field(default_factory=dict)  # dotted target -> "eval" / "train" (the last switch)
    used: set = field(default_factory=set)  # models this function runs with grad on
    trains: bool = False  # runs a backward pass / an optimizer step
    # Targets put in eval mode before the function's first gradient use: a step that trains in
    # eval mode on purpose (a discriminator step that freezes the generator's batch norm).
    eval_first: set = field(default_factory=set)
    # `model = context.model`: a name bound once, to an attribute path (None: bound more than once).
    aliases: dict = field(default_factory=dict)
    # Defined inside another function: the names it does not bind are its enclosing scopes', which
    # its callers there name the same way (`def _eval_epoch(): model.eval()` inside `main(model)`).
    nested: bool = False
    # Methods of its class it calls on `self` with grad on, anywhere in its body: through them it
    # trains, or runs parts of `self`, as they do (_close_methods: `trains_through`, `used_through`).
    methods: set = field(default_factory=set)
    trains_through: bool = False
    used_through: set = field(default_factory=set)


@dataclass(eq=False)
class _Loop:
    node: cst.CSTNode
    aliases: dict = field(default_factory=dict)  # its function's (_Function.aliases)
    backward: bool = False
    trained: set = field(default_factory=set)  # targets of `.train()` in the loop
    used: set = field(default_factory=set)  # models called in the loop
    armed: frozenset = frozenset()  # targets put in train mode (last switch) before the loop began
    forwards: list = field(default_factory=list)  # (kind, data) of this file's helpers called with grad on
    # (call, target, number of `forwards` before it): `model.eval()` before any backward of the loop
    # itself but after a helper call - it counts if that helper is a training step
    early: list = field(default_factory=list)
    # (call, kind, data): kind "direct" (data: target), "call" (data: (name, args, keywords)),
    # "method" (data: method name)
    switches: list = field(default_factory=list)
    # len(switches) at the loop's first backward: a helper called before that point restores the
    # mode for the next iteration's training (the top of the loop body).
    trains_from: Optional[int] = None
    sinks: list = field(default_factory=list)  # the loop's gradient uses (`loss.backward()`)
    # Helper calls that may switch to eval mode, made before the loop's first backward.
    early_calls: list = field(default_factory=list)
    # id() of those whose result reaches the loop's backward: the helper runs the training
    # forward itself, in eval mode on purpose (`loss = self.adapt_loss(x); loss.backward()`).
    feeding: frozenset = frozenset()
    outer: Optional["_Loop"] = None  # the loop holding this one, in the same function
    depth: int = 0  # len(ctx.branches) when the loop opened
    # id() of switches made on the loop's last iteration only (`if i == len(loader):`)
    last_only: set = field(default_factory=set)
    # id() of switches whose `if` block then leaves the loop (`generate_example(...); break`), or
    # the function (`return`, `raise`): no training of this loop follows them.
    exits: dict = field(default_factory=dict)


class EvalModeNotRestored(Rule):
    code = "NG012"
    name = "eval-mode-not-restored"
    message = "the training loop leaves the model in eval mode; call `.train()` again in the loop"
    triggers = (r"\.eval\(",)
    docs = RuleDocs(
        what=(
            "Checks for training loops (loops that call `.backward()` or step an optimizer, directly or "
            "through a function or method of the same file such as `self._train_step(batch)`) that put the "
            "model they train into eval mode, directly (`model.eval()`) or by calling a function or method "
            "of the same file that calls `.eval()` on it without switching it back (on what the call passes it "
            "too: `self.validate(task_model, loader)`; also on a local bound "
            "once to it, `model = self.model; model.eval()`; itself or through the "
            "helpers it calls, such as `set_mode('eval', [encoder, head])`, which switches each model of "
            "the list when its string test passes; a function nested in another switches, by name, the "
            "models of the function that encloses it: `def _eval_epoch(): model.eval()` inside "
            "`main(model)`), and never call "
            "`.train()` on that model in the loop afterwards or at the top of the loop body (a helper the loop "
            "calls may do it, also through a method of the model's class of the file: `model.train_head()` "
            "putting `self.head` back in training mode sets the modes part by part, as the author means them; "
            "helpers on every side of an `if` count, `if warm: warm_up(net) else: train(net)` with both calling "
            "`net.train()`, not one under an `if` without an `else`). "
            "A switch made on "
            "the loop's last iteration only (`if i == len(loader):` in `for i, batch in enumerate(loader, 1)`, "
            "or the `else` of `if i != n_batches - 1:`) leaves no batch of that pass to train in eval mode: it "
            "is not reported when a loop around it calls `.train()` again (the epoch loop, at its top). The model "
            "trained is one the loop runs with grad on, itself or through such a helper "
            "(`loss = self._forward_pass(batch)`), or the one put in train mode right before the loop. "
            "`self.eval()` in a class with no base but `object` is that class's own method (an agent's "
            "evaluation routine), not `nn.Module.eval()`, and is not reported. A file that never updates "
            "parameters (no optimizer `.step()`, no in-place update from `.grad`) does not train: its "
            "backward passes compute gradients for something else (sensitivity scores, saliency), and "
            "eval mode there is not reported. Nor is a step that sets eval mode for itself: a helper that "
            "puts the model in eval mode before its own update (a discriminator step that freezes the "
            "encoder's dropout and batch norm), or a switch whose `if` block then leaves the loop with `break` (a "
            "loop no other loop holds) or the function with `return` / `raise` (a sample shown before "
            "stopping), or one called before the loop's backward whose result the "
            "loop backpropagates (`loss = self.adaptation_loss(x)`: the training forward runs in eval mode "
            "on purpose), unless the helper runs the model first and switches it afterwards (`loss = ce(self.model(x), y); "
            "self.log_embeddings(x)` where that helper calls `self.model.eval()`: the next iteration's training "
            "forward runs in eval mode). Clearing gradients (`opt.zero_grad()`) is not training."
        ),
        why=(
            "`model.eval()` switches dropout off and makes batch norm use its running statistics. After the "
            "first validation pass, every later iteration trains in eval mode: no dropout regularisation, "
            "batch norm statistics frozen. Nothing fails; the model just trains worse, and the difference "
            "is easy to miss."
        ),
        example=(
            "model.train()\n"
            "for epoch in range(epochs):\n"
            "    for x, y in train_loader:\n"
            "        loss = criterion(model(x), y)\n"
            "        optimizer.zero_grad()\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
            "    validate(model, val_loader)  # calls model.eval()\n"
        ),
        use_instead=(
            "for epoch in range(epochs):\n"
            "    model.train()\n"
            "    for x, y in train_loader:\n"
            "        loss = criterion(model(x), y)\n"
            "        optimizer.zero_grad()\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
            "    validate(model, val_loader)\n"
        ),
    )

    VALID = (
        # Nothing updates parameters: backward computes input gradients (sensitivity scores).
        "import torch\ndef sensitivities(blocks, inputs, g):\n    scores = []\n    for block, x in zip(blocks, inputs):\n"
        "        x = x.detach().requires_grad_(True)\n        block.eval()\n"
        "        torch.autograd.backward(block(x), grad_tensors=g)\n        g = x.grad\n"
        "        scores.append(g.abs().mean().item())\n    return scores\n",
        # the model's own method puts the trained head back in training mode (the frozen encoder
        # stays in eval mode on purpose) at the top of every epoch
        "import torch\nfrom torch import nn\nclass Clf(nn.Module):\n    def train_head(self):\n        self.head.train()\n\n"
        "def validate(model, xs):\n    model.eval()\n    with torch.no_grad():\n        return [model(x) for x in xs]\n\n"
        "def train_epoch(model, loader, opt):\n    model.train_head()\n    for x in loader:\n"
        "        model(x).sum().backward()\n        opt.step()\n\n"
        "def fit(model, loader, xs, opt):\n    for epoch in range(3):\n        train_epoch(model, loader, opt)\n"
        "        validate(model, xs)\n",
        # a plain object's own `eval()` routine, not nn.Module.eval()
        "import torch\nclass Agent:\n    def eval(self):\n        return 0.0\n\n    def learn(self, opt, xs):\n"
        "        for x in xs:\n            self.net(x).sum().backward()\n            opt.step()\n            self.eval()\n",
        "import torch\ndef validate(model, loader):\n    model.eval()\n    with torch.no_grad():\n"
        "        return sum(model(x).sum().item() for x in loader)\n\n"
        "def fit(model, train_loader, val_loader, opt):\n    for epoch in range(10):\n        model.train()\n"
        "        for x, y in train_loader:\n            opt.zero_grad()\n            model(x).sum().backward()\n"
        "            opt.step()\n        validate(model, val_loader)\n",
        # eval mode on purpose for the whole step (frozen batch-norm statistics)
        "import torch\ndef finetune(model, loader, opt):\n    for x, y in loader:\n        model.eval()\n"
        "        loss = model(x).sum()\n        loss.backward()\n        opt.step()\n",
        # the evaluation function restores train mode itself
        "import torch\ndef validate(model, loader):\n    model.eval()\n    with torch.no_grad():\n"
        "        loss = sum(model(x).sum().item() for x in loader)\n    model.train()\n    return loss\n\n"
        "def fit(model, loader, opt):\n    model.train()\n    for step, (x, y) in enumerate(loader):\n"
        "        model(x).sum().backward()\n        opt.step()\n        if step % 100 == 0:\n            validate(model, loader)\n",
        # a helper of the file switches back to train mode in the loop
        "import torch\ndef validate(model, batch):\n    model.eval()\n    with torch.no_grad():\n        return model(batch)\n\n"
        "def set_training(model):\n    model.train()\n\n"
        "def fit(model, loader, opt):\n    for step, x in enumerate(loader):\n        set_training(model)\n"
        "        model(x).sum().backward()\n        opt.step()\n        if step % 100 == 0:\n            validate(model, x)\n",
        # .train() right after the evaluation
        "import torch\ndef fit(model, loader, val_loader, opt):\n    model.train()\n    for step, (x, y) in enumerate(loader):\n"
        "        model(x).sum().backward()\n        opt.step()\n        if step % 100 == 0:\n            model.eval()\n"
        "            with torch.no_grad():\n                model(val_loader.x)\n            model.train()\n",
        # a frozen teacher in eval mode is not the model being trained
        "import torch\ndef distill(student, teacher, loader, opt):\n    student.train()\n    for x, _ in loader:\n"
        "        teacher.eval()\n        with torch.no_grad():\n            t = teacher(x)\n"
        "        loss = (student(x) - t).pow(2).mean()\n        loss.backward()\n        opt.step()\n",
        # the step helper trains the student; the model put in eval mode is the frozen teacher
        "import torch\ndef step(student, teacher, x, opt):\n    with torch.no_grad():\n        t = teacher(x)\n"
        "    (student(x) - t).pow(2).mean().backward()\n    opt.step()\n\n"
        "def distill(student, teacher, loader, opt):\n    student.train()\n    for x in loader:\n"
        "        step(student, teacher, x, opt)\n        teacher.eval()\n",
    )
    INVALID = (
        "import torch\ndef validate(model, loader):\n    model.eval()\n    with torch.no_grad():\n"
        "        return sum(model(x).sum().item() for x in loader)\n\n"
        "def fit(model, train_loader, val_loader, opt):\n    model.train()\n    for epoch in range(10):\n"
        "        for x, y in train_loader:\n            opt.zero_grad()\n            model(x).sum().backward()\n"
        "            opt.step()\n        validate(model, val_loader)\n",
        "import torch\nclass Trainer:\n    def evaluate(self):\n        self.model.eval()\n        with torch.no_grad():\n"
        "            return [self.model(x) for x in self.val_loader]\n\n    def fit(self):\n        self.model.train()\n"
        "        for step, (x, y) in enumerate(self.loader):\n            self.model(x).sum().backward()\n"
        "            self.opt.step()\n            if step % 500 == 0:\n                self.evaluate()\n",
        # the forward pass runs in a helper; the model was put in train mode before the loop
        "import torch\nclass Trainer:\n    def validate(self):\n        self.model.eval()\n        with torch.no_grad():\n"
        "            return [self.model(x) for x in self.val_loader]\n\n    def fit(self):\n        self.model.train()\n"
        "        for step, batch in enumerate(self.loader):\n            loss = self._forward_pass(batch)\n"
        "            loss.backward()\n            self.opt.step()\n            if step % 100 == 0:\n"
        "                self.validate()\n",
        # the backward pass runs in a training-step helper of the file
        "import torch\ndef train_step(model, batch, opt):\n    model(batch).sum().backward()\n    opt.step()\n\n"
        "def fit(model, loader, val_x, opt):\n    for epoch in range(10):\n        for batch in loader:\n"
        "            train_step(model, batch, opt)\n        model.eval()\n        with torch.no_grad():\n"
        "            print(model(val_x).mean())\n",
        "import torch\nmodel.train()\nfor epoch in range(3):\n    for x, y in loader:\n        loss = model(x).sum()\n"
        "        loss.backward()\n        opt.step()\n    model.eval()\n    with torch.no_grad():\n"
        "        acc = model(val_x).argmax(1).eq(val_y).float().mean()\n",
        # a helper that switches a list of models by a string, called by the evaluation helper
        "import torch\ndef set_mode(mode, models):\n    for m in models:\n        if mode == 'eval':\n"
        "            m.eval()\n        else:\n            m.train()\n\n"
        "def check(g, d, x):\n    set_mode('eval', [g, d])\n    with torch.no_grad():\n        return d(g(x))\n\n"
        "def fit(g, d, loader, opt):\n    set_mode('train', [g, d])\n    for step, x in enumerate(loader):\n"
        "        d(g(x)).mean().backward()\n        opt.step()\n        if step % 100 == 0:\n            check(g, d, x)\n",
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._functions: list[_Function] = []  # open functions, innermost last
        self._defs: dict = {}  # name -> _Function (plain functions); ("method", name) -> methods
        self._loops: list[list[_Loop]] = [[]]  # open loops per function scope
        self._candidates: list[_Loop] = []
        self._module_state: dict = {}  # module-level switches, as _Function.state
        self._module_names: set = set()  # names bound at module level (a script's `model`)
        self._eval_depth: dict = {}  # target -> len(ctx.branches) at its last switch
        self._training_flags: set = set()  # names bound to a model's `.training`
        self._modes: dict = {}  # id(FunctionDef) -> its HelperModes (analysis.modes), once per helper
        # id(call) -> the `if` parts opened inside its loop around a switching call ((id(If), side), ...)
        self._first_methods: dict = {}  # method name -> its first definition in the file
        self._paths: dict = {}  # (id(loop), id(call)) -> the `if` path of the call inside that loop
        self._after_loops: list = []  # loops whose `else:` clause is being walked
        # The file updates parameters somewhere: some `.step(...)`, or an in-place update from `.grad`.
        self._updates = False

    # -- functions -------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        fn = self.ctx.function
        is_method = fn is not None and fn.klass is not None
        names = positional_names(node)
        if is_method and names and names[0] in ("self", "cls"):
            names = names[1:]
        info = _Function(node, tuple(names), is_method, nested=bool(self._functions) and not is_method)
        self._functions.append(info)
        self._defs[("method", node.name.value) if is_method else node.name.value] = info
        if is_method:
            self._first_methods.setdefault(node.name.value, info)  # (what `super().m()` of a later override runs)
        self._loops.append([])

    def _one_branch(self, since: int) -> bool:
        """Whether a `.train()` here runs on some paths only: inside an `if` opened after the
        `.eval()` it would undo (`if x.shape[-1] < limit: ...; model.train()`), unless the test is
        the model's saved mode (`if was_training: model.train()` restores what training had)."""
        flags = self._training_flags
        for branch in self.ctx.branches[since:]:
            test = branch.test
            if not any(type(n) is cst.Attribute and n.attr.value == "training" or type(n) is cst.Name and n.value in flags
                       for n in walk_nodes(test)):
                return True
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        if type(node.value) is cst.Attribute and node.value.attr.value == "training":
            # `was_training = model.training`: a test of it restores the caller's mode.
            self._training_flags.update(t.target.value for t in node.targets if type(t.target) is cst.Name)
        if not self._functions:
            self._module_names.update(t.target.value for t in node.targets if type(t.target) is cst.Name)
            return
        aliases = self._functions[-1].aliases
        path = dotted(node.value) if type(node.value) is cst.Attribute else None
        for t in node.targets:
            names: set = set()
            bound_names(t.target, names)
            for name in names:
                # `model = context.model` trains what a helper handed `context` puts in eval mode.
                aliases[name] = path if name not in aliases and len(node.targets) == 1 \
                    and type(t.target) is cst.Name else None

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.pop()
        self._loops.pop()

    # -- loops -----------------------------------------------------------------------------
    def _open(self, node) -> None:
        state = self._functions[-1].state if self._functions else self._module_state
        armed = frozenset(target for target, mode in state.items() if mode == "train")
        loops = self._loops[-1]
        self._loops[-1].append(_Loop(node, self._functions[-1].aliases if self._functions else {}, armed=armed,
                                     outer=loops[-1] if loops else None, depth=len(self.ctx.branches)))

    visit_For = _open
    visit_While = _open

    def _close(self, node) -> None:
        loops = self._loops[-1]
        if loops and loops[-1].node is node:
            loop = loops.pop()
            if (loop.backward or loop.forwards) and (loop.switches or loop.early):
                if loop.early_calls and loop.sinks:
                    loop.feeding = frozenset(id(c) for c in loop.early_calls
                                             if self.ctx.graph_escapes(None, {id(c)}, loop.sinks))
                self._candidates.append(loop)

    leave_For = _close
    leave_While = _close

    def visit_Else(self, node: cst.Else) -> None:
        # A loop's `else:` runs once, after its last pass: not in the loop (an evaluation there is
        # judged by the loops around it). The loop is set aside until the clause ends.
        loops = self._loops[-1] if self._loops else []
        if loops and getattr(loops[-1].node, "orelse", None) is node:
            self._after_loops.append(loops.pop())

    def leave_Else(self, node: cst.Else) -> None:
        if self._after_loops and getattr(self._after_loops[-1].node, "orelse", None) is node:
            self._loops[-1].append(self._after_loops.pop())

    # -- calls -----------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        loops = self._loops[-1]
        if not self._updates and type(func) is cst.Attribute and _updates_parameters(node):
            self._updates = True
        if type(func) is cst.Attribute:
            attr = func.attr.value
            if attr in ("eval", "train"):
                target = dotted(func.value)
                if target == "self" and _own_mode_method(self.ctx.klass):
                    return  # `self.eval()` of a class that is no nn.Module: its own method
                mode = switch_mode(attr, node)
                if target is not None and mode is not None:
                    if mode == "eval" and self._functions and not self._functions[-1].trains:
                        self._functions[-1].eval_first.add(target)
                    state = self._functions[-1].state if self._functions else self._module_state
                    if not (mode == "train" and state.get(target) == "eval"
                            and self._one_branch(self._eval_depth.get(target, 0))):
                        state[target] = mode
                        self._eval_depth[target] = len(self.ctx.branches)
                    for loop in loops:
                        if mode == "train":
                            loop.trained.add(target)
                    if mode == "eval":
                        self._note_last_iteration(loops, node)
                        # Only after the loop's backward: `model.eval()` at the top of a training
                        # step (frozen batch norm, RL rollouts) is deliberate.
                        for loop in loops:
                            if loop.backward:
                                loop.switches.append((node, "direct", target))
                                self._paths[(id(loop), id(node))] = self._branch_path(loop)
                            elif loop.forwards:
                                loop.early.append((node, target, len(loop.forwards)))
                return
        function = self._functions[-1] if self._functions else None
        if not loops and function is None:
            return
        if (loops or not function.trains) and grad_use(node, self.ctx.aliases) and not (
                type(func) is cst.Attribute and func.attr.value == "zero_grad"):  # clearing gradients trains nothing
            for loop in loops:
                loop.backward = True
                loop.sinks.append(node)
                if loop.trains_from is None:
                    loop.trains_from = len(loop.switches)
            if function is not None:
                function.trains = True
            return
        name = dotted(func)
        if name is None:
            return
        enabled = not self.ctx.grad_mode.disabled
        if enabled and function is not None and function.is_method and name.startswith("self.") \
                and name.count(".") == 1:
            function.methods.add(name[5:])
        if enabled:
            # A model run with grad on is a model being trained (not a teacher under no_grad).
            receiver = model_receiver(func)
            # A forward pass: `model(x)`, `self.net(x)`, `model.forward(x)`, `self(x)` - not a
            # method call such as `swa_model.update_parameters(model)`.
            if receiver is not None and (
                "." not in name or receiver != name or names_network(receiver)
            ):
                for loop in loops:
                    loop.used.add(receiver)
                if function is not None:
                    function.used.add(receiver)
        if not loops:
            return
        # Calls that may switch a model to eval mode: `evaluate(model, ...)`, `self.validate()`.
        ref = _helper_ref(node, name)
        switch = (node, *ref) if ref is not None else None
        if switch is not None:
            self._note_last_iteration(loops, node)
            for loop in loops:
                loop.switches.append(switch)
                self._paths[(id(loop), id(node))] = self._branch_path(loop)
                if not loop.backward:
                    loop.early_calls.append(node)
                if enabled:
                    loop.forwards.append(switch[1:])

    def _branch_path(self, loop: _Loop) -> tuple:
        return tuple((id(b.node), b.other) for b in self.ctx.branches[loop.depth:])

    def _note_last_iteration(self, loops: list, call: cst.Call) -> None:
        """A switch made on the innermost loop's last iteration only (`if i == len(loader):
        self._validate()`): no batch of that pass trains after it."""
        if loops:
            loop = loops[-1]
            # (Any `if` part around it in the loop that ends so: its last statement runs after it.)
            for branch in reversed(self.ctx.branches[loop.depth:]):
                exit_kind = _block_exit(branch)
                if exit_kind is not None:
                    loop.exits[id(call)] = exit_kind
                    break
            if last_iteration_only(loop.node, self.ctx.branches[loop.depth:], self.ctx.env_now()):
                loop.last_only.add(id(call))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if not self._updates and _updates_parameters(node):
            self._updates = True

    # -- decide ----------------------------------------------------------------------------
    def leave_Module(self, node: cst.Module) -> None:
        done: set = set()  # each call is judged by the innermost training loop holding it
        if self._candidates and not self._updates:
            # Backward passes in a file that never updates parameters compute gradients for
            # something else (sensitivity scores, saliency, input gradients): no training to spoil.
            return
        if self._candidates:
            self._close_methods()
        for loop in self._candidates:  # inner loops close (and are listed) first
            switches = loop.switches
            if not loop.backward:
                # The loop's backward pass runs in a helper: `train_step(model, batch, opt)`.
                steps = [i for i, (kind, data) in enumerate(loop.forwards) if self._helper_trains(kind, data)]
                if not steps:
                    continue
                switches = [s for s in switches if s[1] != "direct"] + [
                    (call, "direct", target) for call, target, before in loop.early if before > steps[0]
                ]
            for call, kind, data in switches:
                if id(call) in done:
                    continue
                done.add(id(call))
                if kind != "direct" and not loop.backward and self._helper_trains(kind, data):
                    # The step the loop trains through: a switch it makes on some path (an
                    # evaluation every N batches) is judged where it makes it.
                    continue
                feeding = id(call) in loop.feeding
                for target, how in self._targets(call, kind, data):
                    # A helper whose result the loop backpropagates computes it in eval mode on
                    # purpose, unless it ran the model before switching it: then it trains it.
                    after = feeding and self._evaluates_after_forward(kind, data, target)
                    if feeding and not after:
                        continue
                    if not (after or self._trains(loop, target)) or _restored(loop, target) or \
                            self._restored_by_call(loop, target, call) or self._trains_in_eval(kind, data, target):
                        continue
                    if id(call) in loop.last_only and _restored_outside(loop, target):
                        continue  # after the last batch; the loop around puts it back in train mode
                    exit_kind = loop.exits.get(id(call))
                    if exit_kind is not None and (exit_kind != "break" or loop.outer is None
                                                  or _restored_outside(loop, target)):
                        continue  # the block leaves the loop (or the function) after it: no training follows
                    self.report(
                        call,
                        f"{how} puts `{target}` in eval mode and the training loop never calls "
                        f"`{target}.train()` again; call it after evaluating (or at the top of the loop body)",
                    )
                    break

    def _trains(self, loop: _Loop, target: str) -> bool:
        """The loop trains ``target``: it runs it with grad on (``model(x)`` for ``model``,
        ``self(x)`` for ``self.model``, ``self.model(x)`` for ``self``), directly or through a
        helper of this file (``loss = self._forward_pass(batch)``), or the code put exactly that
        model in train mode before the loop began (``self.model.train()`` then a loop that calls
        ``.backward()``)."""
        if any(target == _unaliased(loop, t) for t in loop.armed) \
                or any(related(target, _unaliased(loop, used)) for used in loop.used):
            return True
        for kind, data in loop.forwards:
            for used in self._helper_uses(kind, data):
                used = _unaliased(loop, used)
                if related(target, used) and (used != "self" or target == "self"):
                    return True
        return False

    def _trains_in_eval(self, kind: str, data, target: str) -> bool:
        """Whether the helper a loop calls puts ``target`` in eval mode and then trains (a step of
        another part, such as a discriminator, with the model's batch norm and dropout frozen on
        purpose): each call sets the mode its own step wants."""
        if kind == "direct":
            return False
        fn = self._defs.get(("method", data) if kind == "method" else data[0])
        if fn is None or not fn.trains or not fn.eval_first:
            return False
        own = _helper_target(fn, kind, data, target)
        return own is not None and own in fn.eval_first

    def _evaluates_after_forward(self, kind: str, data, target: str) -> bool:
        """Whether a helper whose result the loop backpropagates runs ``target`` first and puts it
        in eval mode afterwards (`loss = ce(self.model(x), y); self.embed(x)`, where `embed` calls
        `self.model.eval()`): the training forward ran in train mode, and the next iteration's runs
        in eval mode. A helper that switches before its forward trains in eval mode on purpose."""
        fn = self._defs.get(("method", data) if kind == "method" else data[0] if kind == "call" else None)
        if fn is None:
            return False
        own = _helper_target(fn, kind, data, target)
        if own is None:
            return False
        forward_seen = False
        for node in walk_nodes(fn.node.body):
            if type(node) is not cst.Call:
                continue
            func = node.func
            if type(func) is cst.Attribute and func.attr.value in ("eval", "train"):
                if related(dotted(func.value) or "", own) and switch_mode(func.attr.value, node) == "eval":
                    return forward_seen
                continue
            receiver = model_receiver(func)
            if receiver is not None and related(receiver, own) and not (
                    type(func) is cst.Attribute and func.attr.value in NN_MODULE_METHODS):
                forward_seen = True
                continue
            name = dotted(func)
            inner = _helper_ref(node, name) if name is not None else None
            if inner is not None and any(related(t, own) and mode == "eval"
                                         for t, mode in self._modes_after(node, *inner).items()):
                return forward_seen
        return False

    def _close_methods(self) -> None:
        """What each method does through the methods of its class it calls on `self`, to a fixpoint:
        it trains when one of them does (`_train_epoch` looping over `self._train_batch(batch)`), and
        runs the parts of `self` they run with grad on: all of them for a method that trains (it
        trains what it runs, whatever mode it leaves them in: that is what a loop calling it again
        finds), else those it does not leave in eval mode (an evaluation helper run without no_grad)."""
        methods = {name[1]: fn for name, fn in self._defs.items() if type(name) is tuple}
        changed = True
        while changed:
            changed = False
            for fn in methods.values():
                for name in fn.methods:
                    callee = methods.get(name)
                    if callee is None or callee is fn:
                        continue
                    if (callee.trains or callee.trains_through) and not fn.trains_through:
                        fn.trains_through = changed = True
                    runs = {u for u in callee.used if u == "self" or u.startswith("self.")} | callee.used_through
                    if not (callee.trains or callee.trains_through):
                        last = self._own_modes(callee)
                        runs = {u for u in runs if last.get(u) != "eval"}
                    new = runs - fn.used_through
                    if new:
                        fn.used_through |= new
                        changed = True

    def _helper_trains(self, kind: str, data) -> bool:
        fn = self._defs.get(("method", data) if kind == "method" else data[0])
        return fn is not None and (fn.trains or fn.trains_through)

    def _helper_uses(self, kind: str, data) -> list:
        """The models (named as at the call) that a helper of this file runs with grad on, unless it
        leaves them in eval mode (an evaluation helper run without no_grad)."""
        if kind == "method":
            fn = self._defs.get(("method", data))
            if fn is None:
                return []
            last = self._own_modes(fn)
            return [u for u in fn.used if (u == "self" or u.startswith("self.")) and last.get(u) != "eval"] + [
                u for u in fn.used_through if u not in fn.used]
        name, args, keywords = data
        fn = self._defs.get(name)
        if fn is None:
            return []
        out = []
        last = self._own_modes(fn)
        for used in fn.used:
            root, _, rest = used.partition(".")
            if root in fn.params and last.get(used) != "eval":
                index = fn.params.index(root)
                value = args[index] if index < len(args) else keywords.get(root)
                if value is not None:
                    out.append(f"{value}.{rest}" if rest else value)
        return out

    def _own_modes(self, fn: _Function) -> dict:
        """What a helper leaves in which mode, in its own terms (switches that depend on a string
        argument left out)."""
        return final_modes([(s.receiver, s.mode, s.call, s.partial) for s in self._helper_modes(fn).switches
                            if s.guard is None])

    def _restored_by_call(self, loop: _Loop, target: str, call: cst.CSTNode) -> bool:
        """A helper of this file called in the loop puts the model back in train mode
        (`set_train_mode(model)`, `self.train_step()` that calls `self.model.train()`): after the
        call that leaves it in eval mode, or at the top of the loop body, before its training
        (`validate(...)` restoring, then `sample(...)` leaving eval mode, restores nothing)."""
        at = next((i for i, s in enumerate(loop.switches) if s[0] is call), None)
        eval_path = self._paths.get((id(loop), id(call)), ())
        start = loop.trains_from
        if start is None:  # the loop trains through a helper: the first such call on the switch's paths
            start = next((i + 1 for i, (c, kind, data) in enumerate(loop.switches)
                          if kind != "direct" and self._helper_trains(kind, data)
                          and eval_path[:len(self._paths.get((id(loop), id(c)), ()))] == self._paths.get((id(loop), id(c)), ())), None)
        paths = set()  # the `if` paths of the calls that put the model back in train mode
        restores = []  # (index, path) of every such call
        for index, (switch, kind, data) in enumerate(loop.switches):
            if kind != "direct":
                for restored, _ in self._targets(switch, kind, data, "train"):
                    # (A part put back on purpose, `self.head.train()` beside a frozen encoder left in
                    # eval mode: the author sets the modes part by part.)
                    if target == restored or target.startswith(restored + ".") or restored.startswith(target + "."):
                        restores.append((index, self._paths.get((id(loop), id(switch)), ())))
                        if not (at is not None and start is not None and start <= index < at):
                            paths.add(self._paths.get((id(loop), id(switch)), ()))
        if loop.trains_from is None and restores and at is not None:
            # The loop trains only through helpers, each run after a call that puts the model back in
            # train mode on its own path since the switch (`self.set_eval()` at the top of a step, then
            # `if not random: self.set_train(); self.update(...)`): no training runs in eval mode.
            def covered(i: int, path: tuple) -> bool:
                return any((at < r < i if i > at else r < i or r > at) and path[:len(r_path)] == r_path
                           for r, r_path in restores)

            steps = [(i, self._paths.get((id(loop), id(c)), ())) for i, (c, kind, data) in enumerate(loop.switches)
                     if kind != "direct" and i != at and self._helper_trains(kind, data)]
            if steps and all(covered(i, path) for i, path in steps):
                return True
        # On the eval call's own path, or on every side of an `if` there (`if warm: warmup(net)
        # else: train(net)`, both calling `net.train()`). Under an `if` the eval call is not under
        # (`if step % 500 == 0: self.validate()`), the iterations in between still train in eval mode.
        return any(_covered(eval_path[:depth], paths) for depth in range(len(eval_path) + 1))

    def _targets(self, call: cst.Call, kind: str, data, mode: str = "eval") -> list:
        """(model, description) pairs that this call leaves in ``mode``."""
        if kind == "direct":
            return [(data, f"`{data}.eval()`")] if mode == "eval" else []
        how = f"`self.{data}({'...' if call.args else ''})`" if kind == "method" else f"`{data[0]}(...)`"
        return [(target, how) for target, last in self._modes_after(call, kind, data).items() if last == mode]

    def _modes_after(self, call: cst.Call, kind: str, data) -> dict:
        """Model (as the caller names it) -> the mode a call of a helper of this file leaves it in
        (analysis.modes: also through the helpers it calls, `set_mode('eval', [g, d])`)."""
        fn = self._defs.get(("method", data) if kind == "method" else data[0])
        if fn is None:
            return {}
        method = kind == "method"  # (its parameters after `self` map to what the call passes too)
        found = mode_switches(self._helper_modes(fn), call, method,
                              frozenset() if fn.is_method else ENCLOSING if fn.nested else self._module_names)
        return final_modes(found)

    def _helper_modes(self, fn: _Function) -> HelperModes:
        key = id(fn.node)
        helper = self._modes.get(key)
        if helper is None:
            self._modes[key] = HelperModes((), {}, frozenset(), ())  # a recursive call switches nothing
            helper = self._modes[key] = helper_modes(fn.node, self._resolve)
        return helper

    def _resolve(self, call: cst.Call):
        """The helper of this file a call inside another helper names: `f(...)` or `self.f(...)`."""
        func = call.func
        if type(func) is cst.Name:
            fn = self._defs.get(func.value)
        elif type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value == "self":
            fn = self._defs.get(("method", func.attr.value))
        elif type(func) is cst.Attribute and type(func.value) is cst.Call and type(func.value.func) is cst.Name \
                and func.value.func.value == "super":
            # `super().train_epoch_start()` in an override: the base's method, defined first in the file.
            fn = self._first_methods.get(func.attr.value)
            if fn is not None and self._defs.get(("method", func.attr.value)) is fn:
                fn = None  # (only one definition: the override calls a base of another file)
        elif type(func) is cst.Attribute and type(func.value) is cst.Name and func.attr.value not in NN_MODULE_METHODS:
            # `discriminator.train_custom()`: a method of a class of the file, called on the model,
            # switches the model's parts (`self.head.train()`) under the caller's name for it.
            fn = self._defs.get(("method", func.attr.value))
            return (self._helper_modes(fn), True, func.value.value) if fn is not None else None
        else:
            return None
        return (self._helper_modes(fn), fn.is_method) if fn is not None else None


def _updates_parameters(node: cst.CSTNode) -> bool:
    """Whether a call or an augmented assignment updates parameters: an optimizer's (any object's)
    `.step(...)`, or a manual update in place from gradients (`p -= lr * p.grad`,
    `p.data.add_(p.grad, alpha=-lr)`)."""
    if type(node) is cst.Call:
        attr = node.func.attr.value if type(node.func) is cst.Attribute else ""
        return attr == "step" or attr in ("add_", "sub_") and any(
            type(n) is cst.Attribute and n.attr.value == "grad" for a in node.args for n in walk_nodes(a.value))
    return any(type(n) is cst.Attribute and n.attr.value == "grad" for n in walk_nodes(node.value))


def _helper_ref(call: cst.Call, name: str) -> Optional[tuple]:
    """(kind, data) of a call that may name a helper of the file: ("call", (name, the dotted names
    passed by position, by keyword)) for `evaluate(model, loader)`, ("method", name) for
    `self.validate()`; None for anything else."""
    if "." not in name:
        args = tuple(dotted(a.value) if a.keyword is None and not a.star else None for a in call.args)
        keywords = {a.keyword.value: dotted(a.value) for a in call.args if a.keyword is not None}
        return "call", (name, args, keywords)
    if name.startswith("self.") and name.count(".") == 1:
        return "method", name[5:]
    return None


def _helper_target(fn: "_Function", kind: str, data, target: str) -> Optional[str]:
    """The helper's own name for the caller's ``target``: the same `self.` path for a method, the
    parameter (and the rest of the path) a call passes it in for a function; None if none."""
    if kind == "method":
        return target
    _, args, keywords = data
    for index, param in enumerate(fn.params):
        value = args[index] if index < len(args) else keywords.get(param)
        if value is not None and (target == value or target.startswith(value + ".")):
            return param + target[len(value):]
    return None


def _block_exit(branch) -> Optional[str]:
    """"break" / "return" when the `if` part ends by leaving the loop or the function (`raise` too)."""
    node = branch.node
    block = node.body if not branch.other else node.orelse
    if type(block) is cst.Else:
        block = block.body
    if type(block) is not cst.IndentedBlock or not block.body:
        return None
    last = block.body[-1]
    if type(last) is cst.SimpleStatementLine and last.body:
        small = type(last.body[-1])
        if small is cst.Break:
            return "break"
        if small in (cst.Return, cst.Raise):
            return "return"
    return None


def _covered(prefix: tuple, paths: set) -> bool:
    """Whether every way through the `if` path ``prefix`` passes one of ``paths`` (the `if` paths of
    calls): one of them is ``prefix`` itself, or both sides of an `if` right under it are covered
    (an `elif` chain through its last `else`)."""
    if prefix in paths:
        return True
    depth = len(prefix)
    branches = {p[depth][0] for p in paths if len(p) > depth and p[:depth] == prefix}
    return any(_covered(prefix + ((branch, False),), paths) and _covered(prefix + ((branch, True),), paths)
               for branch in branches)


def _restored(loop: _Loop, target: str) -> bool:
    trained = (_unaliased(loop, t) for t in loop.trained)
    return any(target == t or target.startswith(t + ".") for t in trained)


def _restored_outside(loop: _Loop, target: str) -> bool:
    """Whether a loop holding ``loop`` calls ``target.train()`` (an epoch loop, at its top)."""
    outer = loop.outer
    while outer is not None:
        if _restored(outer, target):
            return True
        outer = outer.outer
    return False


def _unaliased(loop: _Loop, name: str) -> str:
    """``name`` with its root spelled as the attribute path it aliases (`model` -> `context.model`)."""
    root, dot, rest = name.partition(".")
    path = loop.aliases.get(root)
    return path + dot + rest if path else name


def _own_mode_method(klass) -> bool:
    """Whether `self.eval()` / `self.train()` in this class cannot be nn.Module's: the class has
    no base but `object` (an agent's or a trainer's own `eval()` routine). A class with any other
    base may be a module through it, even if it defines `eval` itself (an override that calls
    `super().eval()`)."""
    return klass is not None and all(b == "object" for b in klass.bases)
