"""What a finding still depends on once its file is analysed: facts only the whole project knows.

A finding made inside a function body without a local grad-mode switch holds only if the
function's callers run it in a given mode; a finding about a value returned by a project
function holds only if that function's summary says the value carries an autograd graph.
Both are decided after every file is analysed (``project.ProjectFacts.holds``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Condition:
    """``function``/``mode``: the function's callers across the project run it in this mode
    ("enabled", "disabled", or "evaluation"); an empty ``function`` puts no demand on modes.
    ``returns``: call references (see ``walker``), at least one of which must return a value
    that carries an autograd graph (from the project's function summaries). ``trains``: resolved
    call references, at least one of which must name a function that trains (calls `.backward()`
    and a `.step()`, itself or through the functions it calls, in any file). ``fix_tensors``:
    call atoms whose every result must be a tensor for the finding's fix to stay (a `.detach()`
    or `.item()` appended to what a project function returns raises on a Python number).
    ``grads``: resolved call references none of which may name a function that uses gradients
    (`.backward()` or `torch.autograd.grad`, itself or through what it calls, in any file).
    ``keeps``: (call reference, argument position) pairs, at least one of which must name a
    method that keeps that argument's graph in its object's state (`self.sum += val`).
    ``runs``: (call reference, argument position) pairs, at least one of which must name a
    function that runs that argument as a model with grad on (-1: a method that runs its
    receiver): a forward pass through a function or method of another file. ``attributes``:
    (qualified class name, attribute) pairs of receivers built from a class of another file
    (`conv = SpectralConv(...)`; `conv.weight[i] = m`), none of which may name an attribute that
    class builds as a buffer, a module or another object that is no parameter. ``freezes``:
    (call reference, argument position) pairs of the calls made on a model before its loop
    (`model.freeze_head_and_trunk()`: -1, the receiver), none of which may name a function that
    freezes that argument's parameters. ``classes``: qualified names of the classes the model a
    finding runs may be an instance of, one of which must be able to hold parameters (a project
    class whose code builds none records no graph when called). ``contexts``: call references of
    the context managers around the finding whose names suggest a grad switch (`with
    utils.eval_mode(agent):`), every one of which must name a project context manager whose code
    switches no grad mode (context_managers.py)."""

    function: str
    mode: str
    returns: tuple = ()
    trains: tuple = ()
    fix_tensors: tuple = ()
    grads: tuple = ()
    keeps: tuple = ()
    runs: tuple = ()
    attributes: tuple = ()
    freezes: tuple = ()
    classes: tuple = ()
    contexts: tuple = ()
    # (qualified class name, keyword, position, string literal) of a call of a model instance that
    # passes a string (`model(data, mode="inference")`): the finding drops if the class's
    # `forward` computes that branch without grad (ProjectFacts.runs_quietly).
    quiet: tuple = ()
    # Qualified names of the classes the model a finding runs may be an instance of, one of which
    # must behave differently in train and eval mode (ProjectFacts.mode_dependent).
    mode_classes: tuple = ()
    # Call atoms every one of which must name a project function whose summary says it returns
    # no autograd graph (`self.critic_target(to_tensor(s2))`: the input another file builds from
    # data), not merely one nothing is known of (ProjectFacts.returns_no_graph).
    graphless: tuple = ()
    # (call reference, argument position) pairs every one of which must name a project function
    # that does not freeze that argument's parameters (an untrained target network handed to
    # `hard_update(self.actor_target, self.actor)`): one nothing is known of may freeze it.
    handed: tuple = ()
    # Keys of project functions that build the model a finding runs (`model = blip_retrieval(...)`),
    # one of which must load weights into what it builds (ProjectFacts.loads_weights).
    loaded: tuple = ()
    # (class or builder key, attribute) pairs: each attribute must be a part that one of the keys'
    # classes builds from a class (ProjectFacts.builds_part): `self.model.text_encoder(x)` is a
    # submodule's forward, not a method of the model that may switch its mode.
    parts: tuple = ()

    def to_json(self) -> list:
        return [self.function, self.mode, [list(r) for r in self.returns], [list(r) for r in self.trains],
                [list(r) for r in self.fix_tensors], [list(r) for r in self.grads], [list(r) for r in self.keeps],
                [list(r) for r in self.runs], [list(r) for r in self.attributes],
                [list(r) for r in self.freezes], [[c] for c in self.classes], [list(r) for r in self.contexts],
                [list(r) for r in self.quiet], [[c] for c in self.mode_classes], [list(r) for r in self.graphless],
                [list(r) for r in self.handed], [[c] for c in self.loaded],
                [list(r) for r in self.parts]]

    def needs_project(self) -> bool:
        """Whether the file alone cannot settle it: call references to resolve."""
        return bool(self.returns or self.trains or self.fix_tensors or self.grads or self.keeps or self.runs
                    or self.attributes or self.freezes
                    or self.classes or self.contexts or self.quiet or self.mode_classes or self.graphless
                    or self.handed or self.loaded or self.parts)
