# corpus: NG001
"""An RL library's temporal runner: it calls the wrapped agent once per time step, and the agent
writes its actions and values into the workspace it is handed. Training code reads them from
the workspace and backpropagates a loss: nothing is computed from the call's result, because
there is none to keep."""
import torch
from torch import nn


class WorkspaceAgent(nn.Module):
    def __init__(self):
        super().__init__()
        self.workspace = None

    def write(self, key, value):
        self.workspace[key] = value


class TemporalRunner(WorkspaceAgent):
    def __init__(self, agent):
        super().__init__()
        self.agent = agent

    def __call__(self, workspace, t=0, n_steps=None, stop_key=None, **kwargs):
        step = t
        while True:
            self.agent(workspace, t=step, **kwargs)
            if stop_key is not None and workspace[stop_key][step].all():
                break
            step += 1
            if n_steps is not None and step >= t + n_steps:
                break


class CopyAgent(WorkspaceAgent):
    def __init__(self, source, target, detach=False):
        super().__init__()
        self.source, self.target, self.detach = source, target, detach

    def forward(self, workspace, t=0):
        value = workspace[self.source][t]
        workspace[self.target][t] = value.detach() if self.detach else value
