"""The atoms of value facts (see ``values``), apart from the analysis that computes them: the
cross-file facts (``project``) compare them on a cache hit, which never imports libcst."""

GRAPH, TENSOR, NUMBER, OBJECT, MODULE, UNKNOWN = "graph", "tensor", "number", "object", "module", "unknown"
CALL = "call"
# A torch.nn.utils.rnn.PackedSequence (beside its other atoms): its `.data` is a namedtuple field
# holding the packed tensor, with its history, not `Tensor.data`.
PACKED = "packed"
