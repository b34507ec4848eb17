# corpus: NG001, NG003, NG006
"""A trimmed HF-style Trainer: prediction_step disables grad itself, evaluation_loop only gathers."""
import torch
from torch import nn


class MiniTrainer:
    def __init__(self, model: nn.Module, args, eval_dataloader):
        self.model = model
        self.args = args
        self.eval_dataloader = eval_dataloader

    def _prepare_inputs(self, inputs):
        return {k: v.to(self.args.device) for k, v in inputs.items()}

    def prediction_step(self, model, inputs, prediction_loss_only=False):
        has_labels = "labels" in inputs
        inputs = self._prepare_inputs(inputs)
        with torch.no_grad():
            outputs = model(**inputs)
            if has_labels:
                loss = outputs["loss"].mean().detach()
                logits = outputs["logits"]
            else:
                loss = None
                logits = outputs["logits"]
        if prediction_loss_only:
            return loss, None, None
        labels = inputs.get("labels")
        return loss, logits.detach(), labels

    def evaluation_loop(self, dataloader, description="Evaluation"):
        model = self.model
        model.eval()
        all_losses, all_preds, all_labels = [], [], []
        for step, inputs in enumerate(dataloader):
            loss, logits, labels = self.prediction_step(model, inputs)
            if loss is not None:
                all_losses.append(loss.repeat(logits.shape[0]))
            all_preds.append(logits.cpu())
            if labels is not None:
                all_labels.append(labels.cpu())
        preds = torch.cat(all_preds)
        metrics = {"eval_loss": torch.cat(all_losses).mean().item()}
        if all_labels:
            labels = torch.cat(all_labels)
            metrics["eval_accuracy"] = (preds.argmax(-1) == labels).float().mean().item()
        return metrics

    def evaluate(self):
        return self.evaluation_loop(self.eval_dataloader)
