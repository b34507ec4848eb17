# corpus: NG001
"""A sentence classifier's `evaluate` runs the model once over the whole test set with gradients
enabled and hands back only an accuracy made through `.data`: the graph of that forward dies in the
function. A `validate` that returns the logits themselves is left alone: its caller may
backpropagate through them; so is a module file's `test()` that checks an output's shape on random
input."""
import torch
from torch.autograd import Variable


def evaluate(attention_model, x_test, y_test):
    attention_model.batch_size = x_test.shape[0]
    x_test_var = Variable(torch.from_numpy(x_test).type(torch.LongTensor))
    y_test_pred, _ = attention_model(x_test_var)  # expect: NG001
    y_preds = torch.max(y_test_pred, 1)[1]
    y_test_var = Variable(torch.from_numpy(y_test).type(torch.LongTensor))
    return torch.eq(y_preds, y_test_var).data.sum() / x_test_var.size(0)


def validate(attention_model, x_valid):
    logits, _ = attention_model(Variable(torch.from_numpy(x_valid).type(torch.LongTensor)))
    return logits


def test(build):
    net = build()
    y = net(torch.randn(1, 3, 32, 32))
    print("output shape", y.size())
