# corpus: NG001, NG003, NG012
"""An accelerate "no_trainer" fine-tuning script: accelerator.backward, gathered eval metrics (correct), one logged tensor sum (bug)."""
import math

import torch
from accelerate import Accelerator
from tqdm.auto import tqdm


def main(model, optimizer, lr_scheduler, train_dataloader, eval_dataloader, metric, num_epochs=3, grad_accum=2):
    accelerator = Accelerator(gradient_accumulation_steps=grad_accum, mixed_precision="bf16")
    model, optimizer, train_dataloader, eval_dataloader, lr_scheduler = accelerator.prepare(
        model, optimizer, train_dataloader, eval_dataloader, lr_scheduler
    )
    progress_bar = tqdm(range(num_epochs * len(train_dataloader)), disable=not accelerator.is_local_main_process)
    for epoch in range(num_epochs):
        model.train()
        total_loss = 0
        for step, batch in enumerate(train_dataloader):
            with accelerator.accumulate(model):
                outputs = model(**batch)
                loss = outputs.loss
                total_loss += loss.detach().float()
                accelerator.backward(loss)
                optimizer.step()
                lr_scheduler.step()
                optimizer.zero_grad()
            progress_bar.update(1)

        model.eval()
        losses = []
        for step, batch in enumerate(eval_dataloader):
            with torch.no_grad():
                outputs = model(**batch)
            losses.append(accelerator.gather_for_metrics(outputs.loss.repeat(batch["input_ids"].shape[0])))
            predictions = outputs.logits.argmax(dim=-1)
            predictions, references = accelerator.gather_for_metrics((predictions, batch["labels"]))
            metric.add_batch(predictions=predictions, references=references)
        eval_loss = torch.cat(losses).mean()
        perplexity = math.exp(eval_loss) if eval_loss < 20 else float("inf")
        accelerator.print(f"epoch {epoch}: train {total_loss.item() / len(train_dataloader):.4f} ppl {perplexity:.2f}")
        accelerator.print(metric.compute())


def train_with_raw_sum(model, optimizer, train_dataloader, accelerator, num_epochs=1):
    for epoch in range(num_epochs):
        model.train()
        epoch_loss = 0.0
        for batch in train_dataloader:
            loss = model(**batch).loss
            accelerator.backward(loss)
            optimizer.step()
            optimizer.zero_grad()
            epoch_loss += loss  # expect: NG003
        accelerator.print(epoch, epoch_loss / len(train_dataloader))
