"""NG001 eval-loop-without-no-grad."""

from __future__ import annotations

import builtins
import dataclasses
import re
from dataclasses import dataclass, field
from itertools import repeat
from typing import Optional

import libcst as cst

from ..analysis.framework_hooks import IGNITE_ENGINES
from ..analysis.gradmode import disables_grad, grad_api
from ..analysis.names import (constructor_name, decorated_with, dotted, parameter_names, positional_names, root_name,
                              string_value)
from ..analysis.patterns import (
    FORWARD_METHODS,
    GRAD_HELPER,
    PREDICTOR_WRAPPERS_DOC,
    SELF_DISABLING_METHODS,
    STRUCTURE_METHODS,
    bound_names,
    builds_non_module,
    expr_names,
    grad_use,
    is_test_file,
    last_part,
    model_receiver,
    predictor_wrapper,
    prefixes,
    pretrained_in_eval_mode,
    same_object_of,
)
from ..analysis.network_names import names_network, names_submodule
from ..analysis.networks import Networks
from ..analysis.atoms import CALL, GRAPH, MODULE, NUMBER, TENSOR
from ..analysis.tensors import Env, freezing_loop, frozen_argument, names_in
from ..analysis.freezes import freeze_demands, freeze_of_call
from ..analysis.values import NO_GRAPH_ATOMS, graph_part, method_arity_ref
from ..analysis.torch_api import (NN_MODULE_METHODS, TENSOR_DETACHED_METHODS, TENSOR_INPLACE_METHODS, TENSOR_METHODS,
                                  TENSOR_NUMBER_METHODS, TORCH_FACTORIES)
from ..analysis.plain_values import path_to, rebound_names
from ..analysis.python_api import CONTAINER_METHODS
from ..analysis.modes import (called_before_eval, evaluated_arguments, evaluated_by_callers, evaluated_by_init, evaluated_globals, excluded_by_test, helper_modes,
                              mode_switches, returns_evaluated)
from ..analysis.walker import abstract_body, class_attribute_values, iter_children, own_nodes, walk_nodes
from ..analysis.flags import FunctionFlags, early_exit, function_flags, guard, note_alias, turned_off
from ..config import DEFAULT_EVAL_PATTERNS, def_name_trigger
from ..fixes.wrap import no_grad_fix, statement_of
from ..analysis.project import EVALUATION
from .base import UNSAFE, Condition, Invalid, Rule, RuleDocs

