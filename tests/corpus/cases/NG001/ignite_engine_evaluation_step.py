# corpus: NG001
"""Training and validation with ignite engines built from the project's own step functions.
`Engine(step).run(loader)` calls the step once per batch with grad as the caller left it, so the
validation step records a graph for every batch. The training step backpropagates, and the test
step already runs under `no_grad`; `create_supervised_evaluator` does that by itself."""
import torch
from ignite.engine import Engine, Events, create_supervised_evaluator
from ignite.metrics import Accuracy


def fit(model, optimizer, train_loader, val_loader, test_loader, epochs=3):
    def train_step(engine, batch):
        model.train()
        x, y = batch
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    def validation_step(engine, batch):
        model.eval()
        x, y = batch
        logits = model(x)  # expect: NG001
        return logits, y

    def test_step(engine, batch):
        model.eval()
        with torch.no_grad():
            x, y = batch
            return model(x), y

    trainer = Engine(train_step)
    evaluator = Engine(validation_step)
    tester = Engine(test_step)
    quick = create_supervised_evaluator(model, metrics={"acc": Accuracy()})
    Accuracy().attach(evaluator, "acc")
    Accuracy().attach(tester, "acc")

    @trainer.on(Events.EPOCH_COMPLETED)
    def validate(engine):
        evaluator.run(val_loader)
        quick.run(val_loader)

    trainer.run(train_loader, max_epochs=epochs)
    return tester.run(test_loader).metrics["acc"]
