# corpus: NG001
# The pipeline calls its components the documented way, by calling them.
from torch_component import LookupTagger, Parser


def run(model, batches):
    model.eval()
    parser = Parser(model)
    tagger = LookupTagger(model)
    return parser(batches), tagger(batches)
