"""The atoms of value facts (see ``values``), apart from the analysis that computes them: the
cross-file facts (``project``) compare them on a cache hit, which never imports libcst."""

GRAPH, TENSOR, NUMBER, OBJECT, MODULE, UNKNOWN = "graph", "tensor", "number", "object", "module", "unknown"
CALL = "call"
# A torch.nn.utils.rnn.PackedSequence (beside its other atoms): its `.data` is a namedtuple field
# holding the packed tensor, with its history, not `Tensor.data`.
PACKED = "packed"
# The reference of a call of a module of unknown class that passes flags (`model(x, freeze=True)`):
# any project module's forward, judged only by what the flags make it compute without grad
# (values.ValueModel._call, ProjectFacts._call_fact).
FLAGGED_FORWARD = ("anyforward", "flags")
