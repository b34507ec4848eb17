# corpus: NG001
# The language model's class lives in a package this project does not include; the evaluation
# puts it in eval mode and scores each batch through its `log_prob` method with grad on, keeping
# only a float. Generating samples through `generate`, which disables grad itself, is fine.
import math

import torch
from lm_zoo.models import WordLM


def perplexity(checkpoint, loader, limit=76800):
    lm = WordLM.load(checkpoint)
    lm.eval()
    nll, count = 0.0, 0
    for words, labels in loader:  # expect: NG001
        log_probs = lm.log_prob(words)
        nll += torch.nn.functional.nll_loss(log_probs, labels.view(-1), reduction="sum").item()
        count += labels.numel()
        if count > limit:
            break
    return math.exp(nll / count)


def samples(model, prompts, tokenizer):
    model.eval()
    out = []
    for prompt in prompts:
        ids = model.generate(**tokenizer(prompt, return_tensors="pt"), max_new_tokens=32)
        out.append(tokenizer.decode(ids[0]))
    return out
