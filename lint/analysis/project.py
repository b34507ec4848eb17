"""Cross-file facts: in which grad mode each project function can run.

Every call site is recorded per file with the grad mode in force there (or "inherit": the
caller's own mode). A function whose every call site runs with grad disabled is grad-disabled;
one unprotected call site makes it reachable with grad on; a function nobody in the project
calls is an entry point and runs with grad on.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Optional

from .atoms import CALL, FLAGGED_FORWARD, GRAPH, MODULE, NUMBER, OBJECT, TENSOR
from .atoms import UNKNOWN as UNKNOWN_VALUE
from .framework_hooks import LIGHTNING_FREEZERS
from .class_modes import CONTAINER_FIELD, PLAIN_FIELD, merged_field, text_facts
from .python_api import CONTAINER_METHODS
from .torch_api import MODE_DEPENDENT_MODULES

ENABLED, DISABLED, UNKNOWN = "enabled", "disabled", "unknown"
# A site mode that is not a grad mode: the caller runs backward, so the callee is used for
# training (an evaluation-named helper that training backpropagates through).
TRAIN = "train"
# What a fix that appends `.detach()` may meet: a tensor, with or without a graph.
_TENSOR_ATOMS = frozenset({GRAPH, TENSOR})

# What a function may return that nothing can backpropagate through.
_PLAIN_ATOMS = frozenset({NUMBER, TENSOR, OBJECT, MODULE})
# A condition mode (see Condition): grad enabled at some call site, and no caller trains with it.
EVALUATION = "evaluation"
# Call references that match methods by their name alone (the receiver's class unknown).
_NAME_GUESSES = frozenset({"anyattr", "anyname", "modelmethod"})
# A class entry in FileFacts.defs: (CLASS, None, base, base, ...).
CLASS = "<class>"
_SITE_MODE = {"enabled": ENABLED, "disabled": DISABLED, "inference": DISABLED, "unknown": UNKNOWN}


def freezes_at(positions: tuple, flagged: tuple, position: int, flags: Optional[tuple]) -> bool:
    """Whether a function whose summary freezes ``positions`` (and ``flagged``, by a flag) freezes
    the argument at ``position`` of a call passing ``flags`` (freezes.call_flags; None: not known,
    so only an unconditional freeze counts)."""
    if position in positions:
        return True
    if flags is None:
        return False
    for frozen, flag_position, flag_name, default in flagged:
        if frozen != position:
            continue
        passed = [value for slot, value in flags if slot == flag_name or slot == flag_position]
        if passed:
            if passed[0] is False:
                return True
        elif default is False and not any(slot == "*" for slot, _ in flags):
            return True
    return False


@dataclass
class FileFacts:
    """What one file contributes to the project-wide picture (plain data: cached, pickled)."""

    module: str
    defs: dict = field(default_factory=dict)  # key -> (name, class_key or None) | (CLASS, None, *bases)
    sites: list = field(default_factory=list)  # (ref, mode, caller_key or None)
    # Function summaries: key -> the value fact of what it returns (values.py atoms, call atoms
    # resolved); solved across the project by ProjectFacts.returns_of.
    returns: dict = field(default_factory=dict)
    # Keys of the functions that take a training step themselves: `.backward()` and a `.step()`.
    training: tuple = ()
    # Keys of the functions that use gradients themselves: `.backward()` or `torch.autograd.grad`
    # (training, but also an adversarial attack, a saliency map or a gradient penalty).
    gradients: tuple = ()
    # Methods that keep the graph of some of their arguments in their object's state
    # (`self.sum += val`): key -> the positions of those arguments in a call.
    keeps: dict = field(default_factory=dict)
    # Functions that run some of their arguments as a model with grad on: key -> the positions of
    # those arguments in a call (-1: the receiver of a method, when it runs `self` or a part).
    runs: dict = field(default_factory=dict)
    # Attributes a class's `__init__` builds as something that is no parameter (a module, a
    # buffer, another object: `self.weight = nn.ModuleList(...)`, `register_buffer("bias", ...)`):
    # class key -> attribute names. Read by rules that take `x.weight` for a parameter by its name.
    attributes: dict = field(default_factory=dict)
    # A file read as text (not parsed): the capitalised names it mentions (the classes it may
    # use), which tell which of the methods a call by name alone may reach (`tts.inference(h)`
    # in a file that imports `Tacotron`).
    mentions: tuple = ()
    # Calls through which a function runs an argument when the function they name runs the
    # argument it is handed (`self.policy.sample(s)`, `evaluate_with(model, x)`): key ->
    # ((call reference, callee position, own position), ...); solved with ``runs`` to a fixpoint.
    run_calls: dict = field(default_factory=dict)
    # Functions that freeze the parameters of some of their arguments (`requires_grad = False` on
    # each, `requires_grad_(False)`): key -> their call positions (-1: a method's receiver, when
    # it freezes `self` or a part of it, itself or through another method of its class).
    freezes: dict = field(default_factory=dict)
    # Functions that freeze an argument by a flag they are handed (`set_requires_grad(model,
    # requires_grad=False)`): key -> ((position, flag position, flag name, default), ...)
    # (freezes.positions_frozen), read against each call's literals (freezes.freezes_at).
    flag_freezes: dict = field(default_factory=dict)
    # Keys of the file's `nn.Module` classes that certainly hold no parameters
    # (class_parameters.parameterless_classes): calling an instance records no graph.
    parameterless: tuple = ()
    # The file's context managers (module-level classes with `__enter__`, `@contextmanager`
    # functions) -> whether their code may switch grad mode (context_managers.py).
    context_managers: dict = field(default_factory=dict)
    # Keys of the file's methods whose body only raises or passes (`raise NotImplementedError`):
    # when a call may name one of them or an override, an override is what runs.
    abstract: tuple = ()
    # Keys of the file's module `forward`s -> ((parameter, position, literal), ...): the branches a
    # string argument selects (`mode="inference"`) that compute without grad (quiet_branches.py).
    quiet: dict = field(default_factory=dict)
    # Keys of the nested functions their enclosing function returns (`return perform_val_step_fn`):
    # whoever calls the factory's result runs them, in a mode the project cannot follow.
    closures: tuple = ()
    # Function keys -> ((flag, literal, returned position, "quiet" | "input"), ...): what a flag a call
    # passes makes the function return there (quiet_branches.quiet_outputs); `forward` keys -> the
    # keywords they declare (none for one that takes **kwargs).
    flag_outputs: dict = field(default_factory=dict)
    keywords: dict = field(default_factory=dict)
    # Class key -> (its own code builds a layer that reads train/eval mode, the capitalised names it
    # calls, its bases as written): read from the text of every file (class_modes.mode_layers).
    mode_layers: dict = field(default_factory=dict)
    # Module-level function key -> (whether it calls `.load_state_dict(`, the lower-case names it
    # calls): read from the text of every file (class_modes.weight_loaders).
    weight_loaders: dict = field(default_factory=dict)
    # Class key -> the attributes its code builds from a class, then (marked `~`) those it assigns
    # anything else (class_modes.mode_layers's parts).
    module_parts: dict = field(default_factory=dict)
    # Field name -> what the file's class bodies that declare it with an annotation say it holds
    # (`metrics: dict[str, float]`: Python values; class_modes.annotation_kind): read from the
    # text of every file (class_modes.mode_layers's fields).
    fields: dict = field(default_factory=dict)


def _test_function(key: str) -> bool:
    """A pytest / unittest test (`tests.test_x.test_run`, `...TestSearch.test_run`), by the names
    the runners collect."""
    parts = key.split(".")
    return parts[-1].startswith("test_") or len(parts) > 1 and parts[-2].startswith("Test")


def _by_short_name(keys: Iterable[str]) -> dict:
    """Class name -> the keys (`pkg.mod.Name`) that end with it."""
    out: dict = defaultdict(list)
    for key in keys:
        out[key.rpartition(".")[2]].append(key)
    return out


def _library_layer(name: str) -> bool:
    """A class of another distribution's `nn` package (`torch_geometric.nn.GATConv`, `dgl.nn.GraphConv`):
    an `nn.Module` with parameters by that ecosystem's convention, so calling an instance records a
    graph. (The linter does not read those libraries: their package layout is what it has.)"""
    parts = name.split(".")
    return len(parts) > 2 and "nn" in parts[1:-1] and parts[-1][:1].isupper()


def _keys_named(name: str, keys, by_short: dict) -> list:
    """The keys a class name names: itself, else those of its last part; of several, those of its
    package when it is qualified (`pkg.sub.Model` imported through a package re-export)."""
    if name in keys:
        return [name]
    matches = by_short.get(name.rpartition(".")[2], [])
    if len(matches) > 1 and "." in name:
        package = name.rpartition(".")[0] + "."
        inside = [m for m in matches if m.startswith(package)]
        if inside:
            return inside
    return matches


def callers_closure(seeds: Iterable[str], callers: dict) -> set:
    """``seeds`` and every function that calls one of them, transitively (``callers``: function ->
    the functions that call it)."""
    out = set(seeds)
    work = list(out)
    while work:
        for caller in callers.get(work.pop(), ()):
            if caller not in out:
                out.add(caller)
                work.append(caller)
    return out


def self_callers(calls: dict) -> dict:
    """Method -> the methods of its class that call it on `self`, from ``calls`` (method key -> the
    names it calls on `self`): the call graph inside each class, for ``callers_closure``."""
    out: dict = defaultdict(set)
    for key, names in calls.items():
        klass = key.rpartition(".")[0]
        for name in names:
            out[f"{klass}.{name}"].add(key)
    return out


def _fits(entry: tuple, positional: int, keywords: int) -> bool:
    """Whether a call with these arguments can reach a function whose defs entry has an arity
    (required, most); an entry without one (a file read as text) fits any call."""
    if len(entry) < 4 or positional < 0:
        return True  # (a call that unpacks `*args` may pass any number)
    required, most = entry[2], entry[3]
    if most >= 0 and positional > most:
        return False
    return positional + keywords >= required


class ProjectFacts:
    def __init__(self, facts: Iterable[FileFacts]) -> None:
        facts = list(facts)
        self.defs: dict[str, tuple] = {}
        self._returns_raw: dict[str, tuple] = {}
        self._training: set = set()
        self._gradients: set = set()
        self._keeps: dict = {}
        self._runs: dict = {}
        self._run_calls: dict = {}
        self._freezes: dict = {}
        self._flag_freezes: dict = {}
        self._parameterless: set = set()
        self._context_managers: dict = {}
        self._abstract: set = set()
        self._quiet: dict = {}
        self._flag_outputs: dict = {}
        self._keywords: dict = {}
        self._closures: set = set()
        self._mode_layers: dict = {}
        self._loaders: dict = {}
        self._parts: dict = {}
        self._fields: dict = {}  # field name -> what every class declaring it says it holds (_field_fact)
        self._loads: dict = {}  # function key -> whether it loads weights (loads_weights, on first use)
        self._by_loader_short: "dict | None" = None
        self._mode_dependent: dict = {}  # class key -> solved answer (on first use)
        self._runs_solved = False
        self._attributes: dict = {}
        self._mentions: dict = {}  # module of a file read as text -> the names it mentions
        # Every part of every module name: a qualified base whose top package is none of them
        # (`gym.Env`, `torch.nn.Module`) is a class of another distribution, whatever its last name.
        self._module_parts: set = {part for f in facts for part in f.module.split(".")}
        for f in facts:
            if f.mentions:
                self._mentions[f.module] = frozenset(f.mentions)
            self._attributes.update(f.attributes)
            self._keeps.update(f.keeps)
            self._runs.update(f.runs)
            self._run_calls.update(f.run_calls)
            self._freezes.update(f.freezes)
            self._flag_freezes.update(f.flag_freezes)
            self._parameterless.update(f.parameterless)
            self._context_managers.update(f.context_managers)
            self._abstract.update(f.abstract)
            self._quiet.update(f.quiet)
            self._flag_outputs.update(f.flag_outputs)
            self._keywords.update(f.keywords)
            self._closures.update(f.closures)
            self._mode_layers.update(f.mode_layers)
            self._loaders.update(f.weight_loaders)
            self._parts.update(f.module_parts)
            for name, kind in f.fields.items():
                known = self._fields.get(name)
                self._fields[name] = kind if known is None else merged_field(known, kind)
            self.defs.update(f.defs)
            self._returns_raw.update(f.returns)
            self._training.update(f.training)
            self._gradients.update(f.gradients)
        self._trains: "set | None" = None  # functions that train, transitively (on first use)
        self._needs_grad: "set | None" = None  # functions that use gradients, transitively
        self._callers: "dict | None" = None  # function -> the functions that call it
        self._returns: "dict | None" = None  # solved summaries, on first use
        self._methods_by_name: dict[str, list[str]] = defaultdict(list)
        self._defs_by_name: dict[str, list[str]] = defaultdict(list)
        # Class name -> keys of the project classes that name it as a base (for `self.m()`
        # calls in a base class, which run the subclasses' overrides too).
        self._subclasses: dict[str, list[str]] = defaultdict(list)
        self._classes: set = set()  # every project class (also those only seen through their methods)
        self._bases: dict[str, tuple] = {}  # class key -> its bases as written/resolved in its file
        self._by_short: "dict | None" = None  # class name -> project class keys (built on first use)
        self._by_mode_short: "dict | None" = None  # class name -> keys in _mode_layers (on first use)
        for key, entry in list(self.defs.items()):
            name, class_key = entry[0], entry[1]
            if name == CLASS:
                del self.defs[key]
                self._classes.add(key)
                self._bases[key] = entry[2:]
                for base in entry[2:]:
                    if not self._external(base):
                        self._subclasses[base.rpartition(".")[2]].append(key)
                continue
            if class_key is not None:
                self._classes.add(class_key)
            if ".<locals>." in key:
                continue  # a function local to another: no attribute of anything, no name elsewhere
            self._defs_by_name[name].append(key)
            if class_key is not None:
                self._methods_by_name[name].append(key)
        # Call sites grouped by what they call. Many sites share one reference (every
        # `super().__init__()` is ("anyattr", "__init__")) and one reference can name hundreds of
        # project functions, so the graph keeps one edge per (reference, target), not one per
        # (site, target): linear in the sites, not in sites x targets.
        sites_by_ref: dict[tuple, set] = defaultdict(set)  # ref -> {(mode, caller)}
        trained_refs: set = set()  # refs called by a function that runs backward
        test_sites: dict[tuple, set] = defaultdict(set)  # the same, made by test functions
        for f in facts:
            for ref, mode, caller in f.sites:
                if mode == TRAIN:
                    trained_refs.add(ref)
                elif caller is not None and _test_function(caller):
                    test_sites[ref].add((mode, caller))
                else:
                    sites_by_ref[ref].add((mode, caller))
        self.trained: set = set()  # functions that training code (or a module's forward) calls
        for ref in trained_refs:
            self.trained.update(self._targets(ref))
        self._trained_closed: "set | None" = None  # self.trained and what it returns (on first use)
        self._refs: dict[tuple, tuple] = {}  # ref -> (targets, {(mode, caller)})
        for ref, sites in sites_by_ref.items():
            targets = self._targets(ref)
            if targets:
                self._refs[ref] = (targets, sites)
        if test_sites:
            # A unit test's call (`mcts.run(...)` on toy callables, grad on) says how the tests run
            # a function, not how the code does: it counts only for functions nothing else calls.
            covered = {t for targets, _ in self._refs.values() for t in targets}
            for ref, sites in test_sites.items():
                targets = self._targets(ref)
                if targets and not all(t in covered for t in targets):
                    known = self._refs.get(ref)
                    self._refs[ref] = (targets, known[1] | sites if known is not None else sites)
        # What a module's `forward` calls with grad on is part of the forward pass that training
        # code backpropagates through (`x = self.rwkv_infer(x)` on its eval-mode path): the
        # forward's caller chooses the grad mode.
        for ref, (targets, sites) in self._refs.items():
            if ref[0] in ("anyname", "anyattr") and len(targets) > 1:
                continue  # a method by its name alone: which one the forward runs is not known
            if any(mode == "inherit" and caller is not None and caller.endswith(".forward")
                   and self.defs.get(caller, (None, None))[1] is not None for mode, caller in sites):
                self.trained.update(targets)
        # A method matched by its name alone (`obj.init_group(g)` on an object of unknown type)
        # is a guess; it does not reach a method that calls the analysis can name do reach
        # (`self.init_group(group)` in a no_grad `step`): a fact outweighs a name.
        # (A method named only by its own recursive call, `return self.translate(...)` to retry,
        # is not reached that way from outside: the name-only calls stay its callers.)
        named = {t for ref, (targets, sites) in self._refs.items() if ref[0] != "anyattr" for t in targets
                 if any(caller != t for _, caller in sites)}
        for ref, (targets, sites) in list(self._refs.items()):
            if ref[0] == "anyattr" and any(t in named for t in targets):
                rest = [t for t in targets if t not in named]
                if rest:
                    self._refs[ref] = (rest, sites)
                else:
                    del self._refs[ref]
        self._status: "dict | None" = None  # the mode solve, on first use
        # The same solve where a call matched by a method's name alone (`values.sample(n)` on an
        # object of unknown class) tells nothing of the mode: what a finding that needs a function
        # to run with grad off everywhere asks (on first use).
        self._strict_status: "dict | None" = None

    @property
    def status(self) -> dict:
        """Function key -> how its callers run it ("enabled", "disabled" or "unknown")."""
        if self._status is None:
            self._status = self._solve()
        return self._status

    def _targets(self, ref: tuple) -> list:
        kind = ref[0]
        if kind == "qual":
            name = ref[1]
            if name in self.defs:
                return [name]
            # A name re-exported by a package __init__: `from pkg import evaluate`.
            short = name.rpartition(".")[2]
            package = name.rpartition(".")[0]
            candidates = self._defs_by_name.get(short, ())
            found = [k for k in candidates if k.startswith(package + ".")]
            # A folder without __init__.py (a namespace package, common in research code):
            # `from utils.losses import f` names `losses.f` of the file utils/losses.py.
            return found or [k for k in candidates if name.endswith("." + k)]
        if kind == "method":
            klass = self._project_class(ref[1])  # `pkg.Encoder` re-exported from `pkg.backbone`
            if klass is not None and klass != ref[1]:
                ref = (kind, klass) + tuple(ref[2:])
            candidate = f"{ref[1]}.{ref[2]}"
            if candidate in self.defs:
                overrides = self._overrides(ref[1], ref[2])
                return [candidate] + overrides
            if ref[1] not in self._classes:
                # A class from outside the project (`clf = LogisticRegression(); clf.fit(...)`):
                # none of the project's methods named `fit` runs.
                return []
            inherited = self._inherited(ref[1], ref[2])
            if inherited is not None:
                return inherited + self._overrides(ref[1], ref[2])
            return list(self._methods_by_name.get(ref[2], ()))
        if kind == "call":
            return self._called_instance(ref[1])
        if kind == "super":
            # `super().m()` in a method of class ref[1]: the first base (in the project) defining m.
            # A base that cannot be told apart gives no target: the call's syntax decides.
            inherited = self._inherited(ref[1], ref[2]) if ref[1] in self._classes else []
            return inherited or []
        if kind == "modelmethod":  # a method of a model of unknown class: any project method of that name
            return list(self._methods_by_name.get(ref[1], ()))
        if kind == "anyattr":
            methods = self._methods_by_name.get(ref[1], ())
            if len(ref) == 4:  # (positional, keyword) arguments of the call: methods they fit
                return [m for m in methods if _fits(self.defs[m], ref[2], ref[3])]
            return list(methods)
        if kind == "anyforward":  # a module of unknown class: any project module's forward
            return list(self._methods_by_name.get("forward", ()))
        if kind == "anyname":
            found = self._defs_by_name.get(ref[1], ())
            if len(ref) == 3:  # `receiver.name(...)`: methods, and functions of a module so named
                return [k for k in found if self.defs[k][1] is not None
                        or ref[2] and k.rpartition(".")[0].rpartition(".")[2] == ref[2]]
            return list(found)
        return []

    def _project_class(self, name: str):
        """The key of the project class a name is: itself, or the one class a package's re-export
        (`pkg.Net` for `pkg.models.Net`) can name; None."""
        if name in self._classes:
            return name
        matches = self._classes_named(name) if "." in name else []
        return matches[0] if len(matches) == 1 else None

    def _names_class(self, name: str) -> bool:
        """Whether a qualified name is a project class (also through a package's re-export, when
        no function of the project has that name too)."""
        return name in self._classes or (self._project_class(name) is not None
                                          and name.rpartition(".")[2] not in self._defs_by_name)

    def _called_instance(self, class_key: str) -> list:
        """What calling an instance of a project class runs: its `__call__` (defined or inherited
        in the project), else its `forward` (nn.Module's `__call__` runs it); [] for a class from
        outside the project."""
        class_key = self._project_class(class_key)
        if class_key is None:
            return []
        for method in ("__call__", "forward"):
            key = f"{class_key}.{method}"
            found = [key] if key in self.defs else self._inherited(class_key, method)
            if found:
                return found + self._overrides(class_key, method)
            if found is None:
                return []  # a base that cannot be told apart
        return []

    def _inherited(self, class_key: str, method: str) -> "list | None":
        """The project method a class inherits, by its bases: [key], [] when every base is
        outside the project (`nn.Module.eval`), None when a base cannot be told apart."""
        seen, stack = {class_key}, [class_key]
        while stack:
            current = stack.pop()
            for base in self._bases.get(current, ()):
                matches = self._classes_named(base)
                if len(matches) > 1:
                    return None
                for match in matches:
                    if f"{match}.{method}" in self.defs:
                        return [f"{match}.{method}"]
                    if match not in seen:
                        seen.add(match)
                        stack.append(match)
        return []

    def _classes_named(self, base: str) -> list:
        if self._external(base):
            return []
        if self._by_short is None:
            self._by_short = _by_short_name(self._classes)
        return _keys_named(base, self._classes, self._by_short)

    def _external(self, name: str) -> bool:
        """A qualified class name none of whose packages is part of any project module name: a
        class of another distribution (`gym.Env` names no project class `Env`). (Any part, not only
        the first: a folder without `__init__.py` is no part of its files' module names, and
        `models.pix2pix.Net` is the project's `pix2pix.Net`.)"""
        packages = name.split(".")[:-1]
        return bool(packages) and self._module_parts.isdisjoint(packages)

    def _overrides(self, class_key: str, method: str) -> list:
        """The same method in (transitive) subclasses of ``class_key``, matched by class name."""
        if not self._subclasses:
            return []
        out, seen, stack = [], {class_key}, [class_key]
        while stack:
            current = stack.pop()
            for sub in self._subclasses.get(current.rpartition(".")[2], ()):
                if sub in seen:
                    continue
                seen.add(sub)
                stack.append(sub)
                key = f"{sub}.{method}"
                if key in self.defs:
                    out.append(key)
        return out

    def _solve(self, guesses_unknown: bool = False) -> dict[str, str]:
        # The modes that reach each function from the roots: call sites with a known mode, and
        # the call sites inside functions nobody in the project calls (entry points: grad on).
        # A least fixpoint over sets of modes: mutually recursive helpers called only under
        # no_grad get {disabled}; a cycle that nothing outside it calls gets nothing and is then
        # an entry point like any uncalled function (its calls pass grad on to what they call).
        # Modes flow caller -> reference -> target.
        # A module's `forward` is also run by code outside the project (a framework's loop, a
        # user's script): the project's calls of its instances, and `x.forward(...)` on a receiver
        # of unknown class, do not decide its mode; a call that names it (`self.forward`,
        # `super().forward`, `Net.forward`) does.
        refs = {ref: ([t for t in targets if not t.endswith(".forward")], sites) if ref[0] in ("call", "anyattr")
                else (targets, sites) for ref, (targets, sites) in self._refs.items()}
        reached: dict[str, set] = {}  # every called function -> modes that reach it
        for targets, _ in refs.values():
            for key in targets:
                reached[key] = set()
        via: dict[tuple, set] = {}  # ref -> modes that reach its call sites
        dependents: dict[str, list] = defaultdict(list)  # caller -> refs it passes its mode to
        work = []
        # A call by a name alone that may name several functions (`x.inference(...)` in a file read
        # as text) tells none of them how it runs: its modes reach them as "unknown", except plain
        # functions, the methods of classes the calling file mentions (`from .models import
        # Tacotron`) and methods no other call names (``_split_ambiguous``).
        refs, ambiguous = self._split_ambiguous(self._through_overrides(refs))
        if guesses_unknown:
            ambiguous = set(ambiguous) | {ref for ref in refs if ref[0] in _NAME_GUESSES}
        for ref, (targets, sites) in refs.items():
            modes = via[ref] = set()
            for mode, caller in sites:
                if mode == "inherit" and caller is not None and caller in reached:
                    dependents[caller].append(ref)
                    continue
                modes.add(UNKNOWN if ref in ambiguous else ENABLED if mode == "inherit" else _SITE_MODE[mode])
            if modes:
                for callee in targets:
                    if not modes <= reached[callee]:
                        reached[callee] |= modes
                        work.append(callee)

        def propagate() -> None:
            while work:
                current = work.pop()
                modes = reached[current]
                for ref in dependents.get(current, ()):
                    missing = ({UNKNOWN} if ref in ambiguous else modes) - via[ref]
                    if not missing:
                        continue
                    via[ref] |= missing
                    for callee in refs[ref][0]:
                        more = missing - reached[callee]
                        if more:
                            reached[callee] |= more
                            work.append(callee)

        propagate()
        # What nothing reached (a cycle that nothing outside it calls, and what only such a cycle
        # calls) is run by code outside the project, grad on: it passes that on.
        for key, modes in reached.items():
            if not modes:
                modes.add(ENABLED)
                work.append(key)
        propagate()
        status = {}
        for key, modes in reached.items():
            if not modes or ENABLED in modes:
                status[key] = ENABLED
            elif UNKNOWN in modes:
                status[key] = UNKNOWN
            else:
                status[key] = DISABLED
        return status

    def _through_overrides(self, refs: dict) -> dict:
        """``refs`` with each call a method makes on its own class (`self.predict(x)` in
        `Component.__call__`) told apart by the receiver's class. An instance of a subclass that
        overrides the calling method (`TorchComponent.__call__`, decorated `@torch.no_grad()`)
        runs the base's method only through the override's `super().__call__(...)`: the subclass's
        `predict` gets the modes of that super call, not those of every caller of the base's."""
        out = dict(refs)

        def add(key: tuple, targets: list, sites: set) -> None:
            # (One caller may make the call in two modes: each site's targets join the same key.)
            known = out.get(key)
            out[key] = (targets, sites | known[1]) if known is not None else (targets, sites)

        for ref, (targets, sites) in refs.items():
            if ref[0] != "method" or len(targets) < 2:
                continue
            klass = ref[1]
            for mode, caller in sites:
                entry = self.defs.get(caller) if caller is not None else None
                if entry is None or entry[1] != klass:
                    continue
                name = entry[0]
                shadowed: dict = {}  # the override a target's class runs instead -> those targets
                for target in targets:
                    owner = self.defs.get(target, (None, None))[1]
                    if owner is None or owner == klass:
                        continue
                    own = f"{owner}.{name}"
                    runs = own if own in self.defs else (self._inherited(owner, name) or [None])[0]
                    if runs is not None and runs != caller:
                        shadowed.setdefault(runs, []).append(target)
                if not shadowed:
                    continue
                kept_targets, kept_sites = out[ref]
                out[ref] = (kept_targets, kept_sites - {(mode, caller)})
                hidden = {t for ts in shadowed.values() for t in ts}
                add((ref, "self", caller), [t for t in targets if t not in hidden], {(mode, caller)})
                for override, shadowed_targets in shadowed.items():
                    if mode != "inherit":
                        add((ref, "override", caller, override), shadowed_targets, {(mode, caller)})
                        continue
                    # The override's `super().<name>(...)` calls: their modes reach the targets.
                    up = refs.get(("super", self.defs[override][1], name))
                    if up is not None and caller in up[0]:
                        add((ref, "override", caller, override), shadowed_targets, set(up[1]))
        return out

    def _split_ambiguous(self, refs: dict) -> tuple:
        """``refs`` with each call by name alone that may name several functions split per calling
        module into the targets that module mentions (plain functions, methods of classes it names,
        and methods no other call names) and the rest (returned as the ambiguous references)."""
        out: dict = {}
        ambiguous: set = set()
        # Functions some call names for certain (a typed receiver, an import): for those, a call by
        # name alone is weaker evidence than what their named callers say. A function reached only
        # by names keeps what those calls say.
        named = {t for ref, (targets, _) in refs.items()
                 if ref[0] not in ("anyname", "anyattr") or len(targets) <= 1 for t in targets}
        for ref, (targets, sites) in refs.items():
            if ref[0] not in ("anyname", "anyattr") or len(targets) <= 1:
                out[ref] = (targets, sites)
                continue
            # The methods some other call names: the only targets a calling file may fail to name.
            candidates = [t for t in targets if t in named and self.defs.get(t, (None, None))[1] is not None]
            if not candidates:
                out[ref] = (targets, sites)
                continue
            # Sites grouped by the targets their file does not name (few distinct groups).
            groups: dict = defaultdict(list)
            weak_of: dict = {}
            for site in sites:
                module = self._text_module(site[1])
                if module not in weak_of:
                    mentioned = self._mentions.get(module, frozenset()) if module is not None else frozenset()
                    weak_of[module] = frozenset(t for t in candidates
                                                if self.defs[t][1].rpartition(".")[2] not in mentioned)
                groups[weak_of[module]].append(site)
            for weak, group in groups.items():
                if not weak:
                    out[(ref, weak, "named")] = (targets, group)
                    continue
                strong = [t for t in targets if t not in weak]
                if strong:
                    out[(ref, weak, "named")] = (strong, group)
                out[(ref, weak, "unnamed")] = (list(weak), group)
                ambiguous.add((ref, weak, "unnamed"))
        return out, ambiguous

    def _text_module(self, caller: Optional[str]) -> Optional[str]:
        """The module of a file read as text that a caller key belongs to (None: not one)."""
        if caller is None or not self._mentions:
            return None
        parts = caller.split(".")
        for end in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:end])
            if module in self._mentions:
                return module
        return None

    # -- function summaries: what each function returns ------------------------------------
    def _solve_returns(self) -> dict:
        """The least fixpoint of the summaries: a call atom stands for the union of what its
        targets return (its fallback when it names no project function, or one whose file was
        not parsed). Unions only grow and the atoms are few, so the rounds are few."""
        raw = self._returns_raw
        solved: dict[str, frozenset] = {key: frozenset() for key in raw}
        targets: dict[tuple, list] = {}
        changed = True
        while changed:
            changed = False
            for key, fact in raw.items():
                new = set()
                for atom in fact:
                    if type(atom) is not tuple:
                        new.add(atom)
                    else:
                        new |= self._call_fact(atom, solved, targets)
                if len(new) != len(solved[key]):
                    solved[key] = frozenset(new)
                    changed = True
        self._call_targets = targets
        return solved

    def _call_fact(self, atom: tuple, solved: dict, cache: dict) -> set:
        ref = atom[1]
        if ref[0] == "field":
            return self._field_fact(atom, solved, cache)
        found = cache.get(ref)
        if found is None:
            found = cache[ref] = [t for t in self._targets(ref) if t in solved]
        position = atom[3]
        graph_args = atom[4]
        flags = atom[6] if len(atom) > 6 else ()
        if not found and flags and ref[0] == "method" and type(position) is int and position >= 0:
            # `self.model(x, freeze=True)` where no project class defines a method `model`: an
            # attribute holding a module (set by a base class of another file), as FLAGGED_FORWARD.
            ref = FLAGGED_FORWARD
            found = [t for t in self._targets(ref) if t in solved]
        if not found:
            if ref[0] == "qual" and self._names_class(ref[1]):
                return {OBJECT}  # `Net(cfg)`: an instance of a project class, no tensor
            if atom[2] or ref[0] == "call" and _library_layer(ref[1]):
                return {GRAPH}
            # `features = vgg(gen)` with `vgg = vgg_lib.VGG16()` from outside the project: an object
            # called on tensors that carry a graph (a module) computes from them.
            return {GRAPH} if ref[0] == "call" and self._graph_arguments(
                graph_args, solved, cache) else {UNKNOWN_VALUE}
        if type(graph_args) is tuple:
            graph_args = self._graph_arguments(graph_args, solved, cache)
        if flags:
            # The forwards that declare these keywords are what the call runs: not one that takes
            # none of them, nor a loss's `forward(self, *args, **kwargs)` beside models that name them.
            keywords = {k for k, _ in flags}
            found = [t for t in found if keywords <= set(self._keywords.get(t, ()))] or found
        out: set = set()
        for target in found:
            if flags:
                outputs = self._flag_outputs.get(target, ())
                if any((keyword, literal, position, "quiet") in outputs for keyword, literal in flags):
                    # `out, e = model(x, last=True, freeze=True)`: the flag makes it compute `e` under no_grad.
                    out.add(TENSOR)
                    continue
                if any((keyword, literal, position, "input") in outputs for keyword, literal in flags):
                    # `if last: return scores, x`: the argument itself, with a graph only if it had one.
                    out.add(GRAPH if graph_args else TENSOR)
                    continue
            if ref == FLAGGED_FORWARD:
                out.add(GRAPH)  # what the call's syntax says of a forward the flags do not quiet
                continue
            # One element of a returned tuple, where the function returns tuples of one shape.
            # (A string position, `'acc`, is a key of a returned dict.)
            key = f"{target}#{position}" if (type(position) is str or position >= 0) and (
                f"{target}#{position}" in solved) else target
            # Arguments that carry a graph: the summary given such arguments, where it differs
            # (not when the parameters they bind are none of those the result reads: key@params).
            bound = solved.get(f"{target}@params") if graph_args and len(atom) > 5 and atom[5] is not None else None
            given = graph_args and (bound is None or any(marker in bound for marker in atom[5]))
            out |= solved.get(key + "@args", solved[key]) if given else solved[key]
        return out

    def _field_fact(self, atom: tuple, solved: dict, cache: dict) -> set:
        """A field atom (values.field_read): Python values when every class of the project that
        declares the field annotates it so; otherwise what the value it is read from is."""
        declared = self._fields.get(atom[1][1])
        if declared == PLAIN_FIELD:
            return {NUMBER}
        out = {GRAPH} if atom[2] or atom[4] is True else set()
        for call in atom[4] if type(atom[4]) is tuple else ():
            out |= self._call_fact(call, solved, cache)
        if declared == CONTAINER_FIELD:
            out.add(OBJECT)  # a dict or list of what the value holds: no tensor to `.detach()`
        return out or {UNKNOWN_VALUE}

    def _graph_arguments(self, graph_args, solved: dict, cache: dict) -> bool:
        """Whether a call atom's arguments carry a graph (those that are other calls' results: if
        one of those returns one)."""
        if type(graph_args) is tuple:
            return any(GRAPH in self._call_fact(argument, solved, cache) for argument in graph_args)
        return bool(graph_args)

    def returns_of(self, key: str) -> frozenset:
        """The solved value fact of what a project function returns (empty if unknown)."""
        if self._returns is None:
            self._returns = self._solve_returns()
        return self._returns.get(key, frozenset())

    def returns_graph(self, atom: tuple) -> bool:
        """Whether the call a call atom stands for may return a tensor with an autograd graph."""
        if self._returns is None:
            self._returns = self._solve_returns()
        return GRAPH in self._call_fact(atom, self._returns, self._call_targets)

    def returns_no_graph(self, atom: tuple) -> bool:
        """Whether the call a call atom stands for names a project function whose summary says
        what it returns, and none of it carries an autograd graph."""
        if self._returns is None:
            self._returns = self._solve_returns()
        fact = self._call_fact(atom, self._returns, self._call_targets)
        return bool(fact) and GRAPH not in fact and UNKNOWN_VALUE not in fact and OBJECT not in fact

    def unsummarised(self, atoms: Iterable, unparsed: dict) -> set:
        """The functions among ``unparsed`` (keys of functions whose files were not parsed)
        that the call atoms reach, directly or through the summaries of the functions they
        reach: the summaries a condition on these atoms would need."""
        found: set = set()
        seen: set = set()
        stack = list(atoms)
        while stack:
            atom = stack.pop()
            if atom[1][0] == "field":  # what the field is read from
                stack.extend(atom[4] if type(atom[4]) is tuple else ())
                continue
            for target in self._targets(atom[1]):
                if target in seen:
                    continue
                seen.add(target)
                if target in unparsed:
                    found.add(target)
                    continue
                for key in (target, f"{target}#{atom[3]}", f"{target}@args", f"{target}#{atom[3]}@args"):
                    stack.extend(a for a in self._returns_raw.get(key, ()) if type(a) is tuple and a[0] == CALL)
        return found

    def returns_tensors(self, atom: tuple) -> bool:
        """Whether the call a call atom stands for returns a tensor on every path (never a
        Python number or an object): what a fix that appends `.detach()` to it assumes."""
        if atom[0] != CALL:
            return False
        if self._returns is None:
            self._returns = self._solve_returns()
        if (type(atom[3]) is str or atom[3] >= 1) and not self._call_targets.get(atom[1]):
            # A later element of what an unknown callee returns (`loss, acc = net(x)`): that it is
            # a tensor at all is a guess from the call's syntax (statistics are often floats).
            return False
        fact = self._call_fact(atom, self._returns, self._call_targets)
        return bool(fact) and fact <= _TENSOR_ATOMS

    def trains(self, ref: tuple) -> bool:
        """Whether a call reference names a function that trains: it calls `.backward()` and a
        `.step()` itself, or calls (in any file) a function that does."""
        if self._trains is None:
            self._trains = callers_closure(self._training, self._callers_of())
        targets = self._targets(ref)
        # One function, or none: a reference that may name several (same-named classes, a method
        # by its name) does not make a loop a training loop.
        return len(targets) == 1 and targets[0] in self._trains

    def needs_grad(self, ref: tuple) -> bool:
        """Whether a call reference may name a function that uses gradients (`.backward()` or
        `torch.autograd.grad`, itself or through the functions it calls, in any file): a loop
        that calls it is no evaluation loop, whatever else it does."""
        if self._needs_grad is None:
            self._needs_grad = callers_closure(self._gradients, self._callers_of())
        return any(t in self._needs_grad for t in self._targets(ref))

    def targets(self, ref: tuple) -> list:
        """The keys of the project functions a call reference may name."""
        return self._targets(ref)

    def keeps(self, ref: tuple, position: int) -> bool:
        """Whether a call reference names a method that keeps the graph of its argument at
        ``position`` in its object's state (every target, when it may name several)."""
        return self._every_target(self._keeps, ref, position)

    def _every_target(self, positions: dict, ref: tuple, position: int) -> bool:
        """Whether a call reference names at least one function, and every function it may name
        has ``position`` among its ``positions`` (a per-function fact about argument positions)."""
        targets = self._concrete(self._targets(ref))
        return bool(targets) and all(position in positions.get(t, ()) for t in targets)

    def _concrete(self, targets: list) -> list:
        """``targets`` without the methods that only raise or pass, when an override remains (a base
        class's `eval_step` that raises NotImplementedError is never the one that runs)."""
        if not self._abstract:
            return targets
        concrete = [t for t in targets if t not in self._abstract]
        return concrete or targets

    def freezes(self, ref: tuple, position: int, flags: Optional[tuple] = None) -> bool:
        """Whether a call reference names a function that freezes the parameters of its argument
        at ``position`` (-1: the receiver); every target, when it may name several. ``flags``:
        what the call passes (freezes.call_flags), for a function that freezes by a flag."""
        targets = self._concrete(self._targets(ref))
        if targets and all(freezes_at(self._freezes.get(t, ()), self._flag_freezes.get(t, ()), position, flags)
                           for t in targets):
            return True
        # `model.freeze()` of no project method: a library model's, as Lightning's (framework
        # data), which freezes every parameter. By the method's name: the receiver's class is a
        # library's (or unknown), which the project facts do not describe.
        method = ref[2] if ref[0] == "method" else ref[1] if ref[0] in ("anyattr", "modelmethod") else None
        return position == -1 and method in LIGHTNING_FREEZERS and (ref[0] != "anyattr" or ref[2:] in ((0, 0), ())) \
            and not self._targets(ref)

    def class_key(self, class_name: str) -> Optional[str]:
        """The key of the project class a qualified name names (also through a re-export), or None."""
        return self._project_class(class_name)

    def holds_parameters(self, class_name: str) -> bool:
        """Whether instances of a class (a qualified name) may hold parameters: False only for a
        project class whose code shows it holds none (FileFacts.parameterless)."""
        key = self._project_class(class_name)
        return key is None or key not in self._parameterless

    def runs(self, ref: tuple, position: int) -> bool:
        """Whether a call reference names a function that runs its argument at ``position`` as a
        model with grad on (-1: a method that runs its receiver, `model.calculate_objective(x)`
        calling `self.forward`; -2: the same, or no project method at all); every target, when it
        may name several."""
        if not self._runs_solved:
            self._solve_runs()
        if position == -2:
            # A method of a receiver the caller put in eval mode (a module): one that no project
            # class defines is its own class's, outside the project, and taken for a forward.
            targets = self._concrete(self._targets(ref))
            return all(-1 in self._runs.get(t, ()) for t in targets)
        return self._every_target(self._runs, ref, position)

    def _solve_runs(self) -> None:
        """``runs`` through the calls each function hands an argument to (``run_calls``), to a
        fixpoint: `select_action` runs its receiver when `self.policy.sample(s)` names a method
        that runs its own (`self.forward(s)`), in whatever file that class lives."""
        self._runs_solved = True
        if not self._run_calls:
            return
        runs = {k: set(v) for k, v in self._runs.items()}
        targets: dict = {}
        changed = True
        while changed:
            changed = False
            for key, calls in self._run_calls.items():
                have = runs.setdefault(key, set())
                for refs, at, mine in calls:
                    if mine in have:
                        continue
                    ok = True
                    for ref in refs:
                        found = targets.get(ref)
                        if found is None:
                            found = targets[ref] = self._concrete(self._targets(ref))
                        if not (found and all(at in runs.get(t, ()) for t in found)):
                            ok = False
                            break
                    if ok:
                        have.add(mine)
                        changed = True
        self._runs = {k: tuple(sorted(v)) for k, v in runs.items() if v}

    def _callers_of(self) -> dict:
        """Function -> the functions that call it, by references that name it: a name matched
        alone (`update()` in a file read as text, `obj.update()`) counts only when it can name
        one function (else any `update` anywhere would make its callers train)."""
        if self._callers is None:
            callers: dict = defaultdict(set)  # function -> the functions that call it
            for ref, (targets, sites) in self._refs.items():
                if ref[0] in ("anyname", "anyattr") and len(targets) > 1:
                    continue
                for _, caller in sites:
                    if caller is not None:
                        for target in targets:
                            callers[target].add(caller)
            self._callers = callers
        return self._callers

    def mode_of(self, function_key: str, strict: bool = False) -> str:
        """"enabled", "disabled" or "unknown": how callers run this function (``strict``: a call
        matched by a method's name alone does not say the function runs with grad off)."""
        status = self.status
        if strict:
            if self._strict_status is None:
                self._strict_status = self._solve(guesses_unknown=True)
            status = self._strict_status
        # A closure a factory returns and nothing calls by name runs wherever the factory's result
        # is called (`step_fn = self.val_step_fn; step_fn(x, y)` under `no_grad`): not known.
        return status.get(function_key, UNKNOWN if function_key in self._closures else ENABLED)

    def runs_quietly(self, class_name: str, keyword: str, position: int, literal: str) -> bool:
        """Whether calling an instance of a project class with the string ``literal`` for a
        parameter (by ``keyword``, or at ``position``) runs a branch of its `forward` that computes
        without grad (`model(data, mode="inference")`), by the class or its first project bases."""
        for key in self._lineage(class_name):
            quiet = self._quiet.get(f"{key}.forward")
            if f"{key}.forward" in self.defs:
                return any(lit == literal and (name == keyword or position >= 0 and pos == position)
                           for name, pos, lit in quiet or ())
        return False

    def holds_no_parameter(self, class_name: str, attr: str) -> bool:
        """Whether instances of a project class (a qualified name, also through a package's
        re-export) hold no parameter in ``attr``: the class or a project base builds it as a
        module, a buffer or another object in `__init__`."""
        return any(attr in self._attributes.get(key, ()) for key in self._lineage(class_name))

    def mode_dependent(self, class_name: str) -> bool:
        """Whether instances of a class (a qualified name, or a name as written in a file that does
        not import it) behave differently in train and eval mode: a torch class that does
        (torch's API data), or a project class whose code builds a layer that reads the mode, or
        builds or derives from a class that does (by name, in any file). False for a class the
        project does not show (a library's, or one of a file not linted): many networks have no
        dropout and no batch norm (an MLP policy, a flow's coupling layers), and for those
        `eval()` changes nothing."""
        if class_name.startswith("torch.nn."):
            return class_name in MODE_DEPENDENT_MODULES
        return any(self._class_mode_dependent(key, 0) for key in self._mode_keys(class_name))

    def loads_weights(self, key: str) -> bool:
        """Whether a project function (a qualified key, or a name as written in a file that does
        not import it) loads weights into a module: its own `.load_state_dict(` call, or a call
        of a function of the project, by name, that does (a few levels deep)."""
        if self._external(key):
            return False  # another distribution's builder (`timm.create_model`): not the project's
        if self._by_loader_short is None:
            self._by_loader_short = _by_short_name(self._loaders)
        return any(self._key_loads(k, 0) for k in _keys_named(key, self._loaders, self._by_loader_short))

    def _holds_parts(self, pairs: tuple) -> bool:
        """Condition.parts: (class or builder key, demand) pairs; every `~name` demand an attribute
        of one of the keys' classes (no method), and some `+name` demand, when there is one, a part
        built from a class (a submodule the code runs)."""
        keys = {k for k, _ in pairs}
        wanted = {d for _, d in pairs}
        if not all(any(self.builds_part(k, d) for k in keys) for d in wanted if d[:1] == "~"):
            return False
        runs = [d[1:] for d in wanted if d[:1] == "+"]
        return not runs or any(self.builds_part(k, d) for k in keys for d in runs)

    def builds_part(self, key: str, attr: str) -> bool:
        """Whether instances of a project class (or of the classes a project function builds and
        returns: `blip_retrieval` building `BLIP_Retrieval(...)`) hold ``attr`` as a part their
        class, or a base of the project, builds from a class: a submodule, not a method of theirs
        (which may switch modes) nor another object (a tokenizer). `~attr`: any attribute the
        class assigns (no method of it), whatever its value."""
        if self._external(key):
            return False
        for k in self._mode_keys(key):
            own, calls, bases = self._mode_layers[k]
            # A class, and its bases; a factory: the classes it builds (its capitalised calls).
            classes = [k, *(b for name in bases for b in self._mode_keys_near(k, name))] if k in self._parts or bases \
                else [c for name in calls for c in self._mode_keys_near(k, name)]
            if any(attr in self._parts.get(c, ()) or attr[:1] == "~" and attr[1:] in self._parts.get(c, ())
                   for c in classes):
                return True
        return False

    def _key_loads(self, key: str, depth: int) -> bool:
        answer = self._loads.get(key)
        if answer is not None:
            return answer
        self._loads[key] = False  # a cycle of names loads nothing new
        own, calls = self._loaders[key]
        answer = own or depth < 4 and any(
            self._key_loads(k, depth + 1) for name in calls
            for k in _keys_named(name, self._loaders, self._by_loader_short) if k != key)
        self._loads[key] = answer
        return answer

    def _mode_keys_near(self, key: str, name: str) -> list:
        """The classes a name that ``key``'s code calls may be: the one its own module (or
        enclosing class) defines under that name, when there is one (`Discriminator` built by a
        factory of `gaal_base` is that file's, not another model's of the same name); else any."""
        scope = key.rpartition(".")[0]
        while scope:
            local = f"{scope}.{name}"
            if local in self._mode_layers:
                return [local]
            scope = scope.rpartition(".")[0]
        return self._mode_keys(name)

    def _mode_keys(self, name: str) -> list:
        if self._external(name):
            return []
        if self._by_mode_short is None:
            self._by_mode_short = _by_short_name(self._mode_layers)
        return _keys_named(name, self._mode_layers, self._by_mode_short)

    def _class_mode_dependent(self, key: str, depth: int) -> bool:
        answer = self._mode_dependent.get(key)
        if answer is not None:
            return answer
        if depth > 12:
            return False
        self._mode_dependent[key] = False  # a cycle of names builds nothing new
        own, calls, bases = self._mode_layers[key]
        answer = own or any(self._class_mode_dependent(k, depth + 1)
                            for name in (*bases, *calls) for k in self._mode_keys_near(key, name) if k != key)
        self._mode_dependent[key] = answer
        return answer

    def _lineage(self, class_name: str):
        """The project class a name is, then its first base that is a project class (the one
        `super().__init__()` builds first; a base of the same file is written unqualified), and so on."""
        key = self._project_class(class_name)
        seen: set = set()
        while key is not None and key not in seen:
            seen.add(key)
            yield key
            module = key.rpartition(".")[0]
            key = next((k for k in (self._project_class(b) or self._project_class(f"{module}.{b}")
                                    for b in self._bases.get(key, ())) if k is not None), None)

    def keeps_grad_mode(self, ref: tuple) -> bool:
        """Whether a call reference names only context managers of the project whose code switches
        no grad mode: a class with `__enter__` (its own or a project base's), or a `@contextmanager`
        function; False for anything the project does not show."""
        if ref[0] == "qual":
            for key in self._lineage(ref[1]):
                if key in self._context_managers:
                    return not self._context_managers[key]
        targets = self._targets(ref)
        return bool(targets) and all(self._context_managers.get(t) is False for t in targets)

    def holds(self, condition, summaries: bool = True) -> bool:
        """Whether a finding's condition holds; ``summaries`` False: apart from what function
        summaries decide (returns, keeps), which may still be missing (results.with_summaries)."""
        if summaries and condition.returns and not any(self.returns_graph(atom) for atom in condition.returns):
            return False
        if summaries and condition.graphless and not all(self.returns_no_graph(atom) for atom in condition.graphless):
            return False
        if summaries and condition.keeps and not any(self.keeps(ref, p) for ref, p in condition.keeps):
            return False
        if summaries and condition.runs and not any(self.runs(ref, p) for ref, p in condition.runs):
            return False
        if condition.freezes and any(self.freezes(pair[0], pair[1], pair[2] if len(pair) > 2 else None)
                                     for pair in condition.freezes):
            return False
        if condition.handed and not all(self._targets(ref) and not self.freezes(ref, p) for ref, p in condition.handed):
            return False
        if summaries and condition.contexts and not all(self.keeps_grad_mode(r) for r in condition.contexts):
            return False
        if condition.classes and not any(self.holds_parameters(c) for c in condition.classes):
            return False
        if condition.quiet and any(self.runs_quietly(*entry) for entry in condition.quiet):
            return False
        if condition.mode_classes and not any(self.mode_dependent(c) for c in condition.mode_classes):
            return False
        if condition.loaded and not any(self.loads_weights(k) for k in condition.loaded):
            return False
        if condition.parts and not self._holds_parts(condition.parts):
            return False
        if condition.grads and any(self.needs_grad(ref) for ref in condition.grads):
            return False
        if condition.trains and not any(self.trains(ref) for ref in condition.trains):
            return False
        if condition.attributes and any(self.holds_no_parameter(c, a) for c, a in condition.attributes):
            return False
        if not condition.function:
            return True
        if condition.mode == EVALUATION:
            return self.mode_of(condition.function) == ENABLED and not self._trained_through(condition.function)
        # A finding that grad is off (NG002) rests on facts, not on a method matched by its name.
        return self.mode_of(condition.function, strict=condition.mode == DISABLED) == condition.mode

    def _trained_closure(self) -> set:
        """``trained``, and the functions whose result a trained function returns when every caller
        of theirs is trained (`grad = self._estimate(x)` in the training loop returns
        `self.q.predict(x, a)`, called nowhere else: the Q-network's output is in the loss). A
        function some evaluation code calls too (a greedy decoder behind a `predict` that a
        training loop also calls for its dev set) keeps its own judgement."""
        if self._trained_closed is None:
            # (The call graph without training sites, whose callers train, nor module-level ones,
            # nor methods matched by their name alone: none of those keeps a callee out.)
            callers = self._callers_of()
            closed = set(self.trained)
            work = list(closed)
            while work:
                for atom in self._returns_raw.get(work.pop(), ()):
                    if type(atom) is not tuple or atom[0] != CALL:
                        continue
                    for target in self._targets(atom[1]):
                        if target not in closed and all(c in closed for c in callers.get(target, ())):
                            closed.add(target)
                            work.append(target)
            self._trained_closed = closed
        return self._trained_closed

    def _trained_through(self, key: str) -> bool:
        """Whether training code may backpropagate through what a function returns: training code
        calls it (or what it returns: _trained_closure), and its summary does not say it returns
        only values without a graph (an accuracy check that returns a float is called from the
        training loop, not trained through)."""
        if key not in self._trained_closure():
            return False
        fact = self.returns_of(key)
        return not fact or any(a not in _PLAIN_ATOMS for a in fact)


