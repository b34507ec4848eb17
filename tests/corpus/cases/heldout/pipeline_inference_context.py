# corpus: NG001
"""A pipeline base class runs every subclass's _forward inside its inference context (no_grad): the loops are covered (correct)."""
import numpy as np
import torch


class Pipeline:
    def __init__(self, model, device="cpu"):
        self.model = model.to(device).eval()
        self.device = device

    def get_inference_context(self):
        return torch.no_grad

    def forward(self, model_inputs, **forward_params):
        inference_context = self.get_inference_context()
        with inference_context():
            model_inputs = {k: v.to(self.device) for k, v in model_inputs.items()}
            return self._forward(model_inputs, **forward_params)

    def _forward(self, model_inputs, **forward_params):
        raise NotImplementedError


class TableQAPipeline(Pipeline):
    def sequential_inference(self, **inputs):
        all_logits = []
        prev_answers = None
        batch_size = inputs["input_ids"].shape[0]
        for index in range(batch_size):
            token_type_ids = inputs["token_type_ids"][index].clone()
            if prev_answers is not None:
                token_type_ids[:, 3] = torch.as_tensor(prev_answers, device=token_type_ids.device)
            outputs = self.model(
                input_ids=inputs["input_ids"][index].unsqueeze(0),
                attention_mask=inputs["attention_mask"][index].unsqueeze(0),
                token_type_ids=token_type_ids.unsqueeze(0),
            )
            logits = outputs.logits
            all_logits.append(logits)
            prev_answers = (logits.squeeze(0) > 0).long().cpu().numpy()
        return torch.cat(all_logits, dim=0)

    def _forward(self, model_inputs, sequential=False):
        if sequential:
            return {"logits": self.sequential_inference(**model_inputs)}
        return {"logits": self.model(**model_inputs).logits}

    def postprocess(self, outputs):
        return np.argmax(outputs["logits"].cpu().numpy(), axis=-1)
