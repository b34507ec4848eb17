# corpus: NG001
# Activation-scale calibration: the helper puts the model in eval mode itself and runs it over the
# samples with grad on (its loop is the finding). The script's call of the helper, on a model
# loaded in eval mode by `from_pretrained`, is the same problem and is not reported again.
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def get_act_scales(model, tokenizer, texts, seq_len=512):
    model.eval()
    scales = {}

    def record(name):
        def hook(module, inputs, output):
            x = inputs[0].detach().abs().reshape(-1, inputs[0].shape[-1]).max(dim=0)[0]
            scales[name] = torch.maximum(scales[name], x) if name in scales else x
        return hook

    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Linear):
            module.register_forward_hook(record(name))
    for text in texts:  # expect: NG001
        ids = tokenizer(text, return_tensors="pt", max_length=seq_len, truncation=True).input_ids
        model(ids)
    return scales


def main(name, texts):
    tokenizer = AutoTokenizer.from_pretrained(name)
    model = AutoModelForCausalLM.from_pretrained(name)
    scales = get_act_scales(model, tokenizer, texts)
    torch.save(scales, "act_scales.pt")
