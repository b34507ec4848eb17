# corpus: NG007
"""Dreamer-style losses: `.data` is a deliberate stop-gradient on auxiliary outputs and on the actor's input states (correct)."""
import torch
from torch import nn


class WorldModelLoss(nn.Module):
    def __init__(self, world_model: nn.Module, detach_output: bool = True):
        super().__init__()
        self.world_model = world_model
        self.detach_output = detach_output

    def forward(self, td):
        td = self.world_model(td.copy())
        reco = (td["reco_pixels"] - td["pixels"]).pow(2).mean()
        kl = td["kl"].clamp(min=3.0).mean()
        losses = {"loss_model_reco": reco, "loss_model_kl": kl}
        return losses, td.data if self.detach_output else td


class ActorLoss(nn.Module):
    def __init__(self, actor: nn.Module, env, horizon: int = 15):
        super().__init__()
        self.actor, self.env, self.horizon = actor, env, horizon

    def forward(self, td):
        td = td.select("state", "belief").data  # no gradient back into the world model
        fake_data = self.env.rollout(self.horizon, policy=self.actor, tensordict=td)
        returns = fake_data["reward"].sum(-2)
        loss = -returns.mean()
        return {"loss_actor": loss}, fake_data.data