# --------------------------------------------------------------------------------------------
# files that are not parsed (no rule's trigger matches): facts from the text alone

# (Searched as plain substrings: faster than one alternation, which loses re's literal scan.)
_GRAD_SWITCH_WORDS = ("no_grad", "inference_mode", "set_grad_enabled", "enable_grad", "grad_mode")
_DEF_LINE = re.compile(r"^([ \t]*)(?:async[ \t]+)?(def|class)[ \t]+([A-Za-z_]\w*)")
# (No pattern starts with `\b` or a lookbehind: re scans fast only for a leading literal or set.)
_CLASS_NAME = re.compile(r"[A-Z](?<!\w[A-Z])\w*")
_RUNS_SELF_TEXT = re.compile(r"self(?<![\w.]self)(?:\.forward)?\s*\(")
_CALL_NAME = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\s*\(|\.([A-Za-z_]\w*)\s*\(")
_RECEIVER_TEXT = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\s*$")
_KEYWORDS = frozenset({"if", "elif", "while", "for", "return", "and", "or", "not", "in", "is", "with",
                       "assert", "yield", "lambda", "print", "def", "class", "await", "del", "except"})


def _text_ref(match: re.Match, text: str) -> Optional[tuple]:
    """The reference of a call found in a file's text: ("anyname", name) for `name(...)`, and
    ("anyname", name, receiver) for `receiver.name(...)`: a method of that name, or a function
    of that name in a module named like the receiver (`export_utils.export(...)`, not
    `model.export(...)`); "" for a receiver that is no plain name (`self`, `x[0]`, `f()`)."""
    name = match.group(1)
    if name is not None:
        return None if name in _KEYWORDS else ("anyname", name)
    name = match.group(2)
    if name in CONTAINER_METHODS:
        return None
    receiver = _RECEIVER_TEXT.search(text, max(0, match.start() - 64), match.start())
    word = receiver.group(1) if receiver is not None else ""
    return ("anyname", name, "" if word in ("self", "cls") else word)


def facts_from_text(module: str, text: str) -> FileFacts:
    """Definitions and call sites of a file that is not parsed, from its lines.

    A file with no grad-mode switch anywhere in its text runs every call in a function body in
    that function's callers' mode ("inherit"), and module-level calls with grad on. Functions and
    methods are found by their ``def`` lines and indentation, so that a call chain through this
    file (``main`` under no_grad -> ``summarize`` here -> ``evaluate`` elsewhere) keeps its mode.
    A file that mentions a grad-mode switch is treated conservatively: every call runs with grad on.
    """
    if any(word in text for word in _GRAD_SWITCH_WORDS):
        refs = dict.fromkeys(_text_ref(m, text) for m in _CALL_NAME.finditer(text))
        return FileFacts(module, {}, [(ref, "enabled", None) for ref in refs if ref is not None],
                         **text_facts(module, text))
    defs: dict = {}
    sites: dict = {}
    training: set = set()  # functions with a `.backward(` line
    runs: dict = {}  # methods with a `self(`/`self.forward(` line: they run their receiver
    stepping: set = set()  # functions with a `.step(` line
    stack: list = []  # (indent, kind, key)
    for line in text.splitlines():
        stripped = line.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        while stack and indent <= stack[-1][0] and not line[indent:indent + 1] in (")", "]", "}"):
            stack.pop()
        match = _DEF_LINE.match(line)
        if match is not None:
            kind, name = match.group(2), match.group(3)
            if stack:
                parent_kind, parent_key = stack[-1][1], stack[-1][2]
                prefix = f"{parent_key}.<locals>" if parent_kind == "def" else parent_key
            else:
                parent_kind, prefix = None, module
            key = f"{prefix}.{name}" if prefix else name
            if kind == "def":
                defs[key] = (name, stack[-1][2] if parent_kind == "class" else None)
            stack.append((indent, kind, key))
            line = line[match.end():]  # default values are evaluated where the def is
        caller = next((key for _, kind, key in reversed(stack) if kind == "def"), None)
        mode = "inherit" if caller is not None else "enabled"
        if caller is not None and ".backward(" in line:
            training.add(caller)
        if caller is not None and ".step(" in line:
            stepping.add(caller)
        if caller is not None and defs[caller][1] is not None and _RUNS_SELF_TEXT.search(line):
            runs[caller] = (-1,)
        for m in _CALL_NAME.finditer(line):
            ref = _text_ref(m, line)
            if ref is not None:
                sites[(ref, mode, caller)] = None
    out = list(sites)
    out.extend((ref, TRAIN, caller) for ref, _, caller in list(out) if caller in training)
    return FileFacts(module, defs, out, training=tuple(sorted(training & stepping)), gradients=tuple(sorted(training)),
                     runs=runs, mentions=tuple(sorted(set(_CLASS_NAME.findall(text)))), **text_facts(module, text))
