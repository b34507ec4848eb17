"""The built-in rules, registered through the same pluggy hook as third-party rules.
A new rule is a module in this folder and one line in ``BUILTIN_RULES``."""

from __future__ import annotations

from ..hookspecs import hookimpl
from .closure_under_no_grad import ClosureUnderNoGrad
from .data_bypasses_autograd import DataBypassesAutograd
from .dropout_ignores_eval_mode import DropoutIgnoresEvalMode
from .eval_graph_seen_at_run_time import EvalGraphSeenAtRunTime
from .eval_loop_without_no_grad import EvalLoopWithoutNoGrad
from .eval_mode_not_restored import EvalModeNotRestored
from .evaluation_in_train_mode import EvaluationInTrainMode
from .grad_disabled_training import GradDisabledTraining
from .graph_kept_across_iterations import GraphKeptAcrossIterations
from .ineffective_freeze import IneffectiveFreeze
from .module_state_keeps_graph import ModuleStateKeepsGraph
from .inference_tensor_escape import InferenceTensorEscape
from .leaf_update_outside_no_grad import LeafUpdateOutsideNoGrad
from .no_grad_on_trainable_forward import NoGradOnTrainableForward
from .no_op_grad_call import NoOpGradCall
from .trainable_model_in_input_optimization import TrainableModelInInputOptimization
from .unreadable_file import UnreadableFile
from .unused_noqa import UnusedNoqa
from .unscoped_grad_mode_switch import UnscopedGradModeSwitch

BUILTIN_RULES = [
    EvalLoopWithoutNoGrad,
    GradDisabledTraining,
    NoGradOnTrainableForward,
    ClosureUnderNoGrad,
    EvalModeNotRestored,
    NoOpGradCall,
    UnreadableFile,
    IneffectiveFreeze,
    UnscopedGradModeSwitch,
    LeafUpdateOutsideNoGrad,
    GraphKeptAcrossIterations,
    DataBypassesAutograd,
    InferenceTensorEscape,
    ModuleStateKeepsGraph,
    EvalGraphSeenAtRunTime,
    TrainableModelInInputOptimization,
    DropoutIgnoresEvalMode,
    EvaluationInTrainMode,
    UnusedNoqa,
]


@hookimpl
def nogradlint_rules():
    return list(BUILTIN_RULES)
