# corpus: NG003
"""Deep mutual learning: for each batch, every student takes its own step and the batch's average
loss is summed over students, then read as a float before the next batch resets it. The sum
holds one batch's graphs (a bounded number), not every batch's. The epoch total below keeps
every batch's loss tensor, and an in-place `add_` does the same."""
import torch
import torch.nn.functional as F


def train_students(students, optimizers, loader, epochs):
    history = []
    for epoch in range(epochs):
        epoch_loss = 0.0
        running = torch.zeros(())
        for images, labels in loader:
            batch_loss = 0
            for student, optimizer in zip(students, optimizers):
                loss = F.cross_entropy(student(images), labels)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                batch_loss += loss
                running.add_(loss)  # expect: NG003
            batch_loss /= len(students)
            epoch_loss += batch_loss.item()
        history.append((epoch_loss, running.item()))
    return history
