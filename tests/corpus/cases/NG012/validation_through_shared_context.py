# corpus: NG012
# The training function takes its model from a shared context object; the per-epoch validation
# hands the context on to a prediction helper that puts `context.model` in eval mode, which is the
# same model the loop trains through its local name. From the second epoch on, dropout is off.
import torch


def predict(processor, model, loader):
    texts = []
    with torch.no_grad():
        model.eval()
        for batch in loader:
            ids = model.generate(batch["pixels"])
            texts.extend(processor.batch_decode(ids))
    return texts


def accuracy(context):
    texts = predict(context.processor, context.model, context.val_loader)
    return sum(t == label for t, label in zip(texts, context.val_labels)) / len(texts)


def train(context, epochs=5):
    model = context.model
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
    model.train()
    for epoch in range(epochs):
        for batch in context.train_loader:
            loss = model(pixel_values=batch["pixels"], labels=batch["labels"]).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        print(epoch, accuracy(context))  # expect: NG012


def train_restoring(context, epochs=5):
    model = context.model
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
    for epoch in range(epochs):
        model.train()
        for batch in context.train_loader:
            loss = model(pixel_values=batch["pixels"], labels=batch["labels"]).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        print(epoch, accuracy(context))
