# corpus: NG003
# A PINN solver computes the derivatives a PDE residual needs, one `autograd.grad(...,
# create_graph=True)` per variable, and keeps them in a dict: the residual loss differentiates
# through them again. The graph is kept on purpose and the loop takes no training step. The
# training loop below does sum each step's loss with its graph.
import torch


class Variables(dict):
    def differentiate(self, inputs, names):
        found = Variables()
        for name in names:
            d = torch.autograd.grad(self[name], inputs["x"], grad_outputs=torch.ones_like(self[name]),
                                    retain_graph=True, create_graph=True)[0]
            if d is not None:
                d.requires_grad_()
            found[name + "__x"] = d
        self.update(found)


def derivatives(outputs, inputs, names):
    outputs = Variables(outputs)
    outputs.differentiate(inputs, names)
    return outputs


def train(model, batches, optimizer):
    total = 0
    for x in batches:
        x.requires_grad_(True)
        out = {"u": model(x)}
        residual = derivatives(out, {"x": x}, ["u"])["u__x"] - out["u"]
        loss = residual.pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss  # expect: NG003
    return total.item() / len(batches)