# A training step of the function's own: a backward pass or an optimizer step.
_TRAINING_STEPS = frozenset({"backward", "manual_backward", "step"})
# The last names of grad-mode calls (checked before resolving the callee, which costs more).
_GRAD_MODE_CALLS = frozenset({"no_grad", "enable_grad", "inference_mode", "set_grad_enabled", "_set_grad_enabled"})
_LOOPS = (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
# Function names whose loops are inference (the message says "inference loop").
_INFERENCE_NAME = re.compile(r"infer|predict|generat|sampl|decod|synthes|translat|transcrib", re.I)


@dataclass(eq=False)
class _Loop:
    node: cst.CSTNode
    scope: "_Scope"
    parent: Optional["_Loop"]
    statement: Optional[cst.CSTNode]  # the statement holding a comprehension (for the fix)
    local: set = field(default_factory=set)  # names bound in the loop (target and body)
    calls: list = field(default_factory=list)  # (call, model, argument names, condition, by name only)
    helpers: set = field(default_factory=set)  # names of other functions it calls
    refs: set = field(default_factory=set)  # raw references of the project functions it may call
    needs_grad: bool = False
    has_yield: bool = False
    over_layers: bool = False  # a loop through the model's own layer stack, not over data
    frozen: frozenset = frozenset()  # models whose parameters were frozen when the loop began
    # How many of its scope's `freeze_calls` were made before the loop began (Condition.freezes).
    freeze_mark: int = 0
    # In a function that trains: no graph of the loop's forwards reaches a gradient use of the
    # function or its callers (a validation pass), but for the calls in ``handed`` (the project's).
    graph_unused: bool = False
    handed: tuple = ()
    # In a function that trains: the graph of the loop's forwards reaches a gradient use of the
    # function or its callers (`losses.append(net(x))` in an inner loop, `torch.cat(losses)
    # .backward()` after it): a training step split over loops, whatever mode the model is in.
    feeds_training: bool = False
    branch_depth: int = 0  # len(ctx.branches) when the loop opened
    # A comprehension whose statement may keep a graph besides it (`loss = ce(net(x), y) +
    # torch.stack([net(a).detach() for a in anchors]).mean()`): `no_grad` around it would stop training.
    statement_trains: bool = False
    # A forward's output reaches `.numpy()` with its graph (`preds.append(softmax(net(x)).cpu().numpy())`):
    # that raises with grad on, so the code runs under its callers' `no_grad`.
    numpy_of_graph: bool = False
    numpy_calls: list = field(default_factory=list)  # `.numpy()` calls inside it


@dataclass(eq=False)
class _Scope:
    node: Optional[cst.FunctionDef]  # None: the module (a script or notebook)
    eval_named: bool
    is_module_class: bool = False  # a method of an nn.Module subclass: `self(x)` is a forward
    evaluated: set = field(default_factory=set)  # dotted names put in .eval() so far
    pretrained: set = field(default_factory=set)  # of those, loaded in eval mode (`X.from_pretrained(...)`)
    own_evaluated: set = field(default_factory=set)  # of those, put in eval mode by this scope's own code
    # dotted name -> the `if` tests its `.eval()` was made under, as (test, side): a call on the
    # other side of the same test does not find it in eval mode (`if onnx: ... else: m.eval()`).
    eval_tests: dict = field(default_factory=dict)
    frozen: set = field(default_factory=set)  # dotted names whose parameters are frozen so far
    # (forward, its statement, the ids of the loops around it, condition) for each call handed a
    # `Variable(x, volatile=True)`: asked for without a graph, as torch before 0.4 spelt it.
    volatile: list = field(default_factory=list)
    # (dotted name, (call reference, position)) of the calls made on a name so far, any of which
    # may freeze it in another file (`model.freeze_head_and_trunk()`), in order.
    freeze_calls: list = field(default_factory=list)
    loops: list = field(default_factory=list)  # open loops, innermost last
    closed: list = field(default_factory=list)  # finished loops of this scope
    functions: tuple = ()  # enclosing FunctionDefs, outermost first (for the fix)
    needs_grad: bool = False
    skip: bool = False
    volatile_ok: bool = True  # its forwards given a `volatile=True` Variable are judged (also in a `forward`)
    volatile_names: dict = field(default_factory=dict)  # local bound to a `volatile=True` Variable -> its statement
    parent: Optional["_Scope"] = None
    klass: Optional[str] = None  # key of the class of a method (and of functions nested in it)
    key: str = ""  # the function's key (its summary in ctx.returns)
    # What each name is in this scope, for a call by bare name: assigned (a parameter, a loop
    # target, an assignment: may be a model), a def or class (name -> FunctionDef, or None for a
    # class: a function or a constructor, not a model), a predictor wrapper (`m = YOLO(w)`).
    assigned: set = field(default_factory=set)
    defs: dict = field(default_factory=dict)
    wrappers: set = field(default_factory=set)
    rebound: set = field(default_factory=set)  # names also assigned something else: maybe a model
    # Forward passes of a model this function put in eval mode, outside any loop of its own:
    # (call, model, via). A loop that calls the function per batch is an evaluation loop.
    forwards: list = field(default_factory=list)
    # The same for models not put in eval mode, in a function with flags: one that backpropagates
    # only under `if train:` is an evaluation step when a caller's loop passes False.
    flag_forwards: list = field(default_factory=list)
    # A method of a plain class (no `nn.Module`) running a network its object holds, with no eval
    # mode in sight (`self._model = torch.jit.load(w)` in an inference backend's `__call__`).
    held_forwards: list = field(default_factory=list)
    # Forwards of a network the (plain) class's optimizers do not train, with grad on, whose inputs
    # carry no other graph: (call, model, condition) (_untrained_forwards).
    untrained: list = field(default_factory=list)
    grad_uses: int = 0  # gradient uses (backward, autograd.grad, a step) seen so far in the body
    # id(call) of each entry of `forwards` -> `grad_uses` when it ran: a forward after the last one,
    # in a function that trains, is a check that nothing backpropagates (pygcn's validation pass).
    uses_before: dict = field(default_factory=dict)
    method: bool = False  # defined in a class body
    # The parameters that may decide whether it trains (`train=True`, `optimizer=None`; flags.py):
    # a gradient use under `if train:` makes it train or evaluate by its caller's argument.
    flags: FunctionFlags = field(default_factory=FunctionFlags)
    # (flag, the value that enables gradients): `if train:` -> ("train", "True"), `if not
    # eval:` -> ("eval", "False"); the flags that guard every gradient use seen.
    flag_used: set = field(default_factory=set)
    # `if not train: return` statements of the body so far: the rest runs on their other side.
    exits: tuple = ()
    predictor: Optional[bool] = None  # _predictor_method, once per method
    hands_nothing: Optional[bool] = None  # _wrapper_network: no `return value` / `yield value`, once per method
    # Literals assigned to attributes of `self` so far (`self.state = "val"`): a method's flag
    # that the calls after it find set.
    state: dict = field(default_factory=dict)
    free: bool = False  # a loop runs a model in a function not named like evaluation
    sources: set = field(default_factory=set)  # id() of those forwards (their outputs carry a graph)
    stateful: set = field(default_factory=set)  # ...those whose result is dropped (run for the module's state)
    # Forwards of a model put in eval mode, in a loop, whose result a name keeps: (call, model,
    # condition, loop, statement); reported if the function trains and the graph reaches no gradient use.
    held: list = field(default_factory=list)
    graph_unused: bool = False  # ...and no graph the function computes reaches a backward pass or a caller
    # For a function whose summary says it may return a graph: whether the graph of its own
    # forwards (`forwards`) reaches its callers (escapes.graph_reaches; None: not asked), and the
    # calls that graph is handed to (the project's to say whether they use gradients).
    forwards_escape: Optional[bool] = None
    forwards_handed: tuple = ()
    # ...but for calls the function hands a graph to and keeps the result of (their references): the
    # project says whether one backpropagates (`grad_norm = update(fabric, loss, optimizer)`)
    handed: tuple = ()
    # The function's own gradient uses (`loss.backward()`, a read of `x.grad`): where a graph is used.
    sinks: list = field(default_factory=list)
    nested_grad: bool = False  # a function nested in it uses gradients: on what, its body says
    # Globals the module put in eval mode before this function was defined (a script's
    # `model.eval()` at the top, a notebook's earlier cell): evaluated here too, unless the file
    # puts them back in train mode anywhere or the function binds the name itself.
    inherited: frozenset = frozenset()
    # Parts of `self` that every call of this method by its class's own methods finds in eval
    # mode (`self.model.eval(); return self._predict(t)`), or parameters of a top-level function
    # that every call in the file passes a model put in eval mode: evaluated here too.
    by_callers: frozenset = frozenset()
    by_init: frozenset = frozenset()  # parts of `self` a plain class's `__init__` left in eval mode
    # The module scope of a notebook: globals its earlier cells built as networks (the value
    # model's assignments are a cell's own).
    cell_networks: set = field(default_factory=set)
    # Raw references of the project functions the function calls (outside a flag's branch): a
    # single forward needs none of them to use gradients (an attack in another file).
    call_refs: set = field(default_factory=set)


class EvalLoopWithoutNoGrad(Rule):
    code = "NG001"
    name = "eval-loop-without-no-grad"
    message = "evaluation loop runs the model with gradients enabled; wrap it in `torch.no_grad()`"
    fix_applicability = UNSAFE
    triggers = (
        r"\.eval\(",
        # (and a `def` named like evaluation: triggers_for, from the configured names; files that
        # switch grad mode are parsed for every rule: runner._MODE_SWITCHES)
        # `Variable(x, volatile=True)`: inference as torch before 0.4 spelt it (a no-op since).
        r"volatile\s*=\s*True",
        # A file that trains often evaluates too, under any name (NG002 and NG003 read these files anyway).
        r"\.backward\(",
        # Outputs detached after a forward, predictions taken by argmax, a loop over a DataLoader:
        # a loop whose graph nothing needs may be there under any name
        # (`codes.append(encoder(x).detach().cpu())`, greedy decoding, an accuracy check).
        r"\.detach\(",
        r"argmax\(",
        r"DataLoader\b",
        # Top-k predictions (recommenders, retrieval) and outputs turned into arrays: the same.
        # (The literal first: re scans fast for a pattern that starts with one, not for `\b`.)
        r"topk\((?<!\wtopk\()",
        r"\.numpy\(\)",
        # Actions drawn from a policy's output (an RL rollout: `Categorical(policy(s)).sample()`).
        r"\.sample\(",
    )

    @classmethod
    def triggers_for(cls, settings) -> tuple:
        return cls.triggers + (def_name_trigger(DEFAULT_EVAL_PATTERNS + settings.eval_function_patterns),)

    docs = RuleDocs(
        what=(
            "Checks for evaluation and inference loops (`for`, `while` and comprehensions) that run a "
            "model forward pass over batches with gradients enabled, where nothing in the loop needs "
            "gradients (no `.backward()`, `torch.autograd.grad` or optimizer step, in the loop or in a "
            "function it calls, through any number of calls and files: an adversarial attack two helpers "
            "deep needs gradients too; a callee's name, `pgd_attack` or `perturb_features`, decides only "
            "for a function the project does not show: one of the file is judged by its statements). A function that uses gradients only under `if train:` or "
            "`if not is_eval:` (a bool parameter with a default), or under `if split == \"train\":` (a "
            "string parameter, also through a local such as `is_train = split == \"train\"`), or under "
            "`if optimizer is not None:` (a parameter defaulting to None), or after `if not train: return`, "
            "trains or evaluates by its caller's argument: a call passing `train=False` (or `is_eval=True`, "
            "`split=\"valid\"`, or leaving the optimizer out; keywords after `*batch` count too) with "
            "gradients enabled is reported at the call. A method may read its flag from its object instead "
            "(`if self.fit_params.state != \"train\": return` before the backward pass): a call made after "
            "the caller set it (`self.fit_params.state = \"valid\"`, or built the object with "
            "`FitParams(state=\"test\")`) is judged by that value; "
            "when the function has no loop of its own (a one-batch `step`), only calls that pass it the data "
            "of the caller's loop are. So is a call, with gradients enabled, that hands a model the caller "
            "put in eval mode to a helper of the file that loops over batches running it "
            "(`model.eval(); loss = calc_loss_loader(loader, model)`). Neither is reported when the loop "
            "reaches a function that uses gradients (outside the flag's branch). A forward in the `except` "
            "clause of a `try` that first runs it under `no_grad` is a deliberate fallback and is not "
            "reported. A loop is evaluation "
            "when the model was put in `.eval()` earlier in the same function (directly, or by a method of "
            "the class or a function of the file whose own statements call `.eval()` on it: "
            "`self.to_eval()`, `freeze_bn(net)`), or the function is named "
            "like evaluate / validate / val / test / testing / predict / infer / inference / score (extend the names "
            "with `eval-function-patterns`), or asks for inference the pre-0.4 way (`Variable(x, "
            "volatile=True)`, a no-op since; there a part named like one of a model-named receiver, "
            "`model.feature_layer(x)`, is a forward too; in a function that uses gradients, such as an "
            "input-perturbation score, a call handed a volatile `Variable` whose graph reaches none of its "
            "backward passes nor its callers is reported at the call, and so is one whose graph the function lets "
            "into its loss after clearing the flag (`target.volatile = False`, the old idiom for constants); "
            "in a function that uses none, every "
            "call handed one, outside a reported loop, wherever its result goes, also in a `forward` method "
            "and through an attribute the class bound to one, `self.eval_input = Variable(x, "
            "volatile=True)`: before 0.4 nothing computed from it could be backpropagated). Under any other name, a loop is evaluation when nothing the "
            "function computes with the model reaches a backward pass or its callers: it returns, yields "
            "and stores (on its object, in a parameter or a global, in a call whose result it drops) only "
            "numbers, indices or detached tensors (`hits += (net(x).argmax(1) == y).sum().item()`); a value "
            "given to a function reached through an import, whose result is dropped (`save_image(fake, path)`, "
            "`np.save(path, x)`), is handed to it, not stored: one of another distribution keeps nothing, "
            "and one of the project counts when it uses gradients; an object "
            "built from an output (`Categorical(logits=policy(s))`) still holds its graph; each read of a name sees "
            "the assignments that reach it (`descs = net(p)` in the loop, then `descs = descs.detach().numpy()` "
            "before the return, all under one `if`, returns no graph). In a function that "
            "trains, a loop whose forwards' graph reaches neither a gradient use of the function nor its "
            "callers is evaluation too (a validation loss summed over risks after the training step, "
            "then only `.detach()`-ed). A forward may go through a function of the project that runs the "
            "model it is given, in any file and through its helpers (`valid_loss += conditional_loss(model, "
            "x_valid, ...)`); one of the file that hands back no graph and writes into nothing it was handed "
            "(`text += sample_char(network, vocab, text[-5:])` returning one character) still records its "
            "forward's graph, which dies inside it. There the model "
            "must be a parameter, local or attribute named like a network, or an attribute the class builds "
            "from a torch.nn module with parameters. A parameter that every call of the function in its file "
            "passes an object built there (`prompt_generator = PointPromptGenerator(...)`, then "
            "`predict(loader, prompt_generator)`) is that class's instance: a project class counts only when "
            "calling it records a graph, by its summary (a NumPy sampler does not). A forward pass is a call of a model instance (a parameter, "
            "a local, `self.x`, a global) named like a network (`model`, `net`, `encoder`...), of a model "
            "put in `.eval()`, or of a part of it (`model.feature_extractor(x)`, `model.head(x)`), of one element of "
            "a collection named like networks (`teacher_models[i](**batch)`, outside a module's own methods), `self(x)` in a "
            "method of an `nn.Module` (its own forward: a `slide` or `generate` loop), of an attribute "
            "the class builds from a torch.nn module with parameters (`self.cell = nn.LSTMCell(...)`), a method "
            "of the evaluated model's own class that runs the model (`self.net.masked_forward(x)` where "
            "`self.net = Net()` and `Net.masked_forward` runs its layers), or a call of a function of the "
            "file that puts a model in `.eval()` and runs it once without using gradients (a loop that "
            "calls `self.validation_step(batch)` per batch), with the loop's data as an argument. A training "
            "function that puts its model in eval mode after its last backward pass and runs it once more "
            "(a full-batch validation check, as in many graph-network scripts; or whose callers put it in eval "
            "mode: ODIN's second forward on the input moved along its gradient, the `.grad` read before it) "
            "is reported at that forward "
            "when nothing computed in the function reaches its callers; so is a forward of a model put in eval "
            "mode inside a loop that trains whose statement keeps nothing of its graph "
            "(`pred = net(x).argmax(-1).cpu().numpy()`, or `x = sample(z)` through a helper of the file that "
            "puts `G` in eval mode and runs it, in a script whose loop trains through functions of the file that "
            "take a step; for a network known only by its name, when the "
            "statement detaches its output at once and keeps no graph: `img = self.G(z).cpu().data.numpy()` "
            "for a progress image, not `netd(netg(z).detach())` inside a loss), or whose kept result reaches neither a backward pass "
            "of the function nor its callers (`y = netg(z).view(...)` turned into a numpy image after each "
            "epoch; followed through the assignment each read of a name sees, so a test batch scored every "
            "tenth step under the training step's own names, `pred` and `loss`, does not reach the next step's "
            "backward pass; in a script's module-level training loop too), and a comprehension in a function that trains that runs "
            "the model and keeps only values without a graph (`[score(model, x).detach() for x in val_loader]`); "
            "so is, in a loop that trains a network through one forward, a second forward of that network on a "
            "statement of its own whose graph reaches no backward pass nor the callers (`scores = net(x)` for an "
            "accuracy after `optimizer.step()`, also after a step that runs a closure, `optimizer.step(closure)`, "
            "and in a script's module-level loop), and, in a method of a class that trains, a forward of a "
            "network another file's class builds in any method (`self.g12 = G12(...)` in `build_model`) "
            "whose graph reaches no backward pass nor the callers, when that class's `forward` returns a graph "
            "(sample images translated every few hundred steps). The branch of `if True:` / `if False:` that "
            "never runs is not checked. In a method of a plain class that trains (an agent), a forward of a "
            "network that none of the class's optimizers trains (built from the class of one they do, or copied from "
            "it) on inputs without a graph is reported too: a DDPG or DQN target network run with grad on and not "
            "detached makes the backward pass compute gradients for weights nothing updates (inputs a project "
            "function builds from data count, `to_tensor(s2)`, as does a target handed to project functions "
            "that freeze nothing, `hard_update(self.critic_target, self.critic)`; one handed to a function the "
            "project does not show may be frozen there and is not reported). "
            "The methods of a class whose `__init__` turns gradients off for the process "
            "(`torch.set_grad_enabled(False)` as a statement, a test-only command object; NG005 reports the switch) "
            "run with grad off when no method of the class turns them back on. "
            "A method of a plain class (not an `nn.Module`) that runs a network its object holds once "
            "(`self._model = torch.jit.load(w)` in a predictor's `__call__`; an agent's `select_action` "
            "running `self.actor` built from another file's class, `self.actor = networks.Actor(...)`, when "
            "that class's summary says calling it records a graph; "
            "running `self.actor`, also when the attributes are assigned as a tuple, `self.target, self.q = "
            "Net(), Net()`) is reported when it uses no gradients and nothing the forward computes is returned, "
            "stored or handed to a call (`return self.actor(s).cpu().data.numpy()`), or when its output is only "
            "copied in place into a buffer the object keeps and the method returns no value (`self.actions[:] = "
            "self.policy(obs)`: the buffer keeps the graph, and each copy chains it to the last one's): a "
            "policy-gradient agent "
            "that keeps the sampled action's `log_prob` is not. (A `__call__` may hold a network known only by "
            "its name, and so may a method that hands nothing back, `results(self)` printing a score from a "
            "model given to the constructor; an attribute built from a library factory, `ctc_decoder(...)`, is "
            "no network whatever its name; other methods count only in a class with no base of another file, which may be an "
            "`nn.Module`.) In such a class's method that trains, a forward of a network the object holds whose "
            "graph reaches none of the method's backward passes nor its callers is reported too (a target "
            "network run with grad on, `target_q = self.critic_target(s2, self.actor_target(s2))`, then used "
            "`.detach()`-ed; not when `__init__` froze it). A top-level function named like inference or evaluation "
            "(`predict`, `infer`, `generate`, `evaluate`...) that runs a model it is given or builds once, with no "
            "gradient use, and hands back nothing with the forward's graph (`return model.forward(x)"
            ".data.numpy().argmax(1)`) is reported the same way, without any `.eval()`. "
            "A closure its enclosing function returns (a validation step a factory builds, stored on the object "
            "and called through a name) runs wherever the factory's result is called, which the analysis does "
            "not follow: it is not reported unless the project calls it by name. A closure that runs a model "
            "its enclosing function put in eval mode (`def get_pred(x): return F.softmax(inception(x))` after "
            "`inception.eval()`) runs it in that mode: the loop that calls it is reported, not the closure. "
            "A function that is only ever called under `torch.no_grad()` "
            "anywhere in the project (a unit test's call, from a `test_*` function or a `Test*` class, counts "
            "only for a function nothing else calls), Lightning's `validation_step` and friends, and configured "
            "`grad-disabled-hooks` are not reported. In a file that does not import torch (a script that "
            "gets its network from the project), only loops over a model put in `.eval()`, and single forwards "
            "of a model the function put in `.eval()` itself, are reported, and "
            "none when the file imports another framework whose models have `.eval()` too (PaddlePaddle, "
            "TensorFlow/Keras, JAX/Flax, MindSpore, OneFlow, MXNet, MegEngine, Jittor, MNN, Chainer); in a torch "
            "file, a local built by such a framework (`module = MNN.nn.load_module(...)`) or by a constructor "
            "that makes no network (a torch class without parameters, a parameterless module class of the file, "
            "another file's `*Loss` class) is no model whatever its name (`g = GaussianLoss(...)`). A call "
            "whose result nothing keeps and that is handed a function (a lambda, `functools.partial(...)`, a "
            "function of the file, a method of the class: `model.add_hook(name, hook)`) registers a callback "
            "and runs no forward. A loop in eval mode whose function hands back a loss that a caller of the "
            "file backpropagates (`loss = self.point_loss(net, loader); loss.backward()`) computes it with "
            "gradients on purpose and is not reported.\n\n"
            "A loop over a model that a method or function of the project froze before it "
            "(`model.freeze_head_and_trunk()`), or with Lightning's `freeze()` (a `freeze()` no project class "
            "defines; the freezing methods are read from Lightning's sources), or over a module whose class (in any file) builds no parameter "
            "(a clustering module that runs sklearn), records no graph and is not reported; nor is a loop whose "
            "forward's result is discarded, when nothing else says it evaluates (`self.agent(workspace, t=t)` "
            "writes its outputs where a loss may read them).\n\n"
            "A network loaded with transformers' or diffusers' `from_pretrained` is in eval mode, as those "
            "loaders leave it. A method called on a model the function put in eval mode is a forward when the "
            "project's methods of that name run their receiver (itself, a part its `__init__` builds, a part its "
            "methods bind only to constructions, `self._base_model = Perceptron(...)` under a setting, or a "
            "network-named part a base class of another file binds), or when no project class defines it (the "
            "model's class is outside the project: `lm.log_prob(words)`), except library entry points that "
            "disable grad themselves (`generate`, `chat`, `encode`, `transcribe`). A method that only raises "
            "(`raise NotImplementedError`) is its subclasses' overrides, in any file.\n\n"
            "A forward under a context manager named like a grad switch (`with utils.eval_mode(agent):`, "
            "`with evaluating(model):`) may run with grad off: it is reported only when the project defines "
            "that context manager (a class with `__enter__`, a `@contextmanager` function) and its code calls "
            "no grad API (an `eval_mode` that only calls `model.train(False)`).\n\n"
            "A loop inside a `forward` method, or in what a `forward` calls with grad on (its eval-mode path), "
            "is not evaluation: `forward` runs in its caller's grad mode and "
            "what it returns is differentiated by training (a sub-module briefly in eval mode there, as in ghost "
            "batch norm, is deliberate). Calling a model of a project class runs that class's `forward` (or its "
            "own `__call__`): a `forward` that uses gradients (a force field's `torch.autograd.grad` of its "
            "energy) makes the loop need them. A call that passes a string its `forward` dispatches on (`model(data, mode=\"inference\")`) runs only that branch: when the branch computes inside "
            "`with torch.no_grad():`, the loop records no graph. A model whose class is unknown (a parameter, a fixture) may be "
            "any of the project's modules: the loop is not reported when some module's `forward` in the "
            "project uses gradients.\n\n"
            "A single forward outside any loop is reported in one shape: a function that puts a model in eval "
            "mode and runs it once, when the result may carry a graph (by the summary of what the model's "
            "`forward` returns) and nothing in the function uses gradients or looks at what autograd records "
            "(`.grad_fn`, `.requires_grad`, `.grad`); and either it hands back nothing that carries a graph (it "
            "returns nothing, a float accuracy or detached logits, by its summary: no caller can backpropagate "
            "through it), or it is named like evaluation or inference (`predict`, `predict_proba`, `_inference`, "
            "`test`) and no training code in the project calls it (every caller receives the graph of the whole "
            "forward). A method that runs `self.model`, which every call from its own class finds in eval mode "
            "(`self.model.eval(); return self._predict(t)`), counts as putting it in eval mode; so does a "
            "method of a plain class (not an `nn.Module`, whose caller's `.train()` reaches its parts) whose "
            "`__init__` put `self.model` in eval mode when no other method of the class switches or rebinds "
            "it (an embedding wrapper's `get_vec`, its features copied out by a forward hook), a module global "
            "that a function of the file declares `global` and puts in eval mode (`load_model`) when none puts it "
            "back in train mode, and a "
            "top-level function that runs a parameter every call of it in the file passes a model put in eval "
            "mode (`encoder.eval(); show_caption(encoder, image)` in a script's `__main__` block). A function "
            "whose returned values the value model cannot type still hands back nothing with a graph when the "
            "forward's graph reaches none of them (`top = model(t).argmax(-1); return words, [tags[i.item()] "
            "for i in top]`). A function of a `.py` script that puts the model in eval mode at its top level "
            "and uses no gradients anywhere is judged like one named like inference (`classify(doc)` returning "
            "softmaxed scores the script only prints). A function handed to an ignite `Engine(step)` (or "
            "`DeterministicEngine`, the engine classes that run their function with grad as the caller left it, "
            "read from ignite's source) is the body of the engine's loop over batches: when it puts a model in "
            "eval mode and runs it with grad on and nothing in it uses gradients, each batch records a graph "
            "(what it returns goes to the engine's state, for metrics and handlers). A single forward whose result the statement drops (a "
            "warm-up before the inference loop, a compiled model's first call made outside `no_grad` on purpose) "
            "is not reported. A script's or notebook's module-level loops are judged like a function's (its code "
            "has no callers; a notebook's later cells are in the file, and a network an earlier cell built, "
            "`probe = Probe()`, is known in the cells after it). A loop whose body ends in an unconditional "
            "`break` runs once (a peek at the first batch) and is no evaluation loop. A loop that calls "
            "`.numpy()` on a forward's output with its history (`preds.append(softmax(net(x)).cpu().numpy())`) "
            "would raise with grad on, so working code runs it under its callers' `no_grad`: it is not "
            "reported. A `.py` script's "
            "module-level forward of a model it put in eval mode is reported "
            "when the script uses no gradients anywhere and the forward's graph reaches nothing (not in "
            "notebooks: a later cell may backpropagate through it). An `.eval()` made on one side of an `if` "
            "test is not in force on the other side of the same test (`if exported: ... else: model.eval()`, "
            "then `if exported: run_session(x)`); a loop in a function that trains whose forwards' graph "
            "reaches its backward pass (losses of several mini-batches collected in a list, a frozen batch "
            "norm's eval mode) is no evaluation loop.\n\n"
            "Test modules are not checked: a file named `test_*.py`, `*_test.py`, `tests.py` or `conftest.py` "
            "that defines a `test_*` function or a `Test*` class or imports pytest or unittest (a test that runs "
            "a model checks behaviour), nor a test suite's shared helpers (a file in a `tests` or `test` folder "
            "that imports pytest or unittest, such as `tests/testing_common.py`). A script that only has such a name (`tools/test_net.py` with "
            "`def test(cfg)`) is checked.\n\n"
            "`nn.parallel.data_parallel(model, inputs, gpus)` is a forward pass of `model`. "
            "Not forward passes: plain functions (a `def` of the file that runs no model, a name imported "
            "with `from x import f`, a class, a parameter annotated `Callable[...]`, a local bound to functions "
            "chosen at run time), names whose head word is not a network "
            "(`sub_module_validator`, `encoder_factory`), loops over a model's parts (`model.modules()`, "
            "`named_parameters()`, and `for layer in self.layers` / `zip(states, self.layers)` over an "
            "`nn.ModuleList`, `nn.Sequential` or `nn.ModuleDict` the class builds: one forward pass, layer "
            "by layer), and the high-level predictors whose `__call__` already disables grad: "
            f"{PREDICTOR_WRAPPERS_DOC}, when the receiver is assigned from one in the function, in the "
            "class (`self.model = YOLO(w)`) or at module level.\n\n"
            "A model's own inference method (`def infer(self, x)` of an `nn.Module`, an autoregressive "
            "decoding loop) is reported too, as an *inference loop*: each step's graph stays alive until "
            "the method returns. It is not reported when every call site in the project runs it under "
            "`no_grad` (a base class's `__call__` that runs `self.predict(x)` reaches a subclass's `predict` "
            "only through the subclass's own `__call__` when one overrides it: a `@torch.no_grad()` override "
            "that calls `super().__call__(...)` makes the subclasses' `predict` run with grad off; a call through a name bound to the method, `fn = self._eval_batch`, counts as a call "
            "where the name is bound), or (evaluation by name only, no `.eval()`) when training code in the "
            "project calls it; a public method meant to stay differentiable for outside "
            "callers can say so with `# noqa: NG001`."
        ),
        why=(
            "With gradients enabled, every forward pass records the autograd graph and keeps every "
            "intermediate activation alive until the outputs are released. Evaluation then uses several "
            "times the memory it needs (often an out-of-memory error on the validation set that training "
            "did not have) and runs slower; accumulating outputs across batches keeps the graphs of all "
            "batches alive."
        ),
        example=(
            "def evaluate(model, loader):\n"
            "    model.eval()\n"
            "    correct = 0\n"
            "    for images, labels in loader:\n"
            "        logits = model(images)\n"
            "        correct += (logits.argmax(1) == labels).sum().item()\n"
            "    return correct / len(loader.dataset)\n"
        ),
        use_instead=(
            "def evaluate(model, loader):\n"
            "    model.eval()\n"
            "    correct = 0\n"
            "    with torch.no_grad():\n"
            "        for images, labels in loader:\n"
            "            logits = model(images)\n"
            "            correct += (logits.argmax(1) == labels).sum().item()\n"
            "    return correct / len(loader.dataset)\n"
        ),
        fix_safety=(
            "The fix wraps the loop in `with torch.no_grad():` (or, for a loop that yields, decorates the "
            "function with `@torch.no_grad()`), and a single forward's statement the same way (or, when the "
            "function runs more forwards, a second network or the same one on the other side of an `if`, "
            "decorates the function, so that no path still records a graph), using the module's torch alias "
            "and adding `import torch` only when there is none. It is unsafe: if code after the loop does call backward on something "
            "computed in it (for example through a helper the linter cannot see), that backward now fails, "
            "and tensors created in the loop no longer require grad."
        ),
    )

    VALID = (
        # a loop that registers a hook per layer on an evaluated model: a call handed a function,
        # whose result nothing keeps, runs no forward
        "import torch\nfrom functools import partial\ndef store(v, hook, out):\n    out.append(v.detach())\n\n"
        "def harvest(model, names, batches):\n    model.eval()\n    out = []\n    for name in names:\n"
        "        model.add_hook(name, partial(store, out=out))\n    with torch.no_grad():\n"
        "        for b in batches:\n            model(b)\n    return out\n",
        # a loop not named like evaluation whose outputs reach the caller (or a list it passed)
        "import torch\ndef collect(net, batches, sink):\n    for x in batches:\n        sink.append(net(x))\n",
        "import torch\nclass Agent:\n    def act(self, states):\n        for s in states:\n"
        "            dist = torch.distributions.Categorical(logits=self.policy(s))\n"
        "            self.log_probs.append(dist.log_prob(dist.sample()))\n",
        # the loop's helper calls an attack that backpropagates: the loop needs gradients
        "import torch\ndef shift(net, x, y):\n    x = x.clone().requires_grad_(True)\n    net(x).sum().backward()\n"
        "    return x.grad.sign()\n\ndef hard(net, x, y):\n    return net(x + shift(net, x, y))\n\n"
        "def robust(net, loader):\n    net.eval()\n    return [hard(net, x, y).argmax(1) for x, y in loader]\n",
        # wrapped in no_grad / inference_mode / decorated
        "import torch\ndef evaluate(model, loader):\n    model.eval()\n    with torch.no_grad():\n"
        "        for x, y in loader:\n            out = model(x)\n",
        "import torch\n@torch.inference_mode()\ndef predict(model, loader):\n"
        "    return [model(x) for x in loader]\n",
        "from torch import no_grad as ng\n@ng()\ndef validate(net, loader):\n    for x, _ in loader:\n        net(x)\n",
        # set_grad_enabled(phase == 'train') loops
        "import torch\ndef run_epoch(model, loader, phase):\n    model.train() if phase == 'train' else model.eval()\n"
        "    for x, y in loader:\n        with torch.set_grad_enabled(phase == 'train'):\n            out = model(x)\n",
        # gradient-based evaluation: saliency, adversarial examples, test-time adaptation
        "import torch\ndef evaluate_saliency(model, loader):\n    model.eval()\n    maps = []\n"
        "    for x, y in loader:\n        x.requires_grad_()\n        score = model(x).gather(1, y[:, None]).sum()\n"
        "        score.backward()\n        maps.append(x.grad.abs())\n    return maps\n",
        "import torch\ndef evaluate_robust(model, loader, eps):\n    model.eval()\n    for x, y in loader:\n"
        "        x_adv = pgd_attack(model, x, y, eps)\n        out = model(x_adv)\n",
        # training loop (backward), even in a function that also puts the model in eval mode later
        "import torch\ndef train(model, loader, opt):\n    model.train()\n    for x, y in loader:\n"
        "        loss = model(x).sum()\n        opt.zero_grad()\n        loss.backward()\n        opt.step()\n",
        # only ever called under no_grad
        "import torch\ndef evaluate(model, loader):\n    model.eval()\n    return [model(x) for x in loader]\n\n"
        "def main(model, loader):\n    with torch.no_grad():\n        evaluate(model, loader)\n",
        # Lightning runs validation_step with grad disabled
        "import torch\nimport pytorch_lightning as pl\nclass Model(pl.LightningModule):\n"
        "    def validation_step(self, batch, idx):\n        for x in batch:\n            self.net(x)\n",
        # an inference-named helper that training also backpropagates through: callers decide
        "import torch\ndef tiled_inference(net, image, tile=256):\n"
        "    return torch.cat([net(t) for t in image.split(tile, -1)], -1)\n\n"
        "def train_step(net, image, target, opt):\n    loss = (tiled_inference(net, image) - target).abs().mean()\n"
        "    loss.backward()\n    opt.step()\n",
        # an awaited call is a coroutine (an LLM judge over HTTP), not a forward pass
        "import torch\nasync def evaluate(llm, prompts):\n    return [await llm(p) for p in prompts]\n",
        # the loop does not run the model on its batches
        "import torch\ndef evaluate(model, loader, metric):\n    model.eval()\n    for preds, y in loader:\n"
        "        metric.update(preds, y)\n",
        # a plain function whose name has a model word: defined here (type inference), imported,
        # or fetched from a registry while looping over a model's modules (config validation)
        "import torch\ndef _infer_field_encoder(value):\n    return 'ndarray' if torch.is_tensor(value) else None\n\n"
        "def infer_encoders(sample):\n    return [_infer_field_encoder(item) for item in sample]\n",
        "import torch\nfrom mylib.registry import model_by_key\ndef run_eval(collector, weights):\n"
        "    for key, w in weights.items():\n        model_by_key(collector, key).load_state_dict(w)\n",
        "import torch\ndef validate(module):\n    errors = []\n    for sub_module in module.modules():\n"
        "        sub_module_validator = VALIDATORS.get(type(sub_module))\n"
        "        errors.extend(sub_module_validator(sub_module))\n    return errors\n",
        # high-level predictors whose __call__ already runs under inference_mode / no_grad
        "import torch\nfrom ultralytics import YOLO\ndef predict_folder(paths):\n    model = YOLO('yolov8n.pt')\n"
        "    return [model(p)[0].boxes.xyxy.cpu() for p in paths]\n",
        "import torch\nfrom transformers import pipeline\nclass Tagger:\n    def __init__(self):\n"
        "        self.model = pipeline('ner')\n    def predict(self, texts):\n"
        "        return [self.model(t) for t in texts]\n",
    )
    INVALID = (
        # a helper of the file that runs the network it is handed and gives back one character: its
        # graph dies inside it at every step of the sampling loop
        "import torch\ndef sample_char(net, x):\n    return str(int(net(x).argmax()))\n\n"
        "def sample_text(net, n):\n    text = ''\n    for _ in range(n):\n"
        "        text += sample_char(net, torch.full((1, 4), float(len(text))))\n    return text\n",
        # a target network no optimizer trains, run with grad on in a step whose only backward goes
        # through it: reported, but wrapping it in `no_grad` would make `backward()` raise
        Invalid(
            "import copy\nimport torch\nclass Agent:\n    def __init__(self, q):\n        self.q = q\n"
            "        self.target = copy.deepcopy(self.q)\n        self.opt = torch.optim.SGD(self.q.parameters(), lr=0.1)\n\n"
            "    def probe(self, s):\n        v = self.target(s).sum()\n        v.backward()\n        self.opt.step()\n",
            no_fix=True,
        ),
        # a module's own method looping over `self(x)`, keeping only numpy arrays
        "import numpy as np\nimport torch\nfrom torch import nn\nclass Encoder(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.lin = nn.Linear(4, 2)\n\n"
        "    def forward(self, x):\n        return self.lin(x)\n\n    def slide(self, chunks):\n"
        "        return np.vstack([self(c).detach().numpy() for c in chunks])\n",
        # an accuracy pass after the step, a second forward of the network the loop trains
        "import torch\ndef run_epoch(net, batches, loss_fn, opt):\n    hits = 0\n    for x, y in batches:\n"
        "        loss_fn(net(x), y).backward()\n        opt.step()\n        scores = net(x)\n"
        "        hits += int((scores.argmax(1) == y).sum())\n    return hits\n",
        # A validation loss, through a helper, inside the training loop: only `.item()` is kept.
        "import torch\ndef loss_fn(net, x, y):\n    return (net(x) - y).pow(2).mean()\n\n"
        "def fit(net, batches, held_out, opt):\n    for x, y in batches:\n        loss_fn(net, x, y).backward()\n"
        "        opt.step()\n        val = 0.0\n        for hx, hy in held_out:\n"
        "            val += loss_fn(net, hx, hy).item()\n",
        # a predict method that puts its module in eval mode and returns one forward with grad on
        Invalid(
            "import torch\nfrom torch import nn\nclass Emulator(nn.Module):\n    def __init__(self):\n"
            "        super().__init__()\n        self.net = nn.Linear(3, 1)\n\n    def forward(self, x):\n"
            "        return self.net(x)\n\n    def predict(self, x):\n        self.eval()\n        return self(x)\n",
            expected_fix=(
                "import torch\nfrom torch import nn\nclass Emulator(nn.Module):\n    def __init__(self):\n"
                "        super().__init__()\n        self.net = nn.Linear(3, 1)\n\n    def forward(self, x):\n"
                "        return self.net(x)\n\n    def predict(self, x):\n        self.eval()\n"
                "        with torch.no_grad():\n            return self(x)\n"
            ),
        ),
        # a function that backpropagates only under its flag, called with the flag False
        Invalid(
            "import torch\nclass Runner:\n    def epoch(self, loader, train=True):\n        for x, y in loader:\n"
            "            loss = self.crit(self.model(x), y)\n            if train:\n                loss.backward()\n"
            "                self.opt.step()\n\n    def validate(self, loader):\n        self.epoch(loader, train=False)\n",
            expected_fix=(
                "import torch\nclass Runner:\n    def epoch(self, loader, train=True):\n        for x, y in loader:\n"
                "            loss = self.crit(self.model(x), y)\n            if train:\n                loss.backward()\n"
                "                self.opt.step()\n\n    def validate(self, loader):\n        with torch.no_grad():\n"
                "            self.epoch(loader, train=False)\n"
            ),
        ),
        Invalid(
            "import torch\n\n\ndef evaluate(model, loader):\n    model.eval()\n    correct = 0\n"
            "    for x, y in loader:  # batches\n        out = model(x)\n"
            "        correct += (out.argmax(1) == y).sum().item()\n    return correct\n",
            expected_fix=(
                "import torch\n\n\ndef evaluate(model, loader):\n    model.eval()\n    correct = 0\n"
                "    with torch.no_grad():\n        for x, y in loader:  # batches\n            out = model(x)\n"
                "            correct += (out.argmax(1) == y).sum().item()\n    return correct\n"
            ),
        ),
        Invalid(
            "import torch as T\n\nmodel.eval()\npreds = [model(x) for x in test_loader]\n",
            expected_fix="import torch as T\n\nmodel.eval()\nwith T.no_grad():\n    preds = [model(x) for x in test_loader]\n",
        ),
        Invalid(
            "from torch import nn\n\n\ndef predict(self, loader):\n    for batch in loader:\n"
            "        yield self.model(batch)\n",
            expected_fix=(
                "from torch import nn\nimport torch\n\n\n@torch.no_grad()\ndef predict(self, loader):\n"
                "    for batch in loader:\n        yield self.model(batch)\n"
            ),
        ),
        # validation inside the training function, after model.eval()
        "import torch\ndef fit(model, train_loader, val_loader, opt, epochs):\n    for epoch in range(epochs):\n"
        "        model.train()\n        for x, y in train_loader:\n            loss = model(x).sum()\n"
        "            loss.backward()\n            opt.step()\n        model.eval()\n        val_loss = 0.0\n"
        "        for x, y in val_loader:\n            val_loss += model(x).sum().item()\n",
        "import torch\ndef run_inference(net, loader):\n    outputs = []\n    it = iter(loader)\n"
        "    while True:\n        batch = next(it, None)\n        if batch is None:\n            break\n"
        "        outputs.append(net.forward(batch))\n    return outputs\n",
        # a part of the model just put in eval mode
        "import torch\ndef class_means(model, loader):\n    model.eval()\n    feats = []\n    for x, y in loader:\n"
        "        feats.append(model.feature_extractor(x))\n    return torch.cat(feats).mean(0)\n",
        # the raw network under a predictor wrapper, and a local function that runs a model
        "import torch\nfrom ultralytics import YOLO\ndef predict(loader):\n    model = YOLO('yolov8n.pt').model\n"
        "    return [model(x) for x in loader]\n",
        "import torch\ndef predict(net, loader):\n    def model_fn(x):\n        return net(x).softmax(-1)\n"
        "    return [model_fn(x) for x in loader]\n",
        # any name: nothing the loop computes from the network reaches a backward pass or the caller
        # (the linter reads a file that mentions grad mode, evaluation or a backward pass)
        "import torch\ndef count_hits(net, batches):\n    hits = 0\n    for x, y in batches:\n"
        "        hits += (net(x).argmax(1) == y).sum().item()\n    return hits\n\n"
        "def fit(net, batches, opt):\n    for x, y in batches:\n        net(x).sum().backward()\n        opt.step()\n",
        # `volatile=True` asked for inference before torch 0.4 (a no-op since)
        "import torch\nfrom torch.autograd import Variable\ndef embed_all(encoder, batches):\n"
        "    return [encoder(Variable(b, volatile=True)).data.numpy() for b in batches]\n",
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._eval_re = ctx.settings.eval_name_re
        self._train_re = ctx.settings.train_name_re
        # The module scope (a script, or a notebook whose cells share it).
        module_scope = ctx.shared.setdefault("NG001.module", _Scope(None, False))
        module_scope.loops, module_scope.closed = [], []
        self._scopes: list[_Scope] = [module_scope]
        self._statement: Optional[cst.CSTNode] = None
        self._grad_functions: set = set()  # names of this file's functions that use gradients
        self._grad_classes: set = set()  # keys of this file's classes with a method that uses gradients
        self._wrappers: list = []  # scopes with only held_forwards (_report_wrapper_forwards)
        self._trained_names: set = set()  # receivers put in train mode anywhere in the file
        self._flagged: dict = {}  # (class key or None, name) -> scope of a flag-guarded function
        # (class key or None, name) of the functions handed to an ignite `Engine(step)`: the engine
        # runs each once per batch, a loop whose body is the function (_engine_step).
        self._engine_steps: set = set()
        self._handlers: list = []  # open `except` clauses
        # Calls outside loops handing a model put in eval mode to a function of the file.
        self._handoffs: list = []
        # Forwards of a model in eval mode inside a loop whose statement drops the graph at once
        # (`pred = net(x).argmax(-1).cpu().numpy()`): (call, model, condition, loop, scope, statement).
        self._dropped: list = []
        # Eval-mode forwards after a training function's last backward: (call, message, fix, condition).
        self._late_forwards: list = []
        self._managers: set = set()  # ids of the calls `with` statements enter
        self._volatile: list = []  # _volatile_forwards' findings, unless their loop is reported
        self._volatile_attrs: set = set()  # (class key, attribute) bound to a volatile Variable
        self._method_names: Optional[tuple] = None  # (number of the file's classes, their method names)
        # Forwards in comprehensions that keep only values without a graph, in functions that train
        # (the loop path judges the others): (call, model, via, condition, loop, scope, whether the
        # statement holding it keeps no graph either, so that `no_grad` around it is safe).
        self._detached_comprehensions: list = []
        # Forwards in loops of functions not named like evaluation: id -> whether the call returns a
        # graph (True, or the call atoms the project decides: a module whose `forward` computes
        # under `no_grad` records nothing).
        self._free_forwards: dict = {}
        self._forward_refs: dict = {}  # id(call) -> _forward_ref of a direct forward, taken when it is walked
        self._reported_loops: set = set()  # id() of the loops reported as evaluation loops
        # id(forward call) -> the qualified class its model was built from, when the file says
        # (`self.cb_model = ClusterBackend(...)`): the project says whether it holds parameters.
        self._model_classes: dict = {}
        self._calls_cache: "dict | None" = None  # _calls_by_name
        self._stepping_functions: set = set()  # names of the file's functions that take a training step
        # ids of forward calls whose result is discarded (`self.agent(workspace, t=t)` as a
        # statement): run for what they write elsewhere (the workspace, the object's state).
        self._discarded: set = set()
        # Discarded calls handed a function (`model.add_hook(name, hook)`): registrations, no forwards.
        self._registrations: set = set()
        # class key -> (parts of `self` its `__init__` freezes, its calls that may freeze one).
        self._init_freezes: dict = {}
        self._switches: dict = {}  # id(FunctionDef) -> its own mode switches (analysis.modes)
        self._fallbacks: set = set()  # ids of `except` clauses whose `try` runs under no_grad
        self._false_calls: list = []  # (call, caller scope, statement, condition): a literal True/False passed
        self._trained_through: set = set()  # id() of those calls whose graph the caller backpropagates
        self._class_attrs: dict = {}  # class key -> its attributes built in `__init__` (attr -> constructor)
        self.networks = Networks(ctx)  # what the file's classes, attributes and locals are as networks
        self._loaders: dict = {}  # id(FunctionDef) -> (it, whether it returns a model it put in eval mode)
        # (class key of a method or None, function name) -> scopes of functions that put a model in
        # eval mode and run it once (`validation_step`), without using gradients.
        self._evaluators: dict = {}
        self._candidates: list[_Loop] = []
        self._awaited: Optional[cst.CSTNode] = None
        self._class_depths: list[int] = []  # len(self._scopes) at each open class body
        self._by_callers: list[dict] = []  # per open class body: modes.evaluated_by_callers
        self._by_init: list[frozenset] = []  # per open class body: modes.evaluated_by_init
        self._global_evals: Optional[frozenset] = None  # modes.evaluated_globals, on first use
        self._evaluated_arguments: Optional[dict] = None  # modes.evaluated_arguments, on first use
        self._if_frames: list = []  # per open `if`: [node, scope, the models hidden on this side]
        self._scope_of: dict = ctx.shared.setdefault("NG001.scope_of", {})  # FunctionDef -> _Scope
        self._in_import = False
        # class key -> [attributes assigned a predictor wrapper anywhere in the class
        # (`self.model = YOLO(w)`), attributes assigned anything else].
        self._wrapper_attrs: dict = ctx.shared.setdefault("NG001.wrapper_attrs", {})

    # -- scopes ----------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        name = node.name.value
        outer = self._scopes[-1]
        klass = self.ctx.klass
        if klass is not None:
            self._class_attrs[klass.key] = klass.attr_types
        is_module_class = klass is not None and klass.derives_from("Module", "LightningModule")
        eval_named = bool(self._eval_re.search(name))
        # A unittest test method is not evaluation code.
        skip = outer.skip or name.startswith("test") and klass is not None and (
            klass.derives_from("TestCase") or klass.name.startswith("Test") or klass.name.endswith(("Test", "Tests")))
        # A module's `forward` runs in its caller's grad mode and what it computes is differentiated
        # by training: a sub-module put in eval mode inside it (ghost batch norm) is not evaluation.
        # (Except for `Variable(x, volatile=True)`: before 0.4 nothing computed from it could be
        # differentiated, whatever method computes it.)
        volatile_ok = not skip
        skip = skip or name == "forward" and klass is not None
        functions = outer.functions + (node,)
        method = bool(self._class_depths and self._class_depths[-1] == len(self._scopes))
        if not method:
            outer.defs[name] = node  # not a method: a function the outer scope calls by name
        scope = _Scope(
            node, eval_named, is_module_class, functions=functions, skip=skip, parent=outer,
            klass=klass.key if klass is not None else None, method=method,
            key=self.ctx.function.key if self.ctx.function is not None else "",
        )
        scope.volatile_ok = volatile_ok
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            scope.assigned.add(param.name.value)
        for star in (params.star_arg, params.star_kwarg):
            if type(star) is cst.Param:
                scope.assigned.add(star.name.value)
        # (A static method's callers pass no object: its first parameter may be a flag too.)
        scope.flags = function_flags(node, method and not decorated_with(node, "staticmethod"))
        if outer.node is None and not method:
            if self._global_evals is None:
                module = self.ctx.module_node
                self._global_evals = evaluated_globals(module) if module is not None and self.ctx.switches_to_eval \
                    else frozenset()
            scope.inherited = frozenset(n for n in outer.evaluated | self._global_evals
                                        if "." not in n and n not in scope.assigned)
            scope.evaluated |= scope.inherited
            if not skip:
                if self._evaluated_arguments is None:
                    module = self.ctx.module_node
                    self._evaluated_arguments = evaluated_arguments(module) if (
                        module is not None and self.ctx.switches_to_eval) else {}
                scope.by_callers = self._evaluated_arguments.get(name, frozenset())
                scope.evaluated |= scope.by_callers
        elif not method and outer.node is not None:
            # A closure (`def get_pred(x): return inception_model(x)` after `inception_model.eval()`)
            # runs the enclosing function's models in the mode they had when it was defined.
            scope.inherited = frozenset(n for n in outer.evaluated if "." not in n and n not in scope.assigned)
            scope.evaluated |= scope.inherited
        elif method and not skip:
            scope.by_callers = self._by_callers[-1].get(name, frozenset())
            scope.evaluated |= scope.by_callers
            if name != "__init__":
                scope.by_init = self._by_init[-1]
                scope.evaluated |= scope.by_init
        self._scopes.append(scope)
        self._scope_of[node] = scope

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        self._handlers.append(node)

    def leave_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        self._handlers.pop()

    def visit_Try(self, node: cst.Try) -> None:
        # `try: with torch.no_grad(): out = model(x)  except RuntimeError: out = model(x)`: the
        # handlers' forward passes are the deliberate fallback for models that need gradients.
        if any(type(s) is cst.With and self._disables_with(s) for s in walk_nodes(node.body)):
            self._fallbacks.update(id(h) for h in node.handlers)

    def _guard(self, scope: _Scope):
        """The flag guard of the innermost open branch on a flag of the function (flags.guard)."""
        return guard(scope.flags, (*scope.exits, *self.ctx.branches) if scope.exits else self.ctx.branches)

    def _script(self) -> bool:
        """Whether module-level loops are judged like a function's loops: a script's, and a
        notebook's (its cells share one module scope; the later cells that may use what one
        computes are in the file, and the escapes analysis reads them)."""
        return True

    def _free_loops(self, scope: _Scope) -> None:
        """Whether the graphs of a scope's name-free forwards die with it (escapes.py): the whole
        function when it backpropagates through nothing itself, else each loop of a function that
        trains (a validation pass inside training). The callees it hands them to are the project's."""
        if not scope.free or scope.skip:
            return
        if not scope.needs_grad:
            # The callees it runs that need gradients are left to the project (the finding's condition).
            handed: list = []
            scope.graph_unused = not self.ctx.graph_escapes(handed, scope.sources)
            scope.handed = tuple(handed)
        elif not scope.nested_grad:
            for loop in scope.closed:
                sources = {id(c[0]) for c in loop.calls if id(c[0]) in self._free_forwards}
                if sources and not loop.needs_grad and not sources & scope.stateful:
                    handed = []
                    loop.graph_unused = not self.ctx.graph_escapes(handed, sources, scope.sinks)
                    loop.handed = tuple(handed)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        scope = self._scopes.pop()
        if scope.method and scope.klass is not None and node.name.value == "__init__":
            # `self.fix_network(self.vit)` / `self.vit.requires_grad_(False)` in `__init__`: parts
            # of the object frozen for all its methods (the calls' effect: Condition.freezes).
            self._init_freezes[scope.klass] = (
                {n for n in scope.frozen if n.startswith("self.")},
                [(n, p) for n, p in scope.freeze_calls if n.startswith("self.")])
        if not scope.needs_grad:
            self._free_loops(scope)
        if scope.flag_used and not scope.needs_grad and not scope.skip:
            # `def iteration(self, loader, train=True)`: evaluation when a caller passes False.
            self._flagged[(scope.klass if scope.method else None, node.name.value)] = scope
        self._check_held(scope)
        if (scope.forwards or scope.held_forwards) and not scope.needs_grad and not scope.skip and not scope.loops:
            # A single forward's result may go out through what the function returns: by its
            # summary (`tokens, tags` of unknown kind), or by where the forward's graph flows.
            # (Asked here, while the walker holds the function; its summary is made after this.)
            if not scope.eval_named or scope.held_forwards:
                handed: list = []
                scope.forwards_escape = self.ctx.graph_escapes(
                    handed, {id(f[0]) for f in scope.forwards + scope.held_forwards}, [])
                scope.forwards_handed = tuple(handed)
        if scope.sinks and self._false_calls:
            # `res = self.adversarial_loss(y, z, compute_penalty=False)`, then `loss = ... - res["adv"]`
            # backpropagated: the call's graph is what the caller trains through (asked while the
            # walker holds the caller).
            for entry in self._false_calls:
                if entry[1] is scope and self.ctx.graph_escapes(None, {id(entry[0])}, scope.sinks, callers=False):
                    self._trained_through.add(id(entry[0]))
        if scope.needs_grad and not scope.skip:
            for loop in scope.closed:
                if loop.calls and not loop.needs_grad and not any(c[4] for c in loop.calls):
                    # A model put in eval mode (a frozen backbone's batch norm) still trains if its
                    # graph reaches the function's backward pass.
                    # (Only the loop's forwards: `range(layer.out_channels)`, `enumerate(loader)` or
                    # an imported `tqdm(names)` computes no graph of the model's.)
                    loop.feeds_training = self.ctx.graph_escapes(
                        None, {id(c[0]) for c in loop.calls if c[1].partition(".")[0] not in _BUILTIN_NAMES
                               and self._is_model(scope, c[1])}, scope.sinks)
        if scope.needs_grad:
            # A loop of a training function whose forwards' graph reaches no gradient use nor the
            # callers: a validation pass inside training (escapes.FunctionEscapes.graph_reaches).
            self._free_loops(scope)
        if scope.needs_grad or scope.flag_used:
            if scope.klass is not None:
                self._grad_classes.add(scope.klass)
        if scope.needs_grad:
            self._grad_functions.add(node.name.value)
            if _takes_steps(scope):
                self._stepping_functions.add(node.name.value)
            if scope.forwards and not scope.skip and not scope.flag_used:
                self._forward_after_training(scope)
            # (Gradients used only in a nested function: the function hands a training step to
            # someone else, unless it steps an optimizer itself, as with an LBFGS closure.)
            if not scope.skip and not scope.flag_used and (not scope.nested_grad or _takes_steps(scope)) and (
                    not scope.method or self._predictor_method(scope)):
                self._detached_forwards(scope)
                self._untrained_forwards(scope)
            if scope.volatile and not scope.skip:
                self._volatile_forwards(scope)
        elif scope.volatile and scope.volatile_ok:
            self._volatile_forwards(scope, anywhere=True)
            if scope.forwards and not scope.skip:
                key = (scope.klass if scope.method else None, node.name.value)
                self._evaluators.setdefault(key, []).append(scope)
        elif scope.forwards and not scope.skip:
            key = (scope.klass if scope.method else None, node.name.value)
            self._evaluators.setdefault(key, []).append(scope)
        elif scope.held_forwards and not scope.skip and not scope.loops:
            self._wrappers.append(scope)

    # -- `if` sides: an eval made on one side of a test is not in force on the other ------------
    def visit_If(self, node: cst.If) -> None:
        if self._if_frames and self._if_frames[-1][0].orelse is node:
            self._other_side(self._if_frames[-1])  # an `elif`: the other side of the outer test
        frame = [node, self._scopes[-1], frozenset()]
        self._if_frames.append(frame)
        self._hide(frame, True)

    def visit_Else(self, node: cst.Else) -> None:
        if self._if_frames and self._if_frames[-1][0].orelse is node:
            self._other_side(self._if_frames[-1])

    def leave_If(self, node: cst.If) -> None:
        if self._if_frames and self._if_frames[-1][0] is node:
            node, scope, hidden = self._if_frames.pop()
            scope.evaluated |= hidden
        scope = self._scopes[-1]
        if scope.flags.tested and scope.node is not None and type(scope.node.body) is cst.IndentedBlock \
                and any(s is node for s in scope.node.body.body):
            exit_ = early_exit(node)
            if exit_ is not None:
                scope.exits += (exit_,)

    def _other_side(self, frame: list) -> None:
        frame[1].evaluated |= frame[2]
        self._hide(frame, False)

    def _hide(self, frame: list, side: bool) -> None:
        """Take out of eval mode, while this side of the test is walked, the models put there on
        its other side (the same test, written the same way, in an earlier `if`)."""
        node, scope = frame[0], frame[1]
        here = ((node.test, side),)
        hidden = frozenset(r for r in scope.evaluated if excluded_by_test(scope.eval_tests.get(r, ()), here))
        scope.evaluated -= hidden
        frame[2] = hidden

    def _report_script_forward(self, scope: _Scope) -> None:
        """`net.eval(); pred = net(img); np.argmax(pred.cpu().numpy())` at a script's module level:
        a forward of a model the script put in eval mode whose graph reaches nothing (a module has
        no callers), in a script that uses no gradients anywhere. Not in notebooks: a later cell
        may backpropagate through it (a saliency map)."""
        if not scope.forwards or scope.needs_grad or self.ctx.path.endswith(".ipynb"):
            return
        forwards = [f for f in scope.forwards if f[3] is not False and f[4] is not False]
        if not forwards or self.ctx.graph_escapes([], {id(f[0]) for f in forwards}, []):
            return
        call, model, _, condition, graph = forwards[0]
        if not self._is_model(scope, model) or self._stale_global(scope, model):
            return
        condition = _without_gradients(self._forward_condition(call, condition, graph), scope.call_refs)
        message = (f"the script puts `{model}` in eval mode and runs it with gradients enabled, and nothing uses "
                   "them: the forward records a graph nothing backpropagates; run it inside `torch.no_grad()`")
        self.report(call, message, fix=self._call_fix(statement_of(self.ctx.module_node, call), scope),
                    condition=condition)

    def _check_held(self, scope: _Scope) -> None:
        """The kept forwards of eval-mode models in a loop that trains (``_Scope.held``): dropped
        when their graph reaches no gradient use of the function (or script) nor its callers."""
        # (A script's own functions are no closures that train later: the loop calls them, and what
        # it hands them is followed.)
        if scope.held and scope.needs_grad and not scope.skip and (not scope.nested_grad or scope.node is None):
            # (A function that trains itself, or a loop that calls a function of the file that takes a
            # training step, `train_G()`: an attack's helper in an evaluation loop is no training.)
            steps = _takes_steps(scope) or any(
                type(s) is cst.Call and type(s.func) is cst.Name and s.func.value in self._stepping_functions
                for s in scope.sinks)
            for call, model, condition, loop, statement in scope.held:
                handed: list = []
                if loop.needs_grad and steps and not self.ctx.graph_escapes(handed, {id(call)}, scope.sinks):
                    # A helper that gets the graph and whose result the loop keeps (`psnr =
                    # batch_psnr(out, x)`): the finding holds if it uses no gradients itself.
                    self._dropped.append((call, model, _without_gradients(condition, set(handed)), loop, scope,
                                          statement, True))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._scopes[-1].defs[node.name.value] = None  # a constructor, not a model
        klass = self.ctx.klass
        self._class_depths.append(len(self._scopes))
        self._by_callers.append(evaluated_by_callers(node) if self.ctx.switches_to_eval else {})
        # An `nn.Module`'s `train()` reaches its sub-modules: its constructor's eval mode may not last.
        self._by_init.append(evaluated_by_init(node, self.ctx.aliases) if self.ctx.switches_to_eval and klass is not None
                             and not klass.derives_from("Module", "LightningModule") else frozenset())

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self._class_depths.pop()
        self._by_callers.pop()
        self._by_init.pop()

    def visit_Import(self, node) -> None:
        self._in_import = True

    def leave_Import(self, node) -> None:
        self._in_import = False

    visit_ImportFrom = visit_Import
    leave_ImportFrom = leave_Import

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statement = node

    def leave_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statement = None

    # -- loops -----------------------------------------------------------------------------
    def _open(self, node: cst.CSTNode) -> _Loop:
        scope = self._scopes[-1]
        parent = scope.loops[-1] if scope.loops else None
        statement = None if type(node) in (cst.For, cst.While) else self._statement
        loop = _Loop(node, scope, parent, statement, frozen=frozenset(scope.frozen),
                     freeze_mark=len(scope.freeze_calls), branch_depth=len(self.ctx.branches))
        scope.loops.append(loop)
        return loop

    def _close(self, node: cst.CSTNode) -> None:
        scope = self._scopes[-1]
        if not scope.loops or scope.loops[-1].node is not node:
            return
        loop = scope.loops.pop()
        scope.closed.append(loop)
        if loop.numpy_calls and loop.calls:
            loop.numpy_of_graph = self._numpy_of_graph(loop)
        if loop.calls and not loop.needs_grad and not _runs_once(node) and not loop.numpy_of_graph:
            self._candidates.append(loop)

    def _numpy_of_graph(self, loop: _Loop) -> bool:
        """`preds.append(softmax(clf_model(x)).cpu().numpy())`: a forward's output reaches `.numpy()`
        with its history. With grad on that raises ("Can't call numpy() on Tensor that requires
        grad"), so code that works runs the loop under its callers' `no_grad` (or with the model
        frozen): no evaluation loop with grad on."""
        env = self.ctx.env_now()
        infer = self.ctx.values.infer
        # Direct calls of a model known to be one: switched to eval or train mode (`clf_model.train()`
        # for dropout sampling), or a module by the value model; not a callable of unknown kind whose
        # output may be a tokenizer's ids.
        switched = loop.scope.evaluated | self._trained_names
        sources = {id(c[0]) for c in loop.calls if c[5] is None and (
            any(p in switched for p in prefixes(c[1])) or MODULE in infer(c[0].func, env))}
        resolve = self.ctx.aliases.resolve
        return any(_with_history(call.func.value, sources, env, 0, infer, resolve) for call in loop.numpy_calls)

    def visit_For(self, node: cst.For) -> None:
        freezing = freezing_loop(node)
        if freezing is not None:
            self._freeze(freezing[0], freezing[1])
        loop = self._open(node)
        loop.over_layers = _layer_stack(node.iter, self.ctx.klass)
        self._bind(node.target, data=not (_structure(node.iter) or loop.over_layers))

    def leave_For(self, node: cst.For) -> None:
        self._close(node)

    def visit_While(self, node: cst.While) -> None:
        self._open(node)

    def leave_While(self, node: cst.While) -> None:
        self._close(node)

    def visit_ListComp(self, node) -> None:
        self._open(node)

    leave_ListComp = _close
    visit_SetComp = visit_ListComp
    leave_SetComp = _close
    visit_DictComp = visit_ListComp
    leave_DictComp = _close
    visit_GeneratorExp = visit_ListComp
    leave_GeneratorExp = _close

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind(node.target, data=not (_structure(node.iter) or _layer_stack(node.iter, self.ctx.klass)))

    # -- names bound inside loops ----------------------------------------------------------
    def _bind(self, target: cst.BaseExpression, data: bool = True, assigned: bool = True) -> None:
        """Record the names ``target`` binds: in the scope, and as loop data (``data``: not the
        modules or parameters of a loop over ``model.modules()``)."""
        scope = self._scopes[-1]
        names: set = set()
        bound_names(target, names)
        if assigned:
            scope.assigned |= names
            for name in names & scope.volatile_names.keys():
                del scope.volatile_names[name]  # rebound (a volatile Variable bound here is added after)
            if scope.inherited:
                scope.evaluated -= names & scope.inherited  # a local of that name: not the global
        if data:
            for loop in scope.loops:
                loop.local |= names

    def _bind_value(self, target: cst.BaseExpression, value: Optional[cst.BaseExpression]) -> None:
        """`model = YOLO(w)` / `self.model = pipeline(...)`: a predictor that disables grad itself.
        A name also assigned something else (`model = torch.load(f)`) may be a model."""
        scope = self._scopes[-1]
        if type(target) is cst.Name:
            name, wrappers, rebound = target.value, scope.wrappers, scope.rebound
        elif (
            type(target) is cst.Attribute and type(target.value) is cst.Name
            and target.value.value == "self" and scope.klass is not None
        ):
            name = target.attr.value
            wrappers = self._wrapper_attrs.setdefault(scope.klass, [set(), set()])[0]
            rebound = self._wrapper_attrs[scope.klass][1]
        else:
            return
        if value is None or _placeholder(value):
            return  # `self.model = None` until a method loads it
        if type(value) is cst.Call and (predictor_wrapper(value, self.ctx.aliases) or builds_non_module(value)
                                        or self.networks.foreign_value(value)) or type(value) in _LITERALS:
            # its call needs no no_grad: it disables grad itself, or runs no torch network (a
            # literal list or number is none either: `dev_disc_costs = []`)
            wrappers.add(name)
        elif _alias_of(value, target, wrappers):
            wrappers.add(name)  # `self.decoder_tokenizer = self.encoder_tokenizer`
        else:
            same = same_object_of(value)
            if same is None or same != dotted(target):  # not `model = model.to(device)`
                rebound.add(name)

    def visit_Assign(self, node: cst.Assign) -> None:
        scope = self._scopes[-1]
        if type(node.value) is cst.Comparison:
            note_alias(scope.flags, node)  # `is_train = split == "train"`
        for target in node.targets:
            self._bind(target.target)
            self._bind_value(target.target, node.value)
            t = target.target
            if type(t) is cst.Name and (pretrained_in_eval_mode(node.value, self.ctx.aliases)
                                        or self._loads_evaluated(scope, node.value)):
                # `vae = AutoencoderKL.from_pretrained(...)`, `model = load_model()` where the file's
                # `load_model` returns the model it put in eval mode: as `.eval()` does.
                self._mode_switch(scope, t.value, "eval", cst.Call(func=cst.Name("eval")))
                scope.pretrained.add(t.value)
            if scope.klass is not None and type(t) is cst.Attribute:
                self._note_state(scope, t, node.value)
            if type(t) is cst.Attribute and t.attr.value == "requires_grad" and _true(node.value):
                # `s.requires_grad = True`: the input's gradient is wanted (an attack, a saliency
                # map reads it later, maybe in another method), as `s.requires_grad_()` says.
                self._mark_grad(t)

    def _note_state(self, scope: _Scope, target: cst.Attribute, value: cst.BaseExpression) -> None:
        """`self.fit_params.state = "val"`, or `self.fit_params = FitParams(..., state="test")` (an
        object built with a keyword keeps it as its attribute): the flag a method called next reads."""
        name = dotted(target)
        if name is None or not name.startswith("self."):
            return
        if _flag_literal(value):
            scope.state[name] = value
        elif type(value) is cst.Call:
            for arg in value.args:
                if arg.keyword is not None and _flag_literal(arg.value):
                    scope.state[f"{name}.{arg.keyword.value}"] = arg.value

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target)
        self._bind_value(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        # `from utils import resolve_model as rm` binds a function (found through the file's
        # imports), not a value the scope assigns.
        self._bind(node.name, assigned=not self._in_import)

    def visit_Await(self, node: cst.Await) -> None:
        self._awaited = node.expression

    def visit_Yield(self, node: cst.Yield) -> None:
        for loop in self._scopes[-1].loops:
            loop.has_yield = True

    # -- calls -----------------------------------------------------------------------------
    def _mark_grad(self, node: cst.CSTNode) -> None:
        current = self._scopes[-1]
        guard = self._guard(current)
        if guard is not None:
            # `if train: loss.backward()`: gradients only when the caller asks for them.
            current.flag_used.add(guard)
            return
        setting = _setting_guard(self.ctx.branches)
        if setting is not None:
            # `if self.requires_grad: x.requires_grad_(True)`: the object's setting decides, so the
            # function's own loops are not judged; for its callers it may use gradients.
            current.flag_used.add(setting)
        current.sinks.append(node)
        for scope in self._scopes:
            scope.needs_grad = True
            scope.nested_grad = scope.nested_grad or scope is not current
            for loop in scope.loops:
                loop.needs_grad = True
        scope = self._scopes[-1]
        scope.grad_uses += 1
        if not scope.loops:
            # `outs = [model(x) for x in xs]; sum(outs).backward()`: the loops before it fed it.
            for loop in scope.closed:
                loop.needs_grad = True

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "grad" and self._scopes[-1].loops:
            self._mark_grad(node)  # reads x.grad: saliency maps, gradient statistics

    # -- frozen parameters ------------------------------------------------------------------
    def _freeze(self, receiver: Optional[str], frozen: bool) -> None:
        """A model whose parameters are all frozen builds no graph from them: a loop over it
        with grad on keeps grad mode for input gradients (forces, saliency), not by mistake."""
        if receiver is not None:
            (self._scopes[-1].frozen.add if frozen else self._scopes[-1].frozen.discard)(receiver)

    def _frozen_by_helper(self, call: cst.Call) -> Optional[str]:
        """`with preserve_grad_state(model):` / `freeze(model)`: a function of the file that
        freezes the parameters of one of its arguments."""
        if type(call.func) is not cst.Name:
            return None
        fn = self._def_named(self._scopes[-1], call.func.value)
        # (with the flag the call passes: `set_requires_grad(net, requires_grad=False)`)
        position = frozen_argument(fn, call) if fn is not None else None
        if position is None or position >= len(call.args) or call.args[position].keyword is not None:
            return None
        return dotted(call.args[position].value)

    def _result_discarded(self, node: cst.Call) -> bool:
        """Whether the call is a statement of its own (`model.freeze()`, `self.agent(ws, t=t)`)."""
        statement = self._statement
        return (statement is not None and len(statement.body) == 1 and type(statement.body[0]) is cst.Expr
                and statement.body[0].value is node)

    def _may_freeze(self, scope: _Scope, node: cst.Call) -> None:
        """A call as a statement of its own (`model.freeze_head_and_trunk()`, `freeze(net)`): what
        it does to the models it is handed, the project's summaries say (Condition.freezes)."""
        func = node.func
        if type(func) is cst.Name:
            # `set_requires_grad(extractor, requires_grad=False)`: a function of the file that freezes
            # the module it is handed by the flag the call passes (its summary cannot know the flag).
            fn = self._def_named(scope, func.value)
            position = frozen_argument(fn, node) if fn is not None else None
            if position is not None and position < len(node.args) and node.args[position].keyword is None:
                self._freeze(dotted(node.args[position].value), True)
        if type(func) is cst.Attribute and (func.attr.value in NN_MODULE_METHODS or func.attr.value in CONTAINER_METHODS):
            return  # `model.eval()`, `xs.append(x)`: torch's and Python's own, read as such
        if type(func) is cst.Name and func.value in _BUILTIN_NAMES and func.value not in self.ctx.aliases.names:
            return  # `print(model)`
        scope.freeze_calls.extend((name, pair) for name, pair in freeze_demands(node, self.ctx.values) if name != "self")

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            if type(item.item) is cst.Call:
                self._freeze(self._frozen_by_helper(item.item), True)
                self._managers.add(id(item.item))

    def leave_With(self, node: cst.With) -> None:
        for item in node.items:
            if type(item.item) is cst.Call:
                self._freeze(self._frozen_by_helper(item.item), False)  # the manager restores them

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if type(func) is cst.Attribute and func.attr.value == "__call__":
            func = func.value  # `self.__call__(*batch)` is `self(*batch)`
        scope = self._scopes[-1]
        if self._result_discarded(node):
            self._may_freeze(scope, node)
        if node.args and type(func) in (cst.Name, cst.Attribute):
            self._engine_step(scope, node, func)
        if type(func) is cst.Attribute and func.attr.value == "numpy" and not node.args and scope.loops:
            for loop in scope.loops:
                loop.numpy_calls.append(node)  # judged when the loop closes (_numpy_of_graph)
        if _volatile_variable(node):
            # `Variable(x, volatile=True)`: the author asks for no graph, as torch before 0.4 spelt
            # it (a no-op since): the function evaluates, whatever its name.
            scope.eval_named = True
            self._note_volatile(scope, node)
        elif (self._volatile_attrs or scope.volatile_names) and node.args:
            self._note_volatile_attribute(scope, node)
        if type(func) is cst.Attribute and func.attr.value in TENSOR_INPLACE_METHODS and scope.loops:
            # `im_data.resize_(...).copy_(batch)`: a buffer refilled per turn is the loop's data.
            root = root_name(func.value)
            if root is not None:
                for loop in scope.loops:
                    loop.local.add(root)
        elif type(func) is cst.Name and func.value == "next" and node.args and scope.loops \
                and "next" not in self.ctx.aliases.names and "next" not in scope.defs:
            # `model(next(iterator))` in `while True:`: an iterator advanced per turn is the loop's data.
            root = root_name(node.args[0].value)
            if root is not None:
                scope.loops[-1].local.add(root)
        if (node.args or scope.state) and self._may_be_flagged(func):
            # `self.iteration(loader, train=False)`, `run_epoch(model, val_loader)` (no optimizer):
            # decided in leave_Module, once the file's flag-guarded functions are known.
            condition = self.ctx.condition_for("enabled")
            if condition is not False and not self.ctx.explicitly_enabled:
                loop = scope.loops[-1] if scope.loops else None
                self._false_calls.append((node, scope, self._statement, condition, loop,
                                          dict(scope.state) if scope.state else None))
        if type(func) is cst.Attribute:
            attr = func.attr.value
            if attr in ("eval", "train"):
                self._mode_switch(scope, dotted(func.value), attr, node)
            elif attr == "requires_grad_":
                freeze = freeze_of_call(node)  # also through `model.eval().requires_grad_(False)`
                if freeze is not None:
                    self._freeze(*freeze)
        last = func.attr.value if type(func) is cst.Attribute else func.value if type(func) is cst.Name else ""
        if last == "zero_grad":
            return  # clearing gradients is not training: evaluation code often does it too
        if last in _GRAD_MODE_CALLS and grad_api(func, self.ctx.aliases) is not None:
            return  # `torch.no_grad()` switches grad mode; it is no use of gradients
        if grad_use(node, self.ctx.aliases):
            self._mark_grad(node)
            return
        name = dotted(func)
        # Outside loops and eval mode, only a flag-testing function's forwards matter (a step its
        # caller runs per batch with the flag off); its helpers and method calls do not.
        flag_only = not scope.loops and not scope.evaluated
        if flag_only and not scope.flags.tested and not (
                scope.method and self._predictor_method(scope) or self._predictor_function(scope)):
            return  # (a predictor method of a plain class may be an inference backend's: _report_wrapper_forwards)
        if name is not None and not flag_only:
            short = last_part(name)
            # (Not a context manager a `with` enters, `with self.explainer_hook(net) as hook:`: it
            # records what runs inside; a gradient helper is called for its result.)
            if (GRAD_HELPER.search(short) and _names_gradient_helper(short, self.ctx.aliases.resolve(func))
                    and not self._visible_def(scope, func) and id(node) not in self._managers
                    or self._train_re.search(short)) and not (
                    # A value put in eval mode is a module whatever its name says (`attack_model`):
                    # its call is a forward pass, not a helper that uses gradients.
                    scope.evaluated and any(p in scope.evaluated for p in prefixes(model_receiver(func) or name))
                    # `self.to_train()` whose body switches modes: what it does is known, not training.
                    or self._helper_switches(scope, node)):
                self._mark_grad(node)
                return
            # A call under `if train:` runs only when the caller asks for gradients: it does not
            # make the loop need them when the flag is off. (A loop inside `if warm_up:` runs its
            # calls whenever it runs: only a flag tested inside the loop makes them conditional.)
            guarded = guard(scope.flags, self.ctx.branches[scope.loops[-1].branch_depth:]) if scope.loops \
                else self._guard(scope)
            ref = self.ctx.values.ref_of(func) if guarded is None else None
            if ref is None and guarded is None and type(func) is cst.Attribute and scope.evaluated \
                    and func.attr.value not in NN_MODULE_METHODS \
                    and any(p in scope.evaluated for p in prefixes(dotted(func.value) or "")):
                # `model.compute_gradient_penalty(...)` on a model of unknown class: any project
                # method of that name may be what runs, and one that uses gradients needs them here.
                ref = ("modelmethod", func.attr.value)
            if ref is not None:
                scope.call_refs.add(ref)
            for loop in scope.loops:
                loop.helpers.add(short)
                if ref is not None:
                    loop.refs.add(ref)
            if scope.loops and (type(func) is cst.Name or type(func.value) is cst.Name and func.value.value == "self"):
                # `self.validation_step(batch)`: decided in leave_Module, once the file's evaluating
                # functions are known.
                self._add_call(scope, node, name, False, (short, -3, type(func) is cst.Attribute))
            self._helper_call(scope, node)
            if type(func) is cst.Attribute:
                if scope.evaluated:
                    self._method_call(scope, node, func)
                self._own_method_call(scope, node, func)
        if node is self._awaited:
            return  # `await client.chat(...)`: a coroutine, not a torch forward pass
        if node.args and not node.args[0].star and type(func) in (cst.Name, cst.Attribute) \
                and self.ctx.aliases.resolve(func) in _DATA_PARALLEL:
            func = node.args[0].value  # `nn.parallel.data_parallel(netG, inputs, gpus)`: netG's forward
        if scope.method and type(func) is cst.Attribute:
            self._note_untrained(scope, node, func)
        model = self._model(scope, func)
        if model is None:
            return
        by_name = not scope.evaluated or not any(p in scope.evaluated for p in prefixes(model))
        if by_name and not scope.eval_named and scope.loops and (
                # A constructor builds (`[conv_module(w) for _ in range(n)]` makes layers): no evaluation.
                scope.node.name.value != "__init__" if scope.node is not None else self._script()) \
                and self._value_model(scope, model):
            # Any function's loop: evaluation when nothing it computes reaches a backward pass
            # (decided in leave_Module from the function's escapes, whatever its name).
            # What the loop uses of the call: the call, or the element it takes (`net(x)["repr"]`).
            used = next((n for n in walk_nodes(self._statement) if type(n) is cst.Subscript and n.value is node),
                        node) if self._statement is not None else node
            graph = self.ctx.values.graph(used, self.ctx.env_now())
            if graph is not True and "." not in model and (self._network_local(scope, model)
                                                           or type(node.func) is cst.Subscript):
                # A network built here (or taken from a container of networks: `teacher_models[i](x)`,
                # known by the container's name) records one.
                graph = True
            self._free_forward(scope, node, graph)
        if self.ctx.explicitly_enabled:
            return  # `with torch.enable_grad():` inside evaluation: gradients are wanted
        ref = self._forward_ref(func)
        # Kept for the findings made when the file ends, while the walker still knows the
        # function's locals (`model = Model().to(device)` inside `fit`).
        self._forward_refs[id(node)] = ref
        if ref is _ANY_FORWARD:
            # A module of unknown class: it may be any of the project's, and one whose `forward`
            # uses gradients (a force field's `autograd.grad`) needs them in this loop too.
            for loop in scope.loops:
                loop.refs.add(_ANY_FORWARD)
        self._add_call(scope, node, model, by_name, None)

    def _add_call(self, scope: _Scope, node: cst.Call, model: str, by_name: bool, via, skip=None) -> None:
        """Record a forward pass of ``model`` in every open loop, with the names its other
        arguments read (the loop's data) and the grad-mode condition in force."""
        condition = self.ctx.condition_for("enabled")
        if condition is False:
            return
        func = node.func
        if via is None and "." in model and model not in scope.evaluated and type(func) is cst.Attribute \
                and dotted(func) == model and not self.networks.module_attribute(model) \
                and not (model.count(".") == 1 and model.startswith("self.")
                         and self.ctx.values.attribute_values(func.attr.value)):
            # `self.model.parse_model(arch)` on a model put in eval mode: a part of it, unless the
            # project's methods of that name (in any file) do not run their receiver (a builder).
            # (`self.model(x)` where the class stores `self.model` is its attribute, not a method.)
            condition = _running(condition, ("modelmethod", func.attr.value), -2)
        if "." not in model and self.networks.names_a_class(model):
            return  # `base_model = GIN` ... `base_model(nfeat=...)`: a construction, not a forward
        if self._handlers and id(self._handlers[-1]) in self._fallbacks:
            return  # the grad-enabled fallback of a forward tried under no_grad first
        if not scope.loops:
            if scope.node is None and not by_name and via is None and self._statement is not None:
                # A script's own forward of a model it put in eval mode (`net.eval(); pred = net(img)`).
                scope.forwards.append((node, model, via, condition, self.ctx.values.graph(node, Env())))
                return
            if by_name and via is None and scope.method and model.startswith("self.") and not scope.flags.tested \
                    and self._predictor_method(scope):
                if self._wrapper_network(scope, model):
                    scope.held_forwards.append((node, model, via, condition, self.ctx.values.graph(node, Env())))
                    return
                if self.networks.stores_imported_instance(model):
                    # `self.actor = Actor(...)` with `Actor` another file's: a forward when that
                    # class's summary says calling it records a graph.
                    graph = _summary_atoms(self.ctx.values.graph(node, Env()))
                    if graph:
                        scope.held_forwards.append((node, model, via, condition, graph))
                        return
            if by_name and via is None and "." not in model and not scope.flags.tested \
                    and self._predictor_function(scope) and model in scope.assigned \
                    and not _made_up_input(node, self.ctx.aliases):
                # `def predict(model, x): return model.forward(x).data.numpy().argmax(1)`.
                scope.held_forwards.append((node, model, via, condition, self.ctx.values.graph(node, Env())))
                return
            if scope.node is not None and (via is None or via[1] != -3) and (not by_name or scope.flags.tested):
                # What the call returns, by the value model: a result without a graph (a module
                # whose forward computes with numpy) is nothing to protect.
                forward = (node, model, via, condition, self.ctx.values.graph(node, Env()))
                (scope.flag_forwards if by_name else scope.forwards).append(forward)
                if not by_name:
                    scope.uses_before[id(node)] = scope.grad_uses
            return
        names = set()
        for arg in node.args:
            if arg is not skip:
                names |= expr_names(arg.value)
        if via is None:
            built = self.networks.class_of(model)
            if built is not None:
                self._model_classes[id(node)] = built
        if self._result_discarded(node):
            self._discarded.add(id(node))
            if self._hands_function(node):
                self._registrations.add(id(node))
        # Under `if train:` (a flag of the function): it runs only when the caller asks for gradients.
        guarded = self._guard(scope) is not None
        for loop in scope.loops:
            loop.calls.append((node, model, names, condition, by_name, via, guarded))
        # What the enclosing comprehension, or the statement, keeps of the forward: nothing with a
        # graph (`[net(x).argmax(1).cpu() for x in xs]`, `pred = net(x).argmax(-1).numpy()`).
        loop = scope.loops[-1]
        comprehension = type(loop.node) in _COMPREHENSIONS and (via is None or via[1] >= 0)
        # (A call of a function of the file that puts a model in eval mode and runs it, `x =
        # sample(z)` in a training loop, is that model's forward, kept as the statement keeps it.)
        value = self._statement_value() if via is None or via[1] == -3 and not comprehension \
            and self._evaluated_by(scope, via) is not None else None
        # A network known by its name only counts when the statement detaches its output at once
        # (`img = make_grid(self.G(z).cpu().data)`) and keeps no graph (not a discriminator loss
        # over `netd(netg(z).detach())`, which wrapping would break).
        at_once = value is not None and value is not node and _detached_at_once(value, node)
        if by_name and not at_once:
            value = None
        if not comprehension and value is None:
            return
        values, env = self.ctx.values, self.ctx.env_now()
        if values.graph(node, env) is False:
            return  # the call records no graph to drop
        if comprehension and values.graph(loop.node.value if type(loop.node) is cst.DictComp else loop.node.elt,
                                          env) is False:
            # The fix wraps the whole statement: only where the statement keeps no graph either
            # (`loss = ce(net(x), y) + torch.stack([net(a).detach() for a in anchors]).mean()` trains).
            whole = self._statement_value()
            fixable = whole is not None and values.graph(whole, env) is False
            loop.statement_trains = loop.statement_trains or not fixable
            self._detached_comprehensions.append((node, model, via, condition, loop, scope, fixable))
        if value is not None and value is not node and values.graph(value, env) is False:
            self._dropped.append((node, model, condition, loop, scope, self._statement, False))
        elif value is not None and not comprehension and not by_name:
            # `y = netg(z).view(...)`: whether the kept graph reaches a gradient use of the function is
            # known when it ends (escapes.graph_reaches).
            scope.held.append((node, model, condition, loop, self._statement))

    def _hands_function(self, call: cst.Call) -> bool:
        """Whether a call is handed a function: a lambda, a function of the file, a method of the
        current class (`self.on_batch`), or a name bound only to one or to `functools.partial(...)`.
        A statement that hands a model a callback and keeps nothing (`model.add_hook(name, hook)`)
        registers it; a forward takes tensors and gives one back."""
        env = self.ctx.env_now()
        top = self.ctx.top_functions()
        klass = self.ctx.klass
        for arg in call.args:
            value = arg.value
            if type(value) is cst.Lambda or type(value) is cst.Call and \
                    self.ctx.aliases.resolve(value.func) == "functools.partial":
                return True
            if type(value) is cst.Attribute and type(value.value) is cst.Name and value.value.value == "self":
                if klass is not None and klass.method_def(value.attr.value) is not None:
                    return True
                continue
            if type(value) is not cst.Name:
                continue
            bound = env.values.get(value.value) if env is not None else None
            if not bound:
                if value.value in top:
                    return True
                continue
            if all(type(v) is cst.Call and self.ctx.aliases.resolve(v.func) == "functools.partial" for v in bound):
                return True
        return False

    def _numpy_output(self, loop: _Loop, call: cst.Call) -> bool:
        """`out = compiled(x); torch.from_numpy(out["score"])`: the loop converts what the call
        returns from NumPy, so the callee is no torch module (an OpenVINO or ONNX Runtime model)
        and records no graph. So when the call takes only NumPy arrays (`f(x.numpy())`: a torch
        module's forward takes tensors), or `np.array(...)` takes its result at once (which raises
        on a tensor that requires grad): a JAX or NumPy function beside the torch branch."""
        positional = [a.value for a in call.args if a.keyword is None and not a.star]
        if positional and all(type(v) is cst.Call and type(v.func) is cst.Attribute and v.func.attr.value == "numpy"
                              for v in positional):
            return True
        bound = None
        for node in walk_nodes(loop.node):
            if type(node) is cst.Call and node.args and node.args[0].value is call \
                    and self.ctx.aliases.resolve(node.func) in ("numpy.array", "numpy.asarray"):
                return True
            if type(node) is cst.Assign and node.value is call and len(node.targets) == 1 \
                    and type(node.targets[0].target) is cst.Name:
                bound = node.targets[0].target.value
                break
        if bound is None:
            return False
        for node in walk_nodes(loop.node):
            if type(node) is cst.Call and node.args and root_name(node.args[0].value) == bound \
                    and self.ctx.aliases.resolve(node.func) == "torch.from_numpy":
                return True
        return False

    def release(self) -> None:
        # A scope lists its loops and each loop points back at its scope.
        for scope in (*self._scope_of.values(), *self._scopes):
            scope.loops = []
            scope.closed = []
            scope.parent = None
        self._candidates = []

    def _may_be_flagged(self, func: cst.BaseExpression) -> bool:
        """Whether a call may name a function of this file that trains by its flags: a function
        defined at the file's top level, or a method of the current class."""
        if type(func) is cst.Name:
            return func.value in self.ctx.top_functions()
        if type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value == "self":
            klass = self.ctx.klass
            return klass is not None and klass.method_def(func.attr.value) is not None
        return self._class_method_called(func) is not None

    def _class_method_called(self, func: cst.BaseExpression):
        """The class of this file whose static or class method a call names through the class
        (`Runner._run(...)`, `Runner.run_epoch(...)`), or None."""
        if not (type(func) is cst.Attribute and type(func.value) is cst.Name):
            return None
        info = self.ctx.class_infos.get(func.value.value)
        fn = info.method_def(func.attr.value) if info is not None else None
        return info if fn is not None and decorated_with(fn, "staticmethod", "classmethod") else None

    def _statement_value(self) -> Optional[cst.BaseExpression]:
        """The value of the current statement when it is `x = value` (one target), else None."""
        line = self._statement
        if line is None or len(line.body) != 1:
            return None
        small = line.body[0]
        if type(small) is cst.Assign and len(small.targets) == 1:
            return small.value
        return None

    def _report_detached_comprehensions(self) -> None:
        """`[score(model, x).detach() for x in val_loader]` in a function that trains: each
        forward records a graph the comprehension drops at once; nothing backpropagates through
        it (the function's own backward is elsewhere)."""
        seen: set = set()
        for call, model, via, condition, loop, scope, fixable in self._detached_comprehensions:
            if not scope.needs_grad or loop.needs_grad or id(loop) in seen or not self._is_model(scope, model) \
                    or id(loop) in self._reported_loops:
                continue  # (an evaluation loop already reported says it all)
            if via is not None and not self._runs_through(scope, via):
                continue
            seen.add(id(loop))
            runs = f"`{model}(...)`" if via is None else f"`{model}` through `{via[0]}(...)`"
            message = (f"comprehension runs {runs} with gradients enabled and keeps only values without a graph; "
                       "wrap it in `torch.no_grad()`")
            self.report(loop.node, message, fix=self._fix(loop) if fixable else None,
                        condition=_without_gradients(condition, loop.refs))

    def _report_dropped_graphs(self) -> None:
        """`net.eval(); pred = net(x).argmax(-1).cpu().numpy()` in a loop that trains: the forward
        records a graph of the whole model that the statement drops at once (the loop's own
        evaluation path does not judge a loop that backpropagates)."""
        late = {id(entry[0]) for entry in self._late_forwards}  # reported as a training function's forward
        for call, model, condition, loop, scope, statement, kept in self._dropped:
            if not loop.needs_grad or id(call) in late or not self._is_model(scope, model) \
                    or any(p in scope.frozen for p in prefixes(model)):
                continue
            held = set(prefixes(model))
            # (a freeze anywhere in the function: in a loop, one made after the forward holds from the next turn)
            condition = self._frozen_at_init(scope, held, condition, _freezes_of(scope, held))
            if condition is False:
                continue
            condition = self._forward_condition(call, condition, self.ctx.values.graph(call, Env()))
            what = ("nothing the script computes from it reaches a backward pass" if kept and scope.node is None else
                    "nothing the function computes from it reaches a backward pass or its callers" if kept else
                    "this statement keeps nothing of the graph it records")
            how = " (`from_pretrained` loads it so)" if model in scope.pretrained else ""
            through = self._evaluated_by(scope, (model, -3, False)) if type(call.func) is cst.Name \
                and call.func.value == model and model in scope.defs else None
            if through is not None:
                message = (f"`{model}(...)` puts `{through}` in eval mode and runs it with gradients enabled in a loop "
                           f"that trains, and {what}; run it inside `torch.no_grad()`")
            elif any(p in scope.evaluated for p in prefixes(model)) or model in scope.pretrained:
                message = (f"`{model}` is in eval mode{how} and runs with gradients enabled in a loop that trains, "
                           f"and {what}; run it inside `torch.no_grad()`")
            else:
                message = (f"`{model}` runs with gradients enabled, and this statement detaches its output at once: "
                           "the graph it records is dropped; run it inside `torch.no_grad()`")
            self.report(call, message, fix=self._call_fix(statement, scope), condition=condition)

    def _method_call(self, scope: _Scope, node: cst.Call, func: cst.Attribute) -> None:
        """`agent.get_action(obs)` after `agent.policy.eval()`: a method of the receiver that may run
        the part put in eval mode. It is a forward pass of it if a method of that name in the file
        runs `self.policy` (decided in leave_Module, from the methods' summaries)."""
        receiver = dotted(func.value)
        if receiver is None or node is self._awaited or self.ctx.explicitly_enabled:
            return
        prefix = receiver + "."
        parts = [e for e in scope.evaluated if e.startswith(prefix) and "." not in e[len(prefix):]]
        if not parts:
            return
        for model in parts:
            self._add_call(scope, node, model, False, (func.attr.value, -1, model[len(prefix):]))

    def _own_method_call(self, scope: _Scope, node: cst.Call, func: cst.Attribute) -> None:
        """`net.eval(); net.masked_forward(x)`: a method of a model put in eval mode, where the
        model's class is known (`self.net = Net()`, `net = Net()`). It is a forward pass if that
        class's method runs the model or one of its parts (decided in leave_Module, from the
        method's summary)."""
        receiver = dotted(func.value)
        if receiver is None or node is self._awaited or self.ctx.explicitly_enabled:
            return
        # In a function named like evaluation, a typed receiver (`model: QModel`) needs no
        # `.eval()` call: its method is a forward pass by the same evidence as `model(x)` there.
        by_name = receiver not in scope.evaluated
        if by_name and not (scope.eval_named and scope.loops):
            self._free_method_call(scope, node, func, receiver)
            return
        if receiver == "self" and scope.klass is not None:
            # `self._forward(batch)`: a method of this class, a forward pass if it runs `self`
            # or a part of it (`self._model.forward(...)`), from its summary.
            klass = scope.klass.rpartition(".")[2]
            if self.networks.method(klass, func.attr.value) is not None:
                self._add_call(scope, node, receiver, by_name, self._own_method_via(scope, func.attr.value, klass))
            return
        ref = self.ctx.values.ref_of(func) if self.ctx.values is not None else None
        if ref is not None and ref[0] == "typed":
            klass = ref[1].rpartition(".")[2]
            if self._file_class(ref[1]):
                self._add_call(scope, node, receiver, by_name, (func.attr.value, -2, klass))
            elif not (self.ctx.aliases.resolve_dotted(ref[1]) or "").startswith("torch.") \
                    and func.attr.value not in _MODULE_OWN_METHODS:  # `model.eval()` runs nothing
                # A class of another file: the project decides whether the method runs its
                # receiver (FileFacts.runs), through the finding's Condition.runs (-2: a receiver
                # put in eval mode here is a module, whose class may be outside the project).
                self._add_call(scope, node, receiver, by_name, _method_of_other_file(func.attr.value, ref, by_name))
        elif ref is None and receiver != "self" and scope.loops and func.attr.value not in _MODULE_OWN_METHODS \
                and (not by_name or self._value_model(scope, receiver)) and not _loop_element(scope, receiver):
            # `model.pi(obs)` on a model of unknown class: a forward pass if every project method
            # of that name (that fits the call's arguments) runs its receiver (Condition.runs). A
            # receiver this function put in eval mode is a module: a method no project class
            # defines (its class is outside the project) is taken for a forward too (-2).
            via = _method_of_other_file(func.attr.value, method_arity_ref(node), by_name)
            self._add_call(scope, node, receiver, by_name, via)

    def _file_class(self, typed: str) -> bool:
        """Whether a receiver's class (a "typed" reference's name) is a class of this file: `etm.ETM(...)`
        is another file's class even when this file defines an `ETM` too."""
        klass = typed.rpartition(".")[2]
        return klass in self.ctx.class_infos and (
            klass == typed or self.ctx.aliases.resolve_dotted(typed) in (None, f"{self.ctx.module}.{klass}"))

    def _own_method_via(self, scope: _Scope, name: str, klass: str) -> tuple:
        """How `self.<name>(...)` may run the object: by the method's summary in this file (-2), or,
        for a method that only raises or passes (`raise NotImplementedError`), by the overrides of
        the class's subclasses, in any file (-4: Condition.runs)."""
        fn = self.networks.method(klass, name)
        if fn is not None and abstract_body(fn):
            return name, -4, ("method", scope.klass, name)
        return name, -2, klass

    def _free_method_call(self, scope: _Scope, node: cst.Call, func: cst.Attribute, receiver: str) -> None:
        """`prob = model.pi(obs)` in any function's loop, on a model whose class the file does not
        know: a forward pass if every project method of that name runs its receiver (the finding's
        Condition.runs), and evaluation if nothing the function computes from it reaches a
        backward pass or its callers (the function's escapes, as for `model(x)`)."""
        if not scope.loops or scope.node is None or scope.node.name.value == "__init__":
            return
        if receiver == "self":
            # `loss = self.compute_loss(nodes)` in a sampling loop: a method of this class that runs
            # a part of it (its summary, -2), evaluation by the function's escapes alike.
            klass = scope.klass.rpartition(".")[2] if scope.klass is not None else None
            if klass is not None and func.attr.value not in _MODULE_OWN_METHODS \
                    and self.networks.method(klass, func.attr.value) is not None:
                self._free_forward(scope, node, self.ctx.values.graph(node, self.ctx.env_now()))
                self._add_call(scope, node, receiver, True, self._own_method_via(scope, func.attr.value, klass))
            return
        if func.attr.value in _MODULE_OWN_METHODS or not self._value_model(scope, receiver) \
                or _loop_element(scope, receiver):
            return
        ref = self.ctx.values.ref_of(func)
        if ref is not None and ref[0] == "typed" and "." not in receiver:
            klass = ref[1].rpartition(".")[2]
            if self._file_class(ref[1]):
                # `model = PPO(...)` ... `prob = model.pi(s)` in a rollout: a method of this file's
                # class that runs `self` or a part of it (its summary, -2; the class comes first in
                # the file, so its summary is known; `model.put_data(...)` stores, runs nothing).
                via = (func.attr.value, -2, klass)
                if self.networks.method(klass, func.attr.value) is not None and self._runs_through(scope, via):
                    # The method's forward records a graph whatever it hands back (`m.sample()` of
                    # its probabilities): wasted when nothing of it reaches a backward pass.
                    info = self.ctx.class_infos.get(klass)
                    key = f"{info.key}.{func.attr.value}" if info is not None else None
                    # (Nor into its object: `self.saved_log_probs.append(m.log_prob(a))` keeps the
                    # graph for the update that follows the episode.)
                    plain = key is not None and all(
                        summary and all(a in NO_GRAPH_ATOMS for a in summary)
                        for summary in (self.ctx.returns.get(key), self.ctx.returns.get(key + "@args", ("number",)))
                    ) and not _stores_on_self(self.networks.method(klass, func.attr.value))
                    self._free_forward(scope, node, True, returns_graph=not plain)
                    self._add_call(scope, node, receiver, True, via)
                return
        if ref is None:
            ref = method_arity_ref(node)  # a receiver of unknown class: any project method that fits
        elif ref[0] != "typed" or ref[1].rpartition(".")[2] in self.ctx.class_infos \
                or (self.ctx.aliases.resolve_dotted(ref[1]) or "").startswith("torch."):
            return
        self._free_forward(scope, node, self.ctx.values.graph(node, self.ctx.env_now()))
        self._add_call(scope, node, receiver, True, (func.attr.value, -4, ref))

    def _helper_forward_graph(self, name: str, node: cst.Call) -> tuple:
        """(graph, returns_graph) for `_free_forward` of a call of the file's function ``name`` that
        runs the model it is handed: a function defined above whose summary hands back no graph
        (`sample_char(network, x)` returning a character) still records its forward's graph, which
        dies inside it; otherwise what it returns decides, as for `model(x)`."""
        module_prefix = self.ctx.module + "." if self.ctx.module else ""
        key = module_prefix + name
        fn = self.ctx.top_functions().get(name)
        if fn is not None and not _stores_outside(fn) and all(
                summary and all(a in NO_GRAPH_ATOMS for a in summary)
                for summary in (self.ctx.returns.get(key), self.ctx.returns.get(key + "@args", ("number",)))):
            return True, False
        return self.ctx.values.graph(node, self.ctx.env_now()), True

    def _free_forward(self, scope: _Scope, node: cst.Call, graph, returns_graph: bool = True) -> None:
        """A forward in a loop of a function not named like evaluation: evaluation if its graph
        (``graph``: True, or the call atoms the project decides) dies with the function; its output
        is a graph the function's escapes follow (``returns_graph``: unless the method that runs
        the forward hands back none of it, by its summary: `action = agent.act(s)` returning a
        sample)."""
        self._free_forwards[id(node)] = graph
        scope.free = True
        if returns_graph:
            scope.sources.add(id(node))
        line = self._statement
        if line is not None and any(type(small) is cst.Expr and small.value is node for small in line.body):
            # `net(x)` for its effect: a stateful module (a spiking network's membranes, a cache)
            # keeps the graph for its next forward, which training may backpropagate through.
            scope.stateful.add(id(node))

    def _helper_call(self, scope: _Scope, node: cst.Call) -> None:
        """`predict(model, x)`: a call of a function of the file, with a model as an argument. It is
        a forward pass of that model if the function runs it (decided in leave_Module from the
        function's summary, once every function of the file is known)."""
        func = node.func
        if type(func) is not cst.Name or not node.args or node is self._awaited or self.ctx.explicitly_enabled:
            return
        keywords = None  # the helper's parameter names, for `atom_to_energy(atoms=a, model=model)`
        for index, arg in enumerate(node.args):
            if arg.star:
                break
            position = index
            if arg.keyword is not None:
                if keywords is None:
                    fn = self._def_named(scope, func.value)
                    keywords = positional_names(fn) if fn else ()
                if arg.keyword.value not in keywords:
                    continue
                position = keywords.index(arg.keyword.value)
            model = self._model(scope, arg.value) if type(arg.value) in (cst.Name, cst.Attribute) else None
            if model is not None:
                by_name = not scope.evaluated or not any(p in scope.evaluated for p in prefixes(model))
                if by_name and not scope.eval_named and scope.loops and scope.node is not None \
                        and scope.node.name.value != "__init__" and self._value_model(scope, model):
                    # `valid_loss += loss_fn(model, x_valid, t_valid)` in any function's loop: a
                    # forward through a helper (if it runs the argument), evaluation when what the
                    # helper returns dies with the function, as for `model(x)`. (A helper that hands
                    # back only numbers, `sample_char(network, x)`, still records the forward's graph.)
                    self._free_forward(scope, node, *self._helper_forward_graph(func.value, node))
                via = (func.value, position)  # a function of this file (maybe defined further down)
                imported = self.ctx.aliases.names.get(func.value)
                if imported is not None and self._def_named(scope, func.value) is None:
                    # A function imported from another file (`from .losses import conditional_loss`):
                    # the project says whether it runs that argument (Condition.runs).
                    ref = self.ctx.values.ref_of(func) if not imported.startswith("torch.") else None
                    if ref is None:
                        continue
                    via = (func.value, -5, (ref, position))
                self._add_call(scope, node, model, by_name, via, skip=arg)
                if not by_name and not scope.loops:
                    # `model.eval(); loss = calc_loss_loader(loader, model)`: the caller's eval mode
                    # reaches the helper's loop (decided in leave_Module).
                    condition = self.ctx.condition_for("enabled")
                    if condition is not False:
                        self._handoffs.append((node, scope, self._statement, condition, func.value, position, model))

    def _note_volatile(self, scope: _Scope, variable: cst.Call) -> None:
        """The call a `Variable(x, volatile=True)` is handed to in its statement (`out =
        model.intermediate_forward(Variable(x, volatile=True), i)`), when it may record a graph:
        before 0.4 nothing computed from it could be backpropagated (_volatile_forwards)."""
        statement = self._statement
        condition = self.ctx.condition_for("enabled")
        if statement is None or condition is False:
            return
        outer = None
        for node in walk_nodes(statement):
            if type(node) is cst.Call and node is not variable and any(
                    any(n is variable for n in walk_nodes(a.value)) for a in node.args):
                outer = node  # the innermost call taking it (pre-order: the deepest comes last)
        if outer is None:
            # `self.eval_input = Variable(x, volatile=True).cuda()` in `__init__`: the forwards
            # the class's methods hand it to (_note_volatile_attribute).
            small = statement.body[0] if type(statement) is cst.SimpleStatementLine else None
            if type(small) is cst.Assign:
                for t in small.targets:
                    if type(t.target) is cst.Attribute and type(t.target.value) is cst.Name \
                            and t.target.value.value == "self" and scope.klass is not None:
                        self._volatile_attrs.add((scope.klass, t.target.attr.value))
                    elif type(t.target) is cst.Name:
                        # `next_states = Variable(s, volatile=True)` (the statement's own reads are
                        # of the name's old value: `img = Variable(cuda(img), volatile=True)`)
                        scope.volatile_names[t.target.value] = statement
            return
        self._note_volatile_call(scope, outer, statement, condition)

    def _note_volatile_attribute(self, scope: _Scope, call: cst.Call) -> None:
        """A call handed `self.<attr>` that the class bound to a volatile Variable, or a local the
        function bound to one."""
        for arg in call.args:
            value = arg.value
            if type(value) is cst.Attribute and type(value.value) is cst.Name and value.value.value == "self" \
                    and (scope.klass, value.attr.value) in self._volatile_attrs \
                    and self._only_volatile(value.attr.value) \
                    or type(value) is cst.Name and value.value in scope.volatile_names \
                    and scope.volatile_names[value.value] is not self._statement:
                statement = self._statement
                condition = self.ctx.condition_for("enabled")
                if statement is not None and condition is not False:
                    scope.eval_named = True
                    self._note_volatile_call(scope, call, statement, condition)
                return

    def _only_volatile(self, attr: str) -> bool:
        """Whether every value the class's methods store in `self.<attr>` is a volatile Variable (an
        attribute a training method binds to a plain one too feeds training as well)."""
        stored = self.ctx.values.attribute_values(attr) if self.ctx.values is not None else None
        return bool(stored) and all(value is not None and any(
            type(n) is cst.Call and _volatile_variable(n) for n in walk_nodes(value)) for value in stored)

    def _note_volatile_call(self, scope: _Scope, outer: cst.Call, statement, condition) -> None:
        receiver = dotted(outer.func.value) if type(outer.func) is cst.Attribute else None
        # A method of a model (`model.intermediate_forward(...)`, which the value model cannot type).
        method_of_model = receiver is not None and (names_network(receiver) or receiver in scope.evaluated)
        model = dotted(outer.func)
        if model is not None and any(p in scope.frozen for p in prefixes(model)):
            return  # every parameter frozen before it: the forward records no graph
        freezes = _freezes_of(scope, set(prefixes(model)) if model is not None else set())
        if freezes:
            # frozen by a function of another file (`set_requires_grad(net, requires_grad=False)`)
            condition = _demanding(condition, freezes=tuple(dict.fromkeys(freezes)))
        if method_of_model or self.ctx.values.graph(outer, self.ctx.env_now()) is not False:
            scope.volatile.append((outer, statement, tuple(id(loop) for loop in scope.loops), condition))

    def _volatile_forwards(self, scope: _Scope, anywhere: bool = False) -> None:
        """In a function that uses gradients (an input-perturbation score: ODIN, Mahalanobis), a
        forward handed a `Variable(x, volatile=True)` whose graph reaches none of its backward passes
        nor its callers: the author asked for no graph, which `volatile` no longer gives. In a
        function that uses none (``anywhere``), every such forward, wherever its result goes (a
        test split's prediction stored on the object, a timing loop that drops it): before 0.4
        nothing computed from a volatile input could be backpropagated, so no code path needs its
        graph; a loop reported as an evaluation loop says it already. Asked while the walker holds
        the function."""
        for call, statement, loops, condition in scope.volatile:
            handed: list = []
            if not anywhere and _discards(statement, call):
                continue
            # A graph that now reaches a backward pass did not before 0.4, when a volatile input made
            # everything computed from it volatile: code that clears the flag on such a value before
            # its loss (`next_state_values.volatile = False`, the DQN tutorial's target values) was
            # written for that, and `no_grad` restores it. Without that idiom the code was written
            # after 0.4 (a backward through a volatile value raised before) and wants the graph.
            reaches = not anywhere and self.ctx.graph_escapes(handed, {id(call)}, scope.sinks)
            if reaches and not _clears_volatile(scope.node or self.ctx.module_node) or handed and not reaches:
                continue
            what = dotted(call.func) or "the call"
            nothing = "that code written for `volatile` never backpropagates" if anywhere or reaches else \
                "that nothing backpropagates"
            message = (f"`volatile=True` has not turned gradients off since PyTorch 0.4: `{what}(...)` records a graph "
                       f"{nothing}; run it inside `torch.no_grad()`")
            self._volatile.append((call, message, self._call_fix(statement, scope), condition, loops))

    def _mode_switch(self, scope: _Scope, receiver: Optional[str], attr: str, call: cst.Call) -> None:
        if receiver is None:
            return
        on = attr == "eval" and not call.args
        if attr == "train":
            if not call.args:
                on = False
            else:
                value = call.args[0].value
                if type(value) is cst.Name and value.value == "False":
                    on = True
                elif type(value) is cst.Name and value.value == "True":
                    on = False
                else:
                    return
        if on:
            scope.evaluated.add(receiver)
            scope.own_evaluated.add(receiver)
            scope.eval_tests[receiver] = tuple((b.node.test, not b.other) for b in self.ctx.branches)
        else:
            scope.evaluated.discard(receiver)
            self._trained_names.add(receiver)

    def leave_Call(self, node: cst.Call) -> None:
        """`self.eval_mode()` / `set_eval(model)`: what the helper does to modes happens here too,
        once the call is made (a helper that evaluates in its own loop is no forward of its caller's)."""
        scope = self._scopes[-1]
        for receiver, _, switch, _ in self._helper_switches(scope, node):
            self._mode_switch(scope, receiver, switch.func.attr.value, switch)

    def _helper_switches(self, scope: _Scope, call: cst.Call) -> list:
        """The mode switches of the method (`self.m()`) or file function (`f(x)`) a call names."""
        func = call.func
        if type(func) is cst.Attribute:
            klass = self.ctx.klass
            if type(func.value) is not cst.Name or func.value.value != "self" or klass is None:
                return []
            fn, method = klass.method_def(func.attr.value), True
        elif type(func) is cst.Name:
            fn, method = self._def_named(scope, func.value), False
        else:
            return []
        if fn is None or fn is scope.node:
            return []
        helper = self._switches.get(id(fn))
        if helper is None:
            helper = self._switches[id(fn)] = helper_modes(fn)  # per helper, once per file
        return mode_switches(helper, call, method)

    def _model(self, scope: _Scope, func: cst.BaseExpression) -> Optional[str]:
        """The model a call runs, when the call is a forward pass of an evaluated model."""
        receiver = model_receiver(func)
        if receiver is None and type(func) is cst.Subscript and scope.loops and not scope.is_module_class:
            # `teacher_models[i](**net_input)`: one network of a collection the name says holds
            # networks (`teacher_models`, `self.experts`), judged like the collection.
            container = dotted(func.value)
            if container is not None and names_network(container) and container.rpartition(".")[2].endswith("s") \
                    and self._value_model(scope, container):
                return container
            return None
        if receiver is None or receiver.rpartition(".")[2] in _MODULE_OWN_METHODS:
            return None  # `self.add_module(...)`, `model.apply(init)`: nn.Module's own API, no forward
        evaluated = scope.evaluated
        if evaluated:
            if receiver in evaluated:
                return receiver
            if "." in receiver and self._file_method(receiver.rpartition(".")[2]):
                # `self.model.parse_model(arch)`: a method a class of the file defines, called on
                # the model (judged by what such methods do: _method_call), not a part of it.
                return None
            # self.eval() ... self.backbone(x)
            if (names_network(receiver) or self.networks.module_attribute(receiver)) and any(
                    p in evaluated for p in prefixes(receiver)):
                return receiver
            # model.eval() ... model.feature_extractor(x): a part of the model just put in eval
            parent, _, attr = receiver.rpartition(".")
            if parent in evaluated and names_submodule(attr):
                return receiver
        if "." not in receiver and receiver in scope.assigned and self.networks.built_non_network(receiver):
            return None  # a fact outweighs the name: `g = GaussianLoss(...)` is no generator
        if "." not in receiver and _annotated_callable(scope.node, receiver):
            return None  # `model: Callable[[Params], float]`: a function the caller passes, no network
        if scope.eval_named or scope.flags:  # flags: evaluation if a caller passes False (leave_Module)
            if receiver == "self":
                return receiver if scope.is_module_class else None
            if names_network(receiver) or self.networks.module_attribute(receiver):
                return receiver
            parent, _, attr = receiver.rpartition(".")
            if scope.eval_named and parent and parent != "self" and names_network(parent) and names_submodule(attr):
                # `model.feature_layer(x)` in a function that asks for inference: a part of the
                # model (a parameter's class is what its callers pass, which the model does not follow).
                return receiver
            if scope.eval_named and "." not in receiver and receiver in scope.assigned and scope.loops and (
                    self.networks.built_network(receiver)):
                return receiver  # `decoder_test = nn.GRU(...)`: a module whatever its name says
        if scope.loops and (scope.node is not None or self._script()) and self._value_model(scope, receiver):
            return receiver
        if not scope.loops and scope.method and receiver.startswith("self.") and self._predictor_method(scope) \
                and self._wrapper_network(scope, receiver):
            return receiver  # an inference wrapper's network (judged in _report_wrapper_forwards)
        return None

    def _file_method(self, name: str) -> bool:
        """Whether a class of the file defines a method of this name (not `forward`)."""
        if name in FORWARD_METHODS:
            return False
        infos = self.ctx.class_infos
        if self._method_names is None or self._method_names[0] != len(infos):  # (more classes seen since)
            self._method_names = (len(infos), frozenset(m for info in infos.values() for m in info.method_names))
        return name in self._method_names[1]

    def _engine_step(self, scope: _Scope, node: cst.Call, func: cst.BaseExpression) -> None:
        """`Engine(validation_step)`: an ignite engine class that runs the function it is built with
        once per batch, grad as the caller left it (framework_hooks.json's engines, read from
        ignite's source). The function is the body of the engine's loop."""
        if (func.value if type(func) is cst.Name else func.attr.value) not in IGNITE_ENGINES:
            return  # (the cheap test first: this runs on every call with arguments)
        qualified = self.ctx.aliases.resolve(func)
        if qualified is None or not qualified.startswith("ignite.") or qualified.rpartition(".")[2] not in IGNITE_ENGINES:
            return
        step = next((a.value for a in node.args if a.keyword is None and not a.star), None)
        if step is None:  # `Engine(process_function=step)`
            step = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "process_function"),
                        None)
        if type(step) is cst.Name:
            self._engine_steps.add((None, step.value))
        elif type(step) is cst.Attribute and type(step.value) is cst.Name and step.value.value == "self" \
                and scope.klass is not None:
            self._engine_steps.add((scope.klass, step.attr.value))

    def _predictor_function(self, scope: _Scope) -> bool:
        """A top-level function named like inference or evaluation (`predict`, `infer`, `generate`,
        `evaluate`): what it hands back is its result, so one forward whose graph reaches none of it
        is wasted (`return torch.eq(preds, y).data.sum() / n`). (The name decides because the model
        cannot: a helper of any other name may be a public function whose callers, outside the
        project, differentiate what its forward computes.)"""
        fn = scope.node
        return fn is not None and not scope.method and scope.eval_named and scope.parent is not None \
            and scope.parent.node is None

    def _plain_class(self, certain: bool = False) -> bool:
        """The current class is no `nn.Module` by its bases (``certain``: no base of another file,
        which may be one: `PreTrainedModel`)."""
        klass = self.ctx.klass
        return klass is not None and not klass.derives_from("Module", "LightningModule") and (
            not certain or klass.plain())

    def _predictor_method(self, scope: _Scope) -> bool:
        """A method of a plain class that may run a network its object holds: a predictor's
        `__call__`, or any method of a class certainly no module (`predict`, an agent's
        `select_action`; a module's own methods are its callers' to run under no_grad)."""
        if scope.predictor is None:
            scope.predictor = self._plain_class(certain=scope.node.name.value != "__call__")
        return scope.predictor

    def _wrapper_network(self, scope: _Scope, receiver: str) -> bool:
        """An attribute of a plain class's object that its method runs as a network: one named like
        a network in a predictor (`__call__`, a method named like inference); one the class builds
        as a network in any method; and one known by its name alone (given to the constructor) in a
        method that hands nothing back (`results(self)` prints a score: the graph dies there). An
        agent's `act` that returns an action is left to the loop that calls it."""
        if self.networks.holds_network(receiver):
            return True
        stored = self.ctx.values.attribute_values(receiver[5:]) if receiver.count(".") == 1 else None
        if stored and any(type(v) is cst.Call for v in stored):
            return False  # built here, and not as a network (`self.decoder = ctc_decoder(...)`): a fact
        if scope.eval_named or scope.node.name.value == "__call__":
            return self._value_model(scope, receiver)
        if scope.hands_nothing is None:
            scope.hands_nothing = not any((type(n) is cst.Return or type(n) is cst.Yield) and n.value is not None
                                          for n in own_nodes(scope.node.body))
        return scope.hands_nothing and self._value_model(scope, receiver)

    def _value_model(self, scope: _Scope, receiver: str) -> bool:
        """A receiver that holds a model, for a loop of a function not named like evaluation: an
        attribute the class builds as a torch module (or named like a network, and no method of
        the class), or a parameter or local of the function named like one (not a function it
        defines or imports: `extract_modules(child)` is a recursion, not a forward). The name is
        the last resort: what a caller passes for a parameter is no fact the model has; a local the
        model knows is a network counts whatever its name."""
        root, _, rest = receiver.partition(".")
        if root == "self":
            if not rest:
                return scope.is_module_class  # `self(x)` in a module's method: its own forward
            klass = self.ctx.klass
            if "." in rest or klass is None or klass.method_def(rest) is not None:
                return False
            if self.networks.module_attribute(receiver):
                return True
            # An attribute the class's methods store (a value, not a method of a base elsewhere):
            # named like a network, or one the value model knows is a network whatever its name.
            stored = self.ctx.values.attribute_values(rest)
            return bool(stored) and (names_network(rest) or self.networks.stores_network(stored))
        bound = self._bound_as_value(scope, root)
        if not bound:
            return False
        if bound == "local" and root in scope.wrappers and root not in scope.rebound:
            return False  # `dev_disc_costs = []`: a list, whatever its name says (`disc`)
        if names_network(receiver):
            return True
        if bound == "global" and not rest and root in self.ctx.trained_globals():
            return True  # `optimizer_d = Adam(aD.parameters())` at the top of a script: `aD` is trained
        # `decoder_test = AttnDecoder(...)`: the value model knows a module whatever its name says
        # (in a notebook, also one an earlier cell built: `logreg = LogisticRegression(d, 10)`).
        return not rest and bound == "local" and self._network_local(scope, root)

    def _network_local(self, scope: _Scope, name: str) -> bool:
        """A local the value model says is a network (_built_network), or, in a notebook, a global
        an earlier cell built as one and this cell does not rebind."""
        return self.networks.built_network(name) or scope.node is None and (
            name in scope.cell_networks and not self.ctx.env_now().values.get(name))

    def _remember_cell_networks(self, module: cst.Module) -> None:
        """Keep the globals this notebook cell binds, at its top level, to a network for the
        cells after it (a global bound to anything else is forgotten)."""
        networks = self._scopes[0].cell_networks
        for statement in module.body:
            if type(statement) is not cst.SimpleStatementLine:
                continue
            for small in statement.body:
                if type(small) is cst.Assign:
                    targets = [t.target for t in small.targets]
                elif type(small) is cst.AnnAssign:
                    targets = [small.target]
                else:
                    continue
                for target in targets:
                    if type(target) is cst.Name:
                        name = target.value
                        if self.networks.built_network(name) or name in networks and self._rebinds_itself(small, name):
                            networks.add(name)
                        else:
                            networks.discard(name)

    @staticmethod
    def _rebinds_itself(assign, name: str) -> bool:
        """`logreg = logreg.to(device)`: the same network, moved."""
        value = assign.value
        return (type(value) is cst.Call and type(value.func) is cst.Attribute
                and type(value.func.value) is cst.Name and value.func.value.value == name
                and value.func.attr.value in ("to", "cuda", "cpu", "train", "eval", "float", "half", "double"))

    def _bound_as_value(self, scope: _Scope, root: str) -> Optional[str]:
        """"local" for a parameter or local of the function, "global" for a script's global (not a
        function or class of the file, not an import), None otherwise."""
        if root in scope.assigned:
            return None if root in scope.defs else "local"
        current = scope.parent
        while current is not None:
            if root in current.defs:
                return None
            if root in current.assigned:
                return "global"
            current = current.parent
        # Not bound yet: a global a script assigns below the function (`decoder = Decoder()` after
        # `def translate():`), unless imported; leave_Module checks it is no function of the file.
        # (With `from .helpers import *`, a name the file does not bind most likely comes from there:
        # a function or a class, no model.)
        return None if root in self.ctx.aliases.names or root in _BUILTIN_NAMES or self._star_imported() \
            else "global"

    def _star_imported(self) -> bool:
        """Whether the file star-imports a module other than torch's (whose names are known)."""
        return any(not (m == "torch" or m.startswith("torch.")) for m in self.ctx.aliases.star_modules)

    # -- decide ----------------------------------------------------------------------------
    def leave_Module(self, node: cst.Module) -> None:
        if self.ctx.cell is not None:
            self._remember_cell_networks(node)
        if is_test_file(self.ctx.path, node, self.ctx.aliases):
            return
        module_scope = self._scopes[0]
        if module_scope.volatile:
            # A script's own forwards handed a volatile Variable (this cell's: the list is emptied).
            self._volatile_forwards(module_scope, anywhere=not module_scope.needs_grad)
            module_scope.volatile = []
        # A file that does not import torch still runs torch models it gets from elsewhere
        # (`net = build(); net.eval(); for x in data: net(x)`): there a receiver put in `.eval()`
        # is the evidence, unless the file uses another framework whose models have `.eval()` too.
        torch_file = self.ctx.aliases.imports_torch()
        if not torch_file and self.networks.other_framework():
            return
        if torch_file and self._script():
            self._free_loops(self._scopes[0])  # a script's module-level loops, as a function's
            if module_scope.needs_grad and not module_scope.skip and not module_scope.flag_used \
                    and (not module_scope.nested_grad or _takes_steps(module_scope)):
                self._detached_forwards(module_scope)  # a training script's second forward
        covered: set = set()  # loops holding a reported loop: the inner report says it all
        for loop in sorted(self._candidates, key=_depth, reverse=True):
            if loop.needs_grad or loop.scope.skip or loop.helpers & self._grad_functions or id(loop) in covered \
                    or loop.feeds_training:
                continue
            if loop.over_layers:
                continue  # `for layer in self.layers: x = layer(x)`: one forward, step by step
            # A forward this file settles first; a method of another file's class (the project
            # decides, Condition.runs) only when there is none.
            call = min(
                (c for c in map(self._through_other_file, repeat(loop.scope), loop.calls) if _fed_each_iteration(loop, c) and not any(p in loop.frozen for p in prefixes(c[1]))
                 and not _composes(loop.node, c[0])
                 and self._is_model(loop.scope, c[1])
                 and (c[5] is None or self._runs_through(loop.scope, c[5]))
                 and not self._numpy_output(loop, c[0]) and id(c[0]) not in self._registrations),
                # (of those, a call whose result the loop uses before one made for its effect:
                # `model.test()` rather than `model.set_input(batch)`; then a forward whose graph
                # the escape analysis followed before a helper handed a part of the model)
                key=lambda c: (c[5] is not None and c[5][1] in (-4, -5), id(c[0]) in self._discarded,
                               id(c[0]) not in self._free_forwards),
                default=None,
            )
            if call is None or id(call[0]) in covered or self._stale_global(loop.scope, call[1]):
                continue  # (an inner loop's finding on the same forward: one condition decides both)
            _, model, _, condition, by_name, via, _ = call
            if by_name and not torch_file:
                continue  # named like evaluation, in a file with no torch: too little to go on
            if loop.scope.node is not None and self._passed_only_without_grad(loop.scope.node, model):
                continue  # `model=None` unless a caller under `no_grad` hands one (`check_trainer`)
            unused = by_name and not loop.scope.eval_named
            if unused and id(call[0]) in self._discarded:
                # Nothing is computed from a result nobody keeps: the call writes its outputs
                # elsewhere, where a loss may read them (no claim that nothing reaches a backward).
                continue
            trains = loop.scope.needs_grad
            if loop.scope.flag_used or unused and (not self._free_forwards.get(id(call[0]))
                                                   or not (loop.graph_unused if trains else loop.scope.graph_unused)):
                # A function that trains or evaluates by a bool flag (`if train: loss.backward()`,
                # or a forward named like a model in a function with a flag): reported where a
                # caller passes False, never on the loop (its fix would stop training).
                continue
            if unused and self._free_forwards[id(call[0])] is not True:
                condition = _demanding(condition, returns=self._free_forwards[id(call[0])])
            if by_name and isinstance(condition, Condition) and not unused:
                # Evaluation by name only: not if a training function (anywhere in the project)
                # calls this one - an inference helper that training backpropagates through.
                condition = dataclasses.replace(condition, mode=EVALUATION)
            if not unused and self._loss_for_callers(loop.scope):
                continue
            if via is None or via[1] not in (-4, -5):
                # A finding the project may still drop (a method of another file's class) hides
                # no outer loop: that one may have a forward of its own.
                covered.update(id(outer) for outer in _ancestors(loop))
            covered.add(id(call[0]))
            fn = loop.scope.node
            kind = "inference" if fn is not None and _INFERENCE_NAME.search(fn.name.value) else "evaluation"
            if via is None:
                runs = f"`{model}[...](...)`" if type(call[0].func) is cst.Subscript else f"`{model}(...)`"
            elif via[1] == -4:
                runs = f"`{model}.{via[0]}({'...' if call[0].args else ''})`"
                condition = _running(condition, via[2], via[3] if len(via) > 3 else -1)
            elif via[1] == -5:
                runs = f"`{model}` through `{via[0]}(...)`"
                condition = _demanding(condition, runs=(via[2],))
            elif via[1] == -3:
                runs = f"`{self._evaluated_by(loop.scope, via)}` through `{model}(...)`"
            elif via[1] == -2:
                runs = f"`{model}.{via[0]}(...)`"
            elif via[1] < 0:
                runs = f"`{model}` through `{model.rpartition('.')[0]}.{via[0]}(...)`"
            else:
                runs = f"`{model}` through `{via[0]}(...)`"
            if unused:
                message = (f"loop runs {runs} with gradients enabled, and nothing the script computes from it "
                           "reaches a backward pass; wrap it in `torch.no_grad()`" if loop.scope.node is None else
                           f"loop runs {runs} with gradients enabled, and nothing the function computes from it "
                           "reaches a backward pass or its callers; wrap it in `torch.no_grad()`")
            else:
                message = f"{kind} loop runs {runs} with gradients enabled; wrap it in `torch.no_grad()`"
            refs = loop.refs | set(loop.handed if trains else loop.scope.handed) if unused else loop.refs
            held = set(prefixes(model))
            freezes = _freezes_of(loop.scope, held, loop.freeze_mark)
            condition = self._frozen_at_init(loop.scope, held, condition, freezes)
            if condition is False:
                continue
            built = self._model_classes.get(id(call[0]))
            if built is not None:
                condition = _demanding(condition, classes=(built,), quiet=_string_arguments(built, call[0]))
            elif via is None and "." not in model and not (isinstance(condition, Condition) and condition.returns):
                argument = self._argument_class(loop.scope, model)
                if argument is not None:
                    # `def predict(loader, prompt_generator)`, every call in the file passing a
                    # `PointAndBoxPromptGenerator(...)`: a forward when calling one records a graph
                    # (a project class by its summary; another distribution's is taken for a network).
                    atom = (CALL, ("typed", argument, "__call__", (loop.scope.key,)), True, -1, False)
                    condition = _demanding(condition, returns=(atom,))
            self.report(loop.node, message, fix=self._fix(loop), condition=_without_gradients(condition, refs))
            self._reported_loops.add(id(loop))

        if torch_file:
            self._check_held(self._scopes[0])  # a script's training loop (a module has no callers)
            self._report_script_forward(self._scopes[0])
            self._report_false_calls()
            self._report_dropped_graphs()
            self._report_detached_comprehensions()
            for call, message, fix, condition in self._late_forwards:
                self.report(call, message, fix=fix, condition=condition)
            reported = {id(entry[0]) for entry in self._late_forwards} | {id(entry[0]) for entry in self._dropped}
            for call, message, fix, condition, loops in self._volatile:
                if id(call) not in reported and not any(loop in self._reported_loops for loop in loops):
                    self.report(call, message, fix=fix, condition=condition)
            self._report_handoffs()
            self._report_single_forwards()
            self._report_wrapper_forwards()
        else:
            # A file that imports no torch (its network comes from the project: `self.model =
            # TemporalSetPrediction(...)` imported inside `fit`): a forward of a model it put in
            # eval mode itself is the evidence, as for its loops.
            self._report_single_forwards(evaluated_only=True)

    def _report_wrapper_forwards(self) -> None:
        """An inference backend's method (`def __call__(self, x): out = self._model(x)[0]; return
        post(out).cpu().detach().numpy()`): one forward of a network its object holds, in a plain
        class none of whose methods uses gradients, that hands back nothing with a graph. The
        graph it records dies when the method returns."""
        for scope in self._wrappers:
            fn = scope.node
            # The object is a predictor: called like a function, or by a method named like
            # inference (an agent's `act` in a rollout is left to the loop that calls it).
            if scope.flag_used or scope.needs_grad or _reads_autograd_state(fn):
                continue
            summary = self.ctx.returns.get(scope.key, ())
            buffers = scope.forwards_escape is not False and _buffer_writes(fn, scope.held_forwards)
            # (What the buffer is then handed to is the project's to say: Condition.grads, _report_forward.)
            if scope.forwards_escape is not False and not buffers or GRAPH in summary \
                    or scope.forwards_handed and not buffers:
                continue
            for call, model, via, condition, graph in scope.held_forwards:
                if condition is False or graph is False:
                    continue
                module = self.ctx.module_node
                statement = statement_of(module, call) if module is not None else None
                if _discards(statement, call):
                    continue  # run for what it writes elsewhere (a hook, a cache): no claim
                if buffers:
                    message = (f"`{fn.name.value}` runs `{model}` with gradients enabled and copies its output into "
                               f"`{buffers[id(call)]}`: the buffer keeps the graph, and each call chains it to the last "
                               "one's; run it inside `torch.no_grad()`")
                else:
                    message = (f"`{fn.name.value}` runs `{model}` with gradients enabled, and nothing uses them: the "
                               "forward records a graph nothing backpropagates; run it inside `torch.no_grad()`")
                self._report_forward(scope, call, model, condition, graph, message, statement,
                                     tuple(f[0] for f in scope.held_forwards if f[0] is not call))
                break

    def _forward_after_training(self, scope: _Scope) -> None:
        """`loss.backward(); optimizer.step(); model.eval(); out = model(x)` and no gradient use
        after it: a training function that checks the model in eval mode at its end records a
        graph of the whole forward that nothing backpropagates (nor returns: the function's
        graphs die with it). Decided when the function ends (its escapes), reported with the
        file's other findings."""
        fn = scope.node
        # (A read of `x.grad` before the forward is no use of its graph: ODIN's second forward,
        # on the input moved along its gradient.)
        if fn is None or fn.name.value in ("forward", "__init__") or _reads_autograd_state(fn, _DETACHED_STATE):
            return
        late = [f for f in scope.forwards if scope.uses_before.get(id(f[0])) == scope.grad_uses]
        late = [f for f in late if f[3] is not False and f[4] is not False and f[2] is None
                and self._is_model(scope, f[1]) and not self._stale_global(scope, f[1])]
        handed: list = []
        # Only the late forwards' graph counts: the training loss kept for the caller
        # (`adata.uns["loss"] = loss`) is not what the evaluation forward records.
        if not late or self.ctx.graph_escapes(handed, {id(f[0]) for f in late}, scope.sinks):
            return
        call, model, _, condition, graph = late[0]
        if _hands_model_to_callable_parameter(fn, model):
            return
        module = self.ctx.module_node
        statement = statement_of(module, call) if module is not None else None
        condition = _without_gradients(self._forward_condition(call, condition, graph), set(handed))
        message = (f"`{fn.name.value}` runs `{model}`, in eval mode, after its last backward pass with gradients "
                   "enabled, and nothing uses them: the forward records a graph nothing backpropagates; run it "
                   "inside `torch.no_grad()`")
        self._late_forwards.append((call, message, self._call_fix(statement, scope), condition))

    def _detached_forwards(self, scope: _Scope) -> None:
        """`target_q = self.critic_target(s2, self.actor_target(s2)); y = r + (g * target_q).detach()`
        in an agent's update: a network the object holds (or a script's global that a top-level
        optimizer trains: `fake = Variable(aG(noise).data)` in a critic step), run with grad on in a
        function that trains, whose graph reaches neither the function's gradient uses nor its
        callers (only a detached copy of the output, a number or an array does). Asked while the
        walker holds the function."""
        fn = scope.node
        # (A network known by its name alone is judged only where the method hands nothing back and
        # uses no gradients: _wrapper_network; here, in a method that trains, only one the class builds.)
        forwards = [(f[0], f[1], f[3], f[4]) for f in scope.held_forwards
                    if not f[1].startswith("self.") or self.networks.holds_network(f[1])]
        trained = self.ctx.trained_globals()
        # (A forward of an inner loop that trains nothing is that loop's: an evaluation loop's finding.)
        evaluating = {id(c[0]) for loop in scope.closed if not loop.needs_grad for c in loop.calls}
        forwards += [(c[0], c[1], c[3], True) for loop in scope.closed if loop.needs_grad for c in loop.calls
                     if c[4] and c[5] is None and not c[6] and id(c[0]) not in evaluating and (
                         c[1].startswith("self.") and scope.method and self.networks.holds_network(c[1])
                         or c[1] in trained and self._bound_as_value(scope, c[1]) == "global"
                         or self._trained_by_other_forward(scope, loop, c))]
        # A network another file's class builds (`self.g12 = G12(...)` in `build_model`): a forward
        # when that class's summary says its call returns a graph. (The call's atoms, without the
        # syntax's guess that it is a forward: a class the project does not define says nothing.)
        forwards += [(c[0], c[1], c[3], graph) for loop in scope.closed if loop.needs_grad for c in loop.calls
                     if c[4] and c[5] is None and not c[6] and id(c[0]) not in evaluating and scope.method
                     and c[1].startswith("self.") and not self.networks.holds_network(c[1])
                     and self.networks.stores_imported_instance(c[1])
                     and (graph := _summary_atoms(self.ctx.values.graph(c[0], Env())))]
        if not forwards or fn is not None and fn.name.value in ("forward", "__init__") \
                or _reads_autograd_state(fn or self.ctx.module_node, _DETACHED_STATE) or not _takes_steps(scope):
            return
        module = self.ctx.module_node
        reported: set = set()
        # Names a nested function reads (a closure's loss may be computed from an output of here).
        closed_over = _read_in_nested(fn or module) if scope.nested_grad else frozenset()
        for call, model, condition, graph in forwards:
            if condition is False or graph is False or model in scope.frozen:
                continue
            statement = statement_of(module, call) if module is not None else None
            if statement is None or id(statement) in reported or _discards(statement, call):
                continue
            if closed_over and rebound_names(statement) & closed_over:
                continue
            handed: list = []
            if self.ctx.graph_escapes(handed, {id(call)}, scope.sinks):
                continue
            condition = self._frozen_at_init(scope, {model}, condition, _freezes_of(scope, {model}))
            if condition is False:
                continue
            reported.add(id(statement))
            message = (f"`{fn.name.value}` trains, but the graph of `{model}(...)` reaches none of its backward passes "
                       "nor its callers: the forward records a graph nothing backpropagates; run it inside "
                       "`torch.no_grad()`" if fn is not None else
                       f"the script trains, but the graph of `{model}(...)` reaches none of its backward passes: "
                       "the forward records a graph nothing backpropagates; run it inside `torch.no_grad()`")
            condition = _without_gradients(self._forward_condition(call, condition, graph), set(handed))
            self._late_forwards.append((call, message, self._call_fix(statement, scope), condition))

    def _note_untrained(self, scope: _Scope, node: cst.Call, func: cst.Attribute) -> None:
        """`self.critic_target(s2, a2)` (or `.forward(...)`) in a method of a plain class whose
        optimizers train none of that network (Networks.untrained_parts), with grad on and
        inputs that carry no graph but such networks' own: kept for _untrained_forwards."""
        klass = self.ctx.klass
        if klass is None or not klass.parameter_parts:
            return
        part = _self_part(func)
        untrained = self.networks.untrained_parts(klass)
        if part not in untrained:
            return
        condition = self.ctx.condition_for("enabled")
        if condition is False:
            return
        graphless: list = []
        if not all(self._graph_free(arg.value, untrained, graphless) for arg in node.args):
            return  # a graph of a trained network flows through it (an actor loss through a critic)
        if graphless:
            condition = _demanding(condition, graphless=tuple(sorted(set(graphless), key=repr)))
        handed = self.networks.handed_parts(klass).get(part)
        if handed:
            refs = [(self.ctx.values.ref_of(call.func), position) for call, position in handed]
            if any(ref is None for ref, _ in refs):
                return
            condition = _demanding(condition, handed=tuple(dict.fromkeys(refs)))
        scope.untrained.append((node, f"self.{part}", condition))

    def _graph_free(self, value: cst.BaseExpression, untrained: frozenset, graphless: list) -> bool:
        """Whether an input of an untrained network's forward carries no graph but such networks'
        own: data, a list of them (`[states, self.actor_target(states)]`), another untrained
        network's output, or what a function returns whose summary says it is data (``graphless``
        collects those calls: `to_tensor(s2)`, Condition.graphless)."""
        if type(value) in (cst.List, cst.Tuple):
            return all(self._graph_free(e.value, untrained, graphless) for e in value.elements)
        if type(value) is cst.Call and _self_part(value.func) in untrained:
            return all(self._graph_free(a.value, untrained, graphless) for a in value.args)
        carried = graph_part(self.ctx.value_of(value))
        if not carried:
            return True
        if all(type(a) is tuple and a[0] == CALL and not a[2] for a in carried):
            graphless.extend(carried)
            return True
        env = self.ctx.env_now()
        bound = env.values.get(value.value) if type(value) is cst.Name and env is not None else None
        return bool(bound) and all(
            type(v) is cst.Call and type(v.func) is cst.Attribute and type(v.func.value) is cst.Name
            and v.func.value.value == "self" and v.func.attr.value in untrained for v in bound)

    def _untrained_forwards(self, scope: _Scope) -> None:
        """`actions_next = self.actor_target(next_states)` in a DDPG agent's `learn`, which trains
        with grad on: no optimizer of the class takes the target network's parameters, and its
        inputs are data, so the graph it records only leads the backward pass into weights nothing
        updates (their `.grad` grows at every step). Reported with the file's other findings."""
        if not scope.untrained or not _takes_steps(scope):
            return
        module = self.ctx.module_node
        reported = {id(entry[0]) for entry in self._late_forwards}
        untrained_calls = {id(entry[0]) for entry in scope.untrained}
        # The fix cuts the target's graph; a backward pass of the method keeps a graph to run on only
        # when the method also runs a network the class trains (a critic loss through the critic).
        trained = self.networks.trained_parts(self.ctx.klass) if self.ctx.klass is not None else frozenset()
        runs_trained = any(type(n) is cst.Call and _self_part(n.func) in trained for n in walk_nodes(scope.node.body))
        for call, model, condition in scope.untrained:
            if id(call) in reported:
                continue
            statement = statement_of(module, call) if module is not None else None
            # The fix wraps the statement: only where it computes nothing else with a graph.
            alone = statement is not None and not any(
                type(n) is cst.Call and id(n) not in untrained_calls and _looks_graph(self.ctx.value_of(n))
                for n in walk_nodes(statement))
            message = (f"no optimizer of this class trains `{model}`, yet `{scope.node.name.value}` runs it with "
                       "gradients enabled on inputs without a graph: it records a graph of weights nothing updates "
                       "(a backward pass through it also fills their `.grad` at every step; detached, it only "
                       "costs memory and time); run it inside `torch.no_grad()`")
            fix = self._call_fix(statement, scope) if alone and runs_trained else None
            self._late_forwards.append((call, message, fix, condition))

    def _argument_class(self, scope: _Scope, name: str) -> Optional[str]:
        """The class every call of the function in this file builds the argument for its
        parameter ``name`` from, as written (`prompt_generator = PointAndBoxPromptGenerator(...)`,
        then `_predict(loader, n, prompt_generator, ...)`); None when a call passes anything else
        or there is none."""
        fn = scope.node
        if fn is None or scope.parent is None or scope.parent.node is not None and not scope.method:
            return None  # the module, or a closure (called through names the file may rebind)
        params = positional_names(fn)
        if name not in params:
            return None
        position = params.index(name) - (1 if scope.method else 0)
        calls = self._calls_by_name().get(fn.name.value, ())
        found: set = set()
        for call, caller in calls:
            if scope.method != (type(call.func) is cst.Attribute):
                continue  # `self.predict(...)` for a method, `predict(...)` for a function
            arg = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == name), None)
            positional = [a for a in call.args if a.keyword is None]
            if arg is None and 0 <= position < len(positional) and not positional[position].star:
                arg = positional[position].value
            built = _constructor_in(caller, arg) if arg is not None else None
            if built is None:
                return None
            found.add(built)
        return found.pop() if len(found) == 1 else None

    def _loss_for_callers(self, scope: _Scope) -> bool:
        """A function that hands back a graph (`total_loss += criterion(net(x), y)`, returned after
        `net.eval()`) to a caller of this file that backpropagates (`loss = self.point_loss(net,
        loader); loss.backward()`): its loop computes a loss in eval mode, with gradients on
        purpose; `no_grad` would make the caller's backward raise."""
        fn = scope.node
        summary = self.ctx.returns.get(scope.key, ())
        if fn is None or not any(a == GRAPH or type(a) is tuple and a[0] == CALL and a[2] for a in summary):
            return False  # (a call atom whose syntax says graph: `net(x)` of a model the project may define)
        for call, owner in self._calls_by_name().get(fn.name.value, ()):
            if owner is not fn and type(owner) in (cst.FunctionDef, cst.Module) and self._backpropagated(owner, call):
                return True
        return False

    def _backpropagated(self, owner: cst.CSTNode, call: cst.Call) -> bool:
        """Whether ``owner`` (a function or the module) backpropagates what ``call`` returns:
        `point_loss(net, x).backward()`, or through the names bound from it, two assignments deep
        (`loss = self.point_loss(...); total = loss + reg; total.backward()`)."""
        nodes = list(own_nodes(owner))
        uses = [n for n in nodes if type(n) is cst.Call and grad_use(n, self.ctx.aliases)]
        if not uses:
            return False
        if any(any(m is call for m in walk_nodes(use)) for use in uses):
            return True
        assigns = [n for n in nodes if type(n) is cst.Assign]
        names = set().union(*(_target_names(a) for a in assigns if any(m is call for m in walk_nodes(a.value))))
        for _ in range(2):
            for assign in assigns:
                if names & set(names_in(assign.value)):
                    names |= _target_names(assign)
        return bool(names) and any(names & set(names_in(use)) for use in uses)

    def _calls_by_name(self) -> dict:
        """Callee name -> (call, the statements of the function or module that makes it), for the
        file's calls of `name(...)` and `self.name(...)` (read once per file, when first asked)."""
        if self._calls_cache is None:
            self._calls_cache = {}
            module = self.ctx.module_node
            stack = [(module, module)] if module is not None else []
            while stack:
                node, owner = stack.pop()
                for child in iter_children(node):
                    t = type(child)
                    if t is cst.Call:
                        func = child.func
                        name = func.value if type(func) is cst.Name else func.attr.value if (
                            type(func) is cst.Attribute and type(func.value) is cst.Name
                            and func.value.value == "self") else None
                        if name is not None:
                            self._calls_cache.setdefault(name, []).append((child, owner))
                    stack.append((child, child if t is cst.FunctionDef else owner))
        return self._calls_cache

    def _trained_by_other_forward(self, scope: _Scope, loop: _Loop, call: tuple) -> bool:
        """A network the loop trains through another forward (`loss = criterion(model(x), y);
        loss.backward()`), then runs again on the same batch (`outputs = model(x, train=False)`
        for an accuracy): that is a network whatever its name, and a graph of its nothing uses
        is wasted."""
        model = call[1]
        if "." in model or self._bound_as_value(scope, model) != "local" or not any(
                other[1] == model and other[0] is not call[0] and self.ctx.graph_escapes(None, {id(other[0])}, scope.sinks)
                for other in loop.calls) and not self._closure_trains(loop, model):
            return False
        # Alone in its statement: `d_loss = -log(1 - netd(netg(z).detach()))` computes, beside the
        # detached sample, what the backward needs (a `no_grad` around it would cut that too).
        statement = statement_of(self.ctx.module_node, call[0]) if self.ctx.module_node is not None else None
        inside = {id(n) for n in walk_nodes(statement)} if statement is not None else set()
        return statement is not None and not any(
            id(other[0]) in inside for other in loop.calls if other[0] is not call[0])

    def _closure_trains(self, loop: _Loop, model: str) -> bool:
        """`def closure(): loss = criterion(seq(x), y); loss.backward(); return loss` then
        `optimizer.step(closure)` in the loop: the step runs the closure (torch's optimizer
        protocol, LBFGS), which trains `model` through a forward of its own."""
        stepped = {n.args[0].value.value for n in walk_nodes(loop.node.body)
                   if type(n) is cst.Call and type(n.func) is cst.Attribute and n.func.attr.value == "step"
                   and len(n.args) == 1 and type(n.args[0].value) is cst.Name}
        for node in loop.node.body.body if stepped else ():
            if type(node) is cst.FunctionDef and node.name.value in stepped:
                inner = self._scope_of.get(node)
                if inner is not None and _takes_steps(inner) and any(
                        type(n) is cst.Call and type(n.func) is cst.Name and n.func.value == model
                        for n in walk_nodes(node.body)):
                    return True
        return False

    def _report_single_forwards(self, evaluated_only: bool = False) -> None:
        """A function named like inference (`predict`, `_inference`) that puts a model in eval mode
        and runs it once, outside any loop, with gradients enabled and nothing using them: the
        result carries the graph of the whole forward to every caller."""
        for key, scopes in self._evaluators.items():
            engine = key in self._engine_steps
            for scope in scopes:
                fn = scope.node
                # A loop of its own that runs a model is reported as a loop (a comprehension over
                # the input's characters is no evaluation loop).
                # (A method that may run an evaluated part counts when one of that name does: not
                # a transform the object holds, `[self.normalize(im) for im in images]`.)
                if (scope.flag_used or scope.needs_grad or scope.skip or any(
                        _runs_something(c) and (c[5] is None or self._runs_through(scope, c[5]))
                        for loop in scope.closed for c in loop.calls)
                        or fn.name.value in ("forward", "__init__")
                        or not engine and not scope.method and scope.parent is not None and scope.parent.node is not None):
                    continue  # (a closure's forward is reported at the loop of its function that calls it)
                # What the function hands back, by its summary: nothing (a number: None), values
                # without a graph (a float accuracy, detached logits), or something that may carry one.
                summary = self.ctx.returns.get(scope.key, ())
                carries = GRAPH in summary
                escapes = any(a not in NO_GRAPH_ATOMS for a in summary)  # a graph, a call, or unknown
                if escapes and scope.forwards_escape is False or engine:
                    # What it returns is of unknown kind, but the forwards' graph does not reach it
                    # (`top = model(t).argmax(-1); return tokens, [itos[i.item()] for i in top]`);
                    # or it goes to the engine's state, for its metrics and handlers.
                    carries = escapes = False
                # A caller may backpropagate through what escapes: only a function named like
                # evaluation, or one that runs a model its script put in eval mode in a script that
                # uses no gradients anywhere (`classify(document)`), that no training code calls,
                # is judged then.
                by_script = escapes and not scope.eval_named and self._inference_script(scope)
                if escapes and not (scope.eval_named or by_script) or _reads_autograd_state(fn):
                    continue
                def judged(forward) -> bool:
                    call, model, via, condition, graph = forward
                    # (Through a method of the object that runs the part put in eval mode, by its
                    # summary: `self.model.eval(); preds = self.forward(x)`.)
                    return not (condition is False or graph is False or via is not None and not (
                            via[1] in (-1, -2) and self._runs_through(scope, via)) or not self._is_model(scope, model)
                            or self._stale_global(scope, model) or by_script and model.partition(".")[0] not in
                            scope.inherited or evaluated_only and not any(p in scope.evaluated for p in prefixes(model)))

                for call, model, via, condition, graph in filter(judged, scope.forwards):
                    if _hands_model_to_callable_parameter(fn, model):
                        break  # `run_fn(model, x)`: code the caller passes may need gradients
                    module = self.ctx.module_node
                    statement = statement_of(module, call) if module is not None else None
                    if _discards(statement, call):
                        # `model(x)` for what it does: a warm-up before the `no_grad` inference
                        # loop, a compiled model's first call outside `no_grad` on purpose.
                        break
                    if isinstance(condition, Condition) and escapes:
                        condition = dataclasses.replace(condition, mode=EVALUATION)
                    effect = ("the result it returns carries the forward's autograd graph" if carries else
                              "the result it returns may carry the forward's autograd graph" if escapes else
                              "the ignite engine it is handed to runs it once per batch, each forward recording "
                              "a graph nothing backpropagates" if engine else
                              "the forward records a graph nothing backpropagates")
                    where = (f"runs `{model}`, which the module put in eval mode," if model.partition(".")[0]
                             in scope.inherited else f"runs `{model}`, which its callers put in eval mode,"
                             if model in scope.by_callers else self._by_init_where(scope, fn, model)
                             if model in scope.by_init else _puts_in_eval(scope, model))
                    message = (f"`{fn.name.value}` {where} with gradients enabled, "
                               f"and nothing uses them: {effect}; run it inside `torch.no_grad()`")
                    self._report_forward(scope, call, model, condition, graph, message, statement,
                                         tuple(f[0] for f in scope.forwards if f[0] is not call))
                    break

    def _by_init_where(self, scope: _Scope, fn: cst.FunctionDef, model: str) -> str:
        """What the message says of a part the class's `__init__` put in eval mode: not that it is in
        eval mode when `__init__` itself calls the method first (a dummy forward for a shape)."""
        info = self.ctx.class_infos.get(scope.klass.rpartition(".")[2]) if scope.klass else None
        if info is not None and called_before_eval(info.node, fn.name.value, model):
            return (f"runs `{model}` (from `__init__` before `__init__` puts it in eval mode, and in eval "
                    "mode afterwards)")
        return f"runs `{model}`, which its class's `__init__` put in eval mode,"

    def _report_forward(self, scope: _Scope, call: cst.Call, model: str, condition, graph, message: str,
                        statement, others: tuple = ()) -> None:
        """Report a function's forward (_report_single_forwards, _report_wrapper_forwards): unless a
        callee of the function uses gradients, or the class froze the model. ``others``: its other
        forwards, which make the fix decorate the function rather than wrap one statement."""
        condition = _without_gradients(self._forward_condition(call, condition, graph),
                                       scope.call_refs | set(scope.forwards_handed))
        condition = self._frozen_at_init(scope, set(prefixes(model)), condition, [])
        if condition is not False:
            if others and scope.node is not None and self.ctx.module_node is not None:
                # More forwards in the function (the same network on the other side of an `if`, a
                # second embedding): wrapping one statement would leave the others recording a graph.
                spec = self.fix(UNSAFE, "Decorate the function with `@torch.no_grad()` (assumes nothing computed "
                                        "in it is backpropagated)")
                fix = self._decorate(spec, self.ctx.module_node, scope)
            else:
                fix = self._call_fix(statement, scope)
            self.report(call, message, fix=fix, condition=condition or None)

    def _passed_only_without_grad(self, fn: cst.FunctionDef, model: str) -> bool:
        """Whether ``model`` is a parameter of a private function of the file that defaults to None
        (no model, no forward: `_check_plt(loader, n, model=None)` for a data-only view), and every
        call of the function in the file that hands one runs inside a `with` block that disables
        grad. Its other callers leave it None, and the forward does not run for them."""
        name = fn.name.value
        if not name.startswith("_") or "." in model:
            return False
        params = [*fn.params.posonly_params, *fn.params.params, *fn.params.kwonly_params]
        found = next((p for p in params if p.name.value == model), None)
        if found is None or type(found.default) is not cst.Name or found.default.value != "None":
            return False
        position = params.index(found) - (1 if params and params[0].name.value in ("self", "cls") else 0)
        module = self.ctx.module_node
        if module is None:
            return False
        passing = []  # whether each call that hands a model runs with grad disabled
        stack = [(module, False)]
        while stack:
            node, disabled = stack.pop()
            if type(node) is cst.With:
                disabled = disabled or self._disables_with(node)
            elif type(node) is cst.Call:
                func = node.func
                called = func.value if type(func) is cst.Name else func.attr.value if type(func) is cst.Attribute else None
                if called == name:
                    hands = any(a.keyword is not None and a.keyword.value == model and not (
                        type(a.value) is cst.Name and a.value.value == "None") for a in node.args) or any(
                        a.keyword is None and not a.star and i == position for i, a in enumerate(node.args))
                    if hands:
                        passing.append(disabled)
            stack.extend((child, disabled) for child in iter_children(node))
        return bool(passing) and all(passing)

    def _inference_script(self, scope: _Scope) -> bool:
        """A function of a `.py` script that puts a model in eval mode at its top level and uses
        no gradients anywhere: what the function returns of that model's forward, this file
        never backpropagates (other files' training callers are the finding's condition)."""
        return bool(scope.inherited) and not self._scopes[0].needs_grad and not self.ctx.path.endswith(".ipynb")

    def _frozen_at_init(self, scope: _Scope, held: set, condition, freezes: list):
        """``condition`` with the calls that may have frozen the model (``freezes``, and those of
        its class's `__init__` on a part of `self`) demanded not to; False when `__init__`
        freezes that part itself."""
        if scope.method and scope.klass in self._init_freezes and scope.node is not None \
                and scope.node.name.value != "__init__":
            frozen, calls = self._init_freezes[scope.klass]
            if frozen & held:
                return False
            freezes = freezes + [p for name, p in calls if name in held]
        freezes = freezes + self._stored_frozen(scope, held)
        if freezes:
            return _demanding(condition, freezes=tuple(dict.fromkeys(freezes)))
        return condition

    def _stored_frozen(self, scope: _Scope, held: set) -> list:
        """(method reference, -1) for each method called last-but-anything in the chains a class
        stores in a part it runs, when every store of that part (None aside) is such a chain:
        `self._old_network = self._network.copy().freeze()` holds what `freeze()` gives back, frozen
        if that method freezes its receiver (the project decides, Condition.freezes)."""
        info = self.ctx.class_infos.get(scope.klass.rpartition(".")[2]) if scope.klass is not None else None
        if info is None or info.key != scope.klass:
            return []
        stores = class_attribute_values(info, self.ctx.aliases)
        out: list = []
        for part in held:
            root, _, attr = part.partition(".")
            if root != "self" or not attr or "." in attr:
                continue
            values = [v for v in stores.get(attr, ()) if not (type(v) is cst.Name and v.value == "None")]
            pairs = []
            for value in values:
                found = []
                while type(value) is cst.Call and type(value.func) is cst.Attribute:
                    found.append((self.ctx.values.ref_of(value.func) or ("anyattr", value.func.attr.value), -1))
                    value = value.func.value
                if not found:
                    pairs = []
                    break
                pairs.extend(found)
            out.extend(pairs)
        return out

    def _forward_ref(self, func: cst.BaseExpression) -> tuple:
        """The reference of the `forward` a module call runs: its class's, or any project
        module's (``_ANY_FORWARD``) when the class is unknown or only annotated as
        `nn.Module` (`model: torch.nn.Module` may be any subclass, a force field included), or is a
        wrapper of another module (`DistributedDataParallel`)."""
        ref = self.ctx.values.ref_of(func)
        if ref is None or ref[0] not in ("typed", "qual"):
            return _ANY_FORWARD
        if ref[0] == "typed" and self.ctx.aliases.resolve_dotted(ref[1]) in _MODULE_BASES:
            return _ANY_FORWARD
        return ref

    def _stale_global(self, scope: _Scope, model: str) -> bool:
        """A model in eval mode only by the module's `model.eval()` (``_Scope.inherited``), where
        the file also puts it in train mode somewhere: when the function runs is not known."""
        root = model.partition(".")[0]
        return root in scope.inherited and root not in scope.own_evaluated \
            and any(t.partition(".")[0] == root for t in self._trained_names)

    def _forward_condition(self, call: cst.Call, condition, graph):
        """What a finding on one forward asks of the project: that the model it runs uses no
        gradients (its class's `forward`, or any project `forward` for a module of unknown class),
        and, unless the call certainly records a graph, that it returns one (``graph``: the call
        atoms of values.graph)."""
        ref = self._forward_refs.get(id(call)) or self._forward_ref(call.func)
        condition = _without_gradients(condition, {ref})
        return condition if graph is True else _demanding(condition, returns=graph)

    def _report_handoffs(self) -> None:
        """`model.eval(); calc_loss_loader(loader, model)` with grad on, where the function loops
        over batches running that argument (itself, or through a helper of the file) and uses
        no gradients: an evaluation loop by its caller's mode."""
        for call, scope, statement, condition, name, position, model in self._handoffs:
            fn = self._def_named(scope, name)
            inner = self._scope_of.get(fn) if fn is not None else None
            if inner is None or inner.needs_grad or inner.skip or inner.flag_used or inner.eval_named:
                continue  # an evaluation-named helper's own loops are reported on their own
            params = positional_names(fn)
            if position >= len(params) or not self._loop_runs(inner, fn, params[position]):
                continue
            if params[position] in inner.own_evaluated:
                continue  # the helper puts it in eval mode itself: its own loop's finding says it
            message = (f"`{name}(...)` loops over batches running `{model}`, in eval mode here, with gradients "
                       "enabled and nothing uses them; call it inside `torch.no_grad()`")
            refs = {r for loop in inner.closed for r in loop.refs}
            self.report(call, message, fix=self._call_fix(statement, scope), condition=_without_gradients(condition, refs))

    def _loop_runs(self, inner: _Scope, fn: cst.FunctionDef, param: str) -> bool:
        """Whether a loop of ``fn`` calls ``param`` (or `param.forward`), or hands it to a function
        of the file that runs it, with grad enabled: not in a function decorated with `no_grad`,
        nor inside a `with torch.no_grad():` around the loop or the call."""
        if any(self._disables(d.decorator) for d in fn.decorators):
            return False
        for loop in inner.closed:
            if type(loop.node) not in (cst.For, cst.While):
                continue
            if any(type(n) is cst.With and self._disables_with(n) for n in (path_to(fn, loop.node) or ())):
                continue
            for node in self._enabled_nodes(loop.node.body):
                if type(node) is not cst.Call:
                    continue
                func = node.func
                callee = func.value if type(func) is cst.Attribute and func.attr.value == "forward" else func
                if type(callee) is cst.Name and callee.value == param:
                    return True
                if type(func) is cst.Name:
                    for at, arg in enumerate(node.args):
                        if arg.keyword is not None or arg.star:
                            break
                        if (type(arg.value) is cst.Name and arg.value.value == param
                                and self._runs_argument(inner, func.value, at)):
                            return True
        return False

    def _report_false_calls(self) -> None:
        """`self.iteration(loader, train=False)` where `iteration` uses gradients only under
        `if train:` and its loop runs a model: the call evaluates with gradients enabled. Also a
        loopless step (`step(model, batch, opt, False)`) called with the caller's loop data."""
        for call, caller, statement, condition, loop, state in self._false_calls:
            if id(call) in self._trained_through:
                continue
            func = call.func
            if type(func) is cst.Name:
                key = (None, func.value)
            elif type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value == "self":
                key = (caller.klass, func.attr.value)
            elif (owner := self._class_method_called(func)) is not None:
                key = (owner.key, func.attr.value)  # `Runner._run(..., train=False)`
            else:
                continue
            target = self._flagged.get(key)
            passed = turned_off(call, target.flags, target.flag_used, state) if target is not None else None
            if passed is None:
                continue
            flag, value = passed
            forward = next((c for loop in target.closed if not loop.needs_grad and not loop.over_layers
                            for c in loop.calls if c[5] is None and not c[6] and self._is_model(target, c[1])), None)
            runs = None
            if forward is None:
                # `Y_pred, losses = self.model.compute_loss(batch)`: a method of the model's class that
                # runs it, in whatever file (-4: Condition.runs, by the project's summaries).
                forward = next((c for loop in target.closed if not loop.needs_grad and not loop.over_layers
                                for c in loop.calls if c[5] is not None and c[5][1] == -4 and not c[6]), None)
                if forward is not None:
                    runs = f"`{forward[1]}.{forward[5][0]}(...)`"
                    condition = _running(condition, forward[5][2], forward[5][3] if len(forward[5]) > 3 else -1)
            where = "its loop runs"
            # Per batch: an argument reads what the caller's innermost loop binds (`step(model, b, ...)`).
            per_batch = loop is not None and any(expr_names(a.value) & loop.local for a in call.args)
            if forward is None and per_batch and not any(inner.calls for inner in target.closed):
                # `step(model, batch, opt, False)` per batch: the caller's loop is the evaluation loop.
                forward = next((f for f in target.forwards + target.flag_forwards if f[2] is None and f[4] is not False
                                and f[3] is not False and self._is_model(target, f[1])), None)
                where = "called in a loop, it runs"
            if forward is None:
                continue
            name = key[1]
            if type(value) is tuple:  # left out, at a default that turns it off
                literal = value[1]
                setting = f"`{flag}` left at its default `{literal if literal in ('True', 'False') else repr(literal)}`"
            else:
                shown = value if value in ("True", "False", "None") else repr(value)
                setting = f"`{flag}={shown}`" if value is not None else f"no `{flag}`"
            message = (f"`{name}` evaluates with {setting}: {where} {runs or f'`{forward[1]}(...)`'} with gradients "
                       f"enabled and nothing uses them; call it inside `torch.no_grad()`")
            refs = {r for loop in target.closed for r in loop.refs}
            if runs is not None:
                # Any project method of that name that uses gradients (a penalty's `autograd.grad`)
                # needs them there: `no_grad` around the call would break it.
                refs.add(("modelmethod", forward[5][0]))
            self.report(call, message, fix=self._call_fix(statement, caller),
                        condition=_without_gradients(condition, refs))

    def _call_fix(self, statement: Optional[cst.CSTNode], scope: _Scope):
        """Wrap the statement holding an evaluating call in `torch.no_grad()`, when it can be."""
        if statement is None or self.ctx.module_node is None:
            return None
        fix = self.fix(UNSAFE, "Wrap the call in `torch.no_grad()` (assumes nothing computed in it is backpropagated)")
        return fix if no_grad_fix(fix, self.ctx.module_node, [statement], scope.functions,
                                  aliases=self.ctx.aliases) else None

    def _disables(self, expr: cst.BaseExpression) -> bool:
        return disables_grad(expr, self.ctx.aliases)

    def _disables_with(self, node: cst.With) -> bool:
        return any(self._disables(item.item) for item in node.items)

    def _enabled_nodes(self, root: cst.CSTNode):
        """The nodes below ``root`` outside any grad-disabling `with` block."""
        stack = [root]
        while stack:
            node = stack.pop()
            if type(node) is cst.With and self._disables_with(node):
                continue
            yield node
            stack.extend(iter_children(node))

    def _is_model(self, scope: _Scope, model: str, depth: int = 0) -> bool:
        """Whether the receiver of a forward-looking call is a model instance: not a function
        (a `def` or a `from x import f` of this file: `_resolve_model(...)`), not a class, and
        not a predictor wrapper whose `__call__` disables grad itself (`m = YOLO(w); m(img)`).
        Checked only for a loop about to be reported."""
        root, _, rest = model.partition(".")
        if root == "self":
            attrs = self._wrapper_attrs.get(scope.klass)
            if attrs is not None and rest in attrs[0] and rest not in attrs[1]:
                return False
            if not rest or "." in rest:
                return True
            built = self._class_attrs.get(scope.klass, {}).get(rest)
            if built is not None:
                return self.networks.forward_runs(built.rpartition(".")[2])
            # `self.model = model` from the constructor: what the file's constructions pass.
            passed = self.networks.constructed_with(scope.klass.rpartition(".")[2] if scope.klass else "", rest)
            return not passed or any(self.networks.forward_runs(c) for c in passed)
        current: Optional[_Scope] = scope
        while current is not None:
            if root in current.assigned:
                return not (rest == "" and root in current.wrappers and root not in current.rebound)
            if root in current.defs:
                fn = current.defs[root]
                return fn is not None and rest == "" and self._runs_model(fn, depth + 1)
            current = current.parent
        # Not bound in this file: imported (a function, a class or a module) or a global the
        # file does not show (a notebook, `exec`): only the latter may be a model; or an imported
        # instance the function puts in eval mode itself (`from nets import model; model.eval()`:
        # a function, a class or a module has no such method to call).
        return root not in self.ctx.aliases.names and not self._star_imported() or root in scope.own_evaluated

    def _loads_evaluated(self, scope: _Scope, value: cst.BaseExpression) -> bool:
        """`load_model()`: a call of a function of the file that returns a model it put in eval mode."""
        if type(value) is not cst.Call or type(value.func) is not cst.Name:
            return False
        fn = self._def_named(scope, value.func.value)
        if fn is None:
            return False
        known = self._loaders.get(id(fn))
        if known is None or known[0] is not fn:
            known = self._loaders[id(fn)] = (fn, returns_evaluated(fn))
        return known[1]

    def _visible_def(self, scope: _Scope, func: cst.BaseExpression) -> bool:
        """Whether a callee is a function of the file (`perturb_features(x)`) or a method of the
        current class (`self.perturb(x)`): what it does is known (its own statements, its summary),
        so its name decides nothing."""
        if type(func) is cst.Name:
            return self._def_named(scope, func.value) is not None
        klass = self.ctx.klass
        return type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value == "self" \
            and klass is not None and klass.method_def(func.attr.value) is not None

    def _def_named(self, scope: Optional[_Scope], name: str) -> Optional[cst.FunctionDef]:
        """The function of the file a bare name calls from ``scope`` (None: a local value, a
        class, an import, or nothing the file defines)."""
        while scope is not None:
            if name in scope.defs:
                return scope.defs[name]
            if name in scope.assigned:
                return None
            scope = scope.parent
        return None

    def _is_part(self, klass: str, attr: str) -> bool:
        """Whether `self.<attr>(...)` in a method of ``klass`` runs a part of the object, not one of
        its methods (an inherited `self.dispatch(...)`): named like a network (`self._model`; the
        attribute may be assigned in a base class of another file), or built in `__init__` of an
        nn.Module of this file."""
        if self.networks.method(klass, attr) is not None:
            return False
        if names_network(attr) or names_submodule(attr):
            return True
        info = self.networks.module_info(klass)
        if info is not None and attr in info.attr_types:
            return True
        # Any class of the file (an agent, a trainer): a part its `__init__` builds as a module
        # with parameters (`self.dqn = Network(...)`), whose parameters it reads, or whose
        # `.forward()` a method calls: the value model says what the attribute holds.
        info = self.ctx.class_infos.get(klass)
        if info is None:
            return False
        return self.networks.builds_module(info, attr) or attr in info.parameter_parts or attr in info.forward_parts

    def _runs_through(self, scope: _Scope, via: tuple) -> bool:
        if via[1] >= 0:
            return self._runs_argument(scope, via[0], via[1])
        if via[1] == -3:
            return self._evaluated_by(scope, via) is not None
        if via[1] in (-4, -5):
            return True  # a function or method of another file: decided by the project (Condition.runs)
        if via[1] == -2:
            # A method of the model's own class: it runs the model if it runs `self` or a part of it.
            fn = self.networks.method(via[2], via[0])
            summary = self.ctx.forwards.get(fn) if fn is not None else None
            return summary is not None and any(
                r == "self" or r.startswith("self.") and self._is_part(via[2], r[5:]) for r in summary[1])
        # A method call: some method of that name in the file runs `self.<attribute>`.
        method, attribute = via[0], f"self.{via[2]}"
        return any(fn.name.value == method and attribute in summary[1]
                   for fn, summary in self.ctx.forwards.items())

    def _evaluated_by(self, scope: _Scope, via: tuple) -> Optional[str]:
        """The model that the function a loop calls (`self.validation_step(batch)`) puts in eval
        mode and runs, without using gradients; None if it does not."""
        key = (scope.klass if via[2] else None, via[0])
        for inner in self._evaluators.get(key, ()):
            for _, model, inner_via, _, _ in inner.forwards:
                if inner_via is not None and inner_via[1] == -5:
                    continue  # a function of another file: what it runs is the project's, not asked here
                if self._is_model(inner, model) and (inner_via is None or self._runs_through(inner, inner_via)):
                    return model
        return None

    def _through_other_file(self, scope: _Scope, call: tuple) -> tuple:
        """``call`` (a forward recorded in a loop), its helper resolved across files: the file's
        `eval_batch(model, y)` that runs `model` only by handing it to a function imported from
        another file (`run_batch(model, y)`) runs it if that one does (Condition.runs)."""
        via = call[5]
        if via is None or via[1] < 0:
            return call
        use = self._argument_use(scope, via[0], via[1])
        return call if use is None or use is True else call[:5] + ((via[0], -5, use),) + call[6:]

    def _runs_argument(self, scope: _Scope, name: str, position: int) -> bool:
        """Whether calling the file's function ``name`` runs its positional argument ``position``
        as a model (_argument_use)."""
        return self._argument_use(scope, name, position) is True

    def _argument_use(self, scope: _Scope, name: str, position: int, depth: int = 0):
        """What calling the file's function ``name`` does with its positional argument ``position``,
        from the function's summary (ctx.forwards), through the file's helpers it hands the argument
        to: True when it runs it as a model; else (reference, position) of the first function of
        another file it hands it to (the project decides whether that one runs it: Condition.runs);
        else None."""
        fn = self._def_named(scope, name)
        summary = self.ctx.forwards.get(fn) if fn is not None else None
        if summary is None or depth > 4 or position >= len(summary[0]):
            return None
        params, forwarded, passes = summary
        param = params[position]
        if param in forwarded:
            return True
        inner = self._scope_of.get(fn)
        if inner is None:
            return None
        handed = None
        for callee, at, p in passes:
            if p != param or type(callee) is not cst.Name:
                continue
            if self._def_named(inner, callee.value) is not None:
                found = self._argument_use(inner, callee.value, at, depth + 1)
            else:
                imported = self.ctx.aliases.names.get(callee.value)
                ref = self.ctx.values.ref_of(callee) if imported is not None and not imported.startswith("torch.") \
                    else None
                found = (ref, at) if ref is not None else None
            if found is True:
                return True
            handed = handed or found
        return handed

    def _runs_model(self, fn: cst.FunctionDef, depth: int, limit: int = 2000) -> bool:
        """Whether a function defined in the file runs a model itself with grad on (``def
        model_fn(x): return net(x)``): then calling it is a forward pass; otherwise it is a plain
        helper (whose own helpers, `_image_encoder(...)`, are looked up the same way)."""
        scope = self._scope_of.get(fn)
        if scope is None or depth > 3:
            return True  # cannot tell: keep the finding
        if any(self._disables(d.decorator) for d in fn.decorators):
            return False  # `@torch.no_grad()`: what it runs records no graph
        # (Not what it runs inside its own `with torch.no_grad():`: `model_predict(model, x)`.)
        for seen, node in enumerate(self._enabled_nodes(fn.body)):
            if seen > limit:
                return True
            if type(node) is cst.Call:
                func = node.func
                if (type(func) is cst.Attribute and func.attr.value not in FORWARD_METHODS
                        and not (type(func.value) is cst.Name and func.value.value == "self")
                        and not names_submodule(func.attr.value)):
                    continue  # `model.load_child(c)`, `model.get_info()`: a method of the object, no forward
                if type(func) is cst.Name and func.value == fn.name.value:
                    continue  # a recursive call: what the function runs is what the rest of it runs
                receiver = model_receiver(func)
                if receiver is not None and (
                    receiver == "self" or names_network(receiver) and self._is_model(scope, receiver, depth)
                ):
                    return True
        return False

    def _fix(self, loop: _Loop):
        module = self.ctx.module_node
        if module is None:
            return None
        spec = self.fix(UNSAFE, "Wrap the loop in `torch.no_grad()` (assumes nothing computed in it is backpropagated)")
        scope = loop.scope
        if loop.has_yield:
            # A generator suspended inside `with torch.no_grad():` would leak the mode to its
            # consumer; torch's decorator handles generators.
            if scope.node is None:
                return None
            return self._decorate(spec, module, scope)
        statement = loop.node if type(loop.node) in (cst.For, cst.While) else loop.statement
        if statement is None or loop.statement_trains:
            return None
        if not no_grad_fix(spec, module, [statement], scope.functions, aliases=self.ctx.aliases):
            return None
        return spec

    def _decorate(self, spec, module, scope: _Scope):
        from ..fixes.wrap import add_torch_import, torch_alias

        alias = torch_alias(module, scope.functions, self.ctx.aliases)
        fn = scope.node
        newline = module.default_newline
        # The innermost decorator, just above `def` (so `@staticmethod` and friends stay outside):
        # inserted at the `def` keyword, after the line's indentation.
        indent = _indent_of(module, fn)
        spec.message = "Decorate the function with `@torch.no_grad()`"
        spec.insert_before(fn, f"@{alias or 'torch'}.no_grad(){newline}{indent}")
        if alias is None:
            add_torch_import(spec, module)
        return spec


