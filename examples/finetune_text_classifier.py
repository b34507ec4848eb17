"""Fine-tune a pretrained transformer encoder for sentiment classification, with a frozen
embedding layer and the lower encoder blocks frozen for the first epochs.

Usage: python examples/finetune_text_classifier.py --model bert-base-uncased --epochs 3

This script has grad-mode bugs that nogradlint finds; each is marked with a `# BUG NGxxx` comment.
"""

from __future__ import annotations

import argparse
import math

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader
from transformers import AutoModel, AutoTokenizer, get_linear_schedule_with_warmup
from datasets import load_dataset


class SentimentClassifier(nn.Module):
    def __init__(self, backbone: str, num_labels: int = 2, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(backbone)
        self.dropout = nn.Dropout(dropout)
        self.token_dropout = dropout
        self.head = nn.Linear(self.encoder.config.hidden_size, num_labels)

    def forward(self, input_ids, attention_mask):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        hidden = F.dropout(hidden, self.token_dropout)  # BUG NG016: `training` defaults to True, so evaluation drops out too
        return self.head(self.dropout(hidden[:, 0]))

    def freeze_lower_layers(self, n: int) -> None:
        self.encoder.embeddings.requires_grad = False  # BUG NG010: sets a plain attribute; nothing is frozen
        for layer in self.encoder.encoder.layer[:n]:
            for p in layer.parameters():
                p.require_grad = False  # BUG NG010: typo, the attribute is `requires_grad`

    def unfreeze(self) -> None:
        self.encoder.requires_grad_(True)  # fine: the method freezes / unfreezes every parameter


def collate(tokenizer, max_length=256):
    def fn(batch):
        enc = tokenizer([b["text"] for b in batch], padding=True, truncation=True,
                        max_length=max_length, return_tensors="pt")
        enc["labels"] = torch.tensor([b["label"] for b in batch])
        return enc
    return fn


@torch.no_grad()  # BUG NG002: the whole training step runs without gradients; the model never learns
def train_step(model, batch, optimizer, scheduler, criterion, clip=1.0):
    logits = model(batch["input_ids"], batch["attention_mask"])
    loss = criterion(logits, batch["labels"])
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad()
    return loss.item()


def predict(model, tokenizer, texts, device):
    """Labels for raw texts (used by the demo at the end)."""
    model.eval()
    torch.set_grad_enabled(False)  # BUG NG005: a global switch; an exception below leaves grad off for the caller
    enc = tokenizer(texts, padding=True, truncation=True, return_tensors="pt").to(device)
    labels = model(enc["input_ids"], enc["attention_mask"]).argmax(-1).tolist()
    torch.set_grad_enabled(True)
    return labels


@torch.no_grad()
def evaluate(model, loader, device) -> float:
    model.eval()
    correct = total = 0
    for batch in loader:
        batch = {k: v.to(device) for k, v in batch.items()}
        logits = model(batch["input_ids"], batch["attention_mask"])
        correct += (logits.argmax(-1) == batch["labels"]).sum().item()
        total += batch["labels"].numel()
    model.train()
    return correct / max(total, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="bert-base-uncased")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--freeze-epochs", type=int, default=1)
    args = parser.parse_args()

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    data = load_dataset("imdb")
    train_loader = DataLoader(data["train"], batch_size=32, shuffle=True, collate_fn=collate(tokenizer))
    test_loader = DataLoader(data["test"], batch_size=64, collate_fn=collate(tokenizer))

    model = SentimentClassifier(args.model).to(device)
    model.freeze_lower_layers(8)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr)
    total_steps = args.epochs * len(train_loader)
    scheduler = get_linear_schedule_with_warmup(optimizer, math.ceil(0.06 * total_steps), total_steps)
    criterion = nn.CrossEntropyLoss()

    for epoch in range(args.epochs):
        if epoch == args.freeze_epochs:
            model.unfreeze()
        model.train()
        running = 0.0
        for step, batch in enumerate(train_loader):
            batch = {k: v.to(device) for k, v in batch.items()}
            running += train_step(model, batch, optimizer, scheduler, criterion)
            if step % 200 == 199:
                print(f"epoch {epoch} step {step + 1}: loss {running / 200:.4f}")
                running = 0.0
        print(f"epoch {epoch}: accuracy {evaluate(model, test_loader, device):.3%}")

    print(predict(model, tokenizer, ["A wonderful film.", "Two hours I will never get back."], device))


if __name__ == "__main__":
    main()
