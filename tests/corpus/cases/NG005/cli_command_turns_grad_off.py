# corpus: NG005
"""A console script's prediction command turns gradients off for the whole process, as a script's
`main()` would: a click command is the run. A helper of the same file that switches grad mode for
its caller's thread and never restores it is still reported."""
import click
import torch


@click.group()
def cli():
    """Model tools."""


@cli.command()
@click.argument("checkpoint")
@click.option("--device", default="cpu")
def predict(checkpoint, device):
    torch.set_grad_enabled(False)
    model = torch.load(checkpoint, map_location=device)
    for line in click.get_text_stream("stdin"):
        click.echo(model(torch.tensor([float(x) for x in line.split()])).tolist())


def embed(model, batch):
    torch.set_grad_enabled(False)  # expect: NG005
    return model(batch)


if __name__ == "__main__":
    cli()
