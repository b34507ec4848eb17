"""Which classes behave differently in train and eval mode (analysis/class_modes.py), read from
the text of each file and followed across the project by name (ProjectFacts.mode_dependent)."""

from nogradlint.analysis.class_modes import annotation_kind, mode_layers
from nogradlint.analysis.project import FileFacts, ProjectFacts

LAYERS = '''
import torch.nn as nn

class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.norm = nn.BatchNorm2d(c)

class Plain(nn.Module):
    def __init__(self, d, dropout=0.0):
        super().__init__()
        self.fc = nn.Linear(d, d)

class Gated(nn.Module):
    def forward(self, x):
        return x * 0.5 if self.training else x

class Recurrent(nn.Module):
    def __init__(self, d, p):
        super().__init__()
        self.rnn = nn.LSTM(d, d, num_layers=2, dropout=p)

class Loader:
    def make(self, data):
        return DataLoader(data, drop_last=True)
'''

MODEL = '''
from .layers import Block, Plain

class Net(Plain):
    def __init__(self):
        super().__init__(4)
        self.blocks = nn.ModuleList([Block(4) for _ in range(3)])

class Head(Plain):
    pass
'''


def test_own_layers_are_read_from_the_text():
    found = mode_layers("pkg.layers", LAYERS)
    assert found["pkg.layers.Block"][0] is True  # batch norm
    assert found["pkg.layers.Plain"][0] is False  # a dropout rate of zero, no layer reading the mode
    assert found["pkg.layers.Gated"][0] is True  # reads self.training
    assert found["pkg.layers.Recurrent"][0] is True  # a dropout rate that is not a literal zero
    assert found.get("pkg.layers.Loader", (False,))[0] is False  # drop_last is no dropout


def test_mode_dependence_follows_built_classes_and_bases_across_files():
    project = ProjectFacts([FileFacts("pkg.layers", mode_layers=mode_layers("pkg.layers", LAYERS)),
                            FileFacts("pkg.model", mode_layers=mode_layers("pkg.model", MODEL))])
    assert project.mode_dependent("pkg.model.Net")  # builds Block, which has batch norm
    assert not project.mode_dependent("pkg.model.Head")  # derives from Plain only
    assert project.mode_dependent("torch.nn.Dropout")
    assert not project.mode_dependent("torch.nn.Linear")
    assert not project.mode_dependent("torchvision.models.resnet18")  # not shown by the project


def test_a_cycle_of_names_ends():
    text = "class A(B):\n    pass\n\nclass B(A):\n    pass\n"
    project = ProjectFacts([FileFacts("m", mode_layers=mode_layers("m", text))])
    assert not project.mode_dependent("m.A")


FIELDS = '''\
from dataclasses import dataclass, field
from typing import Dict, Optional

import torch


@dataclass
class StepOutput:
    """Output of a step.

    metrics: what was measured
    """

    loss: torch.Tensor
    metrics: Dict[str, float] = field(default_factory=dict)
    extras: Optional[Dict[str, torch.Tensor]] = None
    count: int = 0

    def summary(self):
        total: torch.Tensor = self.loss
        return total

    @property
    def num_tokens(self) -> int:
        return int(self.count)


class Other:
    count: "torch.Tensor"
'''


def test_declared_fields_are_read_from_class_bodies_by_what_they_hold():
    fields: dict = {}
    mode_layers("pkg.outputs", FIELDS, fields=fields)
    # The body's own level only: the docstring's `metrics: ...` line and a method's annotated
    # local are no fields; `count`, declared twice, is a tensor in one class.
    # A property with a return annotation is read as a field.
    assert fields == {"loss": "other", "metrics": "plain", "extras": "container", "count": "other",
                      "num_tokens": "plain"}


def test_annotation_kinds():
    assert [annotation_kind(a) for a in ("float", "dict[str, float]", "Optional[List[int]]", "float | None",
                                         "typing.Dict[str, float]", '"int"')] == ["plain"] * 6
    assert [annotation_kind(a) for a in ("Dict[str, torch.Tensor]", "Optional[List[Tensor]]")] == ["container"] * 2
    assert [annotation_kind(a) for a in ("torch.Tensor", "Any", "Tensor | None", "Union[Tensor, float]",
                                         "LossOutput")] == ["other"] * 5


DROPOUT_PARAMETERS = '''\
import torch.nn as nn


class Unused(nn.Module):
    def __init__(self, ch, dropout=0.2):  # `dropout` is kept for the config's sake
        super().__init__()
        self.conv = nn.Conv1d(ch, ch, 1)


class Passed(nn.Module):
    def __init__(self, ch, dropout=0.2) -> None:
        super().__init__()
        self.rnn = nn.LSTM(ch, ch, num_layers=2, dropout=dropout)


class Literal(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.rnn = nn.LSTM(ch, ch, num_layers=2, dropout=0.3)
'''


def test_a_dropout_rate_counts_where_the_code_reads_it():
    found = mode_layers("m", DROPOUT_PARAMETERS)
    # A default nothing reads (a comment naming it is no read) drops nothing.
    assert found["m.Unused"][0] is False
    assert found["m.Passed"][0] is True and found["m.Literal"][0] is True
