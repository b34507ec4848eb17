# corpus: NG001
"""A Q-learning update written for torch before 0.4: the next states are wrapped as volatile so
the bootstrap target records no graph, and the flag is cleared on the target before the loss
(`.volatile = False`), the old idiom for "use these values as constants". Since 0.4 the flag does
nothing: the target now carries the network's graph and the loss backpropagates through it, so
the update silently changes. `torch.no_grad()` around the target restores what was written."""
import torch
import torch.nn.functional as F
from torch.autograd import Variable


def q_update(net, optimizer, states, actions, rewards, next_states, gamma=0.99):
    next_inputs = Variable(next_states, volatile=True)
    q = net(Variable(states)).gather(1, Variable(actions))
    target = Variable(torch.zeros(states.size(0)))
    target[:] = net(next_inputs).max(1)[0]  # expect: NG001
    target.volatile = False
    loss = F.smooth_l1_loss(q, (target * gamma + Variable(rewards)).unsqueeze(1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
