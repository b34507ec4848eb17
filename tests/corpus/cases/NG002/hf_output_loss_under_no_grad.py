# corpus: NG002, NG001
"""Fine-tuning step that computes the model output inside `no_grad` (copied from the
evaluation code) and then backpropagates its `.loss` / an item of a loss dict."""
import torch


def train_step(model, batch, optimizer, scheduler):
    model.train()
    with torch.no_grad():
        outputs = model(**batch)
    outputs.loss.backward()  # expect: NG002
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad()
    return outputs.loss.item()


def detector_step(detector, images, targets, optimizer):
    with torch.inference_mode():
        loss_dict = detector(images, targets)
    total = loss_dict["loss_classifier"]
    total.backward()  # expect: NG002
    optimizer.step()
    optimizer.zero_grad()