def _indent_of(module: cst.Module, fn: cst.FunctionDef) -> str:
    from ..fixes.wrap import locate

    where = locate(module, fn)
    return where[2] if where is not None else ""


def _structure(iterable: cst.BaseExpression) -> bool:
    """``model.modules()``, ``net.named_parameters()``: a loop over a model's parts, not data."""
    return (
        type(iterable) is cst.Call and type(iterable.func) is cst.Attribute
        and iterable.func.attr.value in STRUCTURE_METHODS
    )


_CONTAINERS = frozenset({"ModuleList", "Sequential", "ModuleDict"})


def _layer_stack(iterable: cst.BaseExpression, klass) -> bool:
    """``self.layers`` (built as an ``nn.ModuleList`` / ``nn.Sequential`` / ``nn.ModuleDict`` in
    ``__init__``), also sliced (``self.layers[:n]``) and inside ``zip(states, self.layers)`` /
    ``enumerate(...)`` / ``.items()``:
    a loop through the model's own layers, one step of a forward, not a loop over data."""
    if klass is None or not klass.attr_types:
        return False
    if type(iterable) is cst.Call:
        func = iterable.func
        if type(func) is cst.Name and func.value in ("zip", "enumerate", "reversed"):
            return any(_layer_stack(arg.value, klass) for arg in iterable.args)
        if type(func) is cst.Attribute and func.attr.value in ("items", "values") and not iterable.args:
            return _layer_stack(func.value, klass)
        return False
    if type(iterable) is cst.Subscript:  # `self.layers[:n_q]`: some of the layers
        return _layer_stack(iterable.value, klass)
    if type(iterable) is cst.Attribute and type(iterable.value) is cst.Name and iterable.value.value == "self":
        built = klass.attr_types.get(iterable.attr.value)
        return built is not None and built.rpartition(".")[2] in _CONTAINERS
    return False


