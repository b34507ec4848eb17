# corpus: NG005, NG001, NG003
"""The torchvision fine-tuning tutorial loop: one loop for both phases."""
import copy
import torch


def train_model(model, dataloaders, criterion, optimizer, num_epochs=25):
    best_acc, best_weights = 0.0, copy.deepcopy(model.state_dict())
    for epoch in range(num_epochs):
        for phase in ["train", "val"]:
            model.train() if phase == "train" else model.eval()
            running_loss, running_corrects = 0.0, 0
            for inputs, labels in dataloaders[phase]:
                optimizer.zero_grad()
                with torch.set_grad_enabled(phase == "train"):
                    outputs = model(inputs)
                    loss = criterion(outputs, labels)
                    _, preds = torch.max(outputs, 1)
                    if phase == "train":
                        loss.backward()
                        optimizer.step()
                running_loss += loss.item() * inputs.size(0)
                running_corrects += torch.sum(preds == labels.data)
            epoch_acc = running_corrects.double() / len(dataloaders[phase].dataset)
            if phase == "val" and epoch_acc > best_acc:
                best_acc, best_weights = epoch_acc, copy.deepcopy(model.state_dict())
    model.load_state_dict(best_weights)
    return model
