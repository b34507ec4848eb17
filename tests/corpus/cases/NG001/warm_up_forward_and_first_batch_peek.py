# corpus: NG001
# A detector's evaluator warms the model up with one dummy input before the TensorRT swap and runs
# the real inference under `no_grad`; a shape check peeks at the first batch and breaks. Neither
# is an evaluation pass that records graphs batch after batch. The last function's loop does run
# the whole test set with grad on.
import torch


def evaluate(model, loader, trt_file=None):
    model = model.eval()
    if trt_file is not None:
        x = torch.ones(1, 3, 640, 640)
        model(x)
        model = torch.jit.load(trt_file)
    results = []
    for images, _ in loader:
        with torch.no_grad():
            results.append(model(images).cpu())
    return results


def check_shapes(model, loader):
    model.eval()
    for images, _ in loader:
        print(model(images).shape)
        break


def accuracy(model, loader):
    model.eval()
    correct = 0
    for images, labels in loader:  # expect: NG001
        correct += (model(images).argmax(1) == labels).sum().item()
        if correct > 10_000:
            break
    return correct