def _alias_of(value: cst.BaseExpression, target: cst.BaseExpression, known: set) -> bool:
    """``value`` names another value of the same kind (``self.a`` for ``self.b``, ``a`` for ``b``)
    that is in ``known``."""
    if type(target) is cst.Name:
        return type(value) is cst.Name and value.value in known
    return (type(value) is cst.Attribute and type(value.value) is cst.Name and value.value.value == "self"
            and value.attr.value in known)


def _placeholder(value: cst.BaseExpression) -> bool:
    """``None``, a number, a string: an attribute's initial value, not a model."""
    return isinstance(value, (cst.BaseNumber, cst.BaseString)) or (
        type(value) is cst.Name and value.value in ("None", "False", "True")
    )


def _ancestors(loop: _Loop):
    parent = loop.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _depth(loop: _Loop) -> int:
    return sum(1 for _ in _ancestors(loop))


def _method_of_other_file(name: str, ref: tuple, by_name: bool) -> tuple:
    """The ``via`` of a call of a method the project decides (-4, Condition.runs). On a receiver the
    function put in eval mode (a module, ``by_name`` False), a method no project class defines is
    its own class's, outside the project, and runs it (-2), unless it is a library entry point
    that disables grad itself (SELF_DISABLING_METHODS)."""
    outside = () if by_name or name in SELF_DISABLING_METHODS else (-2,)
    return (name, -4, ref) + outside


