# corpus: NG001
"""An author switched off an older decoding path with `if True:` and kept it in the `else:`; that
branch never runs, so the forward written there records nothing. The live loop backpropagates what
it computes; the final pass over the whole set, with grad on and only NumPy kept, does not."""
import torch


def fit(model, loader, optimizer, targets, epochs):
    for _ in range(epochs):
        for batch, index in loader:
            if True:
                emb = model.encode(batch)
            else:
                emb = model.encode(batch)
                output = model.decode(emb)
            output = model.decode(emb)
            loss = ((output - targets[index]) ** 2).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    model.eval()
    embedding = model(loader.dataset.full_batch())  # expect: NG001
    return embedding.detach().cpu().numpy()
