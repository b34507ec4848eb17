# corpus: NG001
# A command-line helper stacks option decorators in a loop: each call wraps the function, no model runs.
import click
import torch


def shared_inference_flags(command):
    flags = [click.option("--checkpoint"), click.option("--batch-size", type=int, default=8)]
    for flag in reversed(flags):
        command = flag(command)
    return command


@shared_inference_flags
@click.command()
def predict(checkpoint, batch_size):
    model = torch.jit.load(checkpoint)
    model.eval()
    with torch.no_grad():
        print(model(torch.zeros(batch_size, 3)))