def _running(condition, ref: tuple, position: int = -1):
    """The finding's condition, and that the method a call names (of a class in another file)
    runs its receiver: a forward pass of the model put in eval mode (-2: or names no project
    method at all)."""
    return _demanding(condition, runs=((ref, position),))


def _loop_element(scope: _Scope, receiver: str) -> bool:
    """`for name, scorer in self.scorers.items(): scorer.score(...)`: the receiver is what a loop
    of the scope iterates, one object per turn (objects of any class, whose methods of one name
    the name alone cannot tell apart)."""
    root = receiver.partition(".")[0]
    for loop in scope.loops:
        target = getattr(loop.node, "target", None)
        if target is not None:
            names: set = set()
            bound_names(target, names)
            if root in names:
                return True
    return False


def _puts_in_eval(scope: _Scope, model: str) -> str:
    """"puts `model` in eval mode and runs it", or, for a method of a model put in eval mode
    (`model.model_forward`), "puts `model` in eval mode and runs `model.model_forward(...)`"."""
    evaluated = next((p for p in prefixes(model) if p in scope.evaluated and p != model), None)
    if evaluated is None or model in scope.evaluated:
        return f"puts `{model}` in eval mode and runs it"
    return f"puts `{evaluated}` in eval mode and runs `{model}(...)`"


