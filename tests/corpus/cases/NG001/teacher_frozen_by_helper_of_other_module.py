# corpus: NG001
"""Clean: a distillation step whose teacher is handed to a freezing helper of another module when
the distiller is built (what the helper does is not this file's to say), and a TD3-style agent
whose actor loss runs the target critic on the trained actor's actions: that graph trains the
actor, so the target critic's forward is needed."""
import torch.nn.functional as F
from torch import optim

from .nets import Actor, Critic, Projector, freeze


class Distiller:
    def __init__(self, student, teacher_cls, dim):
        self.student = student
        self.teacher = teacher_cls(dim)
        self.projector = Projector(dim)
        freeze(self.teacher)
        self.opt = optim.SGD(list(self.student.parameters()) + list(self.projector.parameters()), lr=0.1)

    def step(self, x):
        loss = F.mse_loss(self.projector(self.student(x)), self.teacher(x))
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()


class SmoothedActorAgent:
    def __init__(self, s_dim, a_dim):
        self.actor = Actor(s_dim, a_dim)
        self.critic = Critic(s_dim, a_dim)
        self.critic_slow = Critic(s_dim, a_dim)
        self.actor_opt = optim.Adam(self.actor.parameters(), lr=1e-4)
        self.critic_opt = optim.Adam(self.critic.parameters(), lr=1e-3)

    def update_actor(self, states):
        loss = -self.critic_slow(states, self.actor(states)).mean()
        self.actor_opt.zero_grad()
        loss.backward()
        self.actor_opt.step()
