# corpus: NG001
# The controller puts the space in eval mode, then asks it for an architecture: a construction.
class Search:
    def __init__(self, space, sampler, device):
        self.space, self.sampler, self.device = space, sampler, device

    def propose(self):
        self.space.eval()
        choice = self.sampler.sample()
        self.candidate = self.space.materialize_model(choice, device=self.device)