def _constructor_in(owner: cst.CSTNode, arg: cst.BaseExpression) -> Optional[str]:
    """The class (as written) that ``owner`` (a function or the module) builds the name ``arg``
    from, when its every assignment of that name is one construction of it: `g = Gen(...)`."""
    if type(arg) is not cst.Name:
        return None
    body = owner.body if type(owner) is cst.FunctionDef else owner
    built: set = set()
    for node in walk_nodes(body):
        if type(node) is cst.Assign and any(type(t.target) is cst.Name and t.target.value == arg.value
                                            for t in node.targets):
            name = constructor_name(node.value)
            if name is None or len(node.targets) > 1:
                return None
            built.add(name)
        elif type(node) in (cst.For, cst.AugAssign, cst.AnnAssign) and arg.value in {
                n.value for n in walk_nodes(node.target) if type(n) is cst.Name}:
            return None
    return built.pop() if len(built) == 1 else None


def _summary_atoms(graph) -> tuple:
    """values.graph's call atoms (`self.g12(x)`: ('call', ref, forward-like, ...)) with the
    forward-like guess dropped, so that only a project summary can say the call returns a graph;
    () when the value model says anything else (True, False, no call)."""
    if type(graph) is not tuple or not all(type(a) is tuple and a[0] == CALL for a in graph):
        return ()
    return tuple(a[:2] + (False,) + a[3:] for a in graph)


