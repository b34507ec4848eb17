# corpus: NG001
"""An inference script loads a network and puts it in eval mode at the top; the function that
renders a comparison runs it on a whole image with gradients on and keeps only a detached copy
of the output, so the graph of a full-resolution forward is recorded for nothing."""
import torch

net = torch.load("generator.pt", weights_only=False)
net.eval()


def upscale_for_display(image):
    out = net(image.unsqueeze(0))  # expect: NG001
    out = out.squeeze(0).clamp(-1, 1).cpu().detach()
    return (out + 1) / 2


if __name__ == "__main__":
    print(upscale_for_display(torch.rand(3, 64, 64)).shape)
