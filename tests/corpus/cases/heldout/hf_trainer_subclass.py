# corpus: NG001, NG002, NG003
"""A transformers.Trainer subclass with a custom loss and a custom prediction_step (correct)."""
import torch
import torch.nn.functional as F
from transformers import Trainer


class DistillationTrainer(Trainer):
    def __init__(self, *args, teacher_model=None, alpha=0.5, temperature=2.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.teacher = teacher_model
        self.teacher.eval()
        self.alpha, self.temperature = alpha, temperature

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        outputs_student = model(**inputs)
        with torch.no_grad():
            outputs_teacher = self.teacher(**inputs)
        T = self.temperature
        loss_kd = F.kl_div(
            F.log_softmax(outputs_student.logits / T, dim=-1),
            F.softmax(outputs_teacher.logits / T, dim=-1),
            reduction="batchmean",
        ) * T * T
        loss = self.alpha * outputs_student.loss + (1 - self.alpha) * loss_kd
        return (loss, outputs_student) if return_outputs else loss

    def prediction_step(self, model, inputs, prediction_loss_only, ignore_keys=None):
        inputs = self._prepare_inputs(inputs)
        with torch.no_grad():
            outputs = model(**inputs)
            loss = outputs.loss.mean().detach() if "labels" in inputs else None
        if prediction_loss_only:
            return loss, None, None
        return loss, outputs.logits.detach(), inputs.get("labels")


def evaluate_checkpoints(trainer, checkpoints, eval_dataset):
    results = {}
    for ckpt in checkpoints:
        trainer._load_from_checkpoint(ckpt)
        results[ckpt] = trainer.evaluate(eval_dataset=eval_dataset)["eval_loss"]
    return results