def _without_gradients(condition, refs: set):
    """The finding's condition, and that none of the calls its loop makes (``refs``, raw) uses
    gradients, in this file or another (an adversarial attack two calls deep): such a loop is
    no evaluation, and `no_grad` around it would make that backward raise."""
    if not refs:
        return condition or None
    known = condition.grads if isinstance(condition, Condition) else ()
    return _demanding(condition, grads=tuple(sorted(set(known) | set(refs), key=repr)))


_BUILTIN_NAMES = frozenset(dir(builtins))
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)
_ANY_FORWARD = ("anyforward",)
# torch's functional data parallelism: a call runs the module it is given (its first argument).
_DATA_PARALLEL = frozenset({"torch.nn.parallel.data_parallel", "torch.nn.parallel.data_parallel.data_parallel"})
# Classes whose `forward` may be any module's: nn.Module itself, and the wrappers that run the
# module they are given (`net = DDP(net)`: a force field's `autograd.grad` still runs inside).
_MODULE_BASES = frozenset({"torch.nn.Module", "torch.nn.modules.module.Module", "torch.nn.DataParallel",
                           "torch.nn.parallel.DataParallel", "torch.nn.parallel.DistributedDataParallel",
                           "torch.nn.parallel.distributed.DistributedDataParallel",
                           "torch.distributed.fsdp.FullyShardedDataParallel"})
