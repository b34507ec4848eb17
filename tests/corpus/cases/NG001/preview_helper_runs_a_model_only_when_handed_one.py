# corpus: NG001
# A preview helper shows a few samples of a loader and, when handed a model, its predictions. The
# only call that hands it a model runs under `no_grad`; the data-only call leaves `model=None`,
# and the forward does not run. `_show_predictions` is handed a model with grad on.
import torch


def _preview(loader, n_samples, model=None):
    for i, (x, y) in enumerate(loader):
        if i >= n_samples:
            break
        pred = None if model is None else model(x).argmax(1).tolist()
        print(x.shape, y.tolist(), pred)


def _show_predictions(loader, n_samples, model=None):
    for i, (x, y) in enumerate(loader):  # expect: NG001
        if i >= n_samples:
            break
        pred = None if model is None else model(x).argmax(1).tolist()
        print(x.shape, y.tolist(), pred)


def check_trainer(trainer, n_samples):
    with torch.no_grad():
        trainer.model.eval()
        _preview(trainer.val_loader, n_samples, model=trainer.model)


def check_loader(loader, n_samples):
    _preview(loader, n_samples)


def show(trainer, n_samples):
    trainer.model.eval()
    _show_predictions(trainer.val_loader, n_samples, model=trainer.model)
