# corpus: NG001
"""Temporal-set recommender: after each epoch's training, the validation loop runs the model in
eval mode with gradients on and sums `loss.data.item()` (numbers) into the total that
`ReduceLROnPlateau` reads. A scheduler's step reads a number; it uses no gradients, so the loop's
graph reaches nothing."""
import torch


def learn(model, train_set, val_set, criteria, n_epochs, device):
    model = model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer)
    for _ in range(n_epochs):
        model.train()
        total_loss = 0.0
        for x, y in train_set:
            preds = model(x.to(device))
            loss = criteria(preds, y.to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total_loss += loss.data.item()

        if val_set is not None:
            model.eval()
            total_val_loss = 0.0
            for x, y in val_set:  # expect: NG001
                preds = model(x.to(device))
                loss = criteria(preds, y.to(device))
                total_val_loss += loss.data.item()
            scheduler.step(total_val_loss)
    return model
