"""The built-in rules, registered through the same pluggy hook as third-party rules.
A new rule is a module in this folder and one line in ``BUILTIN_RULES``."""

from __future__ import annotations

from ..hookspecs import hookimpl
from .ineffective_freeze import IneffectiveFreeze
from .no_op_grad_call import NoOpGradCall
from .unreadable_file import UnreadableFile
from .unscoped_grad_mode_switch import UnscopedGradModeSwitch

BUILTIN_RULES = [
    NoOpGradCall,
    UnreadableFile,
    IneffectiveFreeze,
    UnscopedGradModeSwitch,
]


@hookimpl
def nogradlint_rules():
    return list(BUILTIN_RULES)
