# corpus: NG012
"""An active-learning solver trains the task model it is given and, every thousand iterations,
checks it with its own `validate` method, which puts that model in eval mode and never back. From
the first check on, the rest of the run trains with dropout off and batch norm frozen. The
sampler's model is checked by a method that restores training mode itself."""
import torch
import torch.nn.functional as F


class Solver:
    def validate(self, task_model, loader):
        task_model.eval()
        with torch.no_grad():
            return sum((task_model(x).argmax(1) == y).sum().item() for x, y in loader)

    def check_sampler(self, sampler, loader):
        sampler.eval()
        with torch.no_grad():
            score = sum(sampler(x).mean().item() for x, _ in loader)
        sampler.train()
        return score

    def train(self, loader, val_loader, task_model, sampler):
        task_opt = torch.optim.SGD(task_model.parameters(), lr=0.1)
        sampler_opt = torch.optim.Adam(sampler.parameters())
        task_model.train()
        sampler.train()
        for it, (x, y) in enumerate(loader):
            loss = F.cross_entropy(task_model(x), y)
            task_opt.zero_grad()
            loss.backward()
            task_opt.step()
            s_loss = sampler(x).mean()
            sampler_opt.zero_grad()
            s_loss.backward()
            sampler_opt.step()
            if it % 1000 == 0:
                accuracy = self.validate(task_model, val_loader)  # expect: NG012
                score = self.check_sampler(sampler, val_loader)
                print(it, accuracy, score)
