# corpus: NG001
"""A latent-traversal script written for PyTorch 0.3 moves each image with a device helper of its
own and wraps it in a volatile Variable, rebinding the same name: the helper only moves data, so
that statement records no graph. The encoder it is then handed to does, and code written for
`volatile` never backpropagates through it, nor through the decoder of the traversal loop."""
import torch
from torch.autograd import Variable


def to_device(tensor, use_cuda):
    return tensor.cuda() if use_cuda else tensor


def traverse(vae, dataset, use_cuda, z_dim=10):
    image, _ = dataset[0]
    image = Variable(to_device(image, use_cuda), volatile=True).unsqueeze(0)
    code = vae.encode(image)[:, :z_dim]  # expect: NG001
    samples = []
    for value in torch.arange(-3, 3.1, 1.0):  # expect: NG001
        z = code.clone()
        z[:, 0] = value
        samples.append(torch.sigmoid(vae.decode(z)).data)
    return torch.cat(samples)