_MODULE_OWN_METHODS = NN_MODULE_METHODS - {"forward"}
_AUTOGRAD_STATE = frozenset({"grad", "grad_fn", "requires_grad", "requires_grad_", "retain_grad", "register_hook",
                             "backward"})
# The same, in a function that trains (its own `backward` is no sign its last forward needs a graph).
_TRAINING_STATE = _AUTOGRAD_STATE - {"backward"}
# The same, for a forward whose graph reaches no gradient use: a read of `p.grad` (a sink of
# graph_reaches) cannot be of a graph that reaches none.
_DETACHED_STATE = _TRAINING_STATE - {"grad"}


def _setting_guard(branches) -> Optional[tuple]:
    """The innermost open `if self.<flag>:` / `if not self.<flag>:` part: (`self.<flag>`, the side
    that runs), or None. An object's setting decides whether this code uses gradients."""
    for branch in reversed(branches):
        test, negated = branch.condition()
        if type(test) is cst.Attribute and type(test.value) is cst.Name and test.value.value == "self":
            return f"self.{test.attr.value}", "False" if negated else "True"
    return None


def _hands_model_to_callable_parameter(fn: cst.FunctionDef, model: str) -> bool:
    """`def measure(model, x, run_fn=None): ... run_fn(model, x)`: the function runs code its caller
    passes in on the model; what that code does (a backward) is unknown here."""
    params = set(parameter_names(fn))
    root = model.partition(".")[0]
    for node in walk_nodes(fn.body):
        if type(node) is cst.Call and type(node.func) is cst.Name and node.func.value in params \
                and node.func.value != root and any(root in expr_names(a.value) for a in node.args):
            return True
    return False


def _reads_autograd_state(fn: "cst.FunctionDef | cst.Module", state: frozenset = _AUTOGRAD_STATE) -> bool:
    """A function (or a script) that looks at what autograd records (`out.grad_fn`,
    `x.requires_grad_()`, `x.grad`): it wants the graph its forward builds."""
    return any(type(n) is cst.Attribute and n.attr.value in state
               for n in (walk_nodes(fn.body) if type(fn) is cst.FunctionDef else walk_nodes(fn)))


def _self_part(func: cst.BaseExpression) -> Optional[str]:
    """`X` of a callee `self.X` or `self.X.forward`, else None."""
    if type(func) is cst.Attribute and func.attr.value == "forward" and type(func.value) is cst.Attribute:
        func = func.value
    if type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value == "self":
        return func.attr.value
    return None


def _looks_graph(fact) -> bool:
    """A value fact that carries a graph, or a call whose syntax suggests one."""
    return GRAPH in fact or any(type(a) is tuple and a[2] for a in fact)


def _clears_volatile(node: cst.CSTNode) -> bool:
    """Whether a function (or a script) sets `x.volatile = False`: torch before 0.4's way to let a
    value computed from a volatile input into a loss."""
    return any(type(n) is cst.Assign and type(n.value) is cst.Name and n.value.value == "False"
               and any(type(t.target) is cst.Attribute and t.target.attr.value == "volatile" for t in n.targets)
               for n in walk_nodes(node))


def _read_in_nested(node: cst.CSTNode) -> frozenset:
    """The names the functions nested in ``node`` (a function or a module) read from outside
    them: each one's names less those it binds itself (its parameters and assignments)."""
    out: set = set()
    for inner in walk_nodes(node):
        if inner is node or type(inner) not in (cst.FunctionDef, cst.Lambda):
            continue
        bound = set(parameter_names(inner))
        names = set()
        for n in walk_nodes(inner):
            if type(n) is cst.Name:
                names.add(n.value)
            elif type(n) is cst.Assign:
                for target in n.targets:
                    bound_names(target.target, bound)
        out |= names - bound
    return frozenset(out)


def _takes_steps(scope: _Scope) -> bool:
    """Whether the function itself trains: one of its gradient uses is a backward pass or a step
    (a read of `.grad` or `autograd.grad` alone is an attack's or a saliency map's)."""
    return any(type(s) is cst.Call and type(s.func) is cst.Attribute and s.func.attr.value in _TRAINING_STEPS
               for s in scope.sinks)


def _flag_literal(value: cst.BaseExpression) -> bool:
    """A value a flag may be set to: a string or `True` / `False`."""
    return type(value) is cst.SimpleString or type(value) is cst.Name and value.value in ("True", "False")


_LITERALS = (cst.List, cst.Dict, cst.Set, cst.Tuple, cst.ListComp, cst.DictComp, cst.SetComp, cst.Integer,
             cst.Float, cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)


def _annotated_callable(fn: Optional[cst.FunctionDef], name: str) -> bool:
    """Whether ``name`` is a parameter of ``fn`` annotated `Callable[...]` (typing's or
    collections.abc's): a function, whatever its name says."""
    if fn is None:
        return False
    for param in (*fn.params.posonly_params, *fn.params.params, *fn.params.kwonly_params):
        if param.name.value == name and param.annotation is not None:
            annotation = param.annotation.annotation
            if type(annotation) is cst.Subscript:
                annotation = annotation.value
            return (dotted(annotation) or "").rpartition(".")[2] == "Callable"
    return False


def _discards(statement, call: cst.Call) -> bool:
    """Whether ``statement`` is the bare call, its result dropped (`model(x)`)."""
    return (type(statement) is cst.SimpleStatementLine and len(statement.body) == 1
            and type(statement.body[0]) is cst.Expr and statement.body[0].value is call)


def _names_gradient_helper(short: str, qualified: Optional[str]) -> bool:
    """A call whose name alone says it uses gradients (`fgsm_attack`, `saliency_map`), the last
    resort for a function the file cannot see: not one of torch's own (its API is data:
    `adaptive_avg_pool2d` adapts nothing), nor a loss (`explainability_loss` computes a value).
    """
    if qualified is not None and qualified.startswith("torch.") and not qualified.startswith(
            ("torch.func.", "torch.autograd.")):
        return False  # (`torch.func.jvp`, `torch.autograd.functional.jacobian` do differentiate)
    return short.rstrip("_").lower().rsplit("_", 1)[-1] not in ("loss", "losses", "criterion")


def _string_arguments(built: str, call: cst.Call) -> tuple:
    """(class, keyword, position, literal) for each string literal a model call passes
    (`model(data, mode="inference")`): the project asks whether that branch of the class's
    `forward` runs without grad (Condition.quiet)."""
    out = []
    for position, arg in enumerate(call.args):
        if arg.star or type(arg.value) is not cst.SimpleString:
            continue
        text = string_value(arg.value)
        if text is None:
            continue
        if arg.keyword is not None:
            out.append((built, arg.keyword.value, -1, text))
        else:
            out.append((built, "", position, text))
    return tuple(out)


def _detached_at_once(value: cst.BaseExpression, call: cst.Call) -> bool:
    """Whether ``value`` takes ``call``'s output through tensor methods and indexing only
    (`.cpu()`, `[0]`) straight into `.data` or a detaching method (`.detach()`, `.item()`,
    `.numpy()`): nothing else reads the graph the call records."""
    for node in walk_nodes(value):
        t = type(node)
        if t is cst.Attribute and node.attr.value == "data":
            receiver = node.value
        elif t is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in TENSOR_DETACHED_METHODS:
            receiver = node.func.value
        else:
            continue
        while receiver is not call:
            kind = type(receiver)
            if kind is cst.Subscript:
                receiver = receiver.value
            elif kind is cst.Call and type(receiver.func) is cst.Attribute and receiver.func.attr.value in TENSOR_METHODS:
                receiver = receiver.func.value
            else:
                break
        if receiver is call:
            return True
    return False


def _runs_once(node: cst.CSTNode) -> bool:
    """A `for` / `while` whose body ends in an unconditional `break`: one pass, a peek at the
    first batch (`for x, y in loader: print(model(x).shape); break`), not a loop over data."""
    if type(node) not in (cst.For, cst.While) or type(node.body) is not cst.IndentedBlock or not node.body.body:
        return False
    last = node.body.body[-1]
    return type(last) is cst.SimpleStatementLine and any(type(s) is cst.Break for s in last.body)


def _runs_something(call: tuple) -> bool:
    """Whether a loop's recorded call may run a model: not a builtin (`for k in range(n):`),
    which the loop records among the calls of the file's functions it may evaluate through."""
    via = call[5]
    return not (via is not None and via[1] == -3 and call[1] in _BUILTIN_NAMES)


def _true(value: cst.BaseExpression) -> bool:
    return type(value) is cst.Name and value.value == "True"


def _made_up_input(call: cst.Call, aliases) -> bool:
    """Whether every positional argument of a forward is a tensor made on the spot (`net(torch.randn(1, 3,
    32, 32))`): a shape check of a module file's `test()`, no evaluation of data."""
    args = [a.value for a in call.args if a.keyword is None and not a.star]
    return bool(args) and all(type(v) is cst.Call and type(v.func) in (cst.Name, cst.Attribute)
                              and (aliases.resolve(v.func) or "") in TORCH_FACTORIES for v in args)


_CONTAINER_STORES = frozenset({"append", "extend", "insert", "add", "update", "appendleft", "put", "push"})


def _target_names(assign: cst.Assign) -> set:
    """Every name in an assignment's targets (`total[k] = loss` counts `total`: it holds the value)."""
    return {t.value for target in assign.targets for t in walk_nodes(target.target) if type(t) is cst.Name}


def _stores_on_self(fn: cst.FunctionDef) -> bool:
    """Whether a method writes into its object: `self.x = ...`, `self.x[i] = ...`, `self.x += ...`,
    `self.xs.append(...)` (what it computes may stay there for another method)."""
    return _stores_into(fn, lambda name: name == "self")


def _stores_outside(fn: cst.FunctionDef) -> bool:
    """Whether a function writes into what outlives it: an object it is handed or a global
    (`policy.saved_log_probs.append(m.log_prob(a))`, `cache[k] = out`): anything rooted at a name
    it does not bind itself."""
    local: set = set()
    for node in own_nodes(fn.body):
        if type(node) in (cst.AssignTarget, cst.For, cst.CompFor):
            bound_names(node.target, local)  # (`cache[k] = out` binds no `cache`: it stores into it)
    params = set(positional_names(fn))
    return _stores_into(fn, lambda name: name in params or name not in local)


def _stores_into(fn: cst.FunctionDef, outside) -> bool:
    """Whether a function writes into an attribute or an item of a name ``outside`` accepts, or
    fills a container rooted there (`.append`, `.update`...)."""
    for node in own_nodes(fn.body):
        t = type(node)
        if t in (cst.AssignTarget, cst.AugAssign, cst.AnnAssign):
            target = node.target
            if type(target) in (cst.Subscript, cst.Attribute):
                while type(target) in (cst.Subscript, cst.Attribute):
                    target = target.value
                if type(target) is cst.Name and outside(target.value):
                    return True
        elif t is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in _CONTAINER_STORES:
            receiver = node.func.value
            while type(receiver) in (cst.Subscript, cst.Attribute):
                receiver = receiver.value
            if type(receiver) is cst.Name and outside(receiver.value):
                return True
    return False


def _volatile_variable(call: cst.Call) -> bool:
    """`Variable(x, volatile=True)`: a call asking for no graph the pre-0.4 way."""
    return any(a.keyword is not None and a.keyword.value == "volatile" and _true(a.value) for a in call.args)


def _composes(node: cst.CSTNode, call: cst.Call) -> bool:
    """`for d in decorators: f = d(f)`, `for layer in layers: x = layer(x)`: the loop's target is
    the callee and each result feeds the next call. The loop composes one computation from its
    parts; it runs nothing over batches of data."""
    if type(node) is not cst.For or type(node.target) is not cst.Name or type(call.func) is not cst.Name \
            or call.func.value != node.target.value or type(node.body) is not cst.IndentedBlock:
        return False
    for statement in node.body.body:
        if type(statement) is cst.SimpleStatementLine:
            for small in statement.body:
                if type(small) is cst.Assign and small.value is call and len(small.targets) == 1 \
                        and type(small.targets[0].target) is cst.Name:
                    name = small.targets[0].target.value
                    return any(type(a.value) is cst.Name and a.value.value == name for a in call.args)
    return False


def _fed_each_iteration(loop, call: tuple) -> bool:
    """Whether a recorded call of a loop reads the loop's own data: in its arguments, or, for a
    method of another file's class called without any (`model.test()`), through its receiver,
    which another call of the loop hands that data (`model.set_input(batch)`)."""
    if call[2] & loop.local:
        return True
    via = call[5]
    return via is not None and via[1] == -4 and not call[0].args and any(
        other[1] == call[1] and other[2] & loop.local for other in loop.calls)


# What leaves a tensor without its history, or no tensor at all, on the way to `.numpy()`.
_HISTORY_CUTS = TENSOR_DETACHED_METHODS | TENSOR_NUMBER_METHODS | frozenset({"detach", "data", "numpy"})
_NO_HISTORY_ATOMS = frozenset({NUMBER, TENSOR})


def _with_history(expr: cst.BaseExpression, sources: set, env: Env, depth: int, infer, resolve) -> bool:
    """Whether ``expr`` is one of the forward calls ``sources`` or computed from one with its
    history kept (`probs.cpu()` where `probs = softmax(net(x))`), through the function's
    assignments (``env``) a few levels deep; what the value model (``infer``) knows to carry no
    graph (`torch.topk(s, k)[1]`, a sampled action) cuts the chain, and so does an element of
    `zip(...)` / `enumerate(...)`, which may be the data beside the outputs."""
    t = type(expr)
    if t is cst.Call and type(expr.func) is cst.Name and expr.func.value in ("zip", "enumerate", "iter", "range", "len"):
        return False
    fact = infer(expr, env)
    if fact and (fact <= _NO_HISTORY_ATOMS or all(type(a) is tuple and not a[2] and not a[4] for a in fact)):
        # (A project method's result, `behaviour.action(s)` sampling an action: its summary decides,
        # and nothing here says it keeps history.)
        return False
    if id(expr) in sources:
        return True
    if depth > 6:
        return False
    if t is cst.Name:
        values = env.values.get(expr.value, ())
        return any(v is not None and _with_history(v, sources, env, depth + 1, infer, resolve) for v in values)
    if t is cst.Attribute:
        return expr.attr.value not in _HISTORY_CUTS and _with_history(expr.value, sources, env, depth + 1, infer, resolve)
    if t is cst.Subscript:
        return _with_history(expr.value, sources, env, depth + 1, infer, resolve)
    if t is cst.BinaryOperation:
        return _with_history(expr.left, sources, env, depth + 1, infer, resolve) \
            or _with_history(expr.right, sources, env, depth + 1, infer, resolve)
    if t is cst.Call:
        func = expr.func
        if type(func) is cst.Attribute and func.attr.value in _HISTORY_CUTS:
            return False
        if type(func) is cst.Attribute and _with_history(func.value, sources, env, depth + 1, infer, resolve):
            return True
        # Through the arguments of torch's own functions only (`F.softmax(net(x))`): a project
        # function's result (`loss, acc = loss_acc(output, y)`) is its summary's to say.
        if not (resolve(func) or "").startswith("torch."):
            return False
        return any(not a.star and _with_history(a.value, sources, env, depth + 1, infer, resolve) for a in expr.args)
    return False


def _buffer_writes(fn: cst.FunctionDef, forwards: list) -> dict:
    """id(forward call) -> the buffer it is copied into, when every forward of a method is the whole
    right-hand side of an in-place write into a tensor its object holds (`self.actions[:] =
    self.policy(obs)`) and the method returns no value: nothing but that buffer sees the output,
    and the copy (autograd's CopySlices) chains the graph of each call to the one before. {} otherwise."""
    out: dict = {}
    for forward in forwards:
        call = forward[0]
        found = None
        for node in walk_nodes(fn.body):
            if type(node) is cst.Assign and node.value is call and len(node.targets) == 1:
                target = node.targets[0].target
                if type(target) is cst.Subscript and type(target.value) is cst.Attribute \
                        and type(target.value.value) is cst.Name and target.value.value.value == "self":
                    found = f"self.{target.value.attr.value}"
                break
        if found is None:
            return {}
        out[id(call)] = found
    if any(type(n) is cst.Return and n.value is not None for n in walk_nodes(fn.body)):
        return {}
    return out


def _freezes_of(scope: _Scope, held: set, mark: Optional[int] = None) -> list:
    """The (call reference, position, flags) of the scope's calls (the first ``mark``) handed a
    model in ``held`` that may freeze it (Condition.freezes)."""
    return [pair for name, pair in scope.freeze_calls[:mark] if name in held]


def _demanding(condition, **demands) -> Condition:
    """``condition`` (a Condition, or None: nothing asked of the callers' mode) with more
    project facts asked of it."""
    if isinstance(condition, Condition):
        return dataclasses.replace(condition, **demands)
    return Condition("", "", **demands)
