# corpus: NG001
"""A notebook-style script that turns grad off for the whole session, binding the switch's
return value to `_` so the notebook prints nothing; the scoring loop below runs without grad.
The loop before the switch runs with grad on."""
import torch

model = torch.nn.Linear(16, 4)
model.eval()
batches = [torch.randn(2, 16) for _ in range(3)]

warmup = []
for batch in batches:  # expect: NG001
    warmup.append(model(batch).argmax(-1))

_ = torch.set_grad_enabled(False)

predictions = []
for batch in batches:
    predictions.append(model(batch).argmax(-1))
