# corpus: NG012
# When the time budget runs out, the loop shows a sample (eval mode) and stops: no step trains after it.
import time

import torch


def show_sample(model, prompt):
    model.eval()
    with torch.no_grad():
        print(model(prompt).argmax(-1))


def finetune(model, batches, optimizer, prompt, budget):
    start = time.time()
    model.train()
    for x, y in batches:
        if time.time() - start > budget:
            show_sample(model, prompt)
            break
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
