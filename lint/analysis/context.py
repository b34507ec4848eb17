"""Per-file analysis state shared by the walker and the rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Optional

import libcst as cst

from .conditions import Condition
from .framework_hooks import OTHER_FRAMEWORKS
from .gradmode import Mode
from .names import AliasTable
from .torch_api import NN_MODULES, NN_MODULES_WITH_PARAMETERS, NN_PARAMETER_SWITCHES

if TYPE_CHECKING:
    from ..config import Settings


# Why an optimizer's `step` body counts as grad-disabled (FunctionInfo.reason): assumed, not read.
OPTIMIZER_STEP = "optimizer `step` bodies run with grad disabled"
# Bases that make no class a module (`class Agent(object)`, `class Backend(ABC)`, `Generic[T]`).
_PLAIN_BASES = frozenset({"object", "ABC", "Generic", "Protocol"})


@dataclass
class ClassInfo:
    key: str
    name: str
    node: cst.ClassDef
    bases: tuple  # qualified (or dotted, if not imported) names of the bases
    method_names: frozenset
    # `self.<attr> = SomeClass(...)` in `__init__`: attr -> the constructor's dotted name (as written)
    attr_types: dict = field(default_factory=dict)
    # attr -> the keywords its constructor call passes a literal False (`affine=False`).
    switched_off: dict = field(default_factory=dict)
    # `self.<attr>` -> every value the class's methods give it (walker._attribute_values, on first use)
    attr_values: Optional[dict] = None

    def builds_torch_module(self, attr: str, aliases) -> bool:
        """`self.<attr> = nn.Linear(...)` in `__init__`: a torch module with parameters (torch's
        API data), whatever the attribute's name; or a torch container given its layers
        (`nn.Sequential(nn.Linear(...), nn.ReLU())`)."""
        return (self.built_as(attr, aliases, NN_MODULES_WITH_PARAMETERS)
                and not self.built_without_parameters(attr, aliases)) or (
            attr in self.filled_containers and self.built_as(attr, aliases, NN_MODULES))

    def built_as(self, attr: str, aliases, classes) -> bool:
        """Whether `__init__` builds `self.<attr>` from one of ``classes`` (qualified names)."""
        built = self.attr_types.get(attr)
        return built is not None and aliases.resolve_dotted(built) in classes

    def built_without_parameters(self, attr: str, aliases) -> bool:
        """Whether `__init__` builds `self.<attr>` from a torch class told to make no parameters
        (`nn.BatchNorm1d(1, affine=False)`: torch's API data, NN_PARAMETER_SWITCHES)."""
        built = self.attr_types.get(attr)
        switches = NN_PARAMETER_SWITCHES.get(aliases.resolve_dotted(built)) if built is not None else None
        return bool(switches) and bool(switches & self.switched_off.get(attr, frozenset()))

    # Attributes `__init__` builds as module containers given their layers (`nn.Sequential(...)`).
    filled_containers: frozenset = frozenset()
    # Attributes whose `.parameters()` `__init__` reads (`Adam(self.actor.parameters())`): modules
    # with parameters, however they were built (`hydra.utils.instantiate(cfg)`).
    parameter_parts: frozenset = frozenset()
    # `self.actor, self.critic = make_nets(...)` in `__init__`: attr -> (callee, element index).
    unpacked_parts: dict = field(default_factory=dict)
    # `self.<attr>.forward(x)` in a method: nn.Module's own method called by its name, so the
    # attribute holds a module whatever builds it (`self.netG = networks.define_G(...)`).
    forward_parts: set = field(default_factory=set)
    # The ClassInfo of each base defined earlier in the same file (set by the walker).
    file_bases: tuple = ()
    method_defs: Optional[dict] = None  # method name -> its FunctionDef (the last one), built on first use

    def method_def(self, name: str) -> Optional[cst.FunctionDef]:
        """The method ``name`` the class defines, or a base of the same file does (None: none)."""
        if self.method_defs is None:
            body = self.node.body
            self.method_defs = {statement.name.value: statement for statement in (
                body.body if type(body) is cst.IndentedBlock else ()) if type(statement) is cst.FunctionDef}
        found = self.method_defs.get(name)
        if found is not None:
            return found
        for base in self.file_bases:
            found = base.method_def(name)
            if found is not None:
                return found
        return None

    def field_annotation(self, attr: str):
        """The annotation of a field the class body declares (`components: Dict[str, float]` in a
        dataclass or NamedTuple, or any class), or None."""
        body = self.node.body
        for statement in body.body if type(body) is cst.IndentedBlock else ():
            if type(statement) is cst.SimpleStatementLine:
                for small in statement.body:
                    if type(small) is cst.AnnAssign and type(small.target) is cst.Name and small.target.value == attr:
                        return small.annotation.annotation
        for base in self.file_bases:
            found = base.field_annotation(attr)
            if found is not None:
                return found
        return None

    def plain(self) -> bool:
        """Whether the class is certainly no `nn.Module`: no base but `object` / `ABC` / typing's
        generics, or bases of the same file that are plain themselves (a base of another file may
        be a module: `PreTrainedModel`)."""
        local = {base.name for base in self.file_bases}
        return all(b.rpartition(".")[2] in _PLAIN_BASES or b.rpartition(".")[2] in local for b in self.bases) \
            and all(base.plain() for base in self.file_bases)

    def derives_from(self, *suffixes: str) -> bool:
        """A base named so (`nn.Module`, `torch.nn.Module`), directly or through a base class
        defined in the same file (`class BN1d(_ComplexBatchNorm)`, `_ComplexBatchNorm(Module)`);
        not one of another framework (`mlx.nn.Module`)."""
        return any((b == s or b.endswith("." + s)) and b.partition(".")[0] not in OTHER_FRAMEWORKS
                   for b in self.bases for s in suffixes) or any(
            base.derives_from(*suffixes) for base in self.file_bases)


@dataclass
class FunctionInfo:
    key: str
    name: str
    node: cst.FunctionDef
    klass: Optional[ClassInfo]
    # The grad mode the body starts in: a decorator, a framework hook, or INHERIT (callers decide).
    mode: Mode
    # Why the body is grad-disabled, when it is not through a local `with`/decorator:
    # e.g. "Lightning validation_step" (rules may mention it).
    reason: str = ""


@dataclass
class Frame:
    mode: Mode
    function: Optional[FunctionInfo]
    # What set the mode: "function" (decorator, framework hook or INHERIT), "with", "switch".
    origin: str = "function"
    # An UNKNOWN mode guessed from a context manager's name (`with utils.eval_mode(agent):`): the
    # call references of those context managers; the project tells whether they switch grad.
    contexts: tuple = ()
    # The mode was guessed from a context manager's name (`with evaluating(model):`), not read from
    # an expression whose value decides it (`torch.set_grad_enabled(train)`, `a if c else b`).
    guessed: bool = False


class Branch:
    """One open part of an `if`: its body, or its other side (`else`, or the `elif` chain)."""

    __slots__ = ("node", "other")

    def __init__(self, node: cst.If, other: bool) -> None:
        self.node = node
        self.other = other

    @property
    def test(self) -> cst.BaseExpression:
        return self.node.test

    def condition(self) -> tuple:
        """(what the `if` tests without its `not`, whether this part runs when that is false): the
        `else:` of `if train:` and the body of `if not train:` both run with `train` false."""
        test, negated = self.node.test, self.other
        if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
            test, negated = test.expression, not negated
        return test, negated


# Call-site facts are plain tuples (cheap to pickle and cache):
#   (ref, mode, caller_key)   ref: ("qual", name) | ("method", class_key, attr) | ("anyattr", attr[, positional, keywords])
#                                  | ("anyname", name[, receiver])
#   raw refs, before finalize_sites: also ("name", name, scopes) and ("typed", constructor, attr, scopes)


class FileContext:
    def __init__(self, path: str, module: str, is_package: bool, settings: "Settings") -> None:
        self.path = path
        self.module = module
        self.settings = settings
        self.aliases = AliasTable(module, is_package)
        self.frames: list[Frame] = [Frame(Mode.ENABLED, None)]
        self.functions: list[FunctionInfo] = []
        self.classes: list[ClassInfo] = []
        # The open `if` parts around the current node in the current function, outermost first
        # (the walker starts a new list for each function body).
        self.branches: list[Branch] = []
        self.pending: list = []  # the rules' PendingFinding objects
        # Cross-file facts collected by the walker.
        self.defs: dict[str, tuple] = {}  # key -> (name, class_key or None)
        self.raw_sites: list[tuple] = []  # (raw_ref, mode, caller_key, enclosing loop ids)
        self.training_functions: set = set()  # keys of functions that call backward / autograd.grad
        self.backward_functions: set = set()  # keys of functions that call `.backward()` themselves
        self.step_functions: set = set()  # keys of functions that call some `.step()`
        # The functions that train through this file's own calls (walker._local_training, once walked).
        self.local_training: Optional[set] = None
        # The functions that use gradients, themselves or through this file's calls (walker._local_gradients).
        self.local_gradients: Optional[set] = None
        # This file's call graph, function -> its callers in this file (walker._local_callers).
        self.local_callers: Optional[dict] = None
        # Function key -> the argument positions it runs as a model (walker.finalize_runs, once walked).
        self.local_runs: Optional[dict] = None
        # Function key -> (the call positions it freezes and thaws itself, the methods it calls on `self`):
        # walker entries for freezes.finalize_freezes; its result, once walked, in local_freezes.
        self.freeze_entries: dict = {}
        self.local_freezes: Optional[dict] = None
        # Function key -> what it freezes by a flag it is handed (freezes.positions_frozen's ``flagged``).
        self.flag_freezes: dict = {}
        self.local_parameterless: Optional[tuple] = None  # class_parameters.parameterless_classes
        # The file's own context managers -> whether they may switch grad (context_managers.py).
        self.context_managers: dict = {}
        self.abstract: set = set()  # keys of methods whose body only raises or passes (walker.abstract_body)
        # function key -> loops where a training-named function calls one of its parameters
        # (`backprop(loss)`): the step its caller hands it.
        self.delegated_loops: dict = {}
        # `forward` key -> its string-selected branches that compute without grad (quiet_branches).
        self.quiet: dict = {}
        # Function key -> the returned elements a flag makes it compute without grad, or hand back as
        # the caller's argument (quiet_branches.quiet_outputs); a `forward` key -> its keywords.
        self.flag_outputs: dict = {}
        self.keywords: dict = {}
        self.returned_closures: set = set()  # keys of nested functions their enclosing function returns
        self.backward_loops: dict = {}  # function key -> ids of the innermost loops of its backward calls (None: no loop)
        self.class_keys: set = set()  # every class defined in this file (to resolve constructor names)
        # Class key -> attributes its `__init__` builds as no parameter (project.FileFacts.attributes).
        self.class_attributes: dict = {}
        self.class_infos: dict = {}  # class name -> the ClassInfo last defined under it in this file
        # The value model (values.ValueModel, set by the walker) and each function's summary of
        # what it returns (a value fact, its call atoms resolved by walker.finalize_facts).
        self.values = None
        self.returns: dict = {}
        # Methods that keep (in their object's state) the graph of the arguments at these positions.
        self.keeps: dict = {}
        # Whether a graph the current function computes reaches its callers (escapes.FunctionEscapes):
        # a rule asks when it leaves the function (set by the walker).
        self.graph_escapes: Callable[..., bool] = lambda handed=None, sources=frozenset(), sinks=None, callers=True: True
        # Globals a module-level torch optimizer trains (walker._trained_globals).
        self.trained_globals: Callable[[], frozenset] = frozenset
        # The reaching definitions of a function or module node (reaching.ReachingDefinitions),
        # built once per node for the whole file (set by the walker).
        self.definitions_of: Optional[Callable] = None
        # The current function's assignments so far (tensors.Env), and the value fact of an
        # expression by them (set by the walker).
        self.env_now: Callable = lambda: None
        self.value_of: Callable = lambda expr: frozenset()
        # The constructor a name of the current function was built with (`net = Net()`: "Net"), or None.
        self.constructor_of: Callable = lambda name: None
        # What the current method's class stores in `self.<attr>` (every value, or None).
        self.attribute_values: Callable = lambda attr: None
        # FunctionDef node -> (parameter names, the ones it runs as a model, (callee expression,
        # position, parameter) for each parameter it passes to another call): which arguments a
        # call of the function runs a forward pass of (this file only).
        self.forwards: dict = {}
        self.forward_keys: dict = {}  # function key -> the same summary (for FileFacts.runs)
        # Function key -> (FunctionInfo, parameter names, (callee name, position, parameter) for each
        # parameter it passes to a function called by name): runs through the file's helpers.
        self.run_passes: dict = {}
        # Function key -> (FunctionInfo, parameter names, (raw call reference, callee position,
        # parameter or "self")): runs through calls the project resolves (finalize_run_calls).
        self.run_calls: dict = {}
        # Rule state that outlives one notebook cell (rules are created per cell): e.g. the
        # models put in eval mode by an earlier cell.
        self.shared: dict = {}
        self._top_functions: Optional[tuple] = None  # (module node, top_functions' answer)
        self.cell: Optional[int] = None
        self.module_node: Optional[cst.Module] = None
        # The file's text has an `.eval()` or `.train(False)` (set by the runner; True when unknown).
        self.switches_to_eval = True

    def training_steps(self) -> set:
        """Functions that take a training step themselves: a `.backward()` and a `.step()` (a
        Jacobian or saliency helper runs backward without stepping anything)."""
        return self.backward_functions & self.step_functions

    # -- the open branches ---------------------------------------------------------------------
    @property
    def in_other_branch(self) -> bool:
        """Inside an `else` / `elif` part: an assignment here joins what the `if` body assigned."""
        return any(b.other for b in self.branches)

    def top_functions(self) -> dict:
        """Name -> the function the file (or the notebook cell being linted) defines at its top
        level, read once per module node and shared by the rules that look a callee up."""
        module = self.module_node
        cached = self._top_functions
        if cached is None or cached[0] is not module:
            cached = self._top_functions = (module, {s.name.value: s for s in (module.body if module is not None else ())
                                                     if type(s) is cst.FunctionDef})
        return cached[1]

    def still_open(self, branches: tuple) -> bool:
        """Whether the branches open at some earlier point (a `tuple(ctx.branches)`) all still are:
        a fact set under `if freeze:` stops holding once that body ends."""
        now = self.branches
        return len(now) >= len(branches) and all(a is b for a, b in zip(now, branches))

    # -- the grad mode in force ------------------------------------------------------------
    @property
    def grad_mode(self) -> Mode:
        return self.frames[-1].mode

    @property
    def function(self) -> Optional[FunctionInfo]:
        return self.functions[-1] if self.functions else None

    @property
    def klass(self) -> Optional[ClassInfo]:
        return self.classes[-1] if self.classes else None

    def release(self) -> None:
        """Drop what ties this context to the walker (its methods, kept here for the rules): the
        walker, its rules and the file's syntax tree then go as soon as the caller lets go of the
        context, by reference counting, instead of waiting for a cyclic collection."""
        self.values = None
        self.graph_escapes = lambda handed=None, sources=frozenset(), sinks=None, callers=True: True
        self.definitions_of = None
        self.env_now = lambda: None
        self.value_of = lambda expr: frozenset()
        self.constructor_of = lambda name: None
        self.attribute_values = lambda attr: None
        self.trained_globals = frozenset
        self.module_node = None
        self.pending = []

    def condition_for(self, required: str):
        """False: grad is certainly not in the required mode here. None: it certainly is.
        A Condition: it depends on how the enclosing function is called."""
        mode = self.grad_mode
        if mode is Mode.UNKNOWN and self.frames[-1].contexts and required == "enabled":
            return self._unless_contexts_switch()
        return _condition_in(self.frames[-1], required)

    def _unless_contexts_switch(self):
        """Grad enabled inside context managers whose names only suggest a grad switch: in the mode
        around them, provided the project shows that none of them switches grad."""
        contexts: tuple = ()
        i = len(self.frames) - 1
        while i > 0 and self.frames[i].mode is Mode.UNKNOWN and self.frames[i].contexts:
            contexts += self.frames[i].contexts
            i -= 1
        frame = self.frames[i]
        if frame.mode is Mode.INHERIT:
            return Condition(frame.function.key, "enabled", contexts=contexts) if frame.function is not None \
                else Condition("", "", contexts=contexts)
        return Condition("", "", contexts=contexts) if frame.mode is Mode.ENABLED else False

    def function_condition(self, required: str):
        """``condition_for`` in the mode the function (or module) body starts in, outside the
        `with` blocks and switches around the current node."""
        return _condition_in(next((f for f in reversed(self.frames) if f.origin == "function"), self.frames[0]),
                             required)

    @property
    def explicitly_enabled(self) -> bool:
        """Grad is enabled here on purpose: inside `torch.enable_grad()` (or its decorator),
        `set_grad_enabled(True)`, `inference_mode(False)`."""
        frame = self.frames[-1]
        if frame.mode is not Mode.ENABLED:
            return False
        if frame.origin != "function":
            return True
        return frame.function is not None and frame.function.reason == "decorator"

    @property
    def mode_is_assumed(self) -> bool:
        """Grad is disabled here only because optimizer ``step`` bodies are assumed to run under
        no_grad (true for torch's optimizers, not guaranteed for a custom one)."""
        frame = self.frames[-1]
        return frame.origin == "function" and frame.function is not None and frame.function.reason == OPTIMIZER_STEP


def _condition_in(frame: Frame, required: str):
    """What a finding needs of the grad mode of ``frame`` (FileContext.condition_for)."""
    if frame.mode is Mode.INHERIT:
        return Condition(frame.function.key, required) if frame.function is not None else None
    if required == "enabled":
        return None if frame.mode is Mode.ENABLED else False
    return None if frame.mode.disabled else False
