# corpus: NG001
# A helper that sets every parameter's requires_grad to the flag it is handed: it freezes
# its argument only when a call passes False (or leaves a False default).


def toggle_trainable(net, trainable=True):
    for weight in net.parameters():
        weight.requires_grad = trainable


def lock(module, flag=False):
    module.requires_grad_(flag)
